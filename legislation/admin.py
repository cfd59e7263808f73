"""Back office for legislation, scoped by area (liaison.admin_scope.AreaScopedAdmin). Drafts are created by
pasting text on the staff pages (the split needs checking); here their status is read-only and moves through
the actions. Experts and information officers are plain records of a contact point."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from liaison.admin_scope import CHOICE_SCOPES, AreaScopedAdmin, ScopedInline, run_service_action

from .models import Draft, DraftAssignment, Expert, Forum, Informant, Opinion
from .services.compilation import opinion_forward
from .services.drafts import draft_close, draft_open

CHOICE_SCOPES.update({"legislation.draft": "area", "legislation.forum": "station__area"})


class AssignmentInline(ScopedInline, admin.TabularInline):
    model = DraftAssignment
    extra = 0
    autocomplete_fields = ["station"]


@admin.register(Draft)
class DraftAdmin(AreaScopedAdmin):
    list_display = ["title", "stage", "issuer", "area", "status", "opens_on", "closes_on"]
    list_filter = ["status"]
    list_select_related = ["area"]
    search_fields = ["title"]
    readonly_fields = [
        "status",
        "previous",
        "source_text",
        "preamble",
        "created_by",
        "opened_at",
        "reported_at",
        "feedback_published_at",
    ]
    autocomplete_fields = ["area"]
    inlines = [AssignmentInline]
    actions = ["open_drafts", "close_drafts"]

    def has_add_permission(self, request):
        return False  # a draft is created by pasting its text on the staff page, which splits it

    @admin.action(description=_("公开征求意见"))
    def open_drafts(self, request, queryset):
        run_service_action(self, request, queryset, lambda d: draft_open(user=request.user, draft_id=d.pk))

    @admin.action(description=_("结束征求意见"))
    def close_drafts(self, request, queryset):
        run_service_action(self, request, queryset, lambda d: draft_close(user=request.user, draft_id=d.pk))


@admin.register(Expert)
class ExpertAdmin(AreaScopedAdmin):
    area_field = "station__area"
    list_display = ["name", "field", "organisation", "station", "is_active"]
    list_select_related = ["station"]
    search_fields = ["name"]
    autocomplete_fields = ["station"]


@admin.register(Informant)
class InformantAdmin(AreaScopedAdmin):
    area_field = "station__area"
    staff_may_edit = False  # accounts are managed by admins
    list_display = ["user", "station"]
    list_select_related = ["user", "station"]
    autocomplete_fields = ["station"]
    raw_id_fields = ["user"]


@admin.register(Forum)
class ForumAdmin(AreaScopedAdmin):
    area_field = "station__area"
    list_display = ["draft", "station", "held_on", "attendance"]
    list_select_related = ["draft", "station"]
    readonly_fields = ["draft", "station", "created_by"]

    def has_add_permission(self, request):
        return False  # with its opinions, on the staff page or the API


@admin.register(Opinion)
class OpinionAdmin(AreaScopedAdmin):
    area_field = "draft__area"
    list_display = ["tracking_code", "draft", "article", "source", "status", "outcome", "created_at"]
    list_filter = ["status", "source", "outcome"]
    list_select_related = ["draft", "article"]
    search_fields = ["tracking_code"]
    fields = ["tracking_code", "draft", "article", "source", "station", "content", "status", "outcome"]
    readonly_fields = fields
    actions = ["forward"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("采用上报"))
    def forward(self, request, queryset):
        run_service_action(
            self, request, queryset, lambda o: opinion_forward(user=request.user, opinion_id=o.pk)
        )
