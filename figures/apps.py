from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiguresConfig(AppConfig):
    """数据公开: the public figures of an area and a year.

    Other apps add sections through a hook on their own AppConfig, looked up by name (they never import this
    app): `public_figures(self, area, year) -> list[dict]`, each dict a section::

        {"key": "legislation", "title": "立法征询",
         "figures": [{"key": "drafts", "label": "征询草案", "value": 3, "rate": False}, ...],
         "charts": [{"key": "by_month", "title": "…", "kind": "columns" | "bars" | "rates",
                     "rows": [[label, value], ...]}],
         "data": {"drafts": 3, "legislative_opinions": {"received": 10, "forwarded": 4, "adopted": 1}}}

    `data` holds the top-level fields of the JSON answer (API.md "Public figures") the section supplies. The
    hook must run a fixed number of queries (aggregates, never a loop over rows): its result is cached with
    the rest of the page.
    """

    name = "figures"
    verbose_name = _("数据公开")

    def public_nav(self) -> list[tuple[str, str]]:
        return [(_("数据公开"), "figures-page")]
