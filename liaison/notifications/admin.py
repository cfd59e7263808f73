"""通知发送记录: what the outbox sent, what it is still trying, and what failed with the gateway's answer.

Read-only: a row changes only through delivery. An admin may send a failed message again (it goes back to the
outbox as pending, attempts counted afresh). Addresses are masked; bodies are not shown (they carry codes)."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from liaison.privacy import mask_email, mask_phone

from .models import Notification
from .services import _queue


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "channel",
        "recipient",
        "masked_address",
        "subject",
        "status",
        "attempts",
        "last_error",
        "read_at",
    ]
    list_select_related = ["recipient"]
    list_filter = ["status", "channel", "kind"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "kind",
        "channel",
        "masked_address",
        "subject",
        "status",
        "attempts",
        "last_error",
        "sent_at",
        "read_at",
    ]
    readonly_fields = fields
    actions = ["send_again"]
    list_per_page = 50

    def has_module_permission(self, request) -> bool:
        """Messages go to people of every area, so only those who see the whole network read the log: a
        superuser, or a portal admin of a city or province (a county's admin sees a county, not the city's mail)."""
        user = request.user
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        area = getattr(user, "area", None)
        return (
            getattr(user, "is_portal_admin", False) and area is not None and area.tier in ("city", "province")
        )

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("地址"))
    def masked_address(self, obj: Notification) -> str:
        if obj.channel == Notification.Channel.SMS:
            return mask_phone(obj.address)
        if obj.channel == Notification.Channel.EMAIL:
            return mask_email(obj.address)
        return str(obj.recipient_id or "")

    @admin.action(description=_("重新发送所选的失败通知"))
    def send_again(self, request, queryset) -> None:
        if not self.has_module_permission(request):
            return
        with transaction.atomic():
            ids = list(queryset.filter(status=Notification.Status.FAILED).values_list("pk", flat=True))
            Notification.objects.filter(pk__in=ids).update(status=Notification.Status.PENDING, attempts=0)
            for pk in ids:
                transaction.on_commit(lambda pk=pk: _queue(pk))
        self.message_user(
            request,
            ngettext("%(n)d 条通知已重新排队发送。", "%(n)d 条通知已重新排队发送。", len(ids))
            % {"n": len(ids)},
            messages.SUCCESS,
        )
