from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegislationConfig(AppConfig):
    name = "legislation"
    verbose_name = _("基层立法联系点")

    def public_nav(self) -> list[tuple[str, str]]:
        return [(_("立法征求意见"), "legislation:index")]

    def public_figures(self, area, year: int) -> list[dict]:
        """The 立法征询 section of the public figures page (figures.apps describes the shape)."""
        from .stats import area_figures

        f = area_figures(area, year)
        ops = f["legislative_opinions"]
        return [
            {
                "key": "legislation",
                "title": _("立法征询"),
                "figures": [
                    {"key": "drafts", "label": _("征求意见的法规草案"), "value": f["drafts"]},
                    {"key": "received", "label": _("收到立法意见"), "value": ops["received"]},
                    {"key": "forwarded", "label": _("采用上报的意见"), "value": ops["forwarded"]},
                    {"key": "adopted", "label": _("被采纳（含部分）"), "value": ops["adopted"]},
                    {"key": "forums", "label": _("立法座谈会"), "value": f["forums"]},
                    {"key": "forum_attendance", "label": _("座谈会参加人次"), "value": f["forum_attendance"]},
                ],
                "charts": [
                    {
                        "key": "opinion_funnel",
                        "title": _("立法意见：收到、上报、采纳"),
                        "kind": "bars",
                        "rows": [
                            [_("收到"), ops["received"]],
                            [_("上报"), ops["forwarded"]],
                            [_("采纳"), ops["adopted"]],
                        ],
                    }
                ],
                "data": {"drafts": f["drafts"], "legislative_opinions": ops},
            }
        ]

    def workspace_links(self, user) -> list[tuple[str, str]]:
        from django.urls import reverse

        links: list[tuple[str, str]] = []
        staff = getattr(user, "is_area_staff", False) or getattr(user, "is_superuser", False)
        if staff or getattr(user, "is_informant", False):
            links.append((_("立法联系点工作台（草案、座谈会、意见）"), reverse("legislation:workspace")))
        if staff:
            links += [
                (_("新建征求意见（粘贴草案）"), reverse("legislation:draft-new")),
                (_("立法智库专家"), reverse("admin:legislation_expert_changelist")),
            ]
        return links

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        made = seed()
        stdout.write(f"legislation: {made} demo consultations" if made else "legislation: demo data present")
