"""The rectification loop and the satisfaction vote, the two pieces the voting app shares."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from liaison.errors import AlreadyVoted, InvalidTransition, NotPermitted, ValidationFailed
from liaison.notifications.models import Notification
from liaison.satisfaction import Satisfaction
from liaison.workdays import add_months, add_workdays, next_workday
from supervision.models import Assessment, AssessmentVote, Rectification, RectificationEvent
from supervision.selectors import assessment_result
from supervision.services._common import NotFound, due_date
from supervision.services.assessments import (
    assessment_close,
    assessment_create,
    assessment_open,
    assessment_vote,
)
from supervision.services.rectifications import (
    rectification_accept,
    rectification_open,
    rectification_report,
    rectification_return,
    rectifications_sweep,
)
from tests.factories import DelegateFactory

pytestmark = pytest.mark.django_db


def _assessment(tree, unit, roll, **kw):
    a = assessment_create(
        title="住建局专题询问答复测评", area=tree.county, unit=unit, subject="answer", roll=roll, **kw
    )
    return assessment_open(assessment_id=a.pk)


def test_add_months_clamps_to_month_end():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 10, 15), 3) == dt.date(2027, 1, 15)


def test_due_in_months_lands_on_a_working_day():
    today = dt.date(2026, 7, 4)  # three months on is 4 Oct 2026, inside the National Day holiday
    due = due_date(due_months=3, today=today)
    assert due == next_workday(dt.date(2026, 10, 4))
    assert due > dt.date(2026, 10, 7)
    assert due_date(due_workdays=5, today=today) == add_workdays(today, 5)


def test_rectification_loop_report_return_accept(tree, unit, unit_user, other_unit, staff):
    a = assessment_create(title="t", area=tree.county, unit=unit, subject="answer", roll=[])
    with pytest.raises(InvalidTransition):
        assessment_open(assessment_id=a.pk)

    r = rectification_open(
        unit=unit,
        area=tree.county,
        source="assessment",
        assessment=a,
        title="老旧小区改造进度滞后",
        due_workdays=10,
    )
    assert r.status == "open"
    assert r.due == add_workdays(timezone.localdate(), 10)
    assert Notification.objects.filter(kind="rectification_opened", recipient=unit_user).exists()

    with pytest.raises(NotFound):
        rectification_report(rectification_id=r.pk, unit=other_unit, content="不是我的")
    with pytest.raises(ValidationFailed):
        rectification_report(rectification_id=r.pk, unit=unit, content="  ")
    r.refresh_from_db()
    assert r.status == "open" and r.report == ""

    r = rectification_report(rectification_id=r.pk, unit=unit, content="已完成12个小区改造")
    assert r.status == "reported"
    with pytest.raises(InvalidTransition):
        rectification_report(rectification_id=r.pk, unit=unit, content="再报一次")
    r = rectification_return(rectification_id=r.pk, reason="缺少验收材料", actor=staff)
    assert r.status == "open" and r.return_reason == "缺少验收材料"
    with pytest.raises(InvalidTransition):
        rectification_accept(rectification_id=r.pk, actor=staff)
    rectification_report(rectification_id=r.pk, unit=unit, content="补充了验收材料")
    r = rectification_accept(rectification_id=r.pk, actor=staff)
    assert r.status == "accepted"
    kinds = list(r.events.values_list("kind", flat=True))
    assert kinds == ["opened", "reported", "returned", "reported", "accepted"]
    # staff got one notice per report
    assert (
        Notification.objects.filter(kind="rectification_reported", recipient=staff, channel="inbox").count()
        == 2
    )


def test_opinion_source_requires_an_opinion(tree, unit):
    with pytest.raises(ValidationFailed):
        rectification_open(unit=unit, area=tree.county, source="opinion", title="x")
    with pytest.raises(ValidationFailed):
        rectification_open(unit=unit, area=tree.county, source="nonsense", title="x")
    assert not Rectification.objects.exists()


def test_assessment_vote_rules_and_unsatisfied_outcome_opens_rectification(
    tree, unit, delegate, other_delegate
):
    roll = [delegate, *DelegateFactory.create_batch(4, area=tree.county)]
    a = _assessment(tree, unit, roll)

    with pytest.raises(NotPermitted):
        assessment_vote(assessment_id=a.pk, delegate=other_delegate, choice="satisfied")
    with pytest.raises(ValidationFailed):
        assessment_vote(assessment_id=a.pk, delegate=delegate, choice="great")
    assessment_vote(assessment_id=a.pk, delegate=delegate, choice="unsatisfied")
    with pytest.raises(AlreadyVoted):
        assessment_vote(assessment_id=a.pk, delegate=delegate, choice="satisfied")
    for d, c in zip(
        roll[1:], ["unsatisfied", "unsatisfied", "basically_satisfied", "satisfied"], strict=True
    ):
        assessment_vote(assessment_id=a.pk, delegate=d, choice=c)

    tally = assessment_result(assessment_id=a.pk)
    assert (tally.satisfied, tally.basically_satisfied, tally.unsatisfied) == (1, 1, 3)

    a = assessment_close(assessment_id=a.pk)
    assert a.status == "closed" and a.outcome == "unsatisfied"
    assert (a.satisfied_count, a.basically_satisfied_count, a.unsatisfied_count) == (1, 1, 3)
    assert a.rate == pytest.approx(0.4)
    r = a.rectifications.get()
    assert r.source == "assessment" and r.unit == unit and r.area == tree.county
    assert r.due == next_workday(add_months(timezone.localdate(), 3))
    # closing again is a no-op: still one rectification
    assessment_close(assessment_id=a.pk)
    assert Rectification.objects.count() == 1
    with pytest.raises(InvalidTransition):
        assessment_vote(assessment_id=a.pk, delegate=roll[1], choice="satisfied")


def test_satisfied_outcome_and_project_source(tree, unit, delegate):
    a = _assessment(tree, unit, [delegate])
    assessment_vote(assessment_id=a.pk, delegate=delegate, choice=Satisfaction.BASICALLY_SATISFIED)
    a = assessment_close(assessment_id=a.pk)
    assert a.outcome == "satisfied" and a.rate == 1.0 and not a.rectifications.exists()

    p = assessment_create(
        title="城区停车场项目测评", area=tree.county, unit=unit, subject="project", roll=[delegate]
    )
    assessment_open(assessment_id=p.pk)
    assessment_vote(assessment_id=p.pk, delegate=delegate, choice="unsatisfied")
    p = assessment_close(assessment_id=p.pk)
    assert p.rectifications.get().source == "evaluation"


def test_unsatisfied_report_assessment_links_second_rectification(tree, unit, delegate):
    a = _assessment(tree, unit, [delegate])
    assessment_vote(assessment_id=a.pk, delegate=delegate, choice="unsatisfied")
    first = assessment_close(assessment_id=a.pk).rectifications.get()
    rectification_report(rectification_id=first.pk, unit=unit, content="已整改")
    b = assessment_create(
        title="整改报告测评",
        area=tree.county,
        unit=unit,
        subject="rectification",
        roll=[delegate],
        rectification=first,
    )
    assessment_open(assessment_id=b.pk)
    assessment_vote(assessment_id=b.pk, delegate=delegate, choice="unsatisfied")
    second = assessment_close(assessment_id=b.pk).rectifications.get()
    assert second.follow_up_of == first and second.source == "assessment"


def test_one_vote_each_is_a_database_constraint(tree, unit, delegate):
    a = _assessment(tree, unit, [delegate])
    AssessmentVote.objects.create(assessment=a, delegate=delegate, choice="satisfied")
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentVote.objects.create(assessment=a, delegate=delegate, choice="unsatisfied")


def test_reminder_and_overdue_fire_exactly_once(tree, unit, unit_user, staff, delegate):
    a = _assessment(tree, unit, [delegate])
    today = timezone.localdate()  # a deadline typed by hand lies ahead of the real today
    r = rectification_open(
        unit=unit,
        area=tree.county,
        source="assessment",
        assessment=a,
        title="整改",
        due=add_workdays(today, 3),
    )
    assert rectifications_sweep(today=today) == (1, 0)
    assert rectifications_sweep(today=today + dt.timedelta(days=1)) == (0, 0)
    assert Notification.objects.filter(kind="rectification_reminder", channel="inbox").count() == 1
    late = r.due + dt.timedelta(days=1)
    assert rectifications_sweep(today=late) == (0, 1)
    assert rectifications_sweep(today=late) == (0, 0)
    r.refresh_from_db()
    assert r.status == "overdue"
    assert (
        Notification.objects.filter(kind="rectification_overdue", recipient=staff, channel="inbox").count()
        == 1
    )
    assert r.events.filter(kind=RectificationEvent.Kind.OVERDUE).count() == 1
    # a late report is still accepted
    rectification_report(rectification_id=r.pk, unit=unit, content="逾期完成")


def test_assessment_model_choices_match_contract():
    assert set(Assessment.Subject.values) == {"answer", "rectification", "department", "project"}
    assert set(Rectification.Source.values) == {"opinion", "assessment", "evaluation"}
    assert set(Rectification.Status.values) == {"open", "reported", "accepted", "overdue"}
