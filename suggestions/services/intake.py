"""Intake on every channel: the web form, delegates, staff entry and the opinions of reception logs."""

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.acts import delegate_act
from liaison.codes import save_with_new_code
from liaison.errors import ValidationFailed
from liaison.notifications.services import Recipient, notify
from liaison.workdays import add_workdays
from stations.models import Area, Delegate, ReceptionLog, ReceptionLogItem, Station

from .. import search, stats
from ..conf import conf
from ..models import CODE_LENGTH, QueueRank, Suggestion, SuggestionPhoto
from ..photos import CheckedPhoto, check_photos
from ._common import K, _event, _text

# The time of day reception-log opinions carry when their reception day has no timetable.
RECEPTION_TIME = dt.time(9, 0)


def _resolve_area(
    area: Area | None, station: Station | None, delegate: Delegate | None, raised_by: Delegate | None
) -> Area:
    if station is not None:
        if not station.is_active:
            raise ValidationFailed({"station": [_("该联络站已停用。")]})
        if area is not None and not area.contains(station.area):
            raise ValidationFailed({"station": [_("所选联络站不在所选区划内。")]})
    if delegate is not None:
        if not delegate.is_active:
            raise ValidationFailed({"delegate": [_("该代表已不在任。")]})
        if station is not None and not station.memberships.filter(delegate=delegate).exists():
            raise ValidationFailed({"delegate": [_("该代表不在所选联络站。")]})
        if station is None and area is not None:
            if not (area.contains(delegate.area) or delegate.area.contains(area)):
                raise ValidationFailed({"delegate": [_("该代表不属于所选区划。")]})
    if station is not None:
        return station.area
    if area is not None:
        return area
    if delegate is not None:
        return delegate.area
    if raised_by is not None:
        return raised_by.area
    raise ValidationFailed({"area": [_("请选择区划、联络站或代表。")]})


def _create(s: Suggestion) -> Suggestion:
    """Insert `s` under a fresh tracking code; a reception item already made into a suggestion re-raises."""

    def save(code: str) -> Suggestion:
        s.tracking_code = code
        s.save(force_insert=True)
        return s

    def is_collision() -> bool:
        return not (
            s.reception_item_id and Suggestion.objects.filter(reception_item_id=s.reception_item_id).exists()
        )

    return save_with_new_code(save, length=CODE_LENGTH, is_collision=is_collision)


