from django.utils.translation import gettext as _

from liaison.errors import NotFound, NotPermitted
from liaison.scoping import user_sees_area
from stations.models import Delegate


def delegate_in_scope(user, delegate_id) -> Delegate:
    """The delegate, if it belongs to the staff user's subtree; another area's delegate is a 404."""
    d = Delegate.objects.select_related("area").filter(pk=delegate_id).first()
    if d is None or not user_sees_area(user, d.area):
        raise NotFound()
    return d


def require_staff(user) -> None:
    if not (getattr(user, "is_area_staff", False) or getattr(user, "is_superuser", False)):
        raise NotPermitted(_("仅限人大或联络站工作人员。"))
