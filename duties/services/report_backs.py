"""述职评议: `scheduled → held → closed`. Constituents rate a held report-back for a window of days: online,
one rating per phone confirmed by an SMS code (supervision's code machinery), or on paper, entered as counts
by one staff user and confirmed by another."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import Conflict, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from liaison.satisfaction import Satisfaction
from liaison.scoping import user_sees_area
from stations.models import Station
from supervision.models import SmsCode
from supervision.services.sms_codes import sms_code_claim, sms_code_refused

from ..ledger import entry_record
from ..models import Kind, ReportBack, ReportBackRating
from ._common import delegate_in_scope, require_staff


def rating_days() -> int:
    return int(getattr(settings, "DUTIES_REPORT_BACK_RATING_DAYS", 7))


@transaction.atomic
def report_back_schedule(*, delegate_id, station: Station, scheduled_on: dt.date, actor) -> ReportBack:
    require_staff(actor)
    delegate = delegate_in_scope(actor, delegate_id)
    if not user_sees_area(actor, station.area):
        raise NotFound()
    if not station.memberships.filter(delegate=delegate).exists():
        raise ValidationFailed({"station": [_("该代表不是这个联络站的进站代表。")]})
    return ReportBack.objects.create(
        delegate=delegate, station=station, scheduled_on=scheduled_on, created_by=actor
    )


def _locked(report_back_id: int) -> ReportBack:
    rb = (
        ReportBack.objects.select_for_update()
        .select_related("station__area", "delegate")
        .filter(pk=report_back_id)
    )
    rb = rb.first()
    if rb is None:
        raise NotFound()
    return rb


def _staff_locked(report_back_id: int, actor) -> ReportBack:
    rb = _locked(report_back_id)
    if not user_sees_area(actor, rb.station.area):
        raise NotFound()
    return rb


@transaction.atomic
def report_back_hold(*, report_back_id: int, report: str, attendance: int, actor) -> ReportBack:
    """Record the meeting (report text, attendance); the rating window opens, the act enters the ledger."""
    rb = _locked(report_back_id)
    is_delegate = getattr(actor, "delegate_id", None) == rb.delegate_id
    if not is_delegate and not user_sees_area(actor, rb.station.area):
        raise NotFound()
    if rb.status != ReportBack.Status.SCHEDULED:
        raise InvalidTransition(_("该述职已经举行。"))
    if rb.scheduled_on > timezone.localdate():
        raise InvalidTransition(_("述职日期还没到，举行后再登记。"))
    report = (report or "").strip()
    if not report:
        raise ValidationFailed({"report": [_("请填写述职报告。")]})
    if attendance is None or int(attendance) < 0:
        raise ValidationFailed({"attendance": [_("请填写参会人数。")]})
    now = timezone.now()
    rb.status, rb.report, rb.attendance = ReportBack.Status.HELD, report, int(attendance)
    rb.held_at, rb.rating_closes_at = now, now + dt.timedelta(days=rating_days())
    rb.save(update_fields=["status", "report", "attendance", "held_at", "rating_closes_at"])
    entry_record(
        delegate_id=rb.delegate_id, kind=Kind.REPORT_BACK, source=rb, occurred_on=rb.scheduled_on, actor=actor
    )
    return rb


def report_back_rate(
    *, report_back_id: int, phone: str, code: str, rating: str, now=None
) -> ReportBackRating:
    """One online rating per phone, while the window is open. Wrong code: 400; twice or outside: 409."""
    now = now or timezone.now()
    if rating not in Satisfaction.values:
        raise ValidationFailed({"rating": [_("评价只能是满意、基本满意或不满意。")]})
    try:
        with transaction.atomic():
            rb = _locked(report_back_id)
            if rb.status != ReportBack.Status.HELD or not rb.rating_closes_at or now >= rb.rating_closes_at:
                raise InvalidTransition(_("该述职不在评议时间内。"))
            p_hash = sms_code_claim(phone=phone, code=code, purpose=SmsCode.Purpose.REPORT_BACK, now=now)
            try:
                with transaction.atomic():
                    made = ReportBackRating.objects.create(report_back=rb, phone_hash=p_hash, rating=rating)
            except IntegrityError:
                raise Conflict(_("该手机号已经评价过这次述职。"), code="already_rated") from None
            field = f"online_{rating}"
            ReportBack.objects.filter(pk=rb.pk).update(**{field: F(field) + 1})
            return made
    except ValidationFailed as exc:
        if "code" in (exc.field_errors or {}):
            sms_code_refused(phone=phone, code=code, purpose=SmsCode.Purpose.REPORT_BACK, now=now)
        raise


def _counts(satisfied, basically_satisfied, unsatisfied) -> tuple[int, int, int]:
    try:
        values = tuple(int(v) for v in (satisfied, basically_satisfied, unsatisfied))
    except (TypeError, ValueError):
        raise ValidationFailed(_("请填写三项票数（非负整数）。")) from None
    if any(v < 0 or v > 100000 for v in values):
        raise ValidationFailed(_("票数须为 0 到 100000 之间的整数。"))
    return values


@transaction.atomic
def paper_tally_enter(
    *, report_back_id: int, satisfied: int, basically_satisfied: int, unsatisfied: int, actor
) -> ReportBack:
    """One staff user enters the paper forms' counts; they count once a second staff user confirms them.
    Entering again (before confirmation) replaces the counts and needs a new confirmation."""
    require_staff(actor)
    rb = _staff_locked(report_back_id, actor)
    if rb.status == ReportBack.Status.SCHEDULED:
        raise InvalidTransition(_("述职举行后才能录入纸质评议票。"))
    if rb.paper_confirmed:
        raise InvalidTransition(_("纸质评议票已确认，不能再修改。"))
    rb.paper_satisfied, rb.paper_basically_satisfied, rb.paper_unsatisfied = _counts(
        satisfied, basically_satisfied, unsatisfied
    )
    rb.paper_entered_by = actor
    rb.save(
        update_fields=[
            "paper_satisfied",
            "paper_basically_satisfied",
            "paper_unsatisfied",
            "paper_entered_by",
        ]
    )
    return rb


@transaction.atomic
def paper_tally_confirm(*, report_back_id: int, actor) -> ReportBack:
    require_staff(actor)
    rb = _staff_locked(report_back_id, actor)
    if rb.paper_entered_by_id is None or rb.paper_satisfied is None:
        raise InvalidTransition(_("还没有录入纸质评议票。"))
    if rb.paper_confirmed:
        return rb
    if rb.paper_entered_by_id == actor.pk:
        raise NotPermitted(_("纸质评议票须由另一位工作人员核对确认。"), code="second_user_required")
    rb.paper_confirmed_by, rb.paper_confirmed_at = actor, timezone.now()
    rb.save(update_fields=["paper_confirmed_by", "paper_confirmed_at"])
    return rb


@transaction.atomic
def report_back_close(*, report_back_id: int, now=None) -> ReportBack:
    """Close the rating once its window has passed (idempotent; the sweep and the result read call it)."""
    now = now or timezone.now()
    rb = _locked(report_back_id)
    if rb.status == ReportBack.Status.HELD and rb.rating_closes_at and now >= rb.rating_closes_at:
        rb.status = ReportBack.Status.CLOSED
        rb.save(update_fields=["status"])
    return rb


def report_backs_close_due(*, now=None) -> int:
    now = now or timezone.now()
    due = ReportBack.objects.filter(status=ReportBack.Status.HELD, rating_closes_at__lte=now).values_list(
        "pk", flat=True
    )
    return sum(report_back_close(report_back_id=pk, now=now).status == ReportBack.Status.CLOSED for pk in due)
