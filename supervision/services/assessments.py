"""The satisfaction vote (满意度测评): the one vote shared with the voting app's project evaluations.

Contract (voting.services.evaluations relies on it; keep these signatures):

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

The count is a read: supervision.selectors.assessment_result(*, assessment_id) -> SatisfactionTally.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.acts import delegate_act
from liaison.errors import AlreadyVoted, InvalidTransition, NotPermitted, ValidationFailed
from liaison.notifications.services import Recipient, notify
from liaison.satisfaction import Satisfaction
from stations.models import Area, Delegate, HandlingUnit

from ..conf import conf
from ..models import Activity, Assessment, AssessmentVote, Rectification
from ..selectors import assessment_result
from ._common import NotFound, _link, _require
from .rectifications import rectification_open


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
        rectification_months=conf.RECTIFICATION_MONTHS,
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
                vote = AssessmentVote.objects.create(assessment=a, delegate=delegate, choice=choice)
        except IntegrityError:
            raise AlreadyVoted() from None
        delegate_act(
            delegate_id=delegate.pk, kind="assessment_vote", source=a
        )  # the assessment, not the choice
        return vote


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
