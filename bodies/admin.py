from django.contrib import admin

from liaison.admin_scope import AreaScopedAdmin

from .models import Body, BodyMember


class BodyMemberInline(admin.TabularInline):
    model = BodyMember
    extra = 0
    fields = ["name", "sector", "delegate", "joined_on", "left_on", "left_reason"]
    readonly_fields = ["name", "sector", "delegate", "joined_on", "left_on", "left_reason"]
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False  # members are added through the workspace or the API (bodies.services.member_add)


@admin.register(Body)
class BodyAdmin(AreaScopedAdmin):
    staff_may_edit = False
    list_display = ["name", "kind", "area", "term", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    inlines = [BodyMemberInline]
