"""The back office: the point table is edited here; the ledger is read-only (append-only, written by the
services); trainings are recorded here (attendees' entries written on save); report-backs are read here and
run from the workspace pages (their status belongs to the services)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from liaison.admin_history import ReadOnlyHistoryAdmin
from liaison.admin_scope import AreaScopedAdmin, ScopedPermissionsMixin

from .ledger import entries_reverse, entry_record
from .models import DutyEntry, DutyRule, Kind, ReportBack, SelfReport, Training


@admin.register(DutyRule)
class DutyRuleAdmin(ScopedPermissionsMixin, ReadOnlyHistoryAdmin):
    """The yearly point table: admins edit it; staff read it."""

    staff_may_view = False
    staff_may_edit = False
    list_display = ["year", "kind", "points"]
    list_filter = ["year", "kind"]
    list_editable = ["points"]

    def has_module_permission(self, request):
        return self._allowed(request, write=False)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, write=False)

    def has_add_permission(self, request):
        return self._allowed(request, write=True)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, write=True)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, write=True)


class _ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DutyEntry)
class DutyEntryAdmin(_ReadOnly, AreaScopedAdmin):
    area_field = "delegate__area"
    list_display = ["occurred_on", "delegate", "kind", "sign", "points", "note", "created_by"]
    list_filter = ["kind", "year"]
    list_select_related = ["delegate", "created_by"]
    search_fields = ["delegate__name", "note"]
    date_hierarchy = "occurred_on"


@admin.register(SelfReport)
class SelfReportAdmin(_ReadOnly, AreaScopedAdmin):
    area_field = "delegate__area"
    list_display = ["occurred_on", "delegate", "kind", "status", "reviewed_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["delegate", "reviewed_by"]
    search_fields = ["delegate__name", "note"]


@admin.register(Training)
class TrainingAdmin(AreaScopedAdmin):
    area_field = "area"
    list_display = ["held_on", "title", "area", "station"]
    list_select_related = ["area", "station"]
    search_fields = ["title"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["area", "station", "attendees"]
    exclude = ["created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Each attendee gets an entry (idempotent); an attendee removed gets a reversing one.
        t = form.instance
        before = set(t.attendees.values_list("pk", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        now = set(t.attendees.values_list("pk", flat=True))
        for pk in now:
            entry_record(
                delegate_id=pk, kind=Kind.TRAINING, source=t, occurred_on=t.held_on, actor=request.user
            )
        for pk in before - now:
            entries_reverse(source=t, delegate_id=pk, actor=request.user)


@admin.register(ReportBack)
class ReportBackAdmin(_ReadOnly, AreaScopedAdmin):
    area_field = "station__area"
    list_display = ["scheduled_on", "delegate", "station", "status", "attendance"]
    list_filter = ["status"]
    list_select_related = ["delegate", "station"]
    search_fields = ["delegate__name", "station__name"]

    @admin.display(description=_("满意率"))
    def rate(self, obj) -> str:
        r = obj.tally().rate
        return "" if r is None else f"{r:.0%}"
