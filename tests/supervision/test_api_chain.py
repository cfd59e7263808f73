"""The whole supervision chain through the API, as its users drive it (issue 6, Done when)."""

import datetime as dt
import logging
import re

import pytest
from django.utils import timezone

from liaison.accounts.models import User
from liaison.notifications.models import Notification
from liaison.privacy import mask_phone
from liaison.workdays import add_months, next_workday
from supervision import tasks
from supervision.models import Rectification, Topic, TopicSupport
from supervision.services.rectifications import rectifications_sweep
from tests.factories import DelegateFactory, UserFactory

pytestmark = pytest.mark.django_db

SMS_RE = re.compile(r"SMS to (\d{3}\*{4}\d{4}): .*?(\d{6})")


def sms_code(caplog, phone: str) -> str:
    """The last code the logging SMS backend wrote for this phone (it logs the number masked)."""
    codes = [
        m.group(2)
        for rec in caplog.records
        if rec.name == "liaison.sms"
        and (m := SMS_RE.search(rec.getMessage()))
        and m.group(1) == mask_phone(phone)
    ]
    assert codes, f"no SMS logged for {phone}"
    return codes[-1]


def support(api, caplog, topic_id: int, phone: str):
    with caplog.at_level(logging.INFO, logger="liaison.sms"):
        r = api.post("/api/v1/sms-codes/", {"phone": phone, "purpose": "support"}, format="json")
        assert r.status_code == 202, r.content
        code = sms_code(caplog, phone)
    return api.post(
        f"/api/v1/topics/{topic_id}/support/", {"phone": phone, "code": code}, format="json"
    ), code


