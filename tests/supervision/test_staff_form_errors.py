"""Screening a topic on the staff workspace (select for a year's plan, or decline with a reason): a refused
post shows the workspace again, status 400, with the error summary and the message beside that topic's field."""

import pytest
from django.test import Client

from supervision.models import Topic
from tests.html import parse

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def topics(tree):
    return [
        Topic.objects.create(title=f"议题{n}", area=tree.county, year=2026, proposer_kind="public")
        for n in (1, 2)
    ]


def test_a_decline_without_a_reason_shows_the_workspace_again(topics, staff):
    t = topics[1]
    r = _login(staff).post(f"/workspace/supervision/topics/{t.pk}/", {"action": "decline", "reason": ""})
    assert r.status_code == 400
    page = parse(r.content.decode())
    assert "该字段是必填项" in page.find(".error-summary").text
    field = page.find("#id_reason")  # only the refused topic's field carries the id the summary links to
    assert field is not None and field.attrs.get("aria-invalid") == "true"
    assert len(page.find_all(".error-summary")) == 1
    assert any("该字段是必填项" in e.text for e in page.find_all("ul.errorlist"))
    t.refresh_from_db()
    assert t.status == "proposed"


def test_a_year_out_of_range_shows_the_workspace_again_with_what_was_typed(topics, staff):
    t = topics[0]
    r = _login(staff).post(f"/workspace/supervision/topics/{t.pk}/", {"action": "select", "year": 1900})
    assert r.status_code == 400
    page = parse(r.content.decode())
    assert page.find(".error-summary") is not None
    assert page.find("#id_year").attrs["value"] == "1900"
    t.refresh_from_db()
    assert t.status == "proposed" and t.plan is None


def test_a_valid_decline_still_redirects(topics, staff):
    t = topics[0]
    r = _login(staff).post(
        f"/workspace/supervision/topics/{t.pk}/", {"action": "decline", "reason": "已在办理"}
    )
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.status == "declined"
