"""Staff forms on a suggestion's page (reject, merge, refer): a refused post shows the page again, status 400,
with the error summary and the message beside the field — not a redirect with a message (issue 12, item 2)."""

import pytest
from django.test import Client

from tests.html import parse

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _shown_again(r, field: str, message: str):
    assert r.status_code == 400
    page = parse(r.content.decode())
    summary = page.find(".error-summary")
    assert summary is not None and message in summary.text
    inline = [e.text for e in page.find_all("ul.errorlist")] if field else []
    if field:
        assert any(message in t for t in inline), inline
        assert page.find(f"#id_{field}") is not None
    return page


def test_a_reject_without_a_reason_shows_the_form_again(make_suggestion, staff):
    s = make_suggestion()
    r = _login(staff).post(f"/workspace/suggestions/{s.pk}/reject/", {"reason": ""})
    _shown_again(r, "reason", "该字段是必填项")
    s.refresh_from_db()
    assert s.status == "submitted"


def test_a_merge_into_an_unknown_code_shows_the_form_again(make_suggestion, staff):
    s = make_suggestion()
    r = _login(staff).post(f"/workspace/suggestions/{s.pk}/merge/", {"into": "NOSUCHCODE"})
    page = _shown_again(r, "into", "找不到要合并到的意见建议。")
    assert page.find("#id_into").attrs["value"] == "NOSUCHCODE"  # what was typed stays
    s.refresh_from_db()
    assert s.status == "submitted"


def test_a_refer_without_a_lead_unit_shows_the_form_again(make_suggestion, staff, unit):
    s = make_suggestion()
    c = _login(staff)
    c.post(f"/workspace/suggestions/{s.pk}/accept/")
    r = c.post(f"/workspace/suggestions/{s.pk}/refer/", {"due_workdays": 10})
    _shown_again(r, "lead_unit", "该字段是必填项")
    assert not s.referrals.exists()


def test_a_refer_refused_by_the_state_machine_says_why_on_the_page(make_suggestion, staff, unit):
    s = make_suggestion()  # not accepted yet: it cannot be referred, and the page shows no referral form
    c = _login(staff)
    r = c.post(
        f"/workspace/suggestions/{s.pk}/refer/", {"lead_unit": unit.pk, "due_workdays": 10}, follow=True
    )
    assert r.redirect_chain[-1][1] == 302
    assert "只有已受理" in r.content.decode()
    assert not s.referrals.exists()


def test_a_valid_reject_still_redirects(make_suggestion, staff):
    s = make_suggestion()
    r = _login(staff).post(f"/workspace/suggestions/{s.pk}/reject/", {"reason": "不属于人大工作范围"})
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.status == "rejected"
