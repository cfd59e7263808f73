"""Formal-suggestion pages per role: the chain through forms (PRG), errors, scoping, fixed query counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motions.models import FormalSuggestion
from motions.services.filing import motion_save
from motions.services.handling import motion_contact, motion_refer, motion_register, motion_reply
from tests.factories import DelegateFactory

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def make(lead, n=1, session=None, **kw):
    return [motion_save(lead=lead, title=f"建议{i}", content="内容", session=session, **kw) for i in range(n)]


def test_delegate_files_through_the_page(delegate_user, cosigner_users):
    c = login(delegate_user)
    r = c.get("/workspace/motions/new/")
    assert r.status_code == 200 and "张明" in r.content.decode()
    r = c.post(
        "/workspace/motions/new/",
        {
            "title": "关于增设路灯的建议",
            "content": "东关社区道路照明不足。",
            "kind": "suggestion",
            "cosigners": [cosigner_users[0].delegate_id],
            "attachments": [SimpleUploadedFile("a.pdf", PDF_BYTES)],
            "action": "submit",
        },
    )
    assert r.status_code == 303, r.content
    m = FormalSuggestion.objects.get()
    assert r["Location"] == f"/workspace/motions/{m.pk}/"
    assert m.status == "submitted" and m.attachments.count() == 1
    # The co-signer confirms in their workspace.
    c2 = login(cosigner_users[0])
    assert "确认附议" in c2.get(f"/workspace/motions/{m.pk}/").content.decode()
    r = c2.post(f"/workspace/motions/{m.pk}/", {"action": "cosign"})
    assert r.status_code == 303 and m.cosigners.get().confirmed_at is not None


def test_bad_attachment_on_the_page_changes_nothing(delegate_user):
    r = login(delegate_user).post(
        "/workspace/motions/new/",
        {
            "title": "t",
            "content": "c",
            "kind": "suggestion",
            "attachments": [SimpleUploadedFile("x.pdf", b"<html>")],
            "action": "submit",
        },
    )
    assert r.status_code == 400 and "error-summary" in r.content.decode()
    assert not FormalSuggestion.objects.exists()


def test_draft_page(delegate_user):
    c = login(delegate_user)
    r = c.post(
        "/workspace/motions/new/", {"title": "t", "content": "c", "kind": "suggestion", "action": "draft"}
    )
    m = FormalSuggestion.objects.get()
    assert r.status_code == 303 and m.status == "draft"
    r = c.post(f"/workspace/motions/{m.pk}/", {"action": "submit"})
    m.refresh_from_db()
    assert r.status_code == 303 and m.status == "submitted"


def test_staff_unit_and_rating_pages(delegate_user, staff, unit, unit_user, other_unit, other_staff):
    (m,) = make(delegate_user.delegate)
    s = login(staff)
    assert login(other_staff).get(f"/workspace/motions/staff/{m.pk}/").status_code == 404
    assert s.post(f"/workspace/motions/staff/{m.pk}/", {"action": "register"}).status_code == 303
    r = s.post(
        f"/workspace/motions/staff/{m.pk}/",
        {"action": "refer", "lead_unit": unit.pk, "cohandling_units": [other_unit.pk], "key": "on"},
    )
    assert r.status_code == 400  # key without a leader
    r = s.post(
        f"/workspace/motions/staff/{m.pk}/",
        {"action": "refer", "lead_unit": unit.pk, "key": "on", "leader": "王副主任"},
    )
    assert r.status_code == 303
    m.refresh_from_db()
    assert m.status == "referred" and m.leader == "王副主任"

    u = login(unit_user)
    assert m.title in u.get("/workspace/motions/unit/").content.decode()
    reply = {"action": "reply", "reply_class": "A", "content": "已安装路灯。", "public": "on"}
    r = u.post(f"/workspace/motions/unit/{m.pk}/", reply)
    assert r.status_code == 400 and "先沟通后答复" in r.content.decode()
    r = u.post(f"/workspace/motions/unit/{m.pk}/", {"action": "contact", "way": "meeting", "note": "座谈"})
    assert r.status_code == 303
    assert u.post(f"/workspace/motions/unit/{m.pk}/", reply).status_code == 303
    m.refresh_from_db()
    assert m.status == "replied" and m.reply_public

    d = login(delegate_user)
    assert "rating-form" in d.get(f"/workspace/motions/{m.pk}/").content.decode()
    assert d.post(f"/workspace/motions/{m.pk}/", {"action": "rate", "rating": "bad"}).status_code == 400
    r = d.post(f"/workspace/motions/{m.pk}/", {"action": "rate", "rating": "satisfied"})
    assert r.status_code == 303
    m.refresh_from_db()
    assert m.status == "closed"

    page = Client().get("/motions/").content.decode()
    assert m.title in page and "王副主任" in page and "A类" in page
    stats = s.get("/workspace/motions/staff/stats/").content.decode()
    assert 'id="stat-done">100%' in stats
    r = s.get("/workspace/motions/staff/export/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def _chain(lead, staff, unit, unit_user, n, session):
    out = make(lead, n, session=session)
    for m in out:
        motion_register(motion_id=m.pk, actor=staff)
        motion_refer(motion_id=m.pk, lead_unit=unit, actor=staff)
        motion_contact(motion_id=m.pk, way="phone", note="电话", actor=unit_user)
        motion_reply(motion_id=m.pk, reply_class="B", content="答复", public=True, actor=unit_user)
    return out


@pytest.mark.parametrize("n", [2, 7])
def test_lists_run_a_fixed_number_of_queries(
    n, delegate_user, staff, unit, unit_user, session, django_assert_max_num_queries, cosigner_users
):
    lead = delegate_user.delegate
    _chain(lead, staff, unit, unit_user, n, session)
    DelegateFactory(area=lead.area)
    pages = [
        (Client(), f"/motions/?session={session.pk}", 8),
        (login(staff), "/workspace/motions/staff/", 12),
        (login(staff), "/workspace/motions/staff/stats/", 12),
        (login(unit_user), "/workspace/motions/unit/?show=all", 10),
        (login(delegate_user), "/workspace/motions/", 10),
    ]
    for client, url, limit in pages:
        client.get(url)  # warm the session and caches
        with django_assert_max_num_queries(limit):
            r = client.get(url)
        assert r.status_code == 200, url
    api_limit = 6
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff)
    with django_assert_max_num_queries(api_limit):
        assert api.get("/api/v1/motions/").status_code == 200
    with django_assert_max_num_queries(api_limit):
        assert APIClient().get("/api/v1/motions/public/").json()["count"] == n
    with django_assert_max_num_queries(api_limit):
        assert api.get(f"/api/v1/motions/stats/?session={session.pk}").json()["replied"] == n
    assert dt.date.today()
