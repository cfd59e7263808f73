"""Voting fixtures: an open collection window for 商州区, shortlisted proposals, and a ballot builder."""

import datetime as dt

import pytest
from django.utils import timezone

from liaison.accounts.models import User
from stations.models import Delegate
from tests.factories import DelegateFactory, UserFactory
from voting.models import ProjectProposal, ProposalWindow
from voting.services.ballots import ballot_cast, ballot_close, ballot_create, ballot_open, ballot_publish
from voting.services.projects import project_create
from voting.services.proposals import proposal_shortlist, proposal_submit


@pytest.fixture
def window(tree):
    today = timezone.localdate()
    return ProposalWindow.objects.create(
        area=tree.county,
        year=today.year,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
    )


@pytest.fixture
def make_proposals(tree, window):
    def make(n: int, *, area=None, status=ProjectProposal.Status.SHORTLISTED) -> list[ProjectProposal]:
        out = []
        for i in range(n):
            p = proposal_submit(title=f"候选项目{i + 1}", description="内容", area=area or tree.township)
            if status == ProjectProposal.Status.SHORTLISTED:
                p = proposal_shortlist(proposal_id=p.pk)
            out.append(p)
        return out

    return make


@pytest.fixture
def roll_delegates(tree):
    """Ten county delegates of 商州区, each with a login."""

    def make(n: int = 10, area=None) -> list[Delegate]:
        out = []
        for _i in range(n):
            d = DelegateFactory(level=Delegate.Level.COUNTY, area=area or tree.county)
            UserFactory(username=f"rd{d.pk}", role=User.Role.DELEGATE, delegate=d)
            out.append(d)
        return out

    return make


@pytest.fixture
def make_ballot(tree, make_proposals, roll_delegates, admin_user):
    """`make_ballot(candidates=3, seats=2, roll=10, open=True, **options)` → (ballot, candidates, roll)."""

    def make(*, candidates=3, seats=2, roll=10, open=True, **options):
        proposals = make_proposals(candidates)
        delegates = roll_delegates(roll) if isinstance(roll, int) else roll
        ballot = ballot_create(
            title="商州区民生实事项目票决",
            area=tree.county,
            seats=seats,
            roll=delegates,
            candidates=proposals,
            actor=admin_user,
            **options,
        )
        if open:
            ballot_open(ballot_id=ballot.pk, actor=admin_user)
            ballot.refresh_from_db()
        return ballot, list(ballot.candidates.order_by("position")), delegates

    return make


def user_of(delegate: Delegate) -> User:
    return User.objects.get(delegate=delegate)


@pytest.fixture
def project(make_ballot, unit):
    """A project of an elected candidate of a published ballot, owned by `unit`, led by two delegates."""
    ballot, cands, roll = make_ballot()
    for d in roll[:8]:
        ballot_cast(
            ballot_id=ballot.pk,
            delegate=d,
            choices={cands[0].pk: "for", cands[1].pk: "against", cands[2].pk: "abstain"},
        )
    ballot_close(ballot_id=ballot.pk)
    ballot_publish(ballot_id=ballot.pk)
    p = project_create(
        candidate_id=cands[0].pk,
        unit=unit,
        budget=200,
        target_date=dt.date(2027, 6, 30),
        lead_delegates=roll[:2],
    )
    p.roll = roll
    return p
