"""A constituent supports a supervision topic on a phone, confirming with the SMS code the logging backend
wrote; the public activity page shows the rectification status — in headless Chromium."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from supervision.models import CollectionWindow, Topic, TopicSupport
from supervision.services.activities import activity_create
from supervision.services.questions import opinion_issue
from supervision.services.rectifications import rectification_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13812341234"


def test_constituent_supports_a_topic_with_an_sms_code(page, sms, tree):
    today = timezone.localdate()
    CollectionWindow.objects.create(
        area=tree.county, year=today.year, opens=today, closes=today + dt.timedelta(30)
    )
    topic = Topic.objects.create(
        title="老旧小区加装电梯推进缓慢",
        area=tree.county,
        year=today.year,
        proposer_kind="public",
        supports_count=0,
    )

    page.goto("/supervision/")
    page.get_by_role("link", name=topic.title).click()
    expect(page.locator("h1")).to_have_text(topic.title)
    expect(page.locator(".supports")).to_have_text("0")

    page.get_by_label("手机号码").fill(PHONE)
    page.get_by_role("button", name="获取验证码").click()
    code_box = page.get_by_label("短信验证码")
    expect(code_box).to_be_visible()
    code_box.fill(sms.code_for(PHONE))
    page.get_by_role("button", name="确认支持").click()

    expect(page.get_by_role("status")).to_contain_text("支持成功")
    expect(page.locator(".supports")).to_have_text("1")
    assert TopicSupport.objects.filter(topic=topic).count() == 1
    assert PHONE not in page.content()


def test_public_activity_page_shows_rectification_status(page, tree, unit, staff):
    activity = activity_create(
        kind="special_inquiry", title="城市照明专题询问", area=tree.county, units=[unit]
    )
    op = opinion_issue(
        activity_id=activity.pk, unit=unit, title="关于城市照明的审议意见", content="限期修复。"
    )
    rectification_report(rectification_id=op.rectifications.get().pk, unit=unit, content="已修复")

    page.goto(f"/supervision/activities/{activity.pk}/")
    expect(page.locator("h1")).to_have_text("城市照明专题询问")
    status = page.locator(".rectification .rect-status")
    expect(status).to_have_text("已报告")
    expect(status).to_be_visible()
