"""人大评: the delegates' satisfaction vote on a delivered project — the one satisfaction vote of the
supervision app (an Assessment with subject "project"); the result is read by voting.selectors.

The roll is the electing ballot's roll, an explicit list of delegates, or a body (`body`: a street council that
voted the project evaluates its delivery — its members on the day the evaluation opens). A vote counted on paper
or by a device (`counting`) is entered and confirmed through the supervision assessment's tally sheet."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.errors import Conflict, ValidationFailed, get_or_not_found
from stations.models import Delegate
from supervision.models import Assessment, AssessmentCount, AssessmentVote
from supervision.services.assessment_counts import assessment_count_confirm, assessment_count_enter
from supervision.services.assessments import (
    assessment_close,
    assessment_create,
    assessment_open,
    assessment_vote,
    assessment_vote_by,
)

from ..conf import conf
from ..models import Evaluation, LivelihoodProject
from ._common import _active_delegates, _pk


@transaction.atomic
def evaluation_create(
    *,
    project_id: int,
    roll: Iterable | None = None,
    title: str = "",
    actor=None,
    body=None,
    counting: str = "online",
) -> Evaluation:
    """Set up the delegates' satisfaction vote on a project: a supervision Assessment with subject "project".

    The roll defaults to the roll of the ballot that elected the project; `body` (not with `roll`) takes the
    body's members instead, on the day it opens.
    """
    project = get_or_not_found(
        LivelihoodProject.objects.select_for_update().select_related("candidate", "unit", "area"),
        pk=project_id,
    )
    if project.evaluations.filter(
        assessment__status__in=[Assessment.Status.DRAFT, Assessment.Status.OPEN]
    ).exists():
        raise Conflict(_("该项目已有尚未结束的满意度测评。"))
    if body is not None:
        if roll is not None:
            raise ValidationFailed(_("请选择测评机构或测评人员名单（二者选一）。"))
        delegates = None
    elif roll is None:
        delegates = list(
            Delegate.objects.filter(ballot_roll__ballot_id=project.candidate.ballot_id, is_active=True)
        )
    else:
        ids = [_pk(d) for d in roll]
        if len(set(ids)) != len(ids):
            raise ValidationFailed(_("测评名单中有重复的代表。"))
        delegates = list(Delegate.objects.filter(pk__in=_active_delegates(ids)))
    if delegates is not None and not delegates:
        raise ValidationFailed(_("测评名单不能为空。"))
    assessment = assessment_create(
        title=title.strip() or _("民生实事项目“%(t)s”满意度测评") % {"t": project.title},
        area=project.area,
        unit=project.unit,
        subject=Assessment.Subject.PROJECT,
        roll=delegates,
        body=body,
        counting=counting,
        actor=actor,
        unsatisfied_share=conf.EVALUATION_UNSATISFIED_SHARE,
    )
    return Evaluation.objects.create(project=project, assessment=assessment, created_by=actor)


def evaluation_open(*, evaluation_id: int, actor=None) -> Evaluation:
    ev = get_or_not_found(Evaluation.objects, pk=evaluation_id)
    assessment_open(assessment_id=ev.assessment_id, actor=actor)
    return Evaluation.objects.select_related("assessment").get(pk=ev.pk)


def evaluation_vote(
    *, evaluation_id: int, delegate: Delegate | None = None, choice: str, user=None
) -> AssessmentVote:
    """A delegate on the roll rates the delivery: satisfied / basically_satisfied / unsatisfied, once. With
    `user` instead, the voter is found from the user: their delegate on the roll, else their membership of the
    body (a council member who is not a delegate)."""
    ev = get_or_not_found(Evaluation.objects, pk=evaluation_id)
    if user is not None:
        return assessment_vote_by(assessment_id=ev.assessment_id, user=user, choice=choice)
    return assessment_vote(assessment_id=ev.assessment_id, delegate=delegate, choice=choice)


def evaluation_count_enter(*, evaluation_id: int, actor, **counts) -> AssessmentCount:
    """The paper or device count of the evaluation (see supervision.services.assessment_counts)."""
    ev = get_or_not_found(Evaluation.objects, pk=evaluation_id)
    return assessment_count_enter(assessment_id=ev.assessment_id, actor=actor, **counts)


def evaluation_count_confirm(*, evaluation_id: int, actor) -> AssessmentCount:
    ev = get_or_not_found(Evaluation.objects, pk=evaluation_id)
    return assessment_count_confirm(assessment_id=ev.assessment_id, actor=actor)


def evaluation_close(*, evaluation_id: int, actor=None) -> Evaluation:
    """Close the vote; an unsatisfied outcome opens a rectification for the unit (supervision's one loop)."""
    ev = get_or_not_found(Evaluation.objects, pk=evaluation_id)
    assessment_close(assessment_id=ev.assessment_id, actor=actor)
    return Evaluation.objects.select_related("assessment").get(pk=ev.pk)
