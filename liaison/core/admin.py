from django.contrib import admin

from liaison.admin_history import ReadOnlyHistoryAdmin
from liaison.workdays import calendar_changed

from .models import WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(ReadOnlyHistoryAdmin):
    """The working-day calendar has no area: portal admins keep it (history is for reading, as everywhere)."""

    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"

    def has_module_permission(self, request):
        return getattr(request.user, "is_portal_admin", False)

    # Dated plans made by the calendar (reception days) follow every change made here.
    def save_model(self, request, obj, form, change):
        before = form.initial.get("date") if change else None
        super().save_model(request, obj, form, change)
        calendar_changed([d for d in (before, obj.date) if d])

    def delete_model(self, request, obj):
        day = obj.date
        super().delete_model(request, obj)
        calendar_changed([day])

    def delete_queryset(self, request, queryset):
        days = list(queryset.values_list("date", flat=True))
        super().delete_queryset(request, queryset)
        calendar_changed(days)

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: getattr(request.user, "is_portal_admin", False)
    )
