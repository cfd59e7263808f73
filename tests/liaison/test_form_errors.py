"""Form errors are seen: htmx swaps 4xx answers (static/js/portal.js), the server answers an htmx request with
the form or an alert retargeted into the page, and every full-page form shows an error summary at the top
linking to the fields, as well as the inline messages."""

import logging

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.html import parse
from tests.supervision.test_api_chain import sms_code

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def test_every_page_loads_the_htmx_error_handling_and_has_an_alert_region(client, tree):
    page = parse(client.get("/"))
    scripts = [s.attrs["src"] for s in page.find_all("script")]
    assert scripts.index("/static/django_htmx/htmx-2.min.js") < scripts.index("/static/js/portal.js")
    assert page.find("#page-alerts").attrs["aria-live"] == "assertive"


def test_a_wrong_sms_code_answers_htmx_with_the_box_and_its_message(client, tree, caplog):
    from supervision.models import Topic

    topic = Topic.objects.create(title="路灯", area=tree.county, year=2026, proposer_kind="public")
    url = f"/supervision/topics/{topic.pk}/support/"
    with caplog.at_level(logging.INFO, logger="liaison.sms"):
        client.post(url, {"action": "code", "phone": "13812341234"}, **HX)
    wrong = "000000" if sms_code(caplog, "13812341234") != "000000" else "111111"
    r = client.post(url, {"action": "support", "phone": "13812341234", "code": wrong}, **HX)
    assert r.status_code == 400
    box = parse(r)
    assert box.find("#support-box") is not None and box.find("html") is None
    assert "验证码" in box.find("#support-box [role=alert]").text


def test_a_page_level_error_to_htmx_is_an_alert_retargeted_into_the_page(client, tree):
    r = client.post("/supervision/topics/999/support/", {"action": "code"}, **HX)
    assert r.status_code == 404
    assert r["HX-Retarget"] == "#page-alerts" and r["HX-Reswap"] == "innerHTML"
    alert = parse(r).find("[role=alert]")
    assert alert.text == "页面不存在" and parse(r).find("html") is None
    # without htmx the same error is a whole page
    assert parse(client.post("/supervision/topics/999/support/", {"action": "code"})).find("html")


def _summary(response):
    page = parse(response)
    summary = page.find(".error-summary")
    assert summary is not None and summary.attrs["role"] == "alert"
    return page, summary


def test_appointment_form_shows_a_summary_linking_to_the_field_and_the_inline_message(client, delegate):
    r = client.post(
        reverse("appointment-new", args=[delegate.pk]),
        {"name": "王小明", "phone": "123", "subject": "停车难", "website": ""},
    )
    assert r.status_code == 400
    page, summary = _summary(r)
    assert summary.links() == {"#id_phone": "手机号码：请输入11位手机号码。"}
    assert page.find("#id_phone") is not None
    assert [e.text for e in page.find_all("form .errorlist li")] == ["请输入11位手机号码。"]


def test_suggestion_form_shows_a_summary(client, station):
    r = client.post(f"/suggest/?station={station.pk}", {"station": station.pk, "title": "", "content": "x"})
    assert r.status_code == 400
    _page, summary = _summary(r)
    assert "#id_title" in summary.links()


def test_proposal_form_shows_a_summary(client, tree):
    import datetime as dt

    from django.utils import timezone

    from voting.models import ProposalWindow

    today = timezone.localdate()
    ProposalWindow.objects.create(
        area=tree.county, year=today.year, opens_on=today, closes_on=today + dt.timedelta(days=9)
    )
    r = client.post("/proposals/new/", {"title": "", "description": "", "area": tree.township.pk})
    assert r.status_code == 400
    _page, summary = _summary(r)
    assert {"#id_title", "#id_description"} <= set(summary.links())


def test_login_failure_shows_a_summary(client, staff):
    r = client.post("/accounts/login/", {"username": "staff_sz", "password": PASSWORD + "x"})
    assert r.status_code == 200  # Django's LoginView answers 200 with the form
    _page, summary = _summary(r)
    assert "用户名" in summary.text or "密码" in summary.text
