from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"

    def has_module_permission(self, request):
        return getattr(request.user, "is_portal_admin", False)

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: getattr(request.user, "is_portal_admin", False)
    )
