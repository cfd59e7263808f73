from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "open311"
    verbose_name = _("Open311 接口")

    def workspace_links(self, user) -> list[tuple[str, str]]:
        from django.urls import reverse

        if getattr(user, "is_portal_admin", False) or getattr(user, "is_superuser", False):
            return [(_("Open311 接口密钥"), reverse("admin:open311_apiclient_changelist"))]
        return []
