"""Public forms on a phone, in headless Chromium: a 4xx answer is shown where the form is, and reloading the
page after a successful submission does not submit it again (post/redirect/get)."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from stations.models import Appointment
from supervision.models import CollectionWindow, Topic, TopicSupport

from .test_supervision import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_wrong_sms_code_shows_the_servers_message(page, sms, tree):  # noqa: F811
    today = timezone.localdate()
    CollectionWindow.objects.create(
        area=tree.county, year=today.year, opens=today, closes=today + dt.timedelta(30)
    )
    topic = Topic.objects.create(
        title="农村道路破损", area=tree.county, year=today.year, proposer_kind="public", supports_count=0
    )
    page.goto(f"/supervision/topics/{topic.pk}/")
    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    code_box = page.get_by_label("短信验证码")
    expect(code_box).to_be_visible()
    right = sms.code_for(PHONE)
    code_box.fill("000000" if right != "000000" else "111111")
    page.get_by_role("button", name="确认支持").click()

    alert = page.locator("#support-box [role=alert]")
    expect(alert).to_contain_text("验证码")
    expect(alert).to_be_in_viewport()
    expect(page.get_by_label("短信验证码")).to_be_visible()  # the box is still there to try again
    assert TopicSupport.objects.count() == 0


def test_reloading_after_booking_an_appointment_does_not_book_it_twice(page, tree, station, delegate):
    page.goto(f"/delegates/{delegate.pk}/appointment/")
    page.get_by_label("您的姓名").fill("王小明")
    page.get_by_label("手机号码").fill("13812341234")
    page.get_by_label("想谈的事").fill("想反映小区停车难")
    page.get_by_role("button", name="提交预约").click()
    code = page.locator(".appointment-code")
    expect(code).to_be_visible()
    appt = Appointment.objects.get()
    expect(code).to_have_text(appt.code)

    page.reload()
    expect(page.locator(".appointment-code")).to_have_text(appt.code)
    assert Appointment.objects.count() == 1  # F5 on the result page did not book again
    expect(page.locator("body")).not_to_contain_text("13812341234")
