"""A constituent on a phone opens a draft law, comments on one article, keeps the tracking code, and later
sees the outcome on the tracking page — in headless Chromium."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from legislation.models import Opinion
from legislation.services.compilation import draft_publish_feedback, opinion_forward, opinion_outcome
from legislation.services.drafts import draft_close, draft_create, draft_open, draft_report
from liaison.accounts.models import User
from tests.factories import UserFactory
from tests.legislation.texts import REAL_SHAPED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_constituent_comments_on_an_article_and_sees_the_outcome(page, tree):
    staff = UserFactory(username="staff_b", role=User.Role.STAFF, area=tree.county)
    today = timezone.localdate()
    draft = draft_create(
        user=staff,
        title="商洛市物业管理条例（草案）",
        issuer="市人大常委会法工委",
        stage="一审稿",
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
        text=REAL_SHAPED,
    )
    draft_open(user=staff, draft_id=draft.pk)
    article = draft.articles.get(label="第四条")

    page.goto("/legislation/")
    page.get_by_role("link", name="商洛市物业管理条例（草案）").first.click()
    block = page.locator(f"#a{article.pk}")
    expect(block).to_contain_text("房屋的所有权人为业主。")
    block.get_by_role("link", name="对本条提意见").click()
    form = page.locator("form.stack")
    expect(page.locator(".article-text")).to_contain_text("房屋的所有权人为业主。")
    form.get_by_label("您的意见").fill("建议写明共有部分的权利人。")
    form.get_by_label("手机号码（选填，不公开，用于通知采纳情况）").fill("13812345678")
    form.get_by_role("button", name="提交意见").click()
    expect(page.locator(".big-code")).to_be_visible()
    code = page.locator(".big-code").inner_text().strip()
    expect(page.locator(".status")).to_contain_text("已收到")
    tracking_url = page.url

    opinion = Opinion.objects.get(tracking_code=code)
    assert opinion.article_id == article.pk and opinion.phone == "13812345678"
    opinion_forward(user=staff, opinion_id=opinion.pk)
    draft_close(user=staff, draft_id=draft.pk)
    draft_report(user=staff, draft_id=draft.pk)
    opinion_outcome(user=staff, opinion_id=opinion.pk, outcome="adopted", note="已在第四条增加共有部分规定")
    draft_publish_feedback(user=staff, draft_id=draft.pk)

    page.goto(tracking_url)
    expect(page.locator("[data-outcome=adopted]")).to_be_visible()
    expect(page.locator(".status")).to_contain_text("已在第四条增加共有部分规定")
    assert "13812345678" not in page.content()