@transaction.atomic
def suggestion_submit(
    *,
    title: str,
    content: str,
    channel: str = Suggestion.Channel.WEB,
    category: str = Suggestion.Category.OTHER,
    area: Area | None = None,
    station: Station | None = None,
    delegate: Delegate | None = None,
    raised_by_delegate: Delegate | None = None,
    submitter_name: str = "",
    submitter_phone: str = "",
    submitter_email: str = "",
    photos: Sequence = (),
    actor=None,
    reception_item: ReceptionLogItem | None = None,
    raised_at: dt.datetime | None = None,
) -> Suggestion:
    """Intake on every channel. Photos may be uploaded files (checked here) or already checked ones.

    `raised_at`: when the constituent raised it, if earlier than now (a reception day logged afterwards); the
    suggestion carries that time, while the staff's triage deadline counts from today, when they receive it.
    """
    title = _text(title, field="title", label=_("标题"), max_length=conf.TITLE_MAX)
    content = _text(content, field="content", label=_("内容"), max_length=conf.CONTENT_MAX)
    if channel not in Suggestion.Channel.values:
        raise ValidationFailed({"channel": [_("未知的来源渠道。")]})
    if category not in Suggestion.Category.values:
        raise ValidationFailed({"category": [_("未知的类别。")]})
    if channel == Suggestion.Channel.DELEGATE and raised_by_delegate is None:
        raise ValidationFailed({"delegate": [_("代表提出的建议须注明代表。")]})
    checked = [p if isinstance(p, CheckedPhoto) else None for p in photos]
    if any(c is None for c in checked):
        checked = check_photos(photos)
    resolved = _resolve_area(area, station, delegate, raised_by_delegate)
    now = timezone.now()
    today = timezone.localdate(now)
    created = min(raised_at, now) if raised_at is not None else now
    triage_due = add_workdays(today, conf.TRIAGE_WORKDAYS)
    s = _create(
        Suggestion(
            title=title,
            content=content,
            channel=channel,
            category=category,
            area=resolved,
            station=station,
            delegate=delegate,
            raised_by_delegate=raised_by_delegate,
            reception_item=reception_item,
            submitter_name=(submitter_name or "").strip()[:50],
            submitter_phone=(submitter_phone or "").strip()[:20],
            submitter_email=(submitter_email or "").strip()[:254],
            triage_due=triage_due,
            step_from=today,
            step_due=triage_due,
            queue_rank=QueueRank.STAFF,
            search_text=search.index_text(title, content),
            created_at=created,
        )
    )
    for p in checked:
        photo = SuggestionPhoto(suggestion=s, ext=p.ext, width=p.width, height=p.height, size=p.size)
        photo.image.save(f"photo.{p.ext}", p.file, save=False)
        photo.save()
    _event(s, K.SUBMITTED, actor=actor, data={"channel": channel}, at=created)
    if channel == Suggestion.Channel.DELEGATE:
        delegate_act(
            delegate_id=raised_by_delegate.pk, kind="suggestion_raised", source=s, happened_at=created
        )
    if delegate is not None and channel == Suggestion.Channel.WEB:
        user = getattr(delegate, "user", None)
        if user is not None:
            notify(
                [Recipient(user=user)],
                kind="suggestion_to_delegate",
                key=f"suggestion-to-delegate:{s.pk}",
                subject=_("有群众给您提了意见建议：%(title)s") % {"title": s.title[:40]},
                link=reverse("suggestions-mine"),
            )
    return s


def suggestions_from_reception_log(*, log_id: int) -> list[Suggestion]:
    """Each opinion of a reception log becomes a suggestion (channel `reception`), once.

    Safe to run any number of times: the one-to-one link to the log item makes a second copy impossible,
    and a racing run's IntegrityError just skips that item.
    """
    log = (
        ReceptionLog.objects.select_related("station__area", "delegate", "reception_day")
        .filter(pk=log_id)
        .first()
    )
    if log is None:
        return []
    # The opinions were raised at the reception day, not when the delegate logged it.
    raised_at = dt.datetime.combine(
        log.held_on,
        log.reception_day.start_time if log.reception_day else RECEPTION_TIME,
        tzinfo=timezone.get_current_timezone(),
    )
    made = []
    for item in ReceptionLogItem.objects.filter(log=log, suggestion__isnull=True).order_by("position", "id"):
        content = item.content.strip()
        if not content:
            continue
        title = content.splitlines()[0][:40] or _("接待日意见")
        try:
            with transaction.atomic():
                made.append(
                    suggestion_submit(
                        title=title,
                        content=content[: conf.CONTENT_MAX],
                        channel=Suggestion.Channel.RECEPTION,
                        station=log.station,
                        delegate=log.delegate if log.delegate.is_active else None,
                        submitter_name=item.constituent_name,
                        submitter_phone=item.constituent_phone,
                        reception_item=item,
                        actor=log.created_by,
                        raised_at=raised_at,
                    )
                )
        except IntegrityError:
            continue  # another run made it first
        except ValidationFailed:
            # An inactive station or a delegate no longer on it: keep the opinion, addressed to the area.
            with transaction.atomic():
                made.append(
                    suggestion_submit(
                        title=title,
                        content=content[: conf.CONTENT_MAX],
                        channel=Suggestion.Channel.RECEPTION,
                        area=log.station.area,
                        submitter_name=item.constituent_name,
                        submitter_phone=item.constituent_phone,
                        reception_item=item,
                        actor=log.created_by,
                        raised_at=raised_at,
                    )
                )
    if made and made[0].created_at < stats.month_start(timezone.localdate()):
        # An earlier month's statistics cells count them at once (stats.received_count reads the months
        # before last from the cells): fold now rather than at the next beat.
        transaction.on_commit(stats.refresh)
    return made
