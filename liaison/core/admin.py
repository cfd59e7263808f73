from django.contrib import admin

from liaison.accounts.admin_history import ReadOnlyHistoryAdmin

from .models import WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(ReadOnlyHistoryAdmin):
    """The working-day calendar has no area: portal admins keep it (history is for reading, as everywhere)."""

    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"

    def has_module_permission(self, request):
        return getattr(request.user, "is_portal_admin", False)

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: getattr(request.user, "is_portal_admin", False)
    )
