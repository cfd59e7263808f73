"""学习培训: staff record a training; each attendee gets an entry."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import NotFound, ValidationFailed
from liaison.scoping import user_sees_area
from stations.models import Area, Delegate, Station

from ..ledger import entry_record
from ..models import Kind, Training
from ._common import require_staff


@transaction.atomic
def training_create(
    *,
    title: str,
    held_on: dt.date,
    area: Area,
    attendees: Iterable[int],
    actor,
    station: Station | None = None,
    content: str = "",
) -> Training:
    require_staff(actor)
    if not user_sees_area(actor, area) or (station is not None and not user_sees_area(actor, station.area)):
        raise NotFound()
    title = (title or "").strip()
    if not title:
        raise ValidationFailed({"title": [_("请填写培训主题。")]})
    if held_on > timezone.localdate():
        raise ValidationFailed({"held_on": [_("培训日期不能晚于今天（培训举办后再登记）。")]})
    ids = list(dict.fromkeys(int(i) for i in attendees))
    if not ids:
        raise ValidationFailed({"attendees": [_("请选择参训代表。")]})
    delegates = list(Delegate.objects.select_related("area").filter(pk__in=ids))
    if len(delegates) != len(ids) or not all(user_sees_area(actor, d.area) for d in delegates):
        raise NotFound()
    t = Training.objects.create(
        title=title[:200],
        held_on=held_on,
        area=area,
        station=station,
        content=content or "",
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    t.attendees.set(delegates)
    for d in delegates:
        entry_record(delegate_id=d.pk, kind=Kind.TRAINING, source=t, occurred_on=held_on, actor=actor)
    return t
