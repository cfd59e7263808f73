"""The pages, driven through the Django test client as a browser would."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from suggestions.models import Referral, Suggestion, SuggestionEvent
from suggestions.services.referrals import referral_reply
from suggestions.services.triage import suggestion_reject

from .conftest import png_bytes

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _form(**kw):
    return {
        "title": "小区路灯不亮",
        "content": "3号楼前的路灯坏了。",
        "category": "urban",
        "name": "",
        "phone": "",
        **kw,
    }


def test_public_form_addressed_to_station_with_photo(client, station):
    r = client.get(f"/suggest/?station={station.pk}")
    assert r.status_code == 200 and station.name in r.content.decode()
    data = _form(station=station.pk, phone="13812341234")
    data["photos"] = [SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")]
    r = client.post(f"/suggest/?station={station.pk}", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    s = Suggestion.objects.get()
    assert s.station == station and s.photos.count() == 1
    r = client.get(r["Location"])
    page = r.content.decode()
    assert s.tracking_code in page and "<svg" in page and f"/track/{s.tracking_code}/" in page


def test_public_form_by_area_choice(client, tree):
    r = client.get(f"/suggest/?area={tree.township.code}")
    assert r.status_code == 200
    r = client.post("/suggest/", _form(area=tree.township.code))
    assert r.status_code == 302
    assert Suggestion.objects.get().area == tree.township


def test_public_form_to_delegate(client, delegate, tree):
    r = client.post(f"/suggest/?delegate={delegate.pk}", _form(delegate=delegate.pk))
    assert r.status_code == 302
    assert Suggestion.objects.get().delegate == delegate


def test_public_form_shows_the_services_field_error_on_the_form(client, station, other_delegate):
    """The delegate is real but not at this station: the service refuses it, and the form says why."""
    url = f"/suggest/?station={station.pk}&delegate={other_delegate.pk}"
    r = client.post(url, _form(station=station.pk, delegate=other_delegate.pk))
    assert r.status_code == 400
    assert r.context["form"].errors == {"__all__": ["该代表不在所选联络站。"]}
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    "kw",
    [{"title": ""}, {"content": ""}, {"title": "长" * 101}, {"phone": "123"}, {"area": ""}],
)
def test_public_form_bad_input(client, tree, kw):
    r = client.post("/suggest/", _form(**{"area": tree.township.code, **kw}))
    assert r.status_code == 400
    assert Suggestion.objects.count() == 0


def test_public_form_rejects_disguised_upload(client, station):
    data = _form(station=station.pk)
    data["photos"] = [SimpleUploadedFile("evil.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")]
    r = client.post(f"/suggest/?station={station.pk}", data)
    assert r.status_code == 400 and "JPEG" in r.content.decode()
    assert Suggestion.objects.count() == 0


def test_public_form_honeypot(client, station):
    r = client.post(f"/suggest/?station={station.pk}", _form(station=station.pk, website="x"))
    assert r.status_code == 400
    assert Suggestion.objects.count() == 0


@override_settings(RATE_LIMITS={"suggestion": "2/h", "rating": "20/h"})
def test_public_form_rate_limit(client, station):
    for _ in range(2):
        assert client.post(f"/suggest/?station={station.pk}", _form(station=station.pk)).status_code == 302
    assert client.post(f"/suggest/?station={station.pk}", _form(station=station.pk)).status_code == 429
    assert Suggestion.objects.count() == 2


def test_public_form_needs_csrf(station):
    c = Client(enforce_csrf_checks=True)
    assert c.post(f"/suggest/?station={station.pk}", _form(station=station.pk)).status_code == 403


def test_tracking_page_and_rating(client, referred, unit_user):
    r = client.get(f"/track/{referred.tracking_code}/")
    page = r.content.decode()
    assert r.status_code == 200 and "王小明" not in page and "13812341234" not in page and "1234" not in page
    assert 'name="rating"' not in page  # not replied yet
    lead = referred.referrals.get(role="lead")
    referral_reply(referral_id=lead.pk, result="solved", content="已修好", actor=unit_user)
    page = client.get(f"/track/{referred.tracking_code}/").content.decode()
    assert "已修好" in page and 'name="rating"' in page
    r = client.post(f"/track/{referred.tracking_code}/", {"rating": "satisfied", "comment": ""})
    assert r.status_code == 302
    referred.refresh_from_db()
    assert referred.status == "closed"
    assert "已办结" in client.get(f"/track/{referred.tracking_code}/").content.decode()


def test_tracking_lookup(client, make_suggestion):
    s = make_suggestion()
    r = client.get("/track/", {"code": s.tracking_code.lower()})
    assert r.status_code == 302 and r["Location"].endswith(f"/track/{s.tracking_code}/")
    assert client.get("/track/AAAAAAAAAA/").status_code == 404


def test_staff_pages_need_login_and_role(client, unit_user, tree):
    assert client.get("/workspace/suggestions/").status_code == 302
    assert _login(unit_user).get("/workspace/suggestions/").status_code == 403


def test_staff_queue_and_triage(make_suggestion, staff, unit, other_station):
    a = make_suggestion()
    b = make_suggestion(title="公交班次太少", content="到城区的公交每天三班。")
    theirs = make_suggestion(station=other_station)
    c = _login(staff)
    page = c.get("/workspace/suggestions/").content.decode()
    assert a.title in page and b.title in page and theirs.tracking_code not in page
    assert page.index(a.tracking_code) < page.index(b.tracking_code)  # oldest first
    assert "tag-green" in page
    assert b.title not in c.get("/workspace/suggestions/", {"q": "路灯"}).content.decode()
    # Detail of another county: 404.
    assert c.get(f"/workspace/suggestions/{theirs.pk}/").status_code == 404
    page = c.get(f"/workspace/suggestions/{a.pk}/").content.decode()
    assert "138****1234" in page and "13812341234" not in page
    # Accept, then refer.
    assert c.post(f"/workspace/suggestions/{a.pk}/accept/").status_code == 302
    r = c.post(f"/workspace/suggestions/{a.pk}/refer/", {"lead_unit": unit.pk, "due_workdays": 10})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == "referred" and a.referrals.get().unit == unit
    # Reject without reason: a message, nothing changes.
    c.post(f"/workspace/suggestions/{b.pk}/reject/", {"reason": ""})
    b.refresh_from_db()
    assert b.status == "submitted"
    # Illegal transition: a message, not a 500.
    r = c.post(f"/workspace/suggestions/{a.pk}/accept/", follow=True)
    assert r.status_code == 200 and "只有待受理的可以受理" in r.content.decode()


def test_full_contact_is_logged(make_suggestion, staff, other_staff):
    s = make_suggestion()
    page = _login(staff).get(f"/workspace/suggestions/{s.pk}/contact/").content.decode()
    assert "13812341234" in page
    ev = SuggestionEvent.objects.get(kind="contact_viewed")
    assert ev.actor == staff and not ev.public
    assert _login(other_staff).get(f"/workspace/suggestions/{s.pk}/contact/").status_code == 404
    assert SuggestionEvent.objects.filter(kind="contact_viewed").count() == 1


def test_similar_shown_on_triage(make_suggestion, staff):
    a = make_suggestion()
    b = make_suggestion(content="东关社区3号楼路灯不亮好久了。")
    page = _login(staff).get(f"/workspace/suggestions/{b.pk}/").content.decode()
    assert "相似" in page and f"/workspace/suggestions/{a.pk}/" in page


def test_merge_page(make_suggestion, staff):
    a, b = make_suggestion(), make_suggestion()
    _login(staff).post(f"/workspace/suggestions/{b.pk}/merge/", {"into": a.tracking_code})
    b.refresh_from_db()
    assert b.status == "merged" and b.merged_into == a


def test_staff_intake_of_a_letter(staff, tree):
    c = _login(staff)
    r = c.post("/workspace/suggestions/new/", _form(channel="letter", area=tree.village.code))
    assert r.status_code == 302
    s = Suggestion.objects.get()
    assert s.channel == "letter" and s.area == tree.village
    # An area outside the staff's subtree is not a choice.
    r = c.post("/workspace/suggestions/new/", _form(channel="letter", area=tree.other_township.code))
    assert r.status_code == 400 and Suggestion.objects.count() == 1


def test_unit_pages(referred, unit_user, other_unit_user):
    lead = referred.referrals.get(role="lead")
    c = _login(unit_user)
    page = c.get("/workspace/referrals/").content.decode()
    assert referred.title in page
    assert _login(other_unit_user).get(f"/workspace/referrals/{lead.pk}/").status_code == 404
    assert c.post(f"/workspace/referrals/{lead.pk}/", {"action": "accept"}).status_code == 302
    lead.refresh_from_db()
    assert lead.status == "accepted"
    r = c.post(f"/workspace/referrals/{lead.pk}/", {"action": "reply", "result": "solved", "content": "已修"})
    assert r.status_code == 302
    referred.refresh_from_db()
    assert referred.status == "replied"


def test_unit_return_and_staff_review(referred, unit_user, staff):
    lead = referred.referrals.get(role="lead")
    _login(unit_user).post(f"/workspace/referrals/{lead.pk}/", {"action": "return", "reason": "非本单位职责"})
    lead.refresh_from_db()
    assert lead.status == Referral.Status.RETURN_REQUESTED
    c = _login(staff)
    assert "非本单位职责" in c.get("/workspace/suggestions/returned/").content.decode()
    c.post("/workspace/suggestions/returned/", {"referral": lead.pk, "decision": "accept"})
    lead.refresh_from_db()
    assert lead.status == Referral.Status.RETURNED and lead.return_reviewed_at is not None


def test_unit_extension_and_staff_decision(referred, unit_user, staff):
    import datetime as dt

    lead = referred.referrals.get(role="lead")
    due = (lead.due + dt.timedelta(days=3)).isoformat()
    _login(unit_user).post(
        f"/workspace/referrals/{lead.pk}/", {"action": "extension", "requested_due": due, "reason": "需招标"}
    )
    ext = lead.extensions.get()
    c = _login(staff)
    assert "需招标" in c.get("/workspace/suggestions/extensions/").content.decode()
    c.post("/workspace/suggestions/extensions/", {"extension": ext.pk, "decision": "grant", "note": ""})
    lead.refresh_from_db()
    assert lead.due.isoformat() == due


def test_delegate_raises_and_sees_own(delegate_user, delegate):
    c = _login(delegate_user)
    r = c.post(
        "/workspace/my-suggestions/new/",
        {"title": "关于农村饮水的建议", "content": "建议改造管网。", "category": "agriculture", "area": ""},
    )
    assert r.status_code == 302
    s = Suggestion.objects.get()
    assert s.channel == "delegate" and s.raised_by_delegate == delegate and s.area == delegate.area
    assert s.title in c.get("/workspace/my-suggestions/").content.decode()


def test_stats_and_exports(referred, staff, other_staff):
    c = _login(staff)
    page = c.get("/workspace/suggestions/stats/").content.decode()
    assert 'id="stat-received">1<' in page
    r = c.get("/workspace/suggestions/export.csv")
    body = b"".join(r.streaming_content).decode("utf-8-sig")
    assert r.status_code == 200 and referred.tracking_code in body and "13812341234" not in body
    r = c.get("/workspace/suggestions/export.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(b"".join(r.streaming_content)))
    values = [c.value for row in wb.active.iter_rows() for c in row]
    assert referred.tracking_code in values
    # Another county's staff get an empty register.
    body = b"".join(_login(other_staff).get("/workspace/suggestions/export.csv").streaming_content).decode(
        "utf-8-sig"
    )
    assert referred.tracking_code not in body


def test_workspace_links(staff, unit_user, delegate_user):
    from django.apps import apps

    cfg = apps.get_app_config("suggestions")
    assert [u for _t, u in cfg.workspace_links(staff)] == [
        "/workspace/suggestions/",
        "/workspace/suggestions/stats/",
    ]
    assert [u for _t, u in cfg.workspace_links(unit_user)] == ["/workspace/referrals/"]
    assert [u for _t, u in cfg.workspace_links(delegate_user)] == ["/workspace/my-suggestions/"]


def test_staff_queue_filters_by_area_station_and_status(make_suggestion, staff, tree, station):
    from tests.factories import StationFactory

    elsewhere = StationFactory(name="东关社区联络点", area=tree.village)
    a = make_suggestion(title="甲事项")
    b = make_suggestion(title="乙事项", station=elsewhere)
    suggestion_reject(suggestion_id=a.pk, reason="重复", actor=staff)
    c = _login(staff)
    page = c.get("/workspace/suggestions/").content.decode()
    assert "乙事项" in page and "甲事项" not in page  # open ones by default
    page = c.get("/workspace/suggestions/", {"status": "all"}).content.decode()
    assert "甲事项" in page and "乙事项" in page
    page = c.get("/workspace/suggestions/", {"status": "all", "station": station.pk}).content.decode()
    assert "甲事项" in page and "乙事项" not in page
    page = c.get("/workspace/suggestions/", {"status": "all", "area": tree.village.code}).content.decode()
    assert "乙事项" in page and "甲事项" not in page
    assert b.pk
