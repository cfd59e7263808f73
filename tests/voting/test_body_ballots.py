"""Ballots whose roll is a body: a street council of 40 members (30 of them not delegates, some with accounts)
votes its street's projects online — a tie at the cut-off is reported as a run-off; a member who left before the
ballot opened cannot vote; another area's body is refused; a congress ballot counted on paper is entered by one
admin and confirmed by another before it counts."""

import datetime as dt

import pytest
from django.utils import timezone

from bodies.models import Body, BodyMember
from bodies.services import body_create, member_add, member_leave
from liaison.accounts.models import User
from voting.models import Ballot, BallotCount, BallotPaper, BallotRollEntry
from voting.services.ballots import ballot_open

from ..factories import DelegateFactory, UserFactory


@pytest.fixture
def county_admin(tree):
    return UserFactory(username="admin_sz", role=User.Role.ADMIN, area=tree.county, is_staff=True)


@pytest.fixture
def second_admin(tree):
    return UserFactory(username="admin_sz2", role=User.Role.ADMIN, area=tree.county, is_staff=True)


@pytest.fixture
def council(tree, county_admin):
    """城关街道议政代表会: 10 county delegates (with logins) and 30 residents, 14 of whom have accounts."""
    body = body_create(name="城关街道议政代表会", kind=Body.Kind.STREET_COUNCIL, area=tree.township, term=1)
    joined = timezone.localdate() - dt.timedelta(days=90)
    for i in range(10):
        d = DelegateFactory(area=tree.county)
        UserFactory(username=f"cd{i}", role=User.Role.DELEGATE, delegate=d)
        member_add(body=body, delegate=d, joined_on=joined)
    accounts = []
    for i in range(30):
        member, password = member_add(
            body=body,
            name=f"成员{i:02d}",
            sector=BodyMember.Sector.RESIDENT,
            joined_on=joined,
            account=i < 14,
        )
        if password:
            accounts.append(member.user)
    body.accounts = accounts
    return body


def _create(client, payload):
    return client.post("/api/v1/ballots/", payload, format="json")


