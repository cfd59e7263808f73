"""A delegate votes on a phone (390x844) and sees the receipt; the published results page shows the counts."""

import pytest
from playwright.sync_api import expect

from liaison.accounts.models import User
from stations.models import Delegate
from tests.conftest import PASSWORD
from tests.factories import DelegateFactory, UserFactory
from voting.models import BallotPaper, ProjectProposal, ProposalWindow
from voting.services.ballots import ballot_cast, ballot_close, ballot_create, ballot_open, ballot_publish
from voting.services.proposals import proposal_shortlist, proposal_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_ballot(tree, admin_user):
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    ProposalWindow.objects.create(
        area=tree.county, year=today.year, opens_on=today, closes_on=today + dt.timedelta(days=9)
    )
    proposals = []
    for title in ["老旧小区加装电梯", "农村饮水安全提升", "学校周边交通设施"]:
        p = proposal_submit(title=title, description="群众反映", area=tree.township)
        proposals.append(proposal_shortlist(proposal_id=p.pk))
    roll = [DelegateFactory(level=Delegate.Level.COUNTY, area=tree.county) for _ in range(4)]
    voter = roll[0]
    UserFactory(username="voter01", role=User.Role.DELEGATE, delegate=voter)
    ballot = ballot_create(
        title="商州区民生实事项目票决",
        area=tree.county,
        seats=2,
        roll=roll,
        candidates=proposals,
        actor=admin_user,
    )
    ballot_open(ballot_id=ballot.pk, actor=admin_user)
    return ballot, roll


def test_delegate_votes_on_a_phone_and_results_are_published(page, open_ballot, admin_user):
    ballot, roll = open_ballot
    page.goto(f"/accounts/login/?next=/vote/ballots/{ballot.pk}/")
    page.get_by_label("用户名").fill("voter01")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page.locator("h1")).to_have_text(ballot.title)
    items = page.locator("ol.ballot-list > li")
    expect(items).to_have_count(3)
    # for, for, against — tapping the big labels as a thumb would
    for i, label in enumerate(["赞成", "赞成", "反对"]):
        items.nth(i).get_by_text(label, exact=True).click()
    page.get_by_role("button", name="下一步：确认选票").click()

    expect(page.locator("h1")).to_have_text("请确认您的选票")
    expect(page.locator("table.data")).to_contain_text("老旧小区加装电梯")
    assert not BallotPaper.objects.exists()  # nothing is stored before the confirmation
    page.get_by_role("button", name="确认投票").click()

    expect(page.locator("h1")).to_have_text("投票成功")
    paper = BallotPaper.objects.get()
    expect(page.locator("#receipt .big-code")).to_have_text(paper.receipt_code)
    expect(page.locator("#receipt")).to_contain_text(ballot.title)
    expect(page.locator("#receipt")).not_to_contain_text("赞成")  # a secret ballot's receipt shows no choice
    assert page.viewport_size == {"width": 390, "height": 844}
    # the page fits the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # the others vote, the admin closes and publishes; anyone can read the counts
    cands = list(ballot.candidates.order_by("position"))
    for d in roll[1:]:
        ballot_cast(
            ballot_id=ballot.pk,
            delegate=d,
            choices={cands[0].pk: "for", cands[1].pk: "against", cands[2].pk: "abstain"},
        )
    ballot_close(ballot_id=ballot.pk, actor=admin_user)
    ballot_publish(ballot_id=ballot.pk, actor=admin_user)

    page.goto(f"/ballots/{ballot.pk}/results/")
    rows = page.locator("#result-table tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(1)).to_contain_text("老旧小区加装电梯")
    expect(rows.nth(1).locator("td.for")).to_have_text("4")
    expect(rows.nth(1)).to_contain_text("当选")
    expect(rows.nth(2).locator("td.for")).to_have_text("1")
    expect(rows.nth(3).locator("td").nth(3)).to_have_text("1")  # 学校周边: against from voter01
    assert ProjectProposal.objects.count() == 3
