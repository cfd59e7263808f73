"""What the voting services share: id coercion, the roster check and who gets the unit and staff notices."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from liaison.errors import ValidationFailed
from liaison.notifications.services import Recipient
from stations.models import Area, Delegate, HandlingUnit

from .. import selectors

User = get_user_model()


def _pk(obj) -> int:
    return obj.pk if hasattr(obj, "pk") else int(obj)


def _active_delegates(ids: list[int]) -> list[int]:
    found = set(Delegate.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(_("以下代表不存在或不在任：%(ids)s") % {"ids": ", ".join(map(str, missing))})
    return ids


def _unit_recipients(unit: HandlingUnit) -> list[Recipient]:
    out = [Recipient(user=u) for u in User.objects.filter(unit=unit, role=User.Role.UNIT, is_active=True)]
    if unit.contact_email:
        out.append(Recipient(email=unit.contact_email))
    return out


def _staff_recipients(area: Area) -> list[Recipient]:
    """Staff and admins whose area is the project's area or above it."""
    users = User.objects.filter(
        role__in=[User.Role.STAFF, User.Role.ADMIN],
        is_active=True,
        area__path__in=selectors.ancestor_paths(area.path),
    )
    return [Recipient(user=u) for u in users]
