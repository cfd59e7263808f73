"""The outbox in the admin, read-only and for superusers only: what was sent to whom, and what is stuck.

Messages are written by notify() and change state only through delivery and the inbox; nobody edits or adds one
here. Addresses are shown masked (personal data)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from liaison.privacy import mask_email, mask_phone

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "kind",
        "recipient",
        "masked_address",
        "subject",
        "status",
        "read_at",
    ]
    list_filter = ["channel", "status", "kind"]
    list_select_related = ["recipient"]
    search_fields = ["subject", "recipient__username"]
    date_hierarchy = "created_at"
    fields = [
        "channel",
        "kind",
        "recipient",
        "masked_address",
        "subject",
        "body",
        "link",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        "read_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("地址"))
    def masked_address(self, obj: Notification) -> str:
        if not obj.address:
            return ""
        return mask_email(obj.address) if "@" in obj.address else mask_phone(obj.address)

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
