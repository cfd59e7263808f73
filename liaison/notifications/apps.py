from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "liaison.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def workspace_links(self, user) -> list[tuple[str, str]]:
        """The inbox, for every signed-in user (see stations.views.workspace_links)."""
        from django.urls import reverse

        if not getattr(user, "is_authenticated", False):
            return []
        links = [(_("站内消息"), reverse("inbox"))]
        if getattr(user, "may_choose_digest", False):
            links.append((_("邮件短信提醒设置（即时或每日汇总）"), reverse("inbox") + "#digest"))
        return links

    def seed_demo(self, stdout) -> None:
        from .demo import seed_demo

        seed_demo(stdout)
