"""The user admin: portal admins manage the accounts of their subtree."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.admin_scope import AreaScopedAdmin

from .models import User


@admin.register(User)
class UserAdmin(AreaScopedAdmin, DjangoUserAdmin):
    """Admins manage the users of their subtree (a delegate's account belongs to the delegate's area)."""

    staff_may_view = False
    staff_may_edit = False
    contact_fields = ("phone",)
    list_display = [
        "username",
        "get_full_name",
        "role",
        "area",
        "unit",
        "delegate",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "is_active"]
    list_select_related = ["area", "unit", "delegate"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["area", "unit", "delegate"]
    ordering = ["username"]

    portal_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("last_name", "first_name", "email", "phone", "digest")}),
        (_("角色与管辖"), {"fields": ("role", "area", "unit", "delegate", "is_active")}),
        (_("登录记录"), {"fields": ("last_login", "date_joined")}),
    )
    portal_add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "password1", "password2", "role", "area", "unit", "delegate"),
            },
        ),
    )

    def get_queryset(self, request):
        qs = super(AreaScopedAdmin, self).get_queryset(request)
        user = request.user
        path = getattr(user, "area_path", None)
        if user.is_superuser and path == "":
            return qs
        if path is None or not user.is_area_staff:
            return qs.none()
        return qs.filter(Q(area__path__startswith=path) | Q(delegate__area__path__startswith=path))

    def area_path_of(self, obj) -> str | None:
        if obj.area_id:
            return obj.area.path
        if obj.delegate_id:
            return obj.delegate.area.path
        return None

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.portal_add_fieldsets if obj is None else self.portal_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.is_superuser else ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            # Portal admins cannot mint superusers; back-office access follows the role.
            obj.is_superuser = False
            obj.is_staff = obj.role in (User.Role.ADMIN, User.Role.STAFF)
            if obj.area_id is None and obj.delegate_id is None:
                obj.area = request.user.area
        super().save_model(request, obj, form, change)
