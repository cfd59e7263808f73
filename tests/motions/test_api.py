"""Formal suggestions API: bad input and security (issue 14), drafts, attachments, motions, scoping."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from motions.models import Attachment, Contact, Cosigner, FormalSuggestion
from suggestions.models import Reply, Suggestion
from tests.factories import DelegateFactory

from .conftest import PDF_BYTES, at, png_bytes

pytestmark = pytest.mark.django_db


def file(delegate_user, client_for, **kw):
    data = {"title": "关于增设公交线路的建议", "content": "建议增设城关至工业园的公交线路。", **kw}
    r = client_for(delegate_user).post("/api/v1/motions/", data, format="json")
    assert r.status_code == 201, r.content
    return r.json()["id"]


def referred(delegate_user, client_for, staff, unit, **kw):
    pk = file(delegate_user, client_for, **kw)
    api = client_for(staff)
    api.post(f"/api/v1/motions/{pk}/register/")
    r = api.post(f"/api/v1/motions/{pk}/refer/", {"lead_unit": unit.pk}, format="json")
    assert r.status_code == 200, r.content
    return pk


def test_cosigner_of_another_congress_is_refused(delegate_user, other_delegate, client_for, tree):
    township = DelegateFactory(level="township", area=tree.county)
    for bad in ([other_delegate.pk], [township.pk], [delegate_user.delegate_id], [2**70]):
        r = client_for(delegate_user).post(
            "/api/v1/motions/", {"title": "t", "content": "c", "cosigners": bad}, format="json"
        )
        assert r.status_code == 400, (bad, r.content)
    assert not FormalSuggestion.objects.exists() and not Suggestion.objects.exists()


def test_uninvited_or_other_congress_delegate_cannot_cosign(
    delegate_user, other_delegate_user, cosigner_users, client_for
):
    pk = file(delegate_user, client_for)
    assert client_for(other_delegate_user).post(f"/api/v1/motions/{pk}/cosign/").status_code == 404
    assert client_for(cosigner_users[0]).post(f"/api/v1/motions/{pk}/cosign/").status_code == 404
    assert not Cosigner.objects.exists()


def test_attachments_checked_by_content(delegate_user, client_for):
    api = client_for(delegate_user)
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    r = api.post(
        "/api/v1/motions/", {"title": "t", "content": "c", "attachments": [fake]}, format="multipart"
    )
    assert r.status_code == 400 and "attachments" in r.json()["errors"], r.content
    assert not FormalSuggestion.objects.exists()
    good = [
        SimpleUploadedFile("a.pdf", PDF_BYTES, content_type="application/octet-stream"),
        SimpleUploadedFile("b.txt", png_bytes(), content_type="text/plain"),
    ]
    r = api.post("/api/v1/motions/", {"title": "t", "content": "c", "attachments": good}, format="multipart")
    assert r.status_code == 201, r.content
    assert sorted(Attachment.objects.values_list("ext", flat=True)) == ["pdf", "png"]


@override_settings(MOTION_ATTACHMENT_MAX_BYTES=20)
def test_attachment_too_large(delegate_user, client_for):
    pk = file(delegate_user, client_for, draft=True)
    big = SimpleUploadedFile("a.pdf", PDF_BYTES)
    r = client_for(delegate_user).post(f"/api/v1/motions/{pk}/attachments/", {"attachments": [big]})
    assert r.status_code == 400
    assert not Attachment.objects.exists()


def test_draft_then_submit(delegate_user, client_for, staff):
    pk = file(delegate_user, client_for, draft=True)
    m = FormalSuggestion.objects.get(pk=pk)
    assert m.status == "draft" and m.suggestion is None
    # Staff do not see drafts.
    assert client_for(staff).get("/api/v1/motions/").json()["count"] == 0
    r = client_for(delegate_user).post(f"/api/v1/motions/{pk}/submit/")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    assert client_for(staff).get("/api/v1/motions/").json()["count"] == 1


def test_filed_between_sessions_has_no_session(delegate_user, client_for, session):
    with at(dt.date(2026, 8, 1)):
        pk = file(delegate_user, client_for)
    assert FormalSuggestion.objects.get(pk=pk).session is None


@override_settings(MOTION_COSIGNERS_REQUIRED=2)
def test_motion_needs_enough_cosigners(delegate_user, cosigner_users, client_for, staff):
    ids = [c.delegate_id for c in cosigner_users]
    one = file(delegate_user, client_for, kind="motion", cosigners=ids)
    two = file(delegate_user, client_for, kind="motion", cosigners=ids)
    for c in cosigner_users:
        client_for(c).post(f"/api/v1/motions/{two}/cosign/")
    client_for(cosigner_users[0]).post(f"/api/v1/motions/{one}/cosign/")
    for pk in (one, two):
        client_for(staff).post(f"/api/v1/motions/{pk}/register/")
    assert FormalSuggestion.objects.get(pk=one).kind == "suggestion"
    assert FormalSuggestion.objects.get(pk=two).kind == "motion"


def test_reference_with_reason(delegate_user, client_for, staff):
    pk = file(delegate_user, client_for)
    r = client_for(staff).post(f"/api/v1/motions/{pk}/reference/", {}, format="json")
    assert r.status_code == 400
    r = client_for(staff).post(f"/api/v1/motions/{pk}/reference/", {"reason": "属工作建议"}, format="json")
    assert r.json()["status"] == "reference"
    assert FormalSuggestion.objects.get(pk=pk).suggestion.reject_reason == "属工作建议"


def test_key_needs_a_leader(delegate_user, client_for, staff, unit):
    pk = file(delegate_user, client_for)
    client_for(staff).post(f"/api/v1/motions/{pk}/register/")
    r = client_for(staff).post(
        f"/api/v1/motions/{pk}/refer/", {"lead_unit": unit.pk, "key": True}, format="json"
    )
    assert r.status_code == 400
    assert FormalSuggestion.objects.get(pk=pk).status == "registered"


def test_other_area_staff_get_404(delegate_user, client_for, other_staff, staff, unit):
    pk = file(delegate_user, client_for)
    api = client_for(other_staff)
    assert api.get(f"/api/v1/motions/{pk}/").status_code == 404
    assert api.post(f"/api/v1/motions/{pk}/register/").status_code == 404
    assert api.get("/api/v1/motions/").json()["count"] == 0
    assert FormalSuggestion.objects.get(pk=pk).status == "submitted"


def test_refer_to_a_unit_outside_the_area_is_refused(delegate_user, client_for, staff, tree):
    from tests.factories import HandlingUnitFactory

    far = HandlingUnitFactory(name="洛南县水利局", area=tree.other_county)
    pk = file(delegate_user, client_for)
    client_for(staff).post(f"/api/v1/motions/{pk}/register/")
    r = client_for(staff).post(f"/api/v1/motions/{pk}/refer/", {"lead_unit": far.pk}, format="json")
    assert r.status_code == 400
    r = client_for(staff).post(f"/api/v1/motions/{pk}/refer/", {"lead_unit": 2**70}, format="json")
    assert r.status_code == 400


def test_unit_not_addressed_cannot_contact_or_reply(
    delegate_user, client_for, staff, unit, other_unit_user, unit_user
):
    pk = referred(delegate_user, client_for, staff, unit)
    api = client_for(other_unit_user)
    assert (
        api.post(f"/api/v1/motions/{pk}/contact/", {"way": "visit", "note": "x"}, format="json").status_code
        == 404
    )
    r = api.post(f"/api/v1/motions/{pk}/reply/", {"class": "A", "content": "x"}, format="json")
    assert r.status_code == 404
    r = client_for(unit_user).post(
        f"/api/v1/motions/{pk}/reply/", {"class": "D", "content": "x"}, format="json"
    )
    assert r.status_code == 400
    assert not Reply.objects.exists() and not Contact.objects.exists()


def test_reply_through_the_suggestions_unit_api_also_needs_a_contact(
    delegate_user, client_for, staff, unit, unit_user
):
    """One machine: the contact rule holds on the suggestions referral API too."""
    pk = referred(delegate_user, client_for, staff, unit)
    ref = FormalSuggestion.objects.get(pk=pk).suggestion.referrals.get()
    r = client_for(unit_user).post(
        f"/api/v1/referrals/{ref.pk}/reply/", {"result": "solved", "content": "已办"}, format="json"
    )
    assert r.status_code == 409, r.content
    assert not Reply.objects.exists()


def test_rating_only_by_lead_and_not_by_tracking_code(
    delegate_user, cosigner_users, client_for, staff, unit, unit_user, api
):
    pk = referred(delegate_user, client_for, staff, unit, cosigners=[cosigner_users[0].delegate_id])
    client_for(unit_user).post(
        f"/api/v1/motions/{pk}/contact/", {"way": "phone", "note": "电话"}, format="json"
    )
    client_for(unit_user).post(
        f"/api/v1/motions/{pk}/reply/", {"class": "C", "content": "暂难"}, format="json"
    )
    m = FormalSuggestion.objects.get(pk=pk)
    client_for(cosigner_users[0]).post(f"/api/v1/motions/{pk}/cosign/")
    r = client_for(cosigner_users[0]).post(
        f"/api/v1/motions/{pk}/rating/", {"rating": "satisfied"}, format="json"
    )
    assert r.status_code == 403
    r = api.post(
        f"/api/v1/track/{m.suggestion.tracking_code}/rating/", {"rating": "satisfied"}, format="json"
    )
    assert r.status_code in (403, 404), r.content
    r = client_for(delegate_user).post(f"/api/v1/motions/{pk}/rating/", {"rating": "great"}, format="json")
    assert r.status_code == 400
    assert FormalSuggestion.objects.get(pk=pk).status == "replied"


def test_delegate_sees_own_and_cosigned_only(delegate_user, cosigner_users, client_for):
    mine = file(delegate_user, client_for, cosigners=[cosigner_users[0].delegate_id])
    c0, c1 = client_for(cosigner_users[0]), client_for(cosigner_users[1])
    assert [x["id"] for x in c0.get("/api/v1/motions/").json()["results"]] == [mine]
    assert c1.get("/api/v1/motions/").json()["count"] == 0
    assert c1.get(f"/api/v1/motions/{mine}/").status_code == 404


def test_list_filters(delegate_user, client_for, staff, unit):
    a = referred(delegate_user, client_for, staff, unit)
    file(delegate_user, client_for)
    api = client_for(staff)
    assert [x["id"] for x in api.get("/api/v1/motions/?status=referred").json()["results"]] == [a]
    assert api.get("/api/v1/motions/?status=nope").status_code == 400
    assert api.get("/api/v1/motions/?session=abc").status_code == 400
    assert api.get("/api/v1/motions/?key=true").json()["count"] == 0


def test_stats_scoped(client_for, other_staff, staff, tree, api):
    assert client_for(other_staff).get(f"/api/v1/motions/stats/?area={tree.county.code}").status_code == 404
    assert api.get("/api/v1/motions/stats/").status_code in (401, 403)
    r = client_for(staff).get("/api/v1/motions/stats/?session=interim")
    assert r.status_code == 200 and r.json()["filed"] == 0 and r.json()["done_rate"] is None
