from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegislationConfig(AppConfig):
    name = "legislation"
    verbose_name = _("基层立法联系点")

    def public_nav(self) -> list[tuple[str, str]]:
        return [(_("立法征求意见"), "legislation:index")]

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
