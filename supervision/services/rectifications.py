"""The rectification loop (整改), shared with the voting app's project evaluations.

Contract (keep these signatures):

    rectification_open(*, unit, area, source, title, content="", due=None, due_months=None, due_workdays=None,
                       opinion=None, assessment=None, follow_up_of=None, actor=None) -> Rectification
        source is Rectification.Source: "opinion" | "assessment" | "evaluation". Deadline: `due` if given, else
        `due_workdays` working days from today (liaison.workdays.add_workdays), else `due_months` calendar months
        (default conf.RECTIFICATION_MONTHS = 3) moved to the next working day. Notifies the unit's users.
    rectification_report(*, rectification_id, unit, content, actor=None)   open|overdue -> reported;
        raises NotFound (404) when `unit` is not the addressee.
    rectification_accept(*, rectification_id, actor)                       reported -> accepted
    rectification_return(*, rectification_id, reason, actor)               reported -> open
    rectifications_sweep(*, today=None) -> (reminded, overdue)             Celery beat: reminder N working days
        before the deadline and overdue warning to staff, each exactly once (claimed row + notify() dedupe key).

All of them lock the row, check the state under the lock, write, append an event row and queue notifications
through liaison.notifications (outbox rows in the same transaction).
"""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import InvalidTransition, ValidationFailed
from liaison.notifications.recipients import handling_staff_recipients, unit_recipients
from liaison.notifications.services import notify
from liaison.workdays import add_workdays
from stations.models import Area, HandlingUnit

from ..conf import conf
from ..models import Activity, Assessment, Opinion, Rectification, RectificationEvent
from ._common import NotFound, _link, _require, due_date


def _rect_event(r: Rectification, kind: str, *, actor=None, text: str = "") -> None:
    RectificationEvent.objects.create(
        rectification=r, kind=kind, actor=actor if getattr(actor, "pk", None) else None, text=text
    )


