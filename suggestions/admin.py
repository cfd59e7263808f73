"""Back-office views. Records change only through services: the admin is read-only plus actions."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from liaison.accounts.admin import run_service_action
from liaison.accounts.scoping import scope_to_area

from .jobs import suggestion_close_expired
from .models import ExtensionRequest, Rating, Referral, Reply, Suggestion, SuggestionEvent
from .services.triage import suggestion_accept, suggestion_mark_key


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReferralInline(_ReadOnly, admin.TabularInline):
    model = Referral
    fields = ["unit", "role", "status", "round", "due", "replied_at"]
    readonly_fields = fields
    extra = 0


class EventInline(_ReadOnly, admin.TabularInline):
    model = SuggestionEvent
    fields = ["at", "kind", "actor", "public", "note"]
    readonly_fields = fields
    extra = 0


@admin.register(Suggestion)
class SuggestionAdmin(_ReadOnly, SimpleHistoryAdmin):
    list_display = [
        "tracking_code",
        "title",
        "status",
        "channel",
        "category",
        "area",
        "is_key",
        "is_overdue",
        "created_at",
    ]
    list_filter = ["status", "channel", "category", "is_key", "is_overdue"]
    search_fields = ["tracking_code", "title"]
    list_select_related = ["area"]
    date_hierarchy = "created_at"
    exclude = ["submitter_name", "submitter_phone", "submitter_email", "search_text"]
    inlines = [ReferralInline, EventInline]
    actions = ["accept", "mark_key", "close_expired"]

    def has_view_permission(self, request, obj=None):
        return getattr(request.user, "is_area_staff", False) or request.user.is_superuser

    def get_queryset(self, request):
        return scope_to_area(super().get_queryset(request), request.user)

    @admin.action(description=_("受理所选意见建议"))
    def accept(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda s: suggestion_accept(suggestion_id=s.pk, actor=request.user),
            _("已受理 %(n)s 件。"),
        )

    @admin.action(description=_("标记为重点"))
    def mark_key(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda s: suggestion_mark_key(suggestion_id=s.pk, is_key=True, actor=request.user),
        )

    @admin.action(description=_("办结评价期满的意见建议"))
    def close_expired(self, request, queryset):
        n = suggestion_close_expired()
        self.message_user(request, _("已办结 %(n)s 件。") % {"n": n})


@admin.register(Referral)
class ReferralAdmin(_ReadOnly, SimpleHistoryAdmin):
    list_display = ["suggestion", "unit", "role", "status", "round", "due", "overdue_at"]
    list_filter = ["status", "role"]
    list_select_related = ["suggestion", "unit"]
    raw_id_fields = ["suggestion"]

    def has_view_permission(self, request, obj=None):
        return getattr(request.user, "is_area_staff", False) or request.user.is_superuser

    def get_queryset(self, request):
        return scope_to_area(super().get_queryset(request), request.user, "suggestion__area")


@admin.register(Reply, Rating, ExtensionRequest)
class PlainReadOnlyAdmin(_ReadOnly, SimpleHistoryAdmin):
    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or getattr(request.user, "is_portal_admin", False)
