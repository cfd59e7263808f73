"""Questions put to units during an activity (询问, 追问) and their answers, and the opinions (审议意见)
that open a rectification."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import InvalidTransition, ValidationFailed
from liaison.notifications.recipients import unit_recipients
from liaison.notifications.services import notify
from liaison.workdays import add_workdays
from stations.models import Delegate, HandlingUnit

from ..conf import conf
from ..models import Activity, Opinion, Question, Rectification
from ._common import NotFound, _link, _locked_activity, _require, due_date
from .rectifications import rectification_open


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
        due=add_workdays(timezone.localdate(), due_workdays or conf.QUESTION_WORKDAYS),
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
    # A bad deadline is refused before anything is written.
    due = due_date(due=due, due_months=due_months, due_workdays=due_workdays)
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
        opinion=op,
        follow_up_of=a.follow_up_of,
        actor=actor,
    )
    return op
