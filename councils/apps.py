from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    """Street councils (街道议政代表会) at work: their meetings, attendance and opinions, the workspace pages of
    bodies and members, and the public council pages. Sits above bodies, suggestions, supervision and voting;
    reaches the duty record only through liaison.acts.delegate_act."""

    name = "councils"
    verbose_name = _("街道议政代表会")

    def ready(self) -> None:
        # Public pages reach the councils from the station pages of a street (and of the villages under it):
        # the header menu has room for three app links, which figures, legislation and motions already use.
        from stations.hooks import register_station_section

        from .views import station_section

        register_station_section(station_section)

    def workspace_links(self, user) -> list[tuple[str, str]]:
        from django.urls import reverse

        links: list[tuple[str, str]] = []
        if getattr(user, "is_area_staff", False):
            links.append((_("代表机构与议政代表会（成员、会议）"), reverse("councils:bodies")))
        if getattr(user, "is_portal_admin", False) and getattr(user, "area_path", None) is not None:
            links.append((_("新建代表机构"), reverse("councils:body-new")))
        return links

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        made = seed()
        if made:
            stdout.write(
                f"councils: {made} demo street councils; council member accounts member01…member{made:02d} "
                "(role member) use the demo password"
            )
        else:
            stdout.write("councils: demo data present")
