"""What the legislation services share: locks, the scope checks and the required-text rule."""

from django.utils.translation import gettext as _

from liaison.errors import NotFound, NotPermitted, ValidationFailed
from liaison.scoping import user_sees_area

from ..models import MAX_OPINION_CHARS, Draft, Opinion


def locked_draft(pk: int) -> Draft:
    try:
        return Draft.objects.select_for_update().select_related("area").get(pk=pk)
    except (Draft.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def locked_opinion(pk: int) -> Opinion:
    try:
        return Opinion.objects.select_for_update().select_related("draft__area").get(pk=pk)
    except (Opinion.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def require_staff_of(user, draft: Draft) -> None:
    """Staff act on drafts organised in their area subtree; another area's draft is a 404."""
    if not user_sees_area(user, draft.area):
        raise NotFound()


def station_of_informant(user):
    informant = getattr(user, "informant", None) if getattr(user, "is_informant", False) else None
    return informant.station if informant is not None else None


def require_station(user, station) -> None:
    """A station the user may record opinions and forums for: in a staff user's subtree, or an information
    officer's own point."""
    if getattr(user, "is_informant", False):
        if station_of_informant(user) is None or station_of_informant(user).pk != station.pk:
            raise NotPermitted(_("立法信息员只能为本联系点录入。"))
        return
    if not user_sees_area(user, station.area):
        raise ValidationFailed({"station": [_("该联系点不在您的管辖范围内。")]})


def clean_content(text: str, field: str = "content") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed({field: [_("请填写意见内容。")]})
    if len(text) > MAX_OPINION_CHARS:
        message = _("意见内容不能超过%(n)d字。") % {"n": MAX_OPINION_CHARS}
        raise ValidationFailed({field: [message]})
    return text