def test_a_street_council_votes_online_and_a_tie_is_a_runoff(
    client_for, council, county_admin, make_proposals, tree
):
    proposals = make_proposals(3)
    admin = client_for(county_admin)
    r = _create(
        admin,
        {
            "title": "城关街道民生实事项目票选",
            "area": tree.township.code,
            "seats": 1,
            "body": council.pk,
            "candidates": [p.pk for p in proposals],
        },
    )
    assert r.status_code == 201, r.content
    ballot_id = r.json()["id"]
    assert (r.json()["body"], r.json()["counting"], r.json()["count"]) == (council.pk, "online", None)
    # the member who leaves before the ballot opens is not on its roll
    leaver = council.accounts[5]
    member_leave(
        member_id=BodyMember.objects.get(user=leaver).pk, left_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert admin.post(f"/api/v1/ballots/{ballot_id}/open/").status_code == 200
    assert BallotRollEntry.objects.filter(ballot_id=ballot_id).count() == 39
    assert BallotRollEntry.objects.filter(ballot_id=ballot_id, delegate__isnull=False).count() == 10

    cands = [c["id"] for c in admin.get(f"/api/v1/ballots/{ballot_id}/").json()["candidates"]]
    delegates = list(User.objects.filter(username__startswith="cd").order_by("username"))
    # the 10 delegates and the 13 members with accounts still in the council all back candidates 1 and 2
    voters = delegates + [u for u in council.accounts if u != leaver]
    choices = [
        {"candidate": cands[0], "choice": "for"},
        {"candidate": cands[1], "choice": "for"},
        {"candidate": cands[2], "choice": "against"},
    ]
    for user in voters:
        r = client_for(user).post(f"/api/v1/ballots/{ballot_id}/votes/", {"choices": choices}, format="json")
        assert r.status_code == 201, r.content
    assert BallotPaper.objects.filter(ballot_id=ballot_id, delegate__isnull=True).count() == 13
    # a second paper is refused; the one who left is not on the roll
    again = client_for(council.accounts[0]).post(
        f"/api/v1/ballots/{ballot_id}/votes/", {"choices": choices}, format="json"
    )
    assert again.status_code == 409
    left = client_for(leaver).post(f"/api/v1/ballots/{ballot_id}/votes/", {"choices": choices}, format="json")
    assert left.status_code == 403
    assert BallotPaper.objects.filter(ballot_id=ballot_id).count() == 23

    turnout = admin.get(f"/api/v1/ballots/{ballot_id}/turnout/").json()
    assert (turnout["roll_size"], turnout["voted"], len(turnout["not_voted"])) == (39, 23, 16)
    assert {"成员00", "成员12"} <= {p["name"] for p in turnout["voters"]}
    assert all(p["member"] for p in turnout["voters"] + turnout["not_voted"])

    # a member with an account sees the ballot in their list
    mine = client_for(council.accounts[1]).get("/api/v1/ballots/").json()["results"]
    assert [b["id"] for b in mine] == [ballot_id]

    assert admin.post(f"/api/v1/ballots/{ballot_id}/close/").status_code == 200
    assert admin.post(f"/api/v1/ballots/{ballot_id}/publish/").status_code == 200
    result = client_for(council.accounts[1]).get(f"/api/v1/ballots/{ballot_id}/result/").json()
    by_id = {c["id"]: c for c in result["candidates"]}
    # 23 of 39 voted (quorum); candidates 1 and 2 both pass with 23 for and tie for the one seat: a run-off
    assert result["quorum_met"] is True and result["runoff_needed"] is True
    assert [(by_id[c]["for"], by_id[c]["tied"], by_id[c]["elected"]) for c in cands] == [
        (23, True, False),
        (23, True, False),
        (0, False, False),
    ]


def test_another_areas_body_is_refused(client_for, council, make_proposals, tree):
    other_admin = UserFactory(
        username="admin_ln", role=User.Role.ADMIN, area=tree.other_county, is_staff=True
    )
    other_body = body_create(name="城关镇议政会", kind=Body.Kind.STREET_COUNCIL, area=tree.other_township)
    proposals = make_proposals(2)
    payload = {
        "title": "x",
        "area": tree.other_county.code,
        "seats": 1,
        "candidates": [p.pk for p in proposals],
    }
    # 洛南县's admin cannot use 商州区's council (404), nor put 商州区's proposals on a 洛南县 ballot
    assert _create(client_for(other_admin), {**payload, "body": council.pk}).status_code in (400, 404)
    city_admin = UserFactory(username="admin_city2", role=User.Role.ADMIN, area=tree.city, is_staff=True)
    r = _create(client_for(city_admin), {**payload, "area": tree.township.code, "body": other_body.pk})
    assert r.status_code == 400
    assert not Ballot.objects.exists()


def test_roll_and_body_are_one_or_the_other(
    client_for, council, county_admin, delegate, make_proposals, tree
):
    proposals = make_proposals(2)
    payload = {"title": "x", "area": tree.township.code, "seats": 1, "candidates": [p.pk for p in proposals]}
    admin = client_for(county_admin)
    assert _create(admin, {**payload, "body": council.pk, "roll": [delegate.pk]}).status_code == 400
    assert _create(admin, payload).status_code == 400
    assert not Ballot.objects.exists()


def test_a_congress_ballot_counted_on_paper(client_for, county_admin, second_admin, make_proposals, tree):
    congress = body_create(
        name="商州区第十七届人民代表大会", kind=Body.Kind.CONGRESS, area=tree.county, term=17
    )
    for _i in range(20):
        member_add(body=congress, delegate=DelegateFactory(area=tree.county), joined_on=dt.date(2026, 1, 1))
    proposals = make_proposals(3)
    a, b = client_for(county_admin), client_for(second_admin)
    ballot_id = _create(
        a,
        {
            "title": "商州区2027年民生实事项目票决",
            "area": tree.county.code,
            "seats": 2,
            "body": congress.pk,
            "counting": "paper",
            "candidates": [p.pk for p in proposals],
        },
    ).json()["id"]
    assert a.post(f"/api/v1/ballots/{ballot_id}/open/").status_code == 200
    cands = [c["id"] for c in a.get(f"/api/v1/ballots/{ballot_id}/").json()["candidates"]]
    url = f"/api/v1/ballots/{ballot_id}/paper-tally/"
    lines = [
        {"id": cands[0], "for": 15, "against": 2, "abstain": 1},
        {"id": cands[1], "for": 12, "against": 5, "abstain": 1},
        {"id": cands[2], "for": 6, "against": 10, "abstain": 2},
    ]
    # nobody votes online on a paper ballot
    delegate_user = UserFactory(
        username="pd", role=User.Role.DELEGATE, delegate=congress.members.first().delegate
    )
    r = client_for(delegate_user).post(
        f"/api/v1/ballots/{ballot_id}/votes/",
        {"choices": [{"candidate": c, "choice": "for"} for c in cands]},
        format="json",
    )
    assert r.status_code == 409
    # bad sheets: more votes than papers returned; more present than the roll; nothing stored
    bad = [{**lines[0], "for": 17}] + lines[1:]
    assert a.post(url, {"present": 18, "candidates": bad}, format="json").status_code == 400
    assert a.post(url, {"present": 21, "candidates": lines}, format="json").status_code == 400
    assert (
        a.post(url, {"present": 18, "papers_returned": 19, "candidates": lines}, format="json").status_code
        == 400
    )
    assert not BallotCount.objects.exists()
    r = a.post(url, {"present": 18, "candidates": lines}, format="json")
    assert r.status_code == 201, r.content
    sheet = r.json()
    assert (
        sheet["method"],
        sheet["present"],
        sheet["papers_returned"],
        sheet["entered_by"],
        sheet["confirmed_by"],
    ) == ("paper", 18, 18, "admin_sz", None)
    # not final until a different admin confirms it
    assert a.post(f"/api/v1/ballots/{ballot_id}/close/").status_code == 200
    assert a.post(f"/api/v1/ballots/{ballot_id}/publish/").status_code == 409
    assert a.post(f"{url}confirm/").status_code == 403
    assert BallotCount.objects.get().confirmed_at is None
    r = b.post(f"{url}confirm/")
    assert r.status_code == 200 and r.json()["confirmed_by"] == "admin_sz2"
    assert a.post(url, {"present": 18, "candidates": lines}, format="json").status_code == 409
    assert a.post(f"/api/v1/ballots/{ballot_id}/publish/").status_code == 200
    result = a.get(f"/api/v1/ballots/{ballot_id}/result/").json()
    assert (result["roll_size"], result["present"], result["voted"], result["quorum_met"]) == (
        20,
        18,
        18,
        True,
    )
    elected = [c["id"] for c in result["candidates"] if c["elected"]]
    assert elected == [cands[0], cands[1]]  # 15 and 12 of 20 exceed half; 6 does not
    detail = a.get(f"/api/v1/ballots/{ballot_id}/").json()
    assert detail["count"]["confirmed_by"] == "admin_sz2" and detail["counting"] == "paper"
    assert BallotCount.objects.get().history.count() == 2  # entered, then confirmed


def test_opening_a_body_ballot_runs_fixed_queries(tree, make_proposals):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from voting.services.ballots import ballot_create

    counts = []
    for size in (20, 200):
        body = body_create(name=f"议政会{size}", kind=Body.Kind.STREET_COUNCIL, area=tree.township)
        BodyMember.objects.bulk_create(
            [BodyMember(body=body, name=f"m{i}", joined_on=dt.date(2026, 1, 1)) for i in range(size)]
        )
        ballot = ballot_create(
            title="t", area=tree.township, seats=1, body=body, candidates=make_proposals(2)
        )
        with CaptureQueriesContext(connection) as ctx:
            ballot_open(ballot_id=ballot.pk)
        assert ballot.roll_entries.count() == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 12


def test_the_turnout_of_a_body_ballot_runs_fixed_queries(tree, make_proposals, county_admin, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from voting.services.ballots import ballot_cast, ballot_create

    counts = []
    for size in (20, 200):
        body = body_create(name=f"议政会{size}", kind=Body.Kind.STREET_COUNCIL, area=tree.township)
        BodyMember.objects.bulk_create(
            [BodyMember(body=body, name=f"m{i}", joined_on=dt.date(2026, 1, 1)) for i in range(size)]
        )
        ballot = ballot_create(title="t", area=tree.township, seats=1, body=body, candidates=make_proposals(2))
        ballot_open(ballot_id=ballot.pk)
        for m in BodyMember.objects.filter(body=body).order_by("pk")[:5]:
            m.user = UserFactory(username=f"tm{size}-{m.pk}", role=User.Role.MEMBER)
            m.save(update_fields=["user"])
            ballot_cast(
                ballot_id=ballot.pk,
                user=m.user,
                choices={c.pk: "for" for c in ballot.candidates.all()},
            )
        c = client_for(county_admin)
        with CaptureQueriesContext(connection) as ctx:
            body_json = c.get(f"/api/v1/ballots/{ballot.pk}/turnout/").json()
        assert (body_json["roll_size"], body_json["voted"]) == (size, 5)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
