"""A constituent opens a delegate's page on a phone, sees this year's counts, and rates the delegate's
report-back with the SMS code the logging backend wrote — in headless Chromium."""


import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duties.models import ReportBack
from duties.services.report_backs import report_back_hold, report_back_schedule
from stations.services import reception_log_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13812345678"


def test_constituent_rates_a_report_back_on_a_phone(page, sms, station, delegate, staff):
    today = timezone.localdate()
    reception_log_create(
        delegate=delegate,
        station=station,
        held_on=today,
        visitors=12,
        summary="",
        items=["路灯不亮", "停车难"],
    )
    rb = report_back_schedule(delegate_id=delegate.pk, station=station, scheduled_on=today, actor=staff)
    report_back_hold(report_back_id=rb.pk, report="一年来，我接待选民……", attendance=40, actor=staff)

    page.goto(f"/delegates/{delegate.pk}/")
    assert page.viewport_size == {"width": 390, "height": 844}
    expect(page.locator(".count-reception-days")).to_have_text("1")
    expect(page.locator(".count-people")).to_have_text("12")
    expect(page.locator(".count-opinions")).to_have_text("2")
    expect(page.locator(".duty-counts")).not_to_contain_text("积分")

    page.locator(".duty-counts a").first.click()
    expect(page.locator("h1")).to_contain_text(delegate.name)
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    code_box = page.get_by_label("短信验证码")
    expect(code_box).to_be_visible()
    code_box.fill(sms.code_for(PHONE))
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()

    expect(page.locator(".messages")).to_contain_text("评价成功")
    rb = ReportBack.objects.get(pk=rb.pk)
    assert rb.online_satisfied == 1 and rb.ratings.count() == 1
    assert PHONE not in page.content()
