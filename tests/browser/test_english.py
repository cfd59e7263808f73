"""English mode on a 1366×768 desktop (issue 12, item 8): the header's menu fits on one row, even with a
signed-in user and the up-to-three links that apps may add through `public_nav`, and dates read in English."""

import datetime as dt
import os

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import ReceptionDayFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOT_DIR", "")
# What second-wave apps may add to the public menu (AppConfig.public_nav): room for three short links.
EXTRA_LINKS = [("Duty record", "home"), ("Opinions", "home"), ("Reports", "home")]


def _english_desktop(page, live_server, user=None):
    page.set_viewport_size({"width": 1366, "height": 768})
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    if user is not None:
        c = Client()
        c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookies.append({"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url})
    page.context.add_cookies(cookies)


def _rows(page) -> list[float]:
    """The vertical middle of the brand and of every link and button in the header, in page order."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.site-header .brand, .site-nav a, .site-nav button')]
             .filter(e => e.offsetParent !== null)
             .map(e => { const r = e.getBoundingClientRect(); return Math.round(r.top + r.height / 2); })"""
    )


def _one_row(page, shot: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, shot))
    rows = _rows(page)
    assert len(rows) >= 10
    assert max(rows) - min(rows) <= 4, rows  # the brand and every link on the same row


def test_the_english_header_is_one_row_and_dates_are_english(page, live_server, station, monkeypatch):
    day = ReceptionDayFactory(station=station, date=timezone.localdate() + dt.timedelta(days=7))
    _english_desktop(page, live_server)
    page.goto(f"/stations/{station.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    d = day.date
    expect(page.locator(".day-list").first).to_contain_text(f"{d.day} {d:%B} {d.year} ({d:%A})")
    expect(page.locator(".day-list").first).not_to_contain_text("年")
    _one_row(page, "english-station-1366.png")


def test_the_english_header_keeps_one_row_for_a_signed_in_user_and_three_app_links(
    page, live_server, station, staff, monkeypatch
):
    from django.urls import reverse

    from liaison import context_processors

    monkeypatch.setattr(context_processors, "public_nav", lambda: [(t, reverse(n)) for t, n in EXTRA_LINKS])
    _english_desktop(page, live_server, staff)
    page.goto("/")
    expect(page.locator(".site-nav")).to_contain_text("Duty record")
    expect(page.locator(".site-nav")).to_contain_text("Log out")
    _one_row(page, "english-home-signed-in-1366.png")


def test_the_chinese_header_is_one_row_too(page, live_server, station, staff, monkeypatch):
    from django.urls import reverse

    from liaison import context_processors

    monkeypatch.setattr(
        context_processors,
        "public_nav",
        lambda: [(t, reverse("home")) for t in ("履职档案", "民意通", "报告")],
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    c = Client()
    c.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto("/")
    _one_row(page, "chinese-home-signed-in-1366.png")
