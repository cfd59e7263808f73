"""The admin's pages for a body's ballot: create it with the body as its roll and paper counting, open it,
enter the count on the page, and have a second admin confirm it; a member with an account votes on the page."""

import datetime as dt

import pytest
from django.test import Client

from bodies.models import Body, BodyMember
from bodies.services import body_create, member_add
from liaison.accounts.models import User
from voting.models import Ballot, BallotCount, BallotPaper

from ..factories import DelegateFactory, UserFactory


@pytest.fixture
def admins(tree):
    return [
        UserFactory(username=f"admin_sz{i}", role=User.Role.ADMIN, area=tree.county, is_staff=True)
        for i in (1, 2)
    ]


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_paper_ballot_of_a_congress_through_the_pages(admins, make_proposals, tree):
    congress = body_create(
        name="商州区第十七届人民代表大会", kind=Body.Kind.CONGRESS, area=tree.county, term=17
    )
    for _i in range(5):
        member_add(body=congress, delegate=DelegateFactory(area=tree.county), joined_on=dt.date(2026, 1, 1))
    proposals = make_proposals(3)
    a, b = _client(admins[0]), _client(admins[1])
    page = a.get("/workspace/voting/ballots/new/")
    assert congress.name in page.content.decode()
    r = a.post(
        "/workspace/voting/ballots/new/",
        {
            "title": "商州区民生实事项目票决",
            "area": tree.county.pk,
            "seats": 1,
            "threshold_basis": "roll",
            "secret": "on",
            "roll_level": "county",
            "body": congress.pk,
            "counting": "paper",
            "candidates": [p.pk for p in proposals],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    ballot = Ballot.objects.get()
    assert (ballot.body_id, ballot.counting, ballot.roll_entries.count()) == (congress.pk, "paper", 0)
    a.post(f"/workspace/voting/ballots/{ballot.pk}/open/")
    assert ballot.roll_entries.count() == 5
    detail = a.get(f"/workspace/voting/ballots/{ballot.pk}/").content.decode()
    assert f"/workspace/voting/ballots/{ballot.pk}/count/" in detail
    cands = list(ballot.candidates.order_by("position"))
    form = {"present": "5", "method": "paper", "note": "纸质选票"}
    for c, (f, ag, ab) in zip(cands, [(4, 1, 0), (2, 2, 1), (1, 4, 0)], strict=True):
        form |= {f"for_{c.pk}": f, f"against_{c.pk}": ag, f"abstain_{c.pk}": ab}
    # more votes than papers: refused, nothing stored
    bad = a.post(f"/workspace/voting/ballots/{ballot.pk}/count/", {**form, f"for_{cands[0].pk}": 5})
    assert bad.status_code == 302 and not BallotCount.objects.exists()
    assert a.post(f"/workspace/voting/ballots/{ballot.pk}/count/", form).status_code == 302
    assert BallotCount.objects.get().entered_by == admins[0]
    # the one who entered it sees no confirm button and cannot confirm
    assert "count/confirm/" not in a.get(f"/workspace/voting/ballots/{ballot.pk}/").content.decode()
    a.post(f"/workspace/voting/ballots/{ballot.pk}/count/confirm/")
    assert BallotCount.objects.get().confirmed_at is None
    assert "count/confirm/" in b.get(f"/workspace/voting/ballots/{ballot.pk}/").content.decode()
    b.post(f"/workspace/voting/ballots/{ballot.pk}/count/confirm/")
    assert BallotCount.objects.get().confirmed_by == admins[1]
    a.post(f"/workspace/voting/ballots/{ballot.pk}/close/", {"confirm": "1"})
    a.post(f"/workspace/voting/ballots/{ballot.pk}/publish/")
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.PUBLISHED
    sheet = Client().get(f"/ballots/{ballot.pk}/tally-sheet/").content.decode()
    assert "admin_sz1" in sheet and "admin_sz2" in sheet


def test_a_member_with_an_account_votes_on_the_page(admins, make_proposals, tree):
    council = body_create(name="城关街道议政代表会", kind=Body.Kind.STREET_COUNCIL, area=tree.township)
    member, _password = member_add(
        body=council,
        name="王秀兰",
        sector=BodyMember.Sector.RESIDENT,
        joined_on=dt.date(2026, 1, 1),
        account=True,
    )
    member_add(body=council, name="李四", sector=BodyMember.Sector.ENTERPRISE, joined_on=dt.date(2026, 1, 1))
    from voting.services.ballots import ballot_create, ballot_open

    ballot = ballot_create(
        title="城关街道项目票选", area=tree.township, seats=1, body=council, candidates=make_proposals(2)
    )
    ballot_open(ballot_id=ballot.pk)
    c = _client(member.user)
    home = c.get("/vote/").content.decode()
    assert f"/vote/ballots/{ballot.pk}/" in home
    cands = list(ballot.candidates.order_by("position"))
    choices = {f"c{cands[0].pk}": "for", f"c{cands[1].pk}": "against"}
    assert c.post(f"/vote/ballots/{ballot.pk}/", choices).status_code == 200  # the confirm step
    r = c.post(f"/vote/ballots/{ballot.pk}/", {**choices, "confirm": "1"})
    assert r.status_code == 302
    paper = BallotPaper.objects.get()
    assert (paper.member_id, paper.delegate_id) == (member.pk, None)
    assert c.get(r["Location"]).status_code == 200
    # the workspace links the member to their ballots
    assert "/vote/" in c.get("/workspace/").content.decode()
