"""The issue's Done-when: the whole loop through the HTTP API, as the users would walk it, checking the
public tracking view and that no personal data leaks at every step."""

import json

import pytest

from liaison.notifications.models import Notification
from suggestions.models import Referral, Suggestion

pytestmark = pytest.mark.django_db

NAME, PHONE, EMAIL = "王小明", "13812341234", "wxm@example.cn"


def _no_personal_data(payload) -> None:
    text = json.dumps(payload, ensure_ascii=False, default=str)
    for secret in (NAME, PHONE, EMAIL, PHONE[-4:] + '"', "wxm@"):
        assert secret not in text, f"personal data {secret!r} leaked: {text}"


def _track(api, code) -> dict:
    r = api.get(f"/api/v1/track/{code}/")
    assert r.status_code == 200
    _no_personal_data(r.json())
    return r.json()


def test_the_whole_loop(api, client_for, staff, unit, other_unit, unit_user, other_unit_user, station):
    staff_api, unit_api, other_api = client_for(staff), client_for(unit_user), client_for(other_unit_user)

    # 1. An anonymous constituent submits.
    r = api.post(
        "/api/v1/suggestions/",
        {
            "title": "小区路灯不亮",
            "content": "东关社区3号楼前的路灯坏了一个月，晚上出门很不方便。",
            "station": station.pk,
            "category": "urban",
            "name": NAME,
            "phone": PHONE,
            "email": EMAIL,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    _no_personal_data(r.json())
    code = r.json()["tracking_code"]
    assert r.json()["status"] == "submitted"
    t = _track(api, code)
    assert [e["kind"] for e in t["events"]] == ["submitted"]
    sid = Suggestion.objects.get(tracking_code=code).pk

    # Staff see it in their list, contact masked.
    r = staff_api.get("/api/v1/suggestions/")
    assert r.status_code == 200
    row = next(x for x in r.json()["results"] if x["tracking_code"] == code)
    assert row["contact"]["phone"] == "138****1234"
    assert PHONE not in json.dumps(r.json())

    # 2. Staff accept, 3. refer to a lead and an assisting unit.
    assert staff_api.post(f"/api/v1/suggestions/{sid}/accept/").json() == {"status": "accepted"}
    r = staff_api.post(
        f"/api/v1/suggestions/{sid}/refer/",
        {"lead_unit": unit.pk, "assisting_units": [other_unit.pk], "due_workdays": 10},
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["status"] == "referred"
    assert {(x["unit"], x["role"]) for x in body["referrals"]} == {
        (unit.pk, "lead"),
        (other_unit.pk, "assisting"),
    }
    t = _track(api, code)
    assert t["status"] == "referred"
    assert "商州区住房和城乡建设局（主办）" in t["events"][-1]["text"]

    # 4. The units reply: assisting first (attached, nothing moves), then the lead.
    lead = Referral.objects.get(suggestion_id=sid, role="lead", round=1)
    assisting = Referral.objects.get(suggestion_id=sid, role="assisting", round=1)
    assert [x["id"] for x in unit_api.get("/api/v1/referrals/").json()["results"]] == [lead.pk]
    assert unit_api.post(f"/api/v1/referrals/{lead.pk}/accept/").json() == {"status": "accepted"}
    r = other_api.post(
        f"/api/v1/referrals/{assisting.pk}/reply/",
        {"result": "solved", "content": "已配合维修线路。"},
        format="json",
    )
    assert r.status_code == 200
    assert _track(api, code)["status"] == "referred"
    r = unit_api.post(
        f"/api/v1/referrals/{lead.pk}/reply/",
        {"result": "in_progress", "content": "已列入维修计划。"},
        format="json",
    )
    assert r.status_code == 200, r.content
    t = _track(api, code)
    assert t["status"] == "replied"
    assert {x["content"] for x in t["replies"]} == {"已配合维修线路。", "已列入维修计划。"}
    # The rating request went to the email given (email before SMS).
    assert Notification.objects.filter(kind="rating_request", address=EMAIL).count() == 1

    # 5. Unsatisfied → reopened, round 2.
    r = api.post(
        f"/api/v1/track/{code}/rating/", {"rating": "unsatisfied", "comment": "还是黑的"}, format="json"
    )
    assert r.status_code == 201, r.content
    t = _track(api, code)
    assert t["status"] == "reopened"
    assert "还是黑的" not in json.dumps(t, ensure_ascii=False)  # the comment is internal
    # Rating again in the wrong state: 409, nothing changes.
    assert (
        api.post(f"/api/v1/track/{code}/rating/", {"rating": "satisfied"}, format="json").status_code == 409
    )

    # 6. Referred again (round 2), lead only.
    r = staff_api.post(f"/api/v1/suggestions/{sid}/refer/", {"lead_unit": unit.pk}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "referred"
    lead2 = Referral.objects.get(suggestion_id=sid, role="lead", round=2)
    assert _track(api, code)["status"] == "referred"

    # 7. Replied again.
    r = unit_api.post(
        f"/api/v1/referrals/{lead2.pk}/reply/",
        {"result": "solved", "content": "路灯已全部修复。"},
        format="json",
    )
    assert r.status_code == 200
    assert _track(api, code)["status"] == "replied"
    assert Notification.objects.filter(kind="rating_request", address=EMAIL).count() == 2

    # 8. Satisfied → closed.
    r = api.post(f"/api/v1/track/{code}/rating/", {"rating": "satisfied"}, format="json")
    assert r.status_code == 201 and r.json() == {"status": "closed"}
    t = _track(api, code)
    assert t["status"] == "closed"
    kinds = [e["kind"] for e in t["events"]]
    assert kinds == [
        "submitted",
        "accepted",
        "referred",
        "referral_accepted",
        "replied",
        "replied",
        "rating_requested",
        "rated",
        "reopened",
        "referred",
        "replied",
        "rating_requested",
        "rated",
        "closed",
    ]
    texts = " ".join(e["text"] for e in t["events"])
    assert "已受理" in texts and "已办结" in texts and "满意" in texts
