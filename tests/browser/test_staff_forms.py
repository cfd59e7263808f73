"""Staff on a phone, in headless Chromium: login lands on the triage queue, and the referral form's unit picker
filters the units grouped by area as one types."""

import re

import pytest
from playwright.sync_api import expect

from suggestions.services.intake import suggestion_submit
from suggestions.services.triage import suggestion_accept
from tests.conftest import PASSWORD
from tests.factories import HandlingUnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_lands_on_the_queue_and_filters_units_in_the_referral_picker(
    page, tree, staff, unit, other_unit
):
    HandlingUnitFactory(name="城关街道办事处", area=tree.township)
    s = suggestion_submit(title="路灯不亮", content="坏了一个月", area=tree.township)
    suggestion_accept(suggestion_id=s.pk, actor=staff)

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(staff.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/workspace/suggestions/$"))

    page.goto(f"/workspace/suggestions/{s.pk}/")
    assisting = page.locator("select[name=assisting_units]")
    search = page.locator("select[name=assisting_units]").locator("xpath=preceding-sibling::input[1]")
    search.fill("住房")
    visible = assisting.locator("option:not([hidden])")
    expect(visible).to_have_text([unit.name])
    expect(assisting.locator("optgroup:not([hidden])")).to_have_count(1)

    assisting.select_option(label=unit.name)
    expect(page.locator(".picker-chosen").last).to_contain_text(unit.name)
