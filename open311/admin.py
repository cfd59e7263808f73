"""Open311 clients in the back office: an admin issues a key (shown once), reissues or revokes it."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from liaison.admin_scope import CHOICE_SCOPES, AreaScopedAdmin, run_service_action

from .models import ApiClient
from .services import client_issue, client_revoke

CHOICE_SCOPES["open311.apiclient"] = "area"


def _show_key(modeladmin, request, issued) -> None:
    modeladmin.message_user(
        request,
        _("%(name)s 的 api_key（只显示这一次，请立即交给对方并妥善保管）：%(key)s")
        % {"name": issued.client.name, "key": issued.key},
        messages.WARNING,
    )


@admin.register(ApiClient)
class ApiClientAdmin(AreaScopedAdmin):
    staff_may_view = False  # keys are the admins' business
    staff_may_edit = False
    list_display = ["name", "area", "key_prefix", "rate_limit", "is_active", "created_at", "revoked_at"]
    list_filter = ["is_active"]
    list_select_related = ["area"]
    search_fields = ["name"]
    autocomplete_fields = ["area"]
    fields = ["name", "contact", "area", "rate_limit", "key_prefix", "is_active", "created_at", "revoked_at"]
    readonly_fields = ["key_prefix", "is_active", "created_at", "revoked_at"]
    actions = ["revoke", "reissue"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # The form's instance itself gets its key (the admin logs and redirects to that object).
        _show_key(self, request, client_issue(name=obj.name, area=obj.area, client=obj, actor=request.user))

    @admin.action(description=_("吊销所选客户端的 api_key"))
    def revoke(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda c: client_revoke(client_id=c.pk, actor=request.user),
            _("已吊销 %(n)d 个客户端的 api_key。"),
        )

    @admin.action(description=_("为所选客户端重新签发 api_key（旧密钥立即失效）"))
    def reissue(self, request, queryset):
        for c in queryset:
            _show_key(self, request, client_issue(name=c.name, area=c.area, client=c, actor=request.user))
