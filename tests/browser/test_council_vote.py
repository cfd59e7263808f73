"""A street council member who is not a delegate logs in with the account the admin gave them and votes on the
council's project ballot on a phone (390x844) — headless Chromium."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from bodies.models import Body, BodyMember
from bodies.services import body_create, member_add
from voting.models import BallotPaper, ProposalWindow
from voting.services.ballots import ballot_create, ballot_open
from voting.services.proposals import proposal_shortlist, proposal_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_council_member_votes_on_a_phone(page, tree, admin_user):
    today = dt.date.today()
    ProposalWindow.objects.create(
        area=tree.county, year=today.year, opens_on=today, closes_on=today + dt.timedelta(days=9)
    )
    proposals = [
        proposal_shortlist(proposal_id=proposal_submit(title=t, description="居民反映", area=tree.township).pk)
        for t in ["背街小巷路灯改造", "社区食堂", "口袋公园"]
    ]
    council = body_create(name="城关街道议政代表会", kind=Body.Kind.STREET_COUNCIL, area=tree.township, term=1)
    member, password = member_add(
        body=council, name="王秀兰", sector=BodyMember.Sector.RESIDENT, joined_on=today, account=True
    )
    for name in ("李明", "赵强"):
        member_add(body=council, name=name, sector=BodyMember.Sector.ENTERPRISE, joined_on=today)
    ballot = ballot_create(
        title="城关街道民生实事项目票选", area=tree.township, seats=2, body=council, candidates=proposals
    )
    ballot_open(ballot_id=ballot.pk, actor=admin_user)

    assert page.viewport_size == {"width": 390, "height": 844}
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(member.user.username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    page.goto("/workspace/")
    page.get_by_role("link", name=re.compile("待投票的表决")).click()
    page.get_by_role("link", name=ballot.title).click()
    expect(page.locator("h1")).to_have_text(ballot.title)
    items = page.locator("ol.ballot-list > li")
    expect(items).to_have_count(3)
    for i, label in enumerate(["赞成", "反对", "赞成"]):
        items.nth(i).get_by_text(label, exact=True).click()
    page.get_by_role("button", name="下一步：确认选票").click()
    expect(page.locator("h1")).to_have_text("请确认您的选票")
    assert not BallotPaper.objects.exists()
    page.get_by_role("button", name="确认投票").click()

    expect(page.locator("h1")).to_have_text("投票成功")
    paper = BallotPaper.objects.get()
    assert (paper.member_id, paper.delegate_id) == (member.pk, None)
    expect(page.locator("#receipt .big-code")).to_have_text(paper.receipt_code)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
