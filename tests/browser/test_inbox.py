"""A unit user on a phone, in headless Chromium: the header shows the unread count, the inbox lists the
messages, marking one read and then all read drops the count."""

import re

import pytest
from playwright.sync_api import expect

from liaison.notifications.services import Recipient, notify
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_menu(page):
    if not page.locator(".site-nav").is_visible():
        page.locator("[data-nav-toggle]").click()


def test_unread_count_inbox_and_mark_read(page, unit_user):
    for i, title in enumerate(["新的转办件：小区路灯不亮", "新的转办件：楼道堆放杂物"]):
        notify(
            [Recipient(user=unit_user)], kind="referral_new", key=f"b:{i}", subject=title, link="/workspace/"
        )

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(unit_user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    # On a phone the menu is folded: the count shows next to its button, and leads to the inbox.
    expect(page.get_by_test_id("inbox-unread-mini")).to_be_visible()
    expect(page.get_by_test_id("inbox-unread-mini")).to_have_text("2")
    _open_menu(page)
    expect(page.get_by_test_id("inbox-unread")).to_have_text("2")
    page.get_by_test_id("inbox-link").click()
    expect(page).to_have_url(re.compile(r"/workspace/inbox/$"))
    expect(page.locator(".inbox-list .inbox-unread")).to_have_count(2)
    expect(page.locator(".inbox-list")).to_contain_text("楼道堆放杂物")

    page.locator(".inbox-list li", has_text="小区路灯不亮").get_by_role("button", name="标为已读").click()
    expect(page).to_have_url(re.compile(r"/workspace/inbox/$"))
    expect(page.get_by_test_id("inbox-unread-mini")).to_have_text("1")
    expect(page.locator(".inbox-list .inbox-unread")).to_have_count(1)

    page.get_by_test_id("inbox-read-all").click()
    expect(page.get_by_test_id("inbox-unread-mini")).to_have_count(0)
    expect(page.get_by_test_id("inbox-unread")).to_have_count(0)
    expect(page.locator(".inbox-list .inbox-unread")).to_have_count(0)
