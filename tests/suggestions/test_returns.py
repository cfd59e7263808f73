"""退单: a unit's return is a request that staff review — accept it (back to triage when the lead unit
returned) or refuse it with a reason (the unit must handle it)."""

import pytest
from django.test import Client

from liaison.notifications.models import Notification
from suggestions.models import Referral

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _request_return(client_for, unit_user, ref, reason="不属于本单位职责"):
    r = client_for(unit_user).post(f"/api/v1/referrals/{ref.pk}/return/", {"reason": reason}, format="json")
    assert r.status_code == 200, r.content
    return r


def _field_errors(r) -> dict:
    body = r.json()
    return body.get("errors", body)  # {"detail", "code", "errors": {field: [...]}} or {field: [...]}


def _track_kinds(api, s) -> list[str]:
    return [e["kind"] for e in api.get(f"/api/v1/track/{s.tracking_code}/").json()["events"]]


def test_a_return_takes_no_effect_until_staff_review_it(api, client_for, referred, unit_user, staff):
    lead = referred.referrals.get(role="lead")
    assert _request_return(client_for, unit_user, lead).json() == {"status": "return_requested"}
    referred.refresh_from_db()
    assert referred.status == "referred"
    assert "referral_returned" not in _track_kinds(api, referred)
    assert (
        Notification.objects.filter(kind="referral_returned", recipient=staff, channel="inbox").count() == 1
    )
    # Staff list what waits for review; the unit still has it (and cannot reply meanwhile).
    waiting = client_for(staff).get("/api/v1/referrals/", {"status": "return_requested"}).json()
    assert [x["id"] for x in waiting["results"]] == [lead.pk]
    mine = client_for(unit_user).get("/api/v1/referrals/").json()["results"]
    assert [(x["id"], x["status"]) for x in mine] == [(lead.pk, "return_requested")]
    r = client_for(unit_user).post(
        f"/api/v1/referrals/{lead.pk}/reply/", {"result": "solved", "content": "已修"}, format="json"
    )
    assert r.status_code == 409


def test_accepting_the_lead_units_return_sends_it_back_to_triage(api, client_for, referred, unit_user, staff):
    lead = referred.referrals.get(role="lead")
    assisting = referred.referrals.get(role="assisting")
    _request_return(client_for, unit_user, lead)
    r = client_for(staff).post(f"/api/v1/referrals/{lead.pk}/return/accept/", format="json")
    assert r.status_code == 200 and r.json() == {"status": "returned"}
    referred.refresh_from_db()
    assert referred.status == "accepted"
    assisting.refresh_from_db()
    assert assisting.status == "cancelled"  # the round ends with its lead
    events = api.get(f"/api/v1/track/{referred.tracking_code}/").json()["events"]
    returned = [e for e in events if e["kind"] == "referral_returned"]
    assert len(returned) == 1 and "正在重新分办" in returned[0]["text"]
    accepted = Notification.objects.filter(kind="return_accepted", recipient=unit_user, channel="inbox")
    assert accepted.count() == 1
    # Twice is nothing new.
    assert client_for(staff).post(f"/api/v1/referrals/{lead.pk}/return/accept/").status_code == 200
    assert accepted.count() == 1


def test_accepting_an_assisting_units_return_only_ends_that_referral(
    api, client_for, referred, other_unit_user, staff
):
    assisting = referred.referrals.get(role="assisting")
    _request_return(client_for, other_unit_user, assisting)
    assert client_for(staff).post(f"/api/v1/referrals/{assisting.pk}/return/accept/").status_code == 200
    referred.refresh_from_db()
    assert referred.status == "referred"
    assert referred.referrals.get(role="lead").status == "pending"
    assert "referral_returned" not in _track_kinds(api, referred)  # nothing is re-routed


