import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("意见建议")

    def on_reception_log(self, log_id: int) -> None:
        """Called after a reception log commits: each opinion in it becomes a tracked suggestion.

        A failure here must not break the delegate's request; the daily sweep makes what is missing.
        """
        from .services.intake import suggestions_from_reception_log

        try:
            suggestions_from_reception_log(log_id=log_id)
        except Exception:
            logger.exception(
                "Reception log %s: suggestions not made now; the daily sweep will retry.", log_id
            )

    def workspace_links(self, user) -> list[tuple[str, str]]:
        from django.urls import reverse

        links: list[tuple[str, str]] = []
        if getattr(user, "is_area_staff", False):
            links += [
                (_("意见建议工作台"), reverse("suggestions-queue")),
                (_("意见建议统计"), reverse("suggestions-stats")),
            ]
        if getattr(user, "is_unit_user", False):
            links.append((_("待办转办件"), reverse("suggestions-unit-queue")))
        if getattr(user, "is_delegate_user", False):
            links.append((_("我提的建议"), reverse("suggestions-mine")))
        return links

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        made = seed()
        stdout.write(f"suggestions: {made} demo suggestions" if made else "suggestions: demo data present")
