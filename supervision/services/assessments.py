"""The satisfaction vote (满意度测评): the one vote shared with the voting app's project evaluations.

Contract (voting.services.evaluations relies on it; keep these signatures):

    assessment_create(*, title, area, unit, subject, roll=None, body=None, actor=None, activity=None,
                      rectification=None, unsatisfied_share=0.5, counting="online") -> Assessment
        subject: Assessment.Subject values; exactly one of `roll` (delegates) and `body` (bodies.Body, or its id:
        in the actor's area subtree — 404 — and in the assessment's area subtree or above it — 400).
    assessment_open(*, assessment_id, actor=None) -> Assessment            draft -> open (needs a roll); with a
        body, the roll is taken now: the body's members on that day, delegates onto `roll`, others onto `members`.
    assessment_vote(*, assessment_id, delegate=None, choice, member=None) -> AssessmentVote
        NotPermitted (403) off the roll, AlreadyVoted (409) for a second vote (DB UniqueConstraints back it),
        InvalidTransition (409) unless open and counted online, ValidationFailed (400) for a choice outside
        liaison.satisfaction.Satisfaction.
    assessment_vote_by(*, assessment_id, user, choice) -> AssessmentVote   the same, the voter found from the
        user: their delegate on `roll`, else their membership on `members`.
    assessment_close(*, assessment_id, actor=None) -> Assessment           open -> closed; stores counts, rate and
        outcome (a paper or device count: from its confirmed tally sheet, see assessment_counts); when SatisfactionTally.is_unsatisfied(a.unsatisfied_share) it calls rectification_open(
        source="evaluation" if subject == "project" else "assessment", assessment=a, unit=a.unit, area=a.area,
        due_months=a.rectification_months, follow_up_of=a.rectification). The new rectification is
        `a.rectifications.first()`.

The count is a read: supervision.selectors.assessment_result(*, assessment_id) -> SatisfactionTally.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bodies.models import Body, BodyMember, Counting, members_on
from liaison.acts import delegate_act
from liaison.errors import AlreadyVoted, InvalidTransition, NotPermitted, ValidationFailed
from liaison.notifications.services import Recipient, notify
from liaison.satisfaction import Satisfaction, SatisfactionTally
from liaison.scoping import path_contains, user_sees_area
from stations.models import Area, Delegate, HandlingUnit

from ..conf import conf
from ..models import Activity, Assessment, AssessmentCount, AssessmentVote, Rectification
from ..selectors import assessment_result, count_tally
from ._common import NotFound, _link, _require
from .rectifications import rectification_open


@transaction.atomic
def assessment_create(
    *,
    title: str,
    area: Area,
    unit: HandlingUnit,
    subject: str,
    roll: Iterable[Delegate] | None = None,
    body: Body | int | None = None,
    actor=None,
    activity: Activity | None = None,
    rectification: Rectification | None = None,
    unsatisfied_share: float = 0.5,
    counting: str = Counting.ONLINE,
) -> Assessment:
    if (roll is None) == (body is None):
        raise ValidationFailed(_("请选择测评机构或测评人员名单（二者选一）。"))
    if body is not None:
        body = _body_for(body, area=area, actor=actor)
    if counting not in Counting.values:
        raise ValidationFailed(_("未知的计票方式：%(v)s") % {"v": counting})
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
        rectification_months=conf.RECTIFICATION_MONTHS,
        created_by=actor if getattr(actor, "pk", None) else None,
        body=body,
        counting=counting,
    )
    if roll is not None:
        a.roll.set(list(roll))
    return a


def _body_for(body: Body | int, *, area: Area, actor) -> Body:
    """The body whose members will vote: one the actor may see (404 otherwise), of the assessment's area, an
    area within it, or an area above it — never a neighbouring area's body (400)."""
    pk = body.pk if isinstance(body, Body) else body
    try:
        body = Body.objects.select_related("area").get(pk=pk)
    except (Body.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if actor is not None and getattr(actor, "pk", None) and not user_sees_area(actor, body.area):
        raise NotFound()
    if not (path_contains(area.path, body.area) or path_contains(body.area.path, area)):
        raise ValidationFailed({"body": [_("该机构属于其他区划，其成员不能参加本区划的测评。")]})
    return body


def _take_roll_from_body(a: Assessment) -> None:
    """The roll of an assessment of a body: its members on the day it opens. A fixed number of queries whatever
    the body's size — one read, one bulk insert into each through table."""
    rows = list(members_on(a.body_id, timezone.localdate()).values_list("pk", "delegate_id"))
    delegate_ids = sorted({d for _pk, d in rows if d is not None})
    member_ids = [pk for pk, d in rows if d is None]
    Assessment.roll.through.objects.bulk_create(
        [Assessment.roll.through(assessment_id=a.pk, delegate_id=d) for d in delegate_ids],
        ignore_conflicts=True,
    )
    Assessment.members.through.objects.bulk_create(
        [Assessment.members.through(assessment_id=a.pk, bodymember_id=m) for m in member_ids],
        ignore_conflicts=True,
    )


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
    if a.body_id is not None:
        _take_roll_from_body(a)
        if not (a.roll.exists() or a.members.exists()):
            raise InvalidTransition(_("该机构当天没有成员，不能开始测评。"))
    elif not a.roll.exists():
        raise InvalidTransition(_("测评人员名单为空，不能开始测评。"))
    a.status = Assessment.Status.OPEN
    a.opened_at = timezone.now()
    a.save(update_fields=["status", "opened_at"])
    if a.counting != Counting.ONLINE:
        return a  # voted on paper or with a device in the meeting: nobody is asked to vote online
    from liaison.accounts.models import User

    voters = User.objects.filter(
        Q(delegate__in=a.roll.all()) | Q(body_memberships__in=a.members.all()), is_active=True
    ).distinct()
    notify(
        [Recipient(user=u) for u in voters],
        kind="assessment_open",
        key=f"assessment-open:{a.pk}",
        subject=_("请参加满意度测评：%(title)s") % {"title": a.title},
        link=_link("assessment-vote", a.pk),
    )
    return a


def _check_choice(choice: str) -> None:
    if choice not in Satisfaction.values:
        raise ValidationFailed(_("评价只能是满意、基本满意或不满意。"))


def _open_for_votes(assessment_id: int) -> Assessment:
    # The row lock orders votes against close: no vote lands after the tally.
    a = _locked_assessment(assessment_id)
    if a.status != Assessment.Status.OPEN:
        raise InvalidTransition(_("测评未在进行中，不能投票。"))
    if a.counting != Counting.ONLINE:
        raise InvalidTransition(
            _("本次测评采用%(how)s计票，不接受网上投票。") % {"how": a.get_counting_display()},
            code="counted_offline",
        )
    return a


def _store_vote(a: Assessment, *, delegate: Delegate | None, member: BodyMember | None, choice: str):
    try:
        with transaction.atomic():
            vote = AssessmentVote.objects.create(
                assessment=a, delegate=delegate, member=member, choice=choice
            )
    except IntegrityError:
        raise AlreadyVoted() from None
    if delegate is not None:
        # A delegate's vote enters the duty record (the assessment, not the choice); a member's who is not a
        # delegate does not.
        delegate_act(delegate_id=delegate.pk, kind="assessment_vote", source=a)
    return vote


def assessment_vote(
    *, assessment_id: int, delegate: Delegate | None = None, choice: str, member: BodyMember | None = None
) -> AssessmentVote:
    _check_choice(choice)
    if delegate is None and member is None:
        raise NotPermitted(_("您不在本次测评人员名单中。"))
    with transaction.atomic():
        a = _open_for_votes(assessment_id)
        if delegate is not None:
            if not a.roll.filter(pk=delegate.pk).exists():
                raise NotPermitted(_("您不在本次测评人员名单中。"))
            member = None
        elif not a.members.filter(pk=member.pk).exists():
            raise NotPermitted(_("您不在本次测评人员名单中。"))
        return _store_vote(a, delegate=delegate, member=member, choice=choice)


def assessment_vote_by(*, assessment_id: int, user, choice: str) -> AssessmentVote:
    """The request user votes: as their delegate when the delegate is on the roll, else as the body member
    (a council member who is not a delegate) on this assessment's `members`. A member who had left the body
    before it opened is on neither: 403, nothing stored."""
    _check_choice(choice)
    with transaction.atomic():
        a = _open_for_votes(assessment_id)
        delegate_id = getattr(user, "delegate_id", None)
        if delegate_id and a.roll.filter(pk=delegate_id).exists():
            return _store_vote(a, delegate=user.delegate, member=None, choice=choice)
        member = a.members.filter(user_id=getattr(user, "pk", None)).order_by("id").first()
        if member is None:
            raise NotPermitted(_("您不在本次测评人员名单中。"))
        return _store_vote(a, delegate=None, member=member, choice=choice)


def assessment_my_vote(assessment: Assessment, user) -> AssessmentVote | None:
    """The user's vote in this assessment, as a delegate or as a member (None when they have not voted)."""
    q = Q(member__user_id=user.pk)
    if getattr(user, "delegate_id", None):
        q |= Q(delegate_id=user.delegate_id)
    return assessment.votes.filter(q).first()


@transaction.atomic
def assessment_close(*, assessment_id: int, actor=None) -> Assessment:
    a = _locked_assessment(assessment_id)
    if a.status == Assessment.Status.CLOSED:
        return a
    if a.status != Assessment.Status.OPEN:
        raise InvalidTransition(_("测评尚未开始，不能结束。"))
    tally = _closing_tally(a)
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


def _closing_tally(a: Assessment) -> SatisfactionTally:
    """Online: the stored votes. On paper or by a device: the tally sheet, once a second admin confirmed it."""
    if a.counting == Counting.ONLINE:
        return assessment_result(assessment_id=a.pk)
    sheet = AssessmentCount.objects.filter(assessment_id=a.pk).first()
    if sheet is None or not sheet.is_confirmed:
        raise InvalidTransition(
            _("计票结果尚未录入并经另一位管理员核对确认，不能结束测评。"), code="count_not_confirmed"
        )
    return count_tally(sheet)