def test_refusing_a_return_needs_a_reason_and_the_unit_keeps_it(client_for, referred, unit_user, staff):
    lead = referred.referrals.get(role="lead")
    client_for(unit_user).post(f"/api/v1/referrals/{lead.pk}/accept/")
    _request_return(client_for, unit_user, lead)
    url = f"/api/v1/referrals/{lead.pk}/return/refuse/"
    r = client_for(staff).post(url, {}, format="json")
    assert r.status_code == 400 and "reason" in _field_errors(r)
    r = client_for(staff).post(url, {"reason": "路灯维护属于住建局职责"}, format="json")
    assert r.status_code == 200 and r.json() == {"status": "accepted"}
    body = client_for(unit_user).get(f"/api/v1/referrals/{lead.pk}/").json()
    assert body["status"] == "accepted" and body["return_refusal"] == "路灯维护属于住建局职责"
    note = Notification.objects.get(kind="return_refused", recipient=unit_user, channel="inbox")
    assert "路灯维护属于住建局职责" in note.subject
    referred.refresh_from_db()
    assert referred.status == "referred"
    r = client_for(unit_user).post(
        f"/api/v1/referrals/{lead.pk}/reply/", {"result": "solved", "content": "已修复"}, format="json"
    )
    assert r.status_code == 200


def test_review_is_for_staff_of_the_area(client_for, referred, unit_user, other_staff):
    lead = referred.referrals.get(role="lead")
    _request_return(client_for, unit_user, lead)
    assert client_for(unit_user).post(f"/api/v1/referrals/{lead.pk}/return/accept/").status_code == 403
    assert client_for(other_staff).post(f"/api/v1/referrals/{lead.pk}/return/accept/").status_code == 404
    r = client_for(other_staff).post(f"/api/v1/referrals/{lead.pk}/return/refuse/", {"reason": "x"})
    assert r.status_code == 404
    lead.refresh_from_db()
    assert lead.status == "return_requested"


def test_nothing_to_review_is_409(client_for, referred, staff):
    lead = referred.referrals.get(role="lead")
    assert client_for(staff).post(f"/api/v1/referrals/{lead.pk}/return/accept/").status_code == 409
    r = client_for(staff).post(f"/api/v1/referrals/{lead.pk}/return/refuse/", {"reason": "x"}, format="json")
    assert r.status_code == 409


def test_pages_review_a_return(referred, unit_user, staff):
    lead = referred.referrals.get(role="lead")
    unit_page = _login(unit_user)
    unit_page.post(f"/workspace/referrals/{lead.pk}/", {"action": "return", "reason": "非本单位职责"})
    r = unit_page.get(f"/workspace/referrals/{lead.pk}/")
    assert r.context["ref"].status == "return_requested" and r.context["can_act"] is False
    staff_page = _login(staff)
    listed = staff_page.get("/workspace/suggestions/returned/")
    assert [x.pk for x in listed.context["page_obj"]] == [lead.pk]
    r = staff_page.post("/workspace/suggestions/returned/", {"referral": lead.pk, "decision": "refuse"})
    assert r.status_code == 302
    lead.refresh_from_db()
    assert lead.status == "return_requested"  # a refusal needs a reason
    staff_page.post(
        f"/workspace/suggestions/{referred.pk}/return-refuse/",
        {"referral": lead.pk, "reason": "属于本单位职责"},
    )
    lead.refresh_from_db()
    assert lead.status == "pending" and lead.return_refusal == "属于本单位职责"
    r = unit_page.get(f"/workspace/referrals/{lead.pk}/")
    assert r.context["can_act"] is True and "属于本单位职责" in r.content.decode()
    assert list(staff_page.get("/workspace/suggestions/returned/").context["page_obj"]) == []


def test_staff_detail_offers_the_review(referred, unit_user, staff, client_for):
    lead = referred.referrals.get(role="lead")
    _request_return(client_for, unit_user, lead)
    page = _login(staff).get(f"/workspace/suggestions/{referred.pk}/")
    assert [r.pk for r in page.context["returns"]] == [lead.pk]
    _login(staff).post(f"/workspace/suggestions/{referred.pk}/return-accept/", {"referral": lead.pk})
    lead.refresh_from_db()
    assert lead.status == Referral.Status.RETURNED
