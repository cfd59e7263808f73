"""Supervision pages: public (no personal data), delegates, unit and staff workspaces."""

import datetime as dt
import logging

import pytest
from django.test import Client
from django.utils import timezone

from supervision.models import CollectionWindow, Topic
from supervision.services.activities import activity_create
from supervision.services.assessments import (
    assessment_close,
    assessment_create,
    assessment_open,
    assessment_vote,
)
from supervision.services.questions import opinion_issue, question_answer, question_ask
from supervision.services.rectifications import rectification_report
from supervision.services.topics import topic_propose, topic_select

from .test_api_chain import sms_code

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def window(tree):
    today = timezone.localdate()
    return CollectionWindow.objects.create(
        area=tree.county, year=today.year, opens=today, closes=today + dt.timedelta(days=30)
    )


@pytest.fixture
def chain(tree, unit, delegate, staff):
    """A special inquiry with an answered question, an opinion whose rectification is reported, and a closed
    unsatisfied assessment."""
    topic = topic_propose(title="背街小巷路灯不亮", area=tree.county, proposer_kind="staff")
    topic_select(topic_id=topic.pk, year=2026, actor=staff)
    activity = activity_create(
        kind="special_inquiry",
        title="城市照明专题询问",
        area=tree.county,
        topic=topic,
        units=[unit],
        delegates=[delegate],
        actor=staff,
    )
    q = question_ask(activity_id=activity.pk, unit=unit, text="何时修好？", asked_by=delegate)
    question_answer(question_id=q.pk, unit=unit, answer="本月底。", answered_by_label="局长")
    op = opinion_issue(
        activity_id=activity.pk, unit=unit, title="关于城市照明的审议意见", content="限期修复。"
    )
    rect = op.rectifications.get()
    rectification_report(rectification_id=rect.pk, unit=unit, content="已修复120盏。")
    a = assessment_create(
        title="照明整改测评",
        area=tree.county,
        unit=unit,
        subject="rectification",
        roll=[delegate],
        activity=activity,
        rectification=rect,
    )
    assessment_open(assessment_id=a.pk)
    assessment_vote(assessment_id=a.pk, delegate=delegate, choice="unsatisfied")
    assessment_close(assessment_id=a.pk)
    return {"topic": topic, "activity": activity, "rect": rect, "assessment": a, "question": q}


