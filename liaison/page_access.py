"""Role checks for page views: anonymous users go to the login page, users without the role get 403."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

NOT_PERMITTED = _("无权访问")


def role_required(check, message=NOT_PERMITTED):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Object-level checks (area subtree, own unit, own delegate) still happen in each view's selector or service.
staff_required = role_required(
    lambda u: u.is_area_staff, _("仅限人大或联络站工作人员使用。")
)
unit_required = role_required(lambda u: u.is_unit_user, _("仅限承办单位用户使用。"))
delegate_required = role_required(lambda u: u.is_delegate_user, _("仅限人大代表使用。"))
# Who votes: a delegate, or a member of a body (e.g. a street council's resident member) with an account.
voter_required = role_required(
    lambda u: u.is_delegate_user or u.is_body_member, _("仅限人大代表和议政代表会等机构的成员使用。")
)
admin_required = role_required(lambda u: u.is_portal_admin and u.area_path is not None, _("仅限管理员。"))
