"""The portal's DRF permission classes, one set for every app's API.

They check the role only; which objects a user may reach is decided by the area scope of each selector
(liaison.scoping), and another area's object is a 404. A superuser without an area counts as staff and admin of
everything (its area_path is "").
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


def _user(request):
    u = request.user
    return u if u is not None and u.is_authenticated else None


class IsAreaStaff(BasePermission):
    """Staff or admin with an area, or a superuser."""

    message = _("仅限人大或联络站工作人员。")

    def has_permission(self, request, view):
        u = _user(request)
        return bool(u and u.is_active and (u.is_area_staff or u.is_superuser))


class IsPortalAdmin(BasePermission):
    """An admin with an area, or a superuser."""

    message = _("仅限管理员。")

    def has_permission(self, request, view):
        u = _user(request)
        return bool(u and u.is_portal_admin and u.area_path is not None)


class IsUnitUser(BasePermission):
    message = _("仅限承办单位用户。")

    def has_permission(self, request, view):
        u = _user(request)
        return bool(u and u.is_unit_user)


class IsDelegateUser(BasePermission):
    message = _("仅限人大代表。")

    def has_permission(self, request, view):
        u = _user(request)
        return bool(u and u.is_delegate_user)
