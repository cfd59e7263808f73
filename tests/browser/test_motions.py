"""A delegate files a formal suggestion on a phone-sized window and later rates the reply — headless Chromium."""

import re

import pytest
from playwright.sync_api import expect

from motions.models import FormalSuggestion
from motions.services.handling import motion_contact, motion_refer, motion_register, motion_reply
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_delegate_files_and_rates_on_a_phone(page, delegate_user, staff, unit, unit_user):
    assert page.viewport_size == {"width": 390, "height": 844}
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(delegate_user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.goto("/workspace/motions/new/")
    page.get_by_label("标题").fill("关于增设社区健身设施的建议")
    page.get_by_label("内容").fill("东关社区缺少健身场地，建议利用闲置地块建设。")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page).to_have_url(re.compile(r"/workspace/motions/\d+/$"))
    expect(page.locator(".motion-status")).to_have_text("待立案")

    m = FormalSuggestion.objects.get()
    motion_register(motion_id=m.pk, actor=staff)
    motion_refer(motion_id=m.pk, lead_unit=unit, actor=staff)
    motion_contact(motion_id=m.pk, way="visit", note="走访代表", actor=unit_user)
    motion_reply(
        motion_id=m.pk, reply_class="A", content="已在东关社区建成健身广场。", public=True, actor=unit_user
    )

    page.goto("/workspace/motions/")
    page.get_by_role("link", name="关于增设社区健身设施的建议").click()
    expect(page.locator("#reply")).to_contain_text("已在东关社区建成健身广场")
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".motion-status")).to_have_text("已办结")
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