def test_public_pages_show_the_record_without_personal_data(
    client, chain, delegate, django_assert_max_num_queries
):
    activity = chain["activity"]
    # activity, then prefetches: units, delegates, questions, opinions (+ their rectifications),
    # assessments (+ their rectifications), records
    with django_assert_max_num_queries(10):
        r = client.get(f"/supervision/activities/{activity.pk}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "何时修好？" in html and "本月底。" in html and "局长" in html
    assert "关于城市照明的审议意见" in html and "已报告" in html  # the rectification status
    assert "不满意" in html and "照明整改测评" in html
    assert delegate.mobile not in html
    assert client.get("/supervision/activities/999999/").status_code == 404
    r = client.get("/supervision/plan/2026/")
    assert r.status_code == 200 and "背街小巷路灯不亮" in r.content.decode()
    assert client.get(f"/supervision/topics/{chain['topic'].pk}/").status_code == 200


def test_index_lists_topics_open_for_support(client, tree, window, django_assert_max_num_queries):
    for i in range(25):
        Topic.objects.create(
            title=f"议题{i}", area=tree.county, year=2026, proposer_kind="public", supports_count=i
        )
    # topic count + page, windows, activities (anonymous: no session)
    with django_assert_max_num_queries(4):
        r = client.get("/supervision/")
    html = r.content.decode()
    assert html.index("议题24") < html.index("议题23")
    assert "提出监督议题" in html
    assert client.get("/supervision/?area=abc").status_code == 404


def test_support_by_page_with_sms_code(client, tree, window, caplog):
    topic = Topic.objects.create(title="路灯", area=tree.county, year=2026, proposer_kind="public")
    url = f"/supervision/topics/{topic.pk}/support/"
    r = client.post(url, {"action": "code", "phone": "1381234"})
    assert r.status_code == 400 and "请输入11位手机号码" in r.content.decode()
    with caplog.at_level(logging.INFO, logger="liaison.sms"):
        r = client.post(url, {"action": "code", "phone": "13812341234"})
        code = sms_code(caplog, "13812341234")
    assert "确认支持" in r.content.decode()
    r = client.post(
        url, {"action": "support", "phone": "13812341234", "code": "000000" if code != "000000" else "111111"}
    )
    assert r.status_code == 400 and "验证码错误" in r.content.decode()
    r = client.post(url, {"action": "support", "phone": "13812341234", "code": code}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "支持成功" in r.content.decode()
    assert "<html" not in r.content.decode()  # htmx gets only the box
    topic.refresh_from_db()
    assert topic.supports_count == 1
    assert client.post(url, {"action": "steal"}).status_code == 400


def test_topic_proposal_page(client, tree, window):
    r = client.post(
        "/supervision/topics/new/", {"title": "噪音扰民", "description": "夜间施工", "area": tree.county.code}
    )
    topic = Topic.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/supervision/topics/{topic.pk}/"
    assert topic.proposer_kind == "public"
    r = client.post(
        "/supervision/topics/new/", {"title": "机器人", "area": tree.county.code, "website": "http://spam"}
    )
    assert r.status_code == 400 and Topic.objects.count() == 1
    r = client.post("/supervision/topics/new/", {"title": "x", "area": tree.other_county.code})
    assert r.status_code == 200 and Topic.objects.count() == 1  # not an open window's area: form error


def test_unit_workspace_shows_own_items_due_soonest_first(
    chain, unit, unit_user, other_unit_user, tree, delegate
):
    question_ask(activity_id=chain["activity"].pk, unit=unit, text="新问题", due_workdays=3)
    r = login(unit_user).get("/workspace/supervision/unit/")
    html = r.content.decode()
    assert r.status_code == 200 and "新问题" in html and "关于城市照明的审议意见" in html
    assert "照明整改测评测评不满意" in html  # the second rectification
    r = login(other_unit_user).get("/workspace/supervision/unit/")
    assert "新问题" not in r.content.decode()
    rect = chain["rect"]
    assert (
        login(other_unit_user).get(f"/workspace/supervision/unit/rectifications/{rect.pk}/").status_code
        == 404
    )
    second = chain["assessment"].rectifications.get()
    c = login(unit_user)
    r = c.post(f"/workspace/supervision/unit/rectifications/{second.pk}/", {"content": "全部修复"})
    assert r.status_code == 302
    second.refresh_from_db()
    assert second.status == "reported"
    assert login(unit_user).get("/workspace/supervision/").status_code == 403


def test_staff_workspace_and_rectification_actions(chain, staff, other_staff, unit_user):
    rect = chain["rect"]
    r = login(staff).get("/workspace/supervision/")
    assert r.status_code == 200 and "关于城市照明的审议意见" in r.content.decode()
    assert login(other_staff).get(f"/workspace/supervision/rectifications/{rect.pk}/").status_code == 404
    r = login(other_staff).get("/workspace/supervision/")
    assert "关于城市照明的审议意见" not in r.content.decode()
    c = login(staff)
    r = c.post(
        f"/workspace/supervision/rectifications/{rect.pk}/", {"action": "return", "reason": "证明材料不全"}
    )
    assert r.status_code == 302
    rect.refresh_from_db()
    assert rect.status == "open" and rect.return_reason == "证明材料不全"
    c.post(f"/workspace/supervision/rectifications/{rect.pk}/", {"action": "follow_up"})
    assert rect.follow_up_activities.count() == 1


def test_staff_screen_topics(client, tree, window, staff, other_staff):
    t = Topic.objects.create(title="议题", area=tree.county, year=2026, proposer_kind="public")
    assert (
        login(other_staff)
        .post(f"/workspace/supervision/topics/{t.pk}/", {"action": "select", "year": 2026})
        .status_code
        == 404
    )
    r = login(staff).post(f"/workspace/supervision/topics/{t.pk}/", {"action": "select", "year": 2026})
    assert r.status_code == 302
    t.refresh_from_db()
    assert t.status == "selected" and t.plan.year == 2026


def test_delegate_votes_on_a_page(tree, unit, delegate, delegate_user, other_delegate_user):
    a = assessment_create(
        title="部门评议", area=tree.county, unit=unit, subject="department", roll=[delegate]
    )
    assessment_open(assessment_id=a.pk)
    assert login(other_delegate_user).get(f"/supervision/assessments/{a.pk}/vote/").status_code == 404
    c = login(delegate_user)
    assert (
        c.post(f"/supervision/assessments/{a.pk}/vote/", {"choice": "basically_satisfied"}).status_code == 302
    )
    r = c.get(f"/supervision/assessments/{a.pk}/vote/")
    assert "您已投票：基本满意" in r.content.decode()
    r = c.post(f"/supervision/assessments/{a.pk}/vote/", {"choice": "satisfied"})
    assert r.status_code == 200 and a.votes.get().choice == "basically_satisfied"


def test_workspace_hub_lists_supervision_links(unit_user, staff):
    from django.apps import apps

    links = dict(apps.get_app_config("supervision").workspace_links(unit_user))
    assert "/workspace/supervision/unit/" in links.values()
    links = dict(apps.get_app_config("supervision").workspace_links(staff))
    assert "/workspace/supervision/" in links.values()