@pytest.fixture
def window(tree, admin_user, client_for):
    today = timezone.localdate()
    r = client_for(admin_user).post(
        "/api/v1/topic-windows/",
        {
            "area": tree.county.code,
            "year": today.year,
            "opens": str(today),
            "closes": str(today + dt.timedelta(30)),
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    return r.json()


def test_the_whole_chain(
    tree, window, api, caplog, staff, unit, unit_user, delegate, delegate_user, client_for
):
    today = timezone.localdate()
    staff_api, unit_api = client_for(staff), client_for(unit_user)

    # 1. The public proposes a topic and supports it with SMS codes.
    r = api.post(
        "/api/v1/topics/",
        {
            "title": "老旧小区加装电梯推进缓慢",
            "description": "多个小区申请两年未动工",
            "area": tree.county.code,
        },
        format="json",
    )
    assert r.status_code == 201 and r.json()["status"] == "proposed"
    topic_id = r.json()["id"]
    r, _ = support(api, caplog, topic_id, "13812341234")
    assert r.status_code == 201 and r.json() == {"supports": 1}
    r, used_code = support(api, caplog, topic_id, "13912345678")
    assert r.json() == {"supports": 2}
    # the number is stored only as a keyed hash
    assert not TopicSupport.objects.filter(phone_hash__contains="13812341234").exists()
    assert len(TopicSupport.objects.first().phone_hash) == 64
    # a reused code: 400, nothing changed
    r = api.post(
        f"/api/v1/topics/{topic_id}/support/", {"phone": "13912345678", "code": used_code}, format="json"
    )
    assert r.status_code == 400
    # the same number again, with a fresh code: 409
    r, _ = support(api, caplog, topic_id, "13812341234")
    assert r.status_code == 409
    listing = api.get(f"/api/v1/topics/?area={tree.county.code}&ordering=-supports").json()
    assert listing["results"][0] == {
        **listing["results"][0],
        "id": topic_id,
        "supports": 2,
        "status": "proposed",
        "title": "老旧小区加装电梯推进缓慢",
    }

    # 2. Staff select it into the yearly plan.
    r = staff_api.post(f"/api/v1/topics/{topic_id}/select/", {"year": today.year}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "selected"
    assert Topic.objects.get(pk=topic_id).plan.year == today.year

    # 3. A special inquiry with questions answered by the unit, and a follow-up answered on the spot.
    r = staff_api.post(
        "/api/v1/activities/",
        {
            "kind": "special_inquiry",
            "title": "关于老旧小区加装电梯工作的专题询问",
            "area": tree.county.code,
            "topic": topic_id,
            "units": [unit.pk],
            "delegates": [delegate.pk],
            "place": "区人大常委会会议室",
            "committee_members": "张主任（区人大常委会副主任）",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    activity_id = r.json()["id"]
    assert r.json()["plan_year"] == today.year
    r = staff_api.post(
        f"/api/v1/activities/{activity_id}/questions/",
        {"unit": unit.pk, "text": "今年计划加装多少部电梯？进度如何？", "asked_by": delegate.pk},
        format="json",
    )
    assert r.status_code == 201
    q_id = r.json()["id"]
    assert r.json()["asked_by_label"] == "李桂兰"
    unit_questions = unit_api.get("/api/v1/questions/").json()["results"]
    assert [q["id"] for q in unit_questions] == [q_id]
    r = unit_api.post(
        f"/api/v1/questions/{q_id}/answer/",
        {"answer": "计划加装120部，已完成45部。", "mode": "written", "answered_by_label": "区住建局局长"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["status"] == "answered"
    r = staff_api.post(
        f"/api/v1/activities/{activity_id}/questions/",
        {"unit": unit.pk, "text": "剩余75部何时完成？", "parent": q_id, "asked_by_label": "张主任"},
        format="json",
    )
    follow_up = r.json()["id"]
    r = staff_api.post(
        f"/api/v1/questions/{follow_up}/answer/",
        {"answer": "年底前全部完成。", "mode": "on_site", "answered_by_label": "区住建局局长"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["answer_mode"] == "on_site" and r.json()["parent"] == q_id

    # 4. Deliberation opinions open a rectification with a deadline (default: 3 months).
    r = staff_api.post(
        f"/api/v1/activities/{activity_id}/opinions/",
        {
            "unit": unit.pk,
            "title": "关于加快老旧小区加装电梯的审议意见",
            "content": "一、简化审批；二、年底前完成。",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    first = r.json()["rectifications"][0]
    assert first["status"] == "open"
    assert first["due"] == str(next_workday(add_months(today, 3)))

    r = unit_api.get("/api/v1/rectifications/").json()["results"]
    assert [(x["id"], x["source"], x["status"], x["unit"]) for x in r] == [
        (first["id"], "opinion", "open", unit.pk)
    ]

    # 5. The unit reports.
    r = unit_api.post(
        f"/api/v1/rectifications/{first['id']}/report/",
        {"content": "已完成98部，余下年内完成。"},
        format="json",
    )
    assert r.status_code == 200 and r.json() == {"status": "reported"}

    # 6. An assessment of the report by the delegates comes out unsatisfied.
    voters = [delegate] + DelegateFactory.create_batch(2, area=tree.county)
    users = [delegate_user] + [
        UserFactory(username=f"voter{i}", role=User.Role.DELEGATE, delegate=d)
        for i, d in enumerate(voters[1:])
    ]
    r = staff_api.post(
        "/api/v1/assessments/",
        {
            "title": "对区住建局整改报告的满意度测评",
            "area": tree.county.code,
            "unit": unit.pk,
            "subject": "rectification",
            "roll": [d.pk for d in voters],
            "activity": activity_id,
            "rectification": first["id"],
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    a_id = r.json()["id"]
    assert staff_api.post(f"/api/v1/assessments/{a_id}/open/").json() == {"status": "open"}
    assert api.get(f"/api/v1/assessments/{a_id}/result/").status_code == 409  # no results while open
    for user, choice in zip(users, ["unsatisfied", "unsatisfied", "basically_satisfied"], strict=True):
        r = client_for(user).post(f"/api/v1/assessments/{a_id}/vote/", {"choice": choice}, format="json")
        assert r.status_code == 201, r.content
    r = staff_api.post(f"/api/v1/assessments/{a_id}/close/")
    assert r.status_code == 200
    result = api.get(f"/api/v1/assessments/{a_id}/result/").json()
    assert (result["satisfied"], result["basically_satisfied"], result["unsatisfied"], result["votes"]) == (
        0,
        1,
        2,
        3,
    )
    assert result["rate"] == pytest.approx(1 / 3) and result["outcome"] == "unsatisfied"

    # 7. ... which opens a second rectification, following up the first.
    second = Rectification.objects.get(pk=result["rectifications"][0]["id"])
    assert second.source == "assessment" and second.follow_up_of_id == first["id"] and second.unit == unit
    r = unit_api.get("/api/v1/rectifications/?status=open").json()["results"]
    assert [x["id"] for x in r] == [second.pk]

    # 8. A reminder before the deadline and an overdue warning, each exactly once.
    reminder_day = second.due - dt.timedelta(days=1)
    for _ in range(2):
        rectifications_sweep(today=reminder_day)
    after_due = second.due + dt.timedelta(days=1)
    for _ in range(2):
        rectifications_sweep(today=after_due)
    tasks.sweep_rectifications()  # the beat task itself (today): nothing new
    reminders = Notification.objects.filter(kind="rectification_reminder", channel="inbox")
    warnings = Notification.objects.filter(kind="rectification_overdue", channel="inbox")
    assert [n.recipient for n in reminders] == [unit_user]
    assert [n.recipient for n in warnings] == [staff]
    second.refresh_from_db()
    assert second.status == "overdue"
    assert list(second.events.values_list("kind", flat=True)) == ["opened", "reminded", "overdue"]

    # The public record of the activity shows the answers, the opinion, the rectification status and the result.
    record = api.get(f"/api/v1/activities/{activity_id}/").json()
    assert [q["answer_mode"] for q in record["questions"]] == ["written", "on_site"]
    assert record["opinions"][0]["rectifications"][0]["status"] == "reported"
    assert record["assessments"][0]["outcome"] == "unsatisfied"
    text = str(record)
    assert "13812341234" not in text and "13900000001" not in text  # no personal phone numbers
