"""Duty record API: permissions, scoping, bad input (4xx changing nothing), self-reports under review."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from duties.models import DutyEntry, ReportBack, ReportBackRating, SelfReport
from duties.services.report_backs import report_back_hold, report_back_schedule

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def held(staff, station, delegate):
    rb = report_back_schedule(delegate_id=delegate.pk, station=station, scheduled_on=TODAY, actor=staff)
    return report_back_hold(report_back_id=rb.pk, report="述职报告", attendance=30, actor=staff)


def _png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buf, "PNG")
    return SimpleUploadedFile("evidence.png", buf.getvalue(), content_type="image/png")


def test_self_report_counts_only_after_staff_approve(client_for, delegate, delegate_user, staff, other_staff):
    me = client_for(delegate_user)
    r = me.post(
        "/api/v1/duty-self-reports/",
        {
            "kind": "congress_session",
            "occurred_on": TODAY.isoformat(),
            "note": "出席区人代会",
            "evidence": _png(),
        },
        format="multipart",
    )
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert r.json()["has_evidence"] is True and r.json()["status"] == "pending"
    assert not DutyEntry.objects.exists()
    # Staff of another county: 404; a delegate cannot approve.
    assert client_for(other_staff).post(f"/api/v1/duty-self-reports/{rid}/approve/").status_code == 404
    assert me.post(f"/api/v1/duty-self-reports/{rid}/approve/").status_code == 403
    assert client_for(staff).get("/api/v1/duty-self-reports/?status=pending").json()["count"] == 1
    assert client_for(other_staff).get("/api/v1/duty-self-reports/").json()["count"] == 0
    r = client_for(staff).post(f"/api/v1/duty-self-reports/{rid}/approve/")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert DutyEntry.objects.get().kind == "congress_session"
    assert client_for(staff).post(f"/api/v1/duty-self-reports/{rid}/approve/").status_code == 409
    assert DutyEntry.objects.count() == 1


def test_self_report_rejected_with_reason_never_counts(client_for, delegate_user, staff):
    me = client_for(delegate_user)
    r = me.post(
        "/api/v1/duty-self-reports/",
        {"kind": "award", "occurred_on": TODAY.isoformat(), "note": "获评优秀代表"},
        format="json",
    )
    rid = r.json()["id"]
    assert (
        client_for(staff).post(f"/api/v1/duty-self-reports/{rid}/reject/", {}, format="json").status_code
        == 400
    )
    r = client_for(staff).post(
        f"/api/v1/duty-self-reports/{rid}/reject/", {"reason": "无佐证"}, format="json"
    )
    assert r.json()["status"] == "rejected" and r.json()["reject_reason"] == "无佐证"
    assert not DutyEntry.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "reception_day", "occurred_on": TODAY.isoformat(), "note": "x"},  # the portal knows these
        {"kind": "award", "occurred_on": (TODAY + dt.timedelta(days=1)).isoformat(), "note": "x"},
        {"kind": "award", "occurred_on": TODAY.isoformat(), "note": ""},
    ],
)
def test_bad_self_reports_are_400(client_for, delegate_user, body):
    assert (
        client_for(delegate_user).post("/api/v1/duty-self-reports/", body, format="json").status_code == 400
    )
    assert not SelfReport.objects.exists()


def test_a_pdf_that_is_not_one_is_refused(client_for, delegate_user):
    fake = SimpleUploadedFile("x.pdf", b"%PDF-not really", content_type="application/pdf")
    r = client_for(delegate_user).post(
        "/api/v1/duty-self-reports/",
        {"kind": "award", "occurred_on": TODAY.isoformat(), "note": "x", "evidence": fake},
        format="multipart",
    )
    assert r.status_code == 400 and not SelfReport.objects.exists()


def test_cross_area_writes_are_404(client_for, other_staff, delegate, station, tree):
    c = client_for(other_staff)
    assert (
        c.post(
            "/api/v1/duty-adjustments/", {"delegate": delegate.pk, "points": 3, "reason": "x"}, format="json"
        )
    ).status_code == 404
    r = c.post(
        "/api/v1/report-backs/",
        {"delegate": delegate.pk, "station": station.pk, "scheduled_on": TODAY.isoformat()},
        format="json",
    )
    assert r.status_code == 404
    r = c.post(
        "/api/v1/trainings/",
        {
            "title": "培训",
            "held_on": TODAY.isoformat(),
            "area": tree.other_county.code,
            "attendees": [delegate.pk],
        },
        format="json",
    )
    assert r.status_code == 404
    assert not DutyEntry.objects.exists() and not ReportBack.objects.exists()


def test_adjustment_is_an_entry_with_reason_and_actor(client_for, staff, delegate):
    r = client_for(staff).post(
        "/api/v1/duty-adjustments/",
        {"delegate": delegate.pk, "points": -4, "reason": "缺席接待日"},
        format="json",
    )
    assert r.status_code == 201, r.content
    e = DutyEntry.objects.get()
    assert (e.kind, e.points, e.note, e.created_by) == ("adjustment", -4, "缺席接待日", staff)
    assert r.json()["points"] == -4
    score = client_for(staff).get("/api/v1/duty-scores/").json()["results"]
    assert [(x["delegate"], x["score"]) for x in score] == [(delegate.pk, -4)]


@pytest.mark.parametrize(
    "body", [{"points": 0, "reason": "x"}, {"points": 500, "reason": "x"}, {"points": 2}]
)
def test_bad_adjustments_are_400(client_for, staff, delegate, body):
    r = client_for(staff).post("/api/v1/duty-adjustments/", {"delegate": delegate.pk, **body}, format="json")
    assert r.status_code == 400 and not DutyEntry.objects.exists()


def test_huge_ids_are_400_not_500(client_for, staff):
    r = client_for(staff).post(
        "/api/v1/duty-adjustments/", {"delegate": 2**70, "points": 1, "reason": "x"}, format="json"
    )
    assert r.status_code == 400
    assert client_for(staff).get(f"/api/v1/duty-entries/?delegate={2**70}").status_code == 400


def test_entries_are_the_delegates_own_and_points_staff_only(
    client_for, delegate_user, other_delegate_user, other_delegate, staff, delegate
):
    client_for(staff).post(
        "/api/v1/duty-adjustments/",
        {"delegate": delegate.pk, "points": 2, "reason": "表现突出"},
        format="json",
    )
    assert client_for(delegate_user).get("/api/v1/duty-entries/").json()["count"] == 1
    assert client_for(other_delegate_user).get("/api/v1/duty-entries/").json()["count"] == 0
    assert (
        client_for(other_delegate_user).get(f"/api/v1/duty-entries/?delegate={delegate.pk}").json()["count"]
        == 0
    )
    assert client_for(delegate_user).get("/api/v1/duty-scores/").status_code == 403
    assert client_for(delegate_user).get("/api/v1/duty-scores/mine/").json()["score"] == 2


def test_rating_refusals_change_nothing(api, sms_code, held):
    url = f"/api/v1/report-backs/{held.pk}/ratings/"
    code = sms_code("13800000021")
    assert (
        api.post(
            url, {"phone": "13800000021", "code": "000000", "rating": "satisfied"}, format="json"
        ).status_code
        == 400
    )
    assert (
        api.post(url, {"phone": "13800000021", "code": code, "rating": "great"}, format="json").status_code
        == 400
    )
    assert (
        api.post(
            url, {"phone": "13800000021", "code": code, "rating": "satisfied"}, format="json"
        ).status_code
        == 201
    )
    # The same phone again, with a fresh code: 409, nothing counted.
    code = sms_code("13800000021")
    r = api.post(url, {"phone": "13800000021", "code": code, "rating": "unsatisfied"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "already_rated"
    held.refresh_from_db()
    assert (held.online_satisfied, held.online_unsatisfied, ReportBackRating.objects.count()) == (1, 0, 1)
    # Outside the window: 409.
    ReportBack.objects.filter(pk=held.pk).update(rating_closes_at=timezone.now() - dt.timedelta(seconds=1))
    code = sms_code("13800000022")
    r = api.post(url, {"phone": "13800000022", "code": code, "rating": "satisfied"}, format="json")
    assert r.status_code == 409 and ReportBackRating.objects.count() == 1
    # The rating hash is a keyed hash, never the number.
    assert "13800000021" not in ReportBackRating.objects.get().phone_hash


def test_rating_a_scheduled_report_back_is_409(api, sms_code, staff, station, delegate):
    rb = report_back_schedule(delegate_id=delegate.pk, station=station, scheduled_on=TODAY, actor=staff)
    code = sms_code("13800000023")
    r = api.post(
        f"/api/v1/report-backs/{rb.pk}/ratings/",
        {"phone": "13800000023", "code": code, "rating": "satisfied"},
        format="json",
    )
    assert r.status_code == 409


def test_result_is_not_public_before_close(api, client_for, staff, other_staff, held):
    assert api.get(f"/api/v1/report-backs/{held.pk}/result/").status_code == 404
    assert client_for(other_staff).get(f"/api/v1/report-backs/{held.pk}/result/").status_code == 404
    assert client_for(staff).get(f"/api/v1/report-backs/{held.pk}/result/").json()["votes"] == 0


def test_paper_tally_is_not_final_until_a_second_user_confirms(client_for, staff, staff2, other_staff, held):
    url = f"/api/v1/report-backs/{held.pk}/paper-tally/"
    body = {"satisfied": 5, "basically_satisfied": 1, "unsatisfied": 1}
    assert client_for(other_staff).post(url, body, format="json").status_code == 404
    assert client_for(staff).post(url, {**body, "satisfied": -1}, format="json").status_code == 400
    assert client_for(staff).post(url, body, format="json").status_code == 200
    held.refresh_from_db()
    assert held.tally().total == 0
    assert client_for(staff).post(url + "confirm/").status_code == 403
    assert client_for(staff2).post(url + "confirm/").status_code == 200
    held.refresh_from_db()
    assert held.tally().total == 7
    assert client_for(staff).post(url, body, format="json").status_code == 409


def test_anonymous_ratings_are_rate_limited(api, held, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report_back_rating": "2/h"}
    url = f"/api/v1/report-backs/{held.pk}/ratings/"
    codes = [
        api.post(
            url, {"phone": "13800000031", "code": "123456", "rating": "satisfied"}, format="json"
        ).status_code
        for _ in range(3)
    ]
    assert codes == [400, 400, 429]