@transaction.atomic
def rectification_open(
    *,
    unit: HandlingUnit,
    area: Area,
    source: str,
    title: str,
    content: str = "",
    due: dt.date | None = None,
    due_months: int | None = None,
    due_workdays: int | None = None,
    opinion: Opinion | None = None,
    assessment: Assessment | None = None,
    follow_up_of: Rectification | None = None,
    actor=None,
) -> Rectification:
    if source not in Rectification.Source.values:
        raise ValidationFailed(_("未知的整改来源：%(source)s") % {"source": source})
    if source == Rectification.Source.OPINION and opinion is None:
        raise ValidationFailed(_("来源为审议意见的整改必须关联审议意见。"))
    if source != Rectification.Source.OPINION and assessment is None:
        raise ValidationFailed(_("来源为测评的整改必须关联测评。"))
    title = _require(title, _("请填写整改标题。"))[:200]
    r = Rectification.objects.create(
        unit=unit,
        area=area,
        source=source,
        title=title,
        content=content,
        due=due_date(due=due, due_months=due_months, due_workdays=due_workdays),
        opinion=opinion,
        assessment=assessment,
        follow_up_of=follow_up_of,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _rect_event(r, RectificationEvent.Kind.OPENED, actor=actor, text=_("整改期限：%(due)s") % {"due": r.due})
    notify(
        unit_recipients(unit),
        kind="rectification_opened",
        key=f"rect-opened:{r.pk}",
        subject=_("请按期整改：%(title)s（期限%(due)s）") % {"title": r.title, "due": r.due},
        body=content,
        link=_link("unit-rectification", r.pk),
    )
    return r


def _locked_rectification(pk: int) -> Rectification:
    try:
        return Rectification.objects.select_for_update().select_related("unit", "area").get(pk=pk)
    except Rectification.DoesNotExist:
        raise NotFound() from None


@transaction.atomic
def rectification_report(
    *, rectification_id: int, unit: HandlingUnit, content: str, actor=None
) -> Rectification:
    r = _locked_rectification(rectification_id)
    if unit is None or r.unit_id != unit.pk:
        raise NotFound()
    if r.status not in (Rectification.Status.OPEN, Rectification.Status.OVERDUE):
        raise InvalidTransition(
            _("该整改当前为“%(status)s”，不能报送整改报告。") % {"status": r.get_status_display()}
        )
    r.report = _require(content, _("请填写整改报告。"))
    r.status = Rectification.Status.REPORTED
    r.reported_at = timezone.now()
    r.save(update_fields=["report", "status", "reported_at"])
    _rect_event(r, RectificationEvent.Kind.REPORTED, actor=actor, text=r.report)
    round_no = r.events.filter(kind=RectificationEvent.Kind.REPORTED).count()
    notify(
        handling_staff_recipients(r.area),
        kind="rectification_reported",
        key=f"rect-reported:{r.pk}:{round_no}",
        subject=_("%(unit)s报送了整改报告：%(title)s") % {"unit": r.unit.name, "title": r.title},
        link=_link("staff-rectification", r.pk),
    )
    return r


@transaction.atomic
def rectification_accept(*, rectification_id: int, actor) -> Rectification:
    r = _locked_rectification(rectification_id)
    if r.status == Rectification.Status.ACCEPTED:
        return r
    if r.status != Rectification.Status.REPORTED:
        raise InvalidTransition(_("只有已报送整改报告的整改才能验收。"))
    r.status = Rectification.Status.ACCEPTED
    r.accepted_at = timezone.now()
    r.save(update_fields=["status", "accepted_at"])
    _rect_event(r, RectificationEvent.Kind.ACCEPTED, actor=actor)
    notify(
        unit_recipients(r.unit),
        kind="rectification_accepted",
        key=f"rect-accepted:{r.pk}",
        subject=_("整改已验收：%(title)s") % {"title": r.title},
        link=_link("unit-rectification", r.pk),
    )
    return r


@transaction.atomic
def rectification_return(*, rectification_id: int, reason: str, actor) -> Rectification:
    reason = _require(reason, _("请填写退回理由。"))
    r = _locked_rectification(rectification_id)
    if r.status != Rectification.Status.REPORTED:
        raise InvalidTransition(_("只有已报送整改报告的整改才能退回。"))
    r.status = Rectification.Status.OPEN
    r.return_reason = reason[:1000]
    r.save(update_fields=["status", "return_reason"])
    _rect_event(r, RectificationEvent.Kind.RETURNED, actor=actor, text=reason)
    round_no = r.events.filter(kind=RectificationEvent.Kind.RETURNED).count()
    notify(
        unit_recipients(r.unit),
        kind="rectification_returned",
        key=f"rect-returned:{r.pk}:{round_no}",
        subject=_("整改报告被退回：%(title)s") % {"title": r.title},
        body=reason,
        link=_link("unit-rectification", r.pk),
    )
    return r


def rectification_remind(*, rectification_id: int, today: dt.date | None = None) -> bool:
    """Remind the unit of an approaching deadline, once per due date. True when a reminder was written."""
    today = today or timezone.localdate()
    with transaction.atomic():
        # The claim: only one caller moves reminded_for to this due date.
        claimed = (
            Rectification.objects.filter(pk=rectification_id, status=Rectification.Status.OPEN)
            .exclude(reminded_for=F("due"))
            .update(reminded_for=F("due"))
        )
        if claimed != 1:
            return False
        r = Rectification.objects.select_related("unit").get(pk=rectification_id)
        _rect_event(r, RectificationEvent.Kind.REMINDED, text=_("整改期限：%(due)s") % {"due": r.due})
        notify(
            unit_recipients(r.unit),
            kind="rectification_reminder",
            key=f"rect-reminder:{r.pk}:{r.due}",
            subject=_("整改即将到期（%(due)s）：%(title)s") % {"due": r.due, "title": r.title},
            link=_link("unit-rectification", r.pk),
        )
    return True


def rectification_mark_overdue(*, rectification_id: int, today: dt.date | None = None) -> bool:
    """open past its deadline -> overdue, with one warning to the supervising staff."""
    today = today or timezone.localdate()
    with transaction.atomic():
        r = _locked_rectification(rectification_id)
        if r.status != Rectification.Status.OPEN or r.due >= today:
            return False
        r.status = Rectification.Status.OVERDUE
        r.save(update_fields=["status"])
        _rect_event(r, RectificationEvent.Kind.OVERDUE)
        notify(
            handling_staff_recipients(r.area),
            kind="rectification_overdue",
            key=f"rect-overdue:{r.pk}:{r.due}",
            subject=_("整改已逾期：%(unit)s“%(title)s”（期限%(due)s）")
            % {"unit": r.unit.name, "title": r.title, "due": r.due},
            link=_link("staff-rectification", r.pk),
        )
    return True


def rectifications_sweep(*, today: dt.date | None = None) -> tuple[int, int]:
    """Beat job: reminders before the deadline and overdue warnings. Safe to run any number of times."""
    today = today or timezone.localdate()
    horizon = add_workdays(today, conf.REMINDER_WORKDAYS)
    open_ = Rectification.objects.filter(status=Rectification.Status.OPEN)
    reminded = 0
    for pk in (
        open_.filter(due__gte=today, due__lte=horizon)
        .exclude(reminded_for=F("due"))
        .values_list("pk", flat=True)
    ):
        reminded += rectification_remind(rectification_id=pk, today=today)
    overdue = 0
    for pk in open_.filter(due__lt=today).values_list("pk", flat=True):
        overdue += rectification_mark_overdue(rectification_id=pk, today=today)
    return reminded, overdue


@transaction.atomic
def rectification_schedule_follow_up(
    *, rectification_id: int, actor, title: str = "", starts_at: dt.datetime | None = None, place: str = ""
) -> Activity:
    """回头看: a follow-up inspection of a rectification."""
    r = _locked_rectification(rectification_id)
    activity = Activity.objects.create(
        kind=Activity.Kind.INSPECTION,
        title=(title or _("“%(title)s”整改情况回头看") % {"title": r.title})[:200],
        area=r.area,
        starts_at=starts_at,
        place=place,
        follow_up_of=r,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    activity.units.add(r.unit)
    _rect_event(r, RectificationEvent.Kind.FOLLOW_UP, actor=actor, text=activity.title)
    return activity
