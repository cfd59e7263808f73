"""Every write in supervision. The rectification loop and the satisfaction vote are shared with the voting app.

Contract (the voting app's project evaluation relies on it; keep these signatures):

    rectification_open(*, unit, area, source, title, content="", due=None, due_months=None, due_workdays=None,
                       opinion=None, assessment=None, follow_up_of=None, actor=None) -> Rectification
        source is Rectification.Source: "opinion" | "assessment" | "evaluation". Deadline: `due` if given, else
        `due_workdays` working days from today (liaison.workdays.add_workdays), else `due_months` calendar months
        (default conf.rectification_months() = 3) moved to the next working day. Notifies the unit's users.
    rectification_report(*, rectification_id, unit, content, actor=None)   open|overdue -> reported;
        raises NotFound (404) when `unit` is not the addressee.
    rectification_accept(*, rectification_id, actor)                       reported -> accepted
    rectification_return(*, rectification_id, reason, actor)               reported -> open
    rectifications_sweep(*, today=None) -> (reminded, overdue)             Celery beat: reminder N working days
        before the deadline and overdue warning to staff, each exactly once (claimed row + notify() dedupe key).

    assessment_create(*, title, area, unit, subject, roll, actor=None, activity=None, rectification=None,
                      unsatisfied_share=0.5) -> Assessment                 subject: Assessment.Subject values
    assessment_open(*, assessment_id, actor=None) -> Assessment            draft -> open (needs a roll)
    assessment_vote(*, assessment_id, delegate, choice) -> AssessmentVote  NotPermitted (403) off the roll,
        AlreadyVoted (409) for a second vote (a DB UniqueConstraint backs it), InvalidTransition (409) unless open,
        ValidationFailed (400) for a choice outside liaison.satisfaction.Satisfaction.
    assessment_close(*, assessment_id, actor=None) -> Assessment           open -> closed; stores counts, rate and
        outcome; when SatisfactionTally.is_unsatisfied(a.unsatisfied_share) it calls rectification_open(
        source="evaluation" if subject == "project" else "assessment", assessment=a, unit=a.unit, area=a.area,
        due_months=a.rectification_months, follow_up_of=a.rectification). The new rectification is
        `a.rectifications.first()`.
    assessment_result(*, assessment_id) -> SatisfactionTally               counted from the stored votes

All of them lock the row, check the state under the lock, write, append an event/history row and queue
notifications through liaison.notifications (outbox rows in the same transaction).
"""

import calendar
import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.errors import (
    AlreadyVoted,
    Conflict,
    DomainError,
    InvalidTransition,
    NotPermitted,
    ValidationFailed,
)
from liaison.notifications.services import Recipient, notify
from liaison.privacy import normalise_phone
from liaison.satisfaction import Satisfaction, SatisfactionTally
from liaison.workdays import add_workdays, next_workday
from stations.models import Area, Delegate, HandlingUnit

from . import conf
from .models import (
    Activity,
    ActivityRecord,
    Assessment,
    AssessmentVote,
    Clue,
    ClueRequest,
    CollectionWindow,
    Opinion,
    Question,
    Rectification,
    RectificationEvent,
    SmsCode,
    SupervisionPlan,
    Topic,
    TopicSupport,
)

logger = logging.getLogger(__name__)


class NotFound(DomainError):
    """What the caller may not see: reported as 404, never revealing that the object exists."""

    code = "not_found"
    status_code = 404
    default_message = gettext_lazy("未找到。")


# --- helpers ---------------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(
    *,
    due: dt.date | None = None,
    due_months: int | None = None,
    due_workdays: int | None = None,
    today: dt.date | None = None,
) -> dt.date:
    if due is not None:
        return due
    today = today or timezone.localdate()
    if due_workdays is not None:
        if due_workdays < 1:
            raise ValidationFailed(_("整改期限必须至少为1个工作日。"))
        return add_workdays(today, due_workdays)
    months = conf.rectification_months() if due_months is None else due_months
    if months < 1:
        raise ValidationFailed(_("整改期限必须至少为1个月。"))
    return next_workday(add_months(today, months))


def _link(name: str, pk: int) -> str:
    return reverse(f"supervision:{name}", args=[pk])


