"""Back-office views, scoped by area (liaison.admin_scope.AreaScopedAdmin). Records change only through
services: the admin is read-only plus actions, and an action works on the selected suggestions only (the rating
windows that lapse are closed by the daily sweep, which is no back-office action: it spans every area)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from liaison.admin_scope import AreaScopedAdmin, run_service_action

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
class SuggestionAdmin(_ReadOnly, AreaScopedAdmin):
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
    actions = ["accept", "mark_key"]

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


@admin.register(Referral)
class ReferralAdmin(_ReadOnly, AreaScopedAdmin):
    area_field = "area"  # the suggestion's area, copied onto the referral
    list_display = ["suggestion", "unit", "role", "status", "round", "due", "overdue_at"]
    list_filter = ["status", "role"]
    list_select_related = ["suggestion", "unit"]
    raw_id_fields = ["suggestion"]


class _AdminsOnly(_ReadOnly, AreaScopedAdmin):
    """Replies, ratings and extension requests: admins of the area read them (staff work on the pages)."""

    staff_may_view = False


@admin.register(Reply)
class ReplyAdmin(_AdminsOnly):
    area_field = "suggestion__area"
    list_display = ["referral", "suggestion", "result", "at"]
    list_select_related = ["referral", "suggestion"]


@admin.register(Rating)
class RatingAdmin(_AdminsOnly):
    area_field = "suggestion__area"
    list_display = ["suggestion", "round", "rating"]
    list_select_related = ["suggestion"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(_AdminsOnly):
    area_field = "referral__area"
    list_display = ["referral", "requested_due", "status"]
    list_select_related = ["referral"]
