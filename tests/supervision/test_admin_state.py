"""No back doors on state: in the admin, a status is never a form field, and adding an activity, a question or
an assessment goes through its service (deadline, notice, checks). Invariants hold at the model too."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from liaison.notifications.models import Notification
from supervision.models import Activity, Assessment, Question
from supervision.services.activities import activity_create
from supervision.services.assessments import assessment_create
from supervision.services.questions import question_ask

pytestmark = pytest.mark.django_db

NO_RECORDS = {
    "records-TOTAL_FORMS": "0",
    "records-INITIAL_FORMS": "0",
    "records-MIN_NUM_FORMS": "0",
    "records-MAX_NUM_FORMS": "1000",
}


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def activity(tree, unit):
    return activity_create(kind="inspection", title="商州区视察", area=tree.county, units=[unit])


def test_editing_an_activity_cannot_change_its_status(admin_user, tree, activity):
    r = login(admin_user).post(
        f"/admin/supervision/activity/{activity.pk}/change/",
        {
            "kind": "inspection",
            "title": "商州区视察（改）",
            "area": tree.county.pk,
            "status": "done",
            **NO_RECORDS,
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    activity.refresh_from_db()
    assert activity.title == "商州区视察（改）" and activity.status == Activity.Status.PLANNED
    assert activity.history.first().status == Activity.Status.PLANNED


def test_an_activity_added_in_the_admin_is_made_by_the_service(admin_user, tree, unit):
    r = login(admin_user).post(
        "/admin/supervision/activity/add/",
        {
            "kind": "research",
            "title": "调研",
            "area": tree.county.pk,
            "units": [unit.pk],
            "status": "done",
            **NO_RECORDS,
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    a = Activity.objects.get(title="调研")
    assert a.status == Activity.Status.PLANNED and a.created_by_id == admin_user.pk
    assert list(a.units.all()) == [unit]


def test_editing_a_question_cannot_answer_it(admin_user, activity, unit):
    q = question_ask(activity_id=activity.pk, unit=unit, text="何时完工？")
    r = login(admin_user).post(
        f"/admin/supervision/question/{q.pk}/change/",
        {
            "activity": activity.pk,
            "unit": unit.pk,
            "text": "何时完工？（补充）",
            "status": "answered",
            "answer": "明年",
            "answer_mode": "written",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    q.refresh_from_db()
    assert q.text == "何时完工？（补充）"
    assert q.status == Question.Status.OPEN and q.answer == "" and q.answered_at is None


def test_a_question_added_in_the_admin_gets_its_deadline_and_notice(admin_user, activity, unit, unit_user):
    r = login(admin_user).post(
        "/admin/supervision/question/add/",
        {"activity": activity.pk, "unit": unit.pk, "text": "资金是否到位？", "status": "answered"},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    q = Question.objects.get(text="资金是否到位？")
    assert q.status == Question.Status.OPEN and q.due is not None
    assert Notification.objects.filter(dedupe_key__startswith=f"question:{q.pk}").exists()


def test_a_question_on_a_finished_activity_is_refused_in_the_admin(admin_user, activity, unit):
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.DONE)
    c = login(admin_user)
    r = c.post(
        "/admin/supervision/question/add/", {"activity": activity.pk, "unit": unit.pk, "text": "还能问吗？"}
    )
    assert r.status_code == 302 and r["Location"].endswith("/admin/supervision/question/add/")
    assert not Question.objects.exists()
    assert "活动已完成" in c.get(r["Location"]).content.decode()


def _assessment(tree, unit, delegate, **kw):
    return assessment_create(
        title="答复测评", area=tree.county, unit=unit, subject="answer", roll=[delegate], **kw
    )


def test_editing_an_assessment_cannot_open_or_close_it(admin_user, tree, unit, delegate):
    a = _assessment(tree, unit, delegate)
    r = login(admin_user).post(
        f"/admin/supervision/assessment/{a.pk}/change/",
        {
            "title": "答复测评（改）",
            "area": tree.county.pk,
            "unit": unit.pk,
            "subject": "answer",
            "roll": [delegate.pk],
            "unsatisfied_share": "0.5",
            "rectification_months": "3",
            "status": "closed",
            "outcome": "unsatisfied",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    a.refresh_from_db()
    assert a.title == "答复测评（改）" and a.status == Assessment.Status.DRAFT and a.outcome == ""


def test_an_assessment_added_in_the_admin_checks_its_share(admin_user, tree, unit, delegate):
    c = login(admin_user)
    data = {
        "title": "部门测评",
        "area": tree.county.pk,
        "unit": unit.pk,
        "subject": "department",
        "roll": [delegate.pk],
        "rectification_months": "3",
    }
    r = c.post("/admin/supervision/assessment/add/", {**data, "unsatisfied_share": "1"})
    assert r.status_code == 200 and "不满意比例必须在0和1之间" in r.content.decode()
    assert not Assessment.objects.exists()
    r = c.post("/admin/supervision/assessment/add/", {**data, "unsatisfied_share": "0.4", "status": "open"})
    assert r.status_code == 302, r.content.decode()[:3000]
    a = Assessment.objects.get()
    assert a.status == Assessment.Status.DRAFT and a.created_by_id == admin_user.pk
    assert a.unsatisfied_share == 0.4 and list(a.roll.all()) == [delegate]


@pytest.mark.parametrize("share", [0, 1, 1.5, -0.1])
def test_the_unsatisfied_share_is_checked_by_the_model_and_the_database(tree, unit, delegate, share):
    a = _assessment(tree, unit, delegate)
    a.unsatisfied_share = share
    with pytest.raises(ValidationError):
        a.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(pk=a.pk).update(unsatisfied_share=share)
