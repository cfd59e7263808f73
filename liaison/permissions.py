"""The portal's DRF permission classes, one set for every app's API (stations, suggestions, voting, supervision).

They check the role only; which objects a user may reach is decided by the area scope of each selector
(`liaison.scoping.scope_to_area`, `user_sees_area`), and another area's object is a 404.

The superuser rule, the same on every API and every page: a superuser is staff and admin. Without an area it
sits at the root of the network (`area_path == ""`) and sees every area, like a portal admin of the whole
country; with an area it is scoped to that area's subtree like any admin. `User.is_area_staff` and
`User.is_portal_admin` already say so, so these classes (and the page decorators in `liaison.page_access`)
only read those two properties and never test `is_superuser` themselves.

Combine them with DRF's operators where an endpoint serves two roles, e.g. `[IsUnitUser | IsAreaStaff]`.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission


def _user(request):
    u = request.user
    return u if u is not None and u.is_authenticated else None


class IsAreaStaff(BasePermission):
    """Staff or admin with an area, or a superuser (see the module docstring)."""

    message = _("仅限人大或联络站工作人员。")

    def has_permission(self, request, view):
        u = _user(request)
        return bool(u and u.is_area_staff)


class IsPortalAdmin(BasePermission):
    """An admin with an area, or a superuser."""

    message = _("仅限管理员。")

    def has_permission(self, request, view):
        u = _user(request)
        return bool(u and u.is_portal_admin and u.area_path is not None)


class IsUnitUser(BasePermission):
    """A user of a handling unit (承办单位)."""

    message = _("仅限承办单位用户。")

    def has_permission(self, request, view):
        u = _user(request)
        return bool(u and u.is_unit_user)


class IsDelegateUser(BasePermission):
    """A user linked to a delegate (人大代表)."""

    message = _("仅限人大代表。")

    def has_permission(self, request, view):
        u = _user(request)
        return bool(u and u.is_delegate_user)