def unit_recipients(unit: HandlingUnit) -> list[Recipient]:
    from liaison.accounts.models import User

    users = User.objects.filter(unit=unit, is_active=True, role=User.Role.UNIT)
    recipients = [Recipient(user=u) for u in users]
    if not recipients and unit.contact_email:
        recipients.append(Recipient(email=unit.contact_email))
    return recipients


def staff_recipients(area: Area) -> list[Recipient]:
    """Staff of the area itself, or of the nearest area above it that has staff."""
    from liaison.accounts.models import User

    codes = [c for c in area.path.split("/") if c]
    staff = list(
        User.objects.filter(
            is_active=True, role__in=[User.Role.STAFF, User.Role.ADMIN], area__code__in=codes
        ).select_related("area")
    )
    if not staff:
        return []
    nearest = max(len(u.area.path) for u in staff)
    return [Recipient(user=u) for u in staff if len(u.area.path) == nearest]


def _require(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(message)
    return text


# --- rectification ----------------------------------------------------------------------------------------


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
        staff_recipients(r.area),
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
            staff_recipients(r.area),
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
    horizon = add_workdays(today, conf.reminder_workdays())
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


# --- assessment (满意度测评): the one satisfaction vote ---------------------------------------------------


@transaction.atomic
def assessment_create(
    *,
    title: str,
    area: Area,
    unit: HandlingUnit,
    subject: str,
    roll: Iterable[Delegate],
    actor=None,
    activity: Activity | None = None,
    rectification: Rectification | None = None,
    unsatisfied_share: float = 0.5,
) -> Assessment:
    if subject not in Assessment.Subject.values:
        raise ValidationFailed(_("未知的测评对象：%(subject)s") % {"subject": subject})
    if not 0 < unsatisfied_share < 1:
        raise ValidationFailed(_("不满意比例必须在0和1之间。"))
    a = Assessment.objects.create(
        title=_require(title, _("请填写测评名称。"))[:200],
        area=area,
        unit=unit,
        subject=subject,
        activity=activity,
        rectification=rectification,
        unsatisfied_share=unsatisfied_share,
        rectification_months=conf.rectification_months(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    a.roll.set(list(roll))
    return a


def _locked_assessment(pk: int) -> Assessment:
    try:
        return Assessment.objects.select_for_update().get(pk=pk)
    except Assessment.DoesNotExist:
        raise NotFound() from None


@transaction.atomic
def assessment_open(*, assessment_id: int, actor=None) -> Assessment:
    a = _locked_assessment(assessment_id)
    if a.status == Assessment.Status.OPEN:
        return a
    if a.status != Assessment.Status.DRAFT:
        raise InvalidTransition(_("测评已结束，不能再次开始。"))
    if not a.roll.exists():
        raise InvalidTransition(_("测评人员名单为空，不能开始测评。"))
    a.status = Assessment.Status.OPEN
    a.opened_at = timezone.now()
    a.save(update_fields=["status", "opened_at"])
    from liaison.accounts.models import User

    voters = User.objects.filter(delegate__in=a.roll.all(), is_active=True)
    notify(
        [Recipient(user=u) for u in voters],
        kind="assessment_open",
        key=f"assessment-open:{a.pk}",
        subject=_("请参加满意度测评：%(title)s") % {"title": a.title},
        link=_link("assessment-vote", a.pk),
    )
    return a


def assessment_vote(*, assessment_id: int, delegate: Delegate, choice: str) -> AssessmentVote:
    if choice not in Satisfaction.values:
        raise ValidationFailed(_("评价只能是满意、基本满意或不满意。"))
    if delegate is None:
        raise NotPermitted(_("您不在本次测评人员名单中。"))
    with transaction.atomic():
        # The row lock orders votes against close: no vote lands after the tally.
        a = _locked_assessment(assessment_id)
        if a.status != Assessment.Status.OPEN:
            raise InvalidTransition(_("测评未在进行中，不能投票。"))
        if not a.roll.filter(pk=delegate.pk).exists():
            raise NotPermitted(_("您不在本次测评人员名单中。"))
        try:
            with transaction.atomic():
                return AssessmentVote.objects.create(assessment=a, delegate=delegate, choice=choice)
        except IntegrityError:
            raise AlreadyVoted() from None


def assessment_result(*, assessment_id: int) -> SatisfactionTally:
    counts = dict(
        AssessmentVote.objects.filter(assessment_id=assessment_id)
        .values_list("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    return SatisfactionTally.from_counts(counts)


@transaction.atomic
def assessment_close(*, assessment_id: int, actor=None) -> Assessment:
    a = _locked_assessment(assessment_id)
    if a.status == Assessment.Status.CLOSED:
        return a
    if a.status != Assessment.Status.OPEN:
        raise InvalidTransition(_("测评尚未开始，不能结束。"))
    tally = assessment_result(assessment_id=a.pk)
    a.status = Assessment.Status.CLOSED
    a.closed_at = timezone.now()
    a.satisfied_count = tally.satisfied
    a.basically_satisfied_count = tally.basically_satisfied
    a.unsatisfied_count = tally.unsatisfied
    a.rate = tally.rate
    unsatisfied = tally.is_unsatisfied(a.unsatisfied_share)
    a.outcome = Assessment.Outcome.UNSATISFIED if unsatisfied else Assessment.Outcome.SATISFIED
    a.save()
    if unsatisfied:
        a = Assessment.objects.select_related("unit", "area").get(pk=a.pk)
        rate = f"{tally.rate * 100:.1f}%" if tally.rate is not None else "-"
        rectification_open(
            unit=a.unit,
            area=a.area,
            source=Rectification.Source.EVALUATION
            if a.subject == Assessment.Subject.PROJECT
            else Rectification.Source.ASSESSMENT,
            title=_("%(title)s测评不满意，限期整改") % {"title": a.title},
            content=_("测评结果：满意%(s)s票，基本满意%(b)s票，不满意%(u)s票，满意率%(rate)s。")
            % {"s": tally.satisfied, "b": tally.basically_satisfied, "u": tally.unsatisfied, "rate": rate},
            due_months=a.rectification_months,
            assessment=a,
            follow_up_of=a.rectification,
            actor=actor,
        )
    return a


# --- topics and public support ---------------------------------------------------------------------------


class RateLimited(DomainError):
    code = "rate_limited"
    status_code = 429
    default_message = gettext_lazy("操作太频繁，请稍后再试。")


class SmsUnavailable(DomainError):
    code = "sms_unavailable"
    status_code = 503
    default_message = gettext_lazy("短信暂时无法发送，请稍后再试。")


def phone_hash(phone: str) -> str:
    """A keyed hash of the number: the same number gives the same value, the value does not give the number."""
    return hmac.new(settings.SECRET_KEY.encode(), f"phone:{phone}".encode(), hashlib.sha256).hexdigest()


def _code_hash(p_hash: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"code:{p_hash}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def sms_code_request(*, phone: str, purpose: str = SmsCode.Purpose.SUPPORT) -> SmsCode:
    """Send a 6-digit one-time code. Rate-limited per number (the per-client limit is the caller's)."""
    from liaison import ratelimit
    from liaison.notifications.sms import SMSError, send_sms

    if purpose not in SmsCode.Purpose.values:
        raise ValidationFailed(_("未知的验证码用途。"))
    phone = normalise_phone(phone)
    p_hash = phone_hash(phone)
    if ratelimit.hit("sms_code_phone", p_hash) is not None:
        raise RateLimited(_("该号码获取验证码太频繁，请稍后再试。"))
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = conf.sms_code_minutes()
    sms = SmsCode.objects.create(
        phone_hash=p_hash,
        purpose=purpose,
        code_hash=_code_hash(p_hash, code),
        expires_at=timezone.now() + timedelta(minutes=minutes),
    )
    # Sent directly, not through the outbox: the outbox would keep the code in clear text, and a lost code
    # is simply requested again.
    text = _("【%(portal)s】您的验证码是%(code)s，%(minutes)s分钟内有效。如非本人操作请忽略。") % {
        "portal": settings.PORTAL_NAME,
        "code": code,
        "minutes": minutes,
    }
    try:
        send_sms(phone, text)
    except SMSError:
        logger.warning("SMS code to %s could not be sent", phone[:3] + "****" + phone[-4:], exc_info=True)
        sms.delete()
        raise SmsUnavailable() from None
    return sms


def _open_window(area: Area, today: dt.date) -> CollectionWindow | None:
    codes = [c for c in area.path.split("/") if c]
    return (
        CollectionWindow.objects.filter(area__code__in=codes, opens__lte=today, closes__gte=today)
        .order_by("-opens")
        .first()
    )


@transaction.atomic
def collection_window_open(
    *, area: Area, year: int, opens: dt.date, closes: dt.date, actor=None, title: str = ""
) -> CollectionWindow:
    if closes < opens:
        raise ValidationFailed(_("截止日期不能早于开始日期。"))
    return CollectionWindow.objects.create(
        area=area,
        year=year,
        opens=opens,
        closes=closes,
        title=title,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def topic_propose(
    *,
    title: str,
    description: str = "",
    area: Area,
    proposer_kind: str = Topic.Proposer.PUBLIC,
    delegate: Delegate | None = None,
    actor=None,
    today: dt.date | None = None,
) -> Topic:
    """A topic from the public or a delegate needs an open collection window; staff may raise one any time."""
    today = today or timezone.localdate()
    title = _require(title, _("请填写议题。"))
    if len(title) > 200:
        raise ValidationFailed(_("议题不能超过200字。"))
    window = _open_window(area, today)
    if proposer_kind != Topic.Proposer.STAFF and window is None:
        raise InvalidTransition(_("%(area)s目前没有开放的监督议题征集。") % {"area": area.name})
    return Topic.objects.create(
        title=title,
        description=(description or "").strip(),
        area=area,
        year=window.year if window else today.year,
        proposer_kind=proposer_kind,
        proposer_delegate=delegate,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def topic_from_suggestions(
    *, title: str, description: str = "", suggestion_ids: Iterable[int], actor, area: Area | None = None
) -> Topic:
    """Staff raise a topic from a cluster of similar open suggestions in their subtree; the topic links them.

    Raises NotFound when any id is unknown or outside the actor's subtree, ValidationFailed when one is closed.
    """
    from liaison.accounts.scoping import scope_to_area
    from suggestions.models import Suggestion

    ids = sorted(set(suggestion_ids))
    if not ids:
        raise ValidationFailed(_("请至少选择一条意见建议。"))
    found = list(scope_to_area(Suggestion.objects.filter(pk__in=ids).select_related("area"), actor))
    if len(found) != len(ids):
        raise NotFound()
    closed = [s for s in found if not s.is_open]
    if closed:
        raise ValidationFailed(
            _("意见建议 %(codes)s 已办结或不予受理，不能作为议题来源。")
            % {"codes": "、".join(s.tracking_code for s in closed)}
        )
    topic = topic_propose(
        title=title,
        description=description,
        area=area or actor.area,
        proposer_kind=Topic.Proposer.STAFF,
        actor=actor,
    )
    topic.suggestions.set(found)
    return topic


class _CodeRefused(Exception):
    pass


class _TopicRefused(Exception):
    pass


def topic_support(*, topic_id: int, phone: str, code: str, now: dt.datetime | None = None) -> int:
    """One support per number per topic, confirmed by a one-time code. Returns the topic's new count.

    The happy path is three statements in one transaction, plain SQL (PostgreSQL and SQLite alike: the ORM
    was half the request's CPU): claim the code (a conditional UPDATE that only one request can win), add one
    to the topic's count (which also locks the topic row, checks its status and returns the count), insert
    the unique support row. Anything refused rolls the whole transaction back, so a
    duplicate support (409) leaves the code unused and the count untouched.
    """
    now = now or timezone.now()
    phone = normalise_phone(phone)
    code = str(code or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        raise ValidationFailed(_("验证码错误或已过期，请重新获取。"))
    p_hash = phone_hash(phone)
    c_hash = _code_hash(p_hash, code)
    sms_table, topic_table = SmsCode._meta.db_table, Topic._meta.db_table
    support_table = TopicSupport._meta.db_table
    db_now = connection.ops.adapt_datetimefield_value(now)  # the column's own representation on each backend
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Claim the live code: only the latest unused, unexpired code of this number, and only one request
            # can move its used_at from NULL (a racing second request finds it set and updates nothing).
            cursor.execute(
                f"UPDATE {sms_table} SET used_at = %s WHERE id = ("
                f"SELECT id FROM {sms_table} WHERE phone_hash = %s AND purpose = %s AND used_at IS NULL"
                " AND expires_at > %s ORDER BY created_at DESC LIMIT 1"
                ") AND used_at IS NULL AND code_hash = %s AND failed_attempts < %s",
                [db_now, p_hash, SmsCode.Purpose.SUPPORT, db_now, c_hash, conf.sms_code_max_attempts()],
            )
            if cursor.rowcount != 1:
                raise _CodeRefused
            # Same transaction as the unique row: the count can never drift from the rows. The UPDATE locks the
            # topic row, checks its status and returns the new count (RETURNING: PostgreSQL, SQLite >= 3.35).
            cursor.execute(
                f"UPDATE {topic_table} SET supports_count = supports_count + 1"
                " WHERE id = %s AND status = %s RETURNING supports_count",
                [topic_id, Topic.Status.PROPOSED],
            )
            row = cursor.fetchone()
            if row is None:
                raise _TopicRefused
            cursor.execute(
                f"INSERT INTO {support_table} (topic_id, phone_hash, created_at) VALUES (%s, %s, %s)",
                [topic_id, p_hash, db_now],
            )
            return int(row[0])
    except _CodeRefused:
        # A wrong guess counts against the live code: five of them and it is dead.
        latest = (
            SmsCode.objects.filter(
                phone_hash=p_hash, purpose=SmsCode.Purpose.SUPPORT, used_at=None, expires_at__gt=now
            )
            .order_by("-created_at")
            .values("pk")[:1]
        )
        SmsCode.objects.filter(pk=Subquery(latest)).exclude(code_hash=c_hash).update(
            failed_attempts=F("failed_attempts") + 1
        )
        raise ValidationFailed(_("验证码错误或已过期，请重新获取。")) from None
    except _TopicRefused:
        if Topic.objects.filter(pk=topic_id).exists():
            raise InvalidTransition(_("该议题已结束征集，不能再支持。")) from None
        raise NotFound() from None
    except IntegrityError:
        raise Conflict(_("该手机号已经支持过这个议题。"), code="already_supported") from None


def _locked_topic(pk: int) -> Topic:
    try:
        return Topic.objects.select_for_update().get(pk=pk)
    except Topic.DoesNotExist:
        raise NotFound() from None


@transaction.atomic
def topic_select(*, topic_id: int, year: int, actor) -> Topic:
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("年度不正确。"))
    t = _locked_topic(topic_id)
    if t.status == Topic.Status.SELECTED and t.plan and t.plan.year == year:
        return t
    if t.status != Topic.Status.PROPOSED:
        raise InvalidTransition(
            _("议题当前为“%(status)s”，不能列入计划。") % {"status": t.get_status_display()}
        )
    plan, _created = SupervisionPlan.objects.get_or_create(
        area_id=t.area_id,
        year=year,
        defaults={"title": _("%(area)s%(year)s年度监督计划") % {"area": t.area.name, "year": year}},
    )
    t.status, t.plan, t.decided_at = Topic.Status.SELECTED, plan, timezone.now()
    t.save(update_fields=["status", "plan", "decided_at"])
    return t


@transaction.atomic
def topic_decline(*, topic_id: int, reason: str, actor) -> Topic:
    reason = _require(reason, _("请填写未采纳理由。"))
    t = _locked_topic(topic_id)
    if t.status == Topic.Status.DECLINED:
        return t
    if t.status != Topic.Status.PROPOSED:
        raise InvalidTransition(
            _("议题当前为“%(status)s”，不能标记为未采纳。") % {"status": t.get_status_display()}
        )
    t.status, t.decline_reason, t.decided_at = Topic.Status.DECLINED, reason[:500], timezone.now()
    t.save(update_fields=["status", "decline_reason", "decided_at"])
    return t


# --- activities ------------------------------------------------------------------------------------------


@transaction.atomic
def activity_create(
    *,
    kind: str,
    title: str,
    area: Area,
    actor=None,
    plan: SupervisionPlan | None = None,
    topic: Topic | None = None,
    description: str = "",
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    place: str = "",
    delegates: Iterable[Delegate] = (),
    units: Iterable[HandlingUnit] = (),
    committee_members: str = "",
    official_name: str = "",
    official_title: str = "",
) -> Activity:
    if kind not in Activity.Kind.values:
        raise ValidationFailed(_("未知的监督形式：%(kind)s") % {"kind": kind})
    if starts_at and ends_at and ends_at < starts_at:
        raise ValidationFailed(_("结束时间不能早于开始时间。"))
    if topic is not None and plan is None:
        plan = topic.plan
    a = Activity.objects.create(
        kind=kind,
        title=_require(title, _("请填写活动名称。"))[:200],
        area=area,
        plan=plan,
        topic=topic,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        committee_members=committee_members,
        official_name=official_name,
        official_title=official_title,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    a.delegates.set(list(delegates))
    a.units.set(list(units))
    return a


def _locked_activity(pk: int) -> Activity:
    try:
        return Activity.objects.select_for_update().get(pk=pk)
    except Activity.DoesNotExist:
        raise NotFound() from None


@transaction.atomic
def activity_start(*, activity_id: int, actor=None) -> Activity:
    a = _locked_activity(activity_id)
    if a.status == Activity.Status.IN_PROGRESS:
        return a
    if a.status != Activity.Status.PLANNED:
        raise InvalidTransition(_("活动已完成。"))
    a.status = Activity.Status.IN_PROGRESS
    a.save(update_fields=["status"])
    return a


@transaction.atomic
def activity_finish(*, activity_id: int, actor=None) -> Activity:
    """Done; the topic it served is done once none of its activities is still open."""
    a = _locked_activity(activity_id)
    if a.status == Activity.Status.DONE:
        return a
    a.status = Activity.Status.DONE
    a.save(update_fields=["status"])
    if a.topic_id:
        t = _locked_topic(a.topic_id)
        if (
            t.status == Topic.Status.SELECTED
            and not t.activities.exclude(status=Activity.Status.DONE).exists()
        ):
            t.status = Topic.Status.DONE
            t.save(update_fields=["status"])
    return a


@transaction.atomic
def activity_record_add(
    *, activity_id: int, text: str = "", photo=None, is_public: bool = True, actor=None
) -> ActivityRecord:
    a = _locked_activity(activity_id)
    if not (text or "").strip() and not photo:
        raise ValidationFailed(_("请填写记录或上传照片。"))
    return ActivityRecord.objects.create(
        activity=a,
        text=(text or "").strip(),
        photo=photo or "",
        is_public=is_public,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def _area_delegate_users(area: Area):
    from liaison.accounts.models import User

    return User.objects.filter(
        is_active=True, delegate__is_active=True, delegate__area__path__startswith=area.path
    ).select_related("delegate")


@transaction.atomic
def clue_request_create(*, activity_id: int, deadline: dt.date, message: str = "", actor=None) -> ClueRequest:
    """督前征集: ask the delegates of the activity's area for clues and opinions by a deadline."""
    a = _locked_activity(activity_id)
    if deadline < timezone.localdate():
        raise ValidationFailed(_("截止日期不能早于今天。"))
    cr = ClueRequest.objects.create(
        activity=a,
        deadline=deadline,
        message=message,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    notify(
        [Recipient(user=u) for u in _area_delegate_users(a.area)],
        kind="clue_request",
        key=f"clue-request:{cr.pk}",
        subject=_("请在%(deadline)s前提供“%(title)s”的线索和意见") % {"deadline": deadline, "title": a.title},
        body=message,
        link=_link("clue-submit", cr.pk),
    )
    return cr


@transaction.atomic
def clue_submit(*, request_id: int, delegate: Delegate, content: str, today: dt.date | None = None) -> Clue:
    today = today or timezone.localdate()
    try:
        cr = ClueRequest.objects.select_related("activity__area").get(pk=request_id)
    except ClueRequest.DoesNotExist:
        raise NotFound() from None
    if delegate is None or not delegate.area.path.startswith(cr.activity.area.path):
        raise NotPermitted(_("只有本区划的代表可以提供线索。"))
    if today > cr.deadline:
        raise InvalidTransition(_("线索征集已截止。"))
    return Clue.objects.create(
        request=cr, delegate=delegate, content=_require(content, _("请填写线索或意见。"))
    )


def clue_reminders_sweep(*, today: dt.date | None = None) -> int:
    """Remind delegates who have not answered, once, on the last working day before the deadline."""
    from liaison.workdays import workdays_between

    today = today or timezone.localdate()
    sent = 0
    for cr in ClueRequest.objects.filter(reminded_at=None, deadline__gte=today).select_related(
        "activity__area"
    ):
        if workdays_between(today, cr.deadline) > 1:
            continue
        with transaction.atomic():
            if ClueRequest.objects.filter(pk=cr.pk, reminded_at=None).update(reminded_at=timezone.now()) != 1:
                continue
            answered = set(cr.clues.values_list("delegate_id", flat=True))
            users = [u for u in _area_delegate_users(cr.activity.area) if u.delegate_id not in answered]
            notify(
                [Recipient(user=u) for u in users],
                kind="clue_reminder",
                key=f"clue-reminder:{cr.pk}",
                subject=_("线索征集将于%(deadline)s截止：%(title)s")
                % {"deadline": cr.deadline, "title": cr.activity.title},
                link=_link("clue-submit", cr.pk),
            )
            sent += 1
    return sent


# --- questions and opinions ------------------------------------------------------------------------------


@transaction.atomic
def question_ask(
    *,
    activity_id: int,
    unit: HandlingUnit,
    text: str,
    actor=None,
    asked_by: Delegate | None = None,
    asked_by_label: str = "",
    parent_id: int | None = None,
    due_workdays: int | None = None,
) -> Question:
    a = _locked_activity(activity_id)
    if a.status == Activity.Status.DONE:
        raise InvalidTransition(_("活动已完成，不能再提问。"))
    parent = None
    if parent_id is not None:
        parent = Question.objects.filter(pk=parent_id, activity=a).first()
        if parent is None:
            raise ValidationFailed(_("追问的问题不属于本次活动。"))
        unit = parent.unit
    a.units.add(unit)
    q = Question.objects.create(
        activity=a,
        unit=unit,
        parent=parent,
        text=_require(text, _("请填写问题。")),
        asked_by=asked_by,
        asked_by_label=asked_by_label or (asked_by.name if asked_by else ""),
        due=add_workdays(timezone.localdate(), due_workdays or conf.question_workdays()),
    )
    notify(
        unit_recipients(unit),
        kind="supervision_question",
        key=f"question:{q.pk}",
        subject=_("“%(title)s”向贵单位提出询问，请于%(due)s前答复") % {"title": a.title, "due": q.due},
        body=q.text,
        link=_link("unit-question", q.pk),
    )
    return q


@transaction.atomic
def question_answer(
    *,
    question_id: int,
    unit: HandlingUnit,
    answer: str,
    mode: str = Question.AnswerMode.WRITTEN,
    answered_by_label: str = "",
    actor=None,
) -> Question:
    try:
        q = Question.objects.select_for_update().get(pk=question_id)
    except Question.DoesNotExist:
        raise NotFound() from None
    if unit is None or q.unit_id != unit.pk:
        raise NotFound()
    if mode not in Question.AnswerMode.values:
        raise ValidationFailed(_("答复方式只能是书面答复或现场答复。"))
    if q.status == Question.Status.ANSWERED:
        raise InvalidTransition(_("该问题已经答复。"))
    q.answer = _require(answer, _("请填写答复内容。"))
    q.answer_mode = mode
    q.answered_by_label = (answered_by_label or "").strip()[:100]
    q.answered_at = timezone.now()
    q.status = Question.Status.ANSWERED
    q.save()
    return q


@transaction.atomic
def opinion_issue(
    *,
    activity_id: int,
    unit: HandlingUnit,
    title: str,
    content: str,
    actor=None,
    due: dt.date | None = None,
    due_months: int | None = None,
    due_workdays: int | None = None,
) -> Opinion:
    """审议意见 to a unit: opens its rectification (default deadline: 3 months)."""
    a = _locked_activity(activity_id)
    op = Opinion.objects.create(
        activity=a,
        unit=unit,
        title=_require(title, _("请填写审议意见标题。"))[:200],
        content=_require(content, _("请填写审议意见内容。")),
        issued_by=actor if getattr(actor, "pk", None) else None,
    )
    a.units.add(unit)
    rectification_open(
        unit=unit,
        area=a.area,
        source=Rectification.Source.OPINION,
        title=op.title,
        content=op.content,
        due=due,
        due_months=due_months,
        due_workdays=due_workdays,
        opinion=op,
        follow_up_of=a.follow_up_of,
        actor=actor,
    )
    return op


def sms_codes_purge(*, now: dt.datetime | None = None, keep: timedelta = timedelta(days=1)) -> int:
    """Delete one-time codes that expired more than `keep` ago: they can never be used again, and a phone
    hash need not be kept longer than the code's life (PIPL: keep personal data no longer than needed)."""
    cutoff = (now or timezone.now()) - keep
    deleted, _by_model = SmsCode.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
