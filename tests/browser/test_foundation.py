"""A constituent on a phone: find a station by drilling down the area tree, open a delegate, see the
代表码 and ask for an appointment — in headless Chromium against the live server."""

import re

import pytest
from playwright.sync_api import expect

from stations.models import Appointment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_a_station_open_a_delegate_and_ask_for_an_appointment(
    page, tree, station, other_station, delegate
):
    page.goto("/")
    expect(page.locator("a.station-link", has_text=other_station.name)).to_be_visible()

    page.evaluate("window.sameDocument = true")  # survives only if htmx swaps in place, without a reload
    # Drill down 陕西省 › 商洛市 › 商州区 › 城关街道; htmx swaps the finder in place and pushes the URL.
    for name in ["陕西省", "商洛市", "商州区", "城关街道"]:
        page.locator("a.area-link", has_text=name).click()
        expect(page.locator(".breadcrumb strong")).to_have_text(name)
    expect(page).to_have_url(re.compile(rf"\?area={tree.township.code}$"))
    expect(page.locator("a.station-link", has_text=other_station.name)).to_have_count(0)
    assert page.evaluate("window.sameDocument") is True

    page.locator("a.station-link", has_text=station.name).click()
    expect(page.locator("h1")).to_have_text(station.name)

    page.get_by_role("link", name=delegate.name).click()
    expect(page.locator("h1")).to_have_text(delegate.name)
    expect(page.locator(".qr svg")).to_be_visible()

    page.get_by_role("link", name="预约见面").click()
    page.get_by_label("您的姓名").fill("王小明")
    page.get_by_label("手机号码").fill("13812341234")
    page.get_by_label("想谈的事").fill("想反映小区停车难，希望当面谈谈")
    page.get_by_label("见面地点（可选）").select_option(label=station.name)
    page.get_by_role("button", name="提交预约").click()

    code = page.locator(".appointment-code")
    expect(code).to_be_visible()
    appt = Appointment.objects.get()
    expect(code).to_have_text(appt.code)
    assert (appt.delegate_id, appt.station_id, appt.name) == (delegate.pk, station.pk, "王小明")

    page.get_by_role("link", name="查看预约进度").click()
    expect(page.locator(".status")).to_have_text("待答复")
    expect(page.locator("body")).not_to_contain_text("13812341234")
