from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = _("代表履职")

    def ready(self) -> None:
        # The public delegate and station pages belong to stations, which sits below duties: duties plugs its
        # sections into stations' hooks rather than stations importing duties.
        from stations.hooks import register_delegate_section, register_station_section

        from .views_public import delegate_section, station_section

        register_delegate_section(delegate_section)
        register_station_section(station_section)

    def on_delegate_act(self, **act) -> None:
        """liaison.acts.delegate_act: write the entry in the caller's transaction (with the act or not at all)."""
        from .ledger import act_record

        act_record(**act)

    def workspace_links(self, user) -> list[tuple[str, str]]:
        from django.urls import reverse

        links: list[tuple[str, str]] = []
        if getattr(user, "is_delegate_user", False):
            links += [
                (_("我的履职档案"), reverse("duties:my-record")),
                (_("自报履职"), reverse("duties:self-report-new")),
            ]
        if getattr(user, "is_area_staff", False) or getattr(user, "is_superuser", False):
            links += [
                (_("履职积分排行"), reverse("duties:league")),
                (_("述职与接待覆盖情况"), reverse("duties:coverage")),
                (_("自报履职审核"), reverse("duties:review")),
                (_("五簿一档"), reverse("duties:books")),
                (_("述职评议"), reverse("duties:report-backs")),
                (_("学习培训"), reverse("admin:duties_training_changelist")),
            ]
        if getattr(user, "is_portal_admin", False):
            links.append((_("积分规则"), reverse("admin:duties_dutyrule_changelist")))
        return links

    def seed_demo(self, stdout) -> None:
        from .demo import seed

        made = seed()
        stdout.write(f"duties: {made} demo entries" if made else "duties: demo data present")
