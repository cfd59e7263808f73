"""What the voting services share: id coercion and the roster check."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from liaison.errors import ValidationFailed
from stations.models import Delegate

User = get_user_model()


def _pk(obj) -> int:
    return obj.pk if hasattr(obj, "pk") else int(obj)


def _active_delegates(ids: list[int]) -> list[int]:
    found = set(Delegate.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(_("以下代表不存在或不在任：%(ids)s") % {"ids": ", ".join(map(str, missing))})
    return ids
