from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


def check_sms_backend(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The configured SMS backend can be built: its settings are complete and its SDK is installed. Runs with
    every management command (and so at start-up), so a gateway missing a setting stops the deploy, not the
    first message."""
    from django.core.exceptions import ImproperlyConfigured

    from .sms import get_backend

    try:
        get_backend()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="notifications.E001")]
    except (ImportError, TypeError, ValueError) as exc:  # a bad dotted path or a missing SDK
        return [
            checks.Error(
                f"SMS_BACKEND cannot be loaded: {exc}",
                hint="Install the gateway's extra, e.g. pip install '.[sms-tencent]'.",
                id="notifications.E002",
            )
        ]
    return []


class NotificationsConfig(AppConfig):
    name = "liaison.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        checks.register(check_sms_backend)
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
