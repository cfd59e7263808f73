"""人大评: the delegates' satisfaction vote on a delivered project — the one satisfaction vote of the
supervision app (an Assessment with subject "project"); the result is read by voting.selectors."""

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.errors import Conflict, ValidationFailed, get_or_not_found
from stations.models import Delegate
from supervision.models import Assessment, AssessmentVote
from supervision.services.assessments import (
    assessment_close,
    assessment_create,
    assessment_open,
    assessment_vote,
)

from ..conf import conf
from ..models import Evaluation, LivelihoodProject
from ._common import _active_delegates, _pk


@transaction.atomic
def evaluation_create(
    *, project_id: int, roll: Iterable | None = None, title: str = "", actor=None
) -> Evaluation:
    """Set up the delegates' satisfaction vote on a project: a supervision Assessment with subject "project".

    The roll defaults to the roll of the ballot that elected the project.
    """
    project = get_or_not_found(
        LivelihoodProject.objects.select_for_update().select_related("candidate", "unit", "area"),
        pk=project_id,
    )
    if project.evaluations.filter(
        assessment__status__in=[Assessment.Status.DRAFT, Assessment.Status.OPEN]
    ).exists():
        raise Conflict(_("该项目已有尚未结束的满意度测评。"))
    if roll is None:
        delegates = list(
            Delegate.objects.filter(ballot_roll__ballot_id=project.candidate.ballot_id, is_active=True)
        )
    else:
        ids = [_pk(d) for d in roll]
        if len(set(ids)) != len(ids):
            raise ValidationFailed(_("测评名单中有重复的代表。"))
        delegates = list(Delegate.objects.filter(pk__in=_active_delegates(ids)))
    if not delegates:
        raise ValidationFailed(_("测评名单不能为空。"))
    assessment = assessment_create(
        title=title.strip() or _("民生实事项目“%(t)s”满意度测评") % {"t": project.title},
        area=project.area,
        unit=project.unit,
        subject=Assessment.Subject.PROJECT,
        roll=delegates,
        actor=actor,
        unsatisfied_share=conf.EVALUATION_UNSATISFIED_SHARE,
    )
    return Evaluation.objects.create(project=project, assessment=assessment, created_by=actor)


def evaluation_open(*, evaluation_id: int, actor=None) -> Evaluation:
    ev = get_or_not_found(Evaluation.objects, pk=evaluation_id)
    assessment_open(assessment_id=ev.assessment_id, actor=actor)
    return Evaluation.objects.select_related("assessment").get(pk=ev.pk)


def evaluation_vote(*, evaluation_id: int, delegate: Delegate, choice: str) -> AssessmentVote:
    """A delegate on the roll rates the delivery: satisfied / basically_satisfied / unsatisfied, once."""
    ev = get_or_not_found(Evaluation.objects, pk=evaluation_id)
    return assessment_vote(assessment_id=ev.assessment_id, delegate=delegate, choice=choice)


def evaluation_close(*, evaluation_id: int, actor=None) -> Evaluation:
    """Close the vote; an unsatisfied outcome opens a rectification for the unit (supervision's one loop)."""
    ev = get_or_not_found(Evaluation.objects, pk=evaluation_id)
    assessment_close(assessment_id=ev.assessment_id, actor=actor)
    return Evaluation.objects.select_related("assessment").get(pk=ev.pk)
