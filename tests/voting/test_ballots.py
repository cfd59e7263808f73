"""代表决: the ballot's integrity rules, driven through the API the way clients use it."""

import pytest
from django.db import connection

from voting.models import Ballot, BallotEvent, BallotPaper, Vote
from voting.selectors import ballot_tally

from .conftest import user_of

pytestmark = pytest.mark.django_db


def _choices(cands, *values):
    return {"choices": [{"candidate": c.pk, "choice": v} for c, v in zip(cands, values, strict=True)]}


def _cast(client_for, delegate, ballot, payload):
    return client_for(user_of(delegate)).post(f"/api/v1/ballots/{ballot.pk}/votes/", payload, format="json")


def test_create_ballot_by_api_and_open(client_for, admin_user, tree, make_proposals, roll_delegates):
    props = make_proposals(3)
    roll = roll_delegates(10)
    a = client_for(admin_user)
    r = a.post(
        "/api/v1/ballots/",
        {
            "title": "2027年民生实事项目票决",
            "area": tree.county.code,
            "seats": 2,
            "roll": [d.pk for d in roll],
            "candidates": [p.pk for p in props],
            "threshold_basis": "roll",
            "secret": True,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "draft" and [c["proposal"] for c in body["candidates"]] == [p.pk for p in props]
    ballot_id = body["id"]
    assert a.post(f"/api/v1/ballots/{ballot_id}/open/").json() == {"status": "open"}
    assert a.post(f"/api/v1/ballots/{ballot_id}/open/").status_code == 409  # opening twice
    kinds = list(BallotEvent.objects.filter(ballot_id=ballot_id).values_list("kind", "actor"))
    assert kinds == [("created", admin_user.pk), ("opened", admin_user.pk)]


def test_only_admins_build_ballots(client_for, staff, tree, make_proposals, roll_delegates):
    props, roll = make_proposals(3), roll_delegates(3)
    r = client_for(staff).post(
        "/api/v1/ballots/",
        {
            "title": "x",
            "area": tree.county.code,
            "seats": 1,
            "roll": [d.pk for d in roll],
            "candidates": [p.pk for p in props],
        },
        format="json",
    )
    assert r.status_code == 403


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"seats": 0}, "seats", None),
        ({"candidates": "dup"}, None, "重复"),
        ({"candidates": "submitted"}, None, "已列入候选"),
        ({"roll": []}, "roll", None),
        ({"roll": "dup"}, None, "重复"),
        ({"secret": True, "allow_change": True}, None, "改票"),
        ({"area": "999999999999"}, "area", "区划"),
    ],
)
def test_bad_ballot_input_is_400(
    client_for, admin_user, tree, make_proposals, roll_delegates, change, field, message
):
    props, roll = make_proposals(3), roll_delegates(3)
    body = {
        "title": "x",
        "area": tree.county.code,
        "seats": 1,
        "roll": [d.pk for d in roll],
        "candidates": [p.pk for p in props],
    }
    if change.get("candidates") == "dup":
        change = {"candidates": [props[0].pk, props[0].pk, props[1].pk]}
    elif change.get("candidates") == "submitted":
        change = {"candidates": [p.pk for p in make_proposals(1, status="submitted")] + [props[0].pk]}
    elif change.get("roll") == "dup":
        change = {"roll": [roll[0].pk, roll[0].pk]}
    r = client_for(admin_user).post("/api/v1/ballots/", {**body, **change}, format="json")
    assert r.status_code == 400, r.content
    body = r.json()
    assert body["code"] == "invalid"
    if field:  # a field error names the field
        assert body["errors"][field]
    if message:
        assert message in body["detail"]
    assert Ballot.objects.count() == 0


def test_fewer_candidates_than_seats_cannot_open(client_for, admin_user, make_ballot):
    ballot, _, _ = make_ballot(candidates=2, seats=2, open=False)
    r = client_for(admin_user).post(f"/api/v1/ballots/{ballot.pk}/open/")
    assert r.status_code == 409 and "差额" in r.json()["detail"]
    ballot.refresh_from_db()
    assert ballot.status == "draft"


def test_second_paper_is_409_and_counted_once(client_for, make_ballot):
    ballot, cands, roll = make_ballot()
    r = _cast(client_for, roll[0], ballot, _choices(cands, "for", "against", "abstain"))
    assert r.status_code == 201, r.content
    assert r.json()["receipt_code"]
    r = _cast(client_for, roll[0], ballot, _choices(cands, "against", "for", "for"))
    assert r.status_code == 409 and r.json()["code"] == "already_voted"
    assert BallotPaper.objects.filter(ballot=ballot).count() == 1
    assert ballot_tally(ballot_id=ballot.pk).for_votes(cands[0]) == 1
    assert Vote.objects.filter(ballot=ballot).count() == 3


def test_off_roll_is_403(client_for, make_ballot, delegate_user):
    ballot, cands, _ = make_ballot()
    r = client_for(delegate_user).post(
        f"/api/v1/ballots/{ballot.pk}/votes/", _choices(cands, "for", "for", "for"), format="json"
    )
    assert r.status_code == 403
    assert not BallotPaper.objects.exists()


def test_unknown_ballot_is_404(client_for, make_ballot):
    ballot, cands, roll = make_ballot()
    r = client_for(user_of(roll[0])).post(
        "/api/v1/ballots/999999/votes/", _choices(cands, "for", "for", "for"), format="json"
    )
    assert r.status_code == 404


def test_non_delegate_cannot_vote(client_for, make_ballot, staff):
    ballot, cands, _ = make_ballot()
    r = client_for(staff).post(
        f"/api/v1/ballots/{ballot.pk}/votes/", _choices(cands, "for", "for", "for"), format="json"
    )
    assert r.status_code == 403


def test_vote_outside_open_window_is_409(client_for, admin_user, make_ballot):
    ballot, cands, roll = make_ballot(open=False)
    assert _cast(client_for, roll[0], ballot, _choices(cands, "for", "for", "for")).status_code == 409
    client_for(admin_user).post(f"/api/v1/ballots/{ballot.pk}/open/")
    assert _cast(client_for, roll[0], ballot, _choices(cands, "for", "for", "for")).status_code == 201
    assert client_for(admin_user).post(f"/api/v1/ballots/{ballot.pk}/close/").json() == {"status": "closed"}
    assert _cast(client_for, roll[1], ballot, _choices(cands, "for", "for", "for")).status_code == 409
    assert BallotPaper.objects.count() == 1


def test_bad_papers_are_400_and_change_nothing(client_for, make_ballot):
    ballot, cands, roll = make_ballot()
    other, other_cands, _ = make_ballot()
    d = roll[0]
    cases = [
        # a candidate of another ballot
        {
            "choices": [{"candidate": other_cands[0].pk, "choice": "for"}]
            + _choices(cands[1:], "for", "for")["choices"]
        },
        # an unknown choice
        _choices(cands, "for", "yes", "against"),
        # a duplicate candidate
        {
            "choices": _choices(cands, "for", "for", "for")["choices"]
            + [{"candidate": cands[0].pk, "choice": "against"}]
        },
        # a missing candidate
        _choices(cands[:2], "for", "for"),
        # an unknown candidate id and garbage
        {"choices": [{"candidate": 999999, "choice": "for"}]},
        {"choices": "for"},
        {},
    ]
    for payload in cases:
        r = _cast(client_for, d, ballot, payload)
        assert r.status_code == 400, (payload, r.content)
    assert not BallotPaper.objects.filter(ballot=ballot).exists()
    assert not Vote.objects.filter(ballot=ballot).exists()
    # and the delegate can still vote properly afterwards
    assert _cast(client_for, d, ballot, _choices(cands, "for", "for", "for")).status_code == 201


def test_results_hidden_while_open(client_for, api, admin_user, make_ballot, other_staff):
    ballot, cands, roll = make_ballot()
    _cast(client_for, roll[0], ballot, _choices(cands, "for", "for", "for"))
    url = f"/api/v1/ballots/{ballot.pk}/result/"
    assert client_for(admin_user).get(url).status_code == 409
    assert client_for(user_of(roll[0])).get(url).status_code == 409
    assert api.get(url).status_code == 404
    assert api.get(f"/ballots/{ballot.pk}/results/").status_code == 404
    assert client_for(admin_user).get(f"/api/v1/ballots/{ballot.pk}/turnout/").json()["voted"] == 1
    # the turnout never carries counts of choices
    assert "for" not in client_for(admin_user).get(f"/api/v1/ballots/{ballot.pk}/turnout/").json()

    client_for(admin_user).post(f"/api/v1/ballots/{ballot.pk}/close/")
    assert client_for(admin_user).get(url).status_code == 200
    assert client_for(user_of(roll[0])).get(url).status_code == 403
    assert api.get(url).status_code == 404
    client_for(admin_user).post(f"/api/v1/ballots/{ballot.pk}/publish/")
    assert api.get(url).status_code == 200


def test_secret_votes_carry_no_delegate_and_no_time(client_for, make_ballot):
    ballot, cands, roll = make_ballot(secret=True)
    for d in roll[:4]:
        assert _cast(client_for, d, ballot, _choices(cands, "for", "against", "abstain")).status_code == 201
    field_names = {f.name for f in Vote._meta.get_fields()}
    assert not {"delegate", "created_at", "cast_at", "at", "updated_at"} & field_names
    assert Vote._meta.pk.get_internal_type() == "UUIDField"
    assert not hasattr(Vote, "history")  # a history row would carry time and user
    with connection.cursor() as cursor:
        columns = {
            c.name for c in connection.introspection.get_table_description(cursor, Vote._meta.db_table)
        }
    assert columns == {"id", "ballot_id", "candidate_id", "choice", "paper_id"}
    assert Vote.objects.filter(ballot=ballot).count() == 12
    assert not Vote.objects.filter(ballot=ballot, paper__isnull=False).exists()
    assert BallotPaper.objects.filter(ballot=ballot).count() == 4  # turnout still says who voted


def test_named_ballot_may_allow_changing_while_open(client_for, admin_user, make_ballot):
    ballot, cands, roll = make_ballot(secret=False, allow_change=True)
    assert _cast(client_for, roll[0], ballot, _choices(cands, "for", "for", "for")).status_code == 201
    assert _cast(client_for, roll[0], ballot, _choices(cands, "against", "for", "abstain")).status_code == 201
    assert BallotPaper.objects.filter(ballot=ballot).count() == 1
    assert sorted(Vote.objects.filter(ballot=ballot).values_list("choice", flat=True)) == [
        "abstain",
        "against",
        "for",
    ]
    assert Vote.objects.filter(ballot=ballot, paper__delegate=roll[0]).count() == 3
    client_for(admin_user).post(f"/api/v1/ballots/{ballot.pk}/close/")
    assert _cast(client_for, roll[0], ballot, _choices(cands, "for", "for", "for")).status_code == 409
    assert sorted(Vote.objects.filter(ballot=ballot).values_list("choice", flat=True)) == [
        "abstain",
        "against",
        "for",
    ]


def test_named_ballot_without_change_rejects_second_paper(client_for, make_ballot):
    ballot, cands, roll = make_ballot(secret=False)
    assert _cast(client_for, roll[0], ballot, _choices(cands, "for", "for", "for")).status_code == 201
    assert _cast(client_for, roll[0], ballot, _choices(cands, "against", "for", "for")).status_code == 409


def test_transitions_from_wrong_state_are_409(client_for, admin_user, make_ballot):
    ballot, _, _ = make_ballot(open=False)
    a = client_for(admin_user)
    assert a.post(f"/api/v1/ballots/{ballot.pk}/close/").status_code == 409
    assert a.post(f"/api/v1/ballots/{ballot.pk}/publish/").status_code == 409
    assert a.post(f"/api/v1/ballots/{ballot.pk}/open/").status_code == 200
    assert a.post(f"/api/v1/ballots/{ballot.pk}/publish/").status_code == 409
    assert a.post(f"/api/v1/ballots/{ballot.pk}/close/").status_code == 200
    assert a.post(f"/api/v1/ballots/{ballot.pk}/close/").status_code == 409
    assert a.post(f"/api/v1/ballots/{ballot.pk}/publish/").status_code == 200
    assert a.post(f"/api/v1/ballots/{ballot.pk}/publish/").status_code == 409


def test_admin_of_another_area_sees_nothing(client_for, make_ballot, tree):
    from liaison.accounts.models import User
    from tests.factories import UserFactory

    ballot, _, _ = make_ballot(open=False)
    other_admin = UserFactory(username="admin_ln", role=User.Role.ADMIN, area=tree.other_county)
    c = client_for(other_admin)
    assert c.post(f"/api/v1/ballots/{ballot.pk}/open/").status_code == 404
    assert c.get(f"/api/v1/ballots/{ballot.pk}/turnout/").status_code == 404
    assert c.get("/api/v1/ballots/").json()["count"] == 0


def test_attendance_and_present_basis(client_for, admin_user, make_ballot):
    ballot, cands, roll = make_ballot(threshold_basis="present")
    a = client_for(admin_user)
    r = a.post(
        f"/api/v1/ballots/{ballot.pk}/attendance/", {"present": [d.pk for d in roll[:6]]}, format="json"
    )
    assert r.status_code == 200 and r.json()["present"] == 6
    # 6 present and voting; candidate 1 gets 4 for-votes: more than half of those present, not of the roll
    for i, d in enumerate(roll[:6]):
        _cast(
            client_for,
            d,
            ballot,
            _choices(cands, "for" if i < 4 else "against", "for" if i < 2 else "against", "abstain"),
        )
    a.post(f"/api/v1/ballots/{ballot.pk}/close/")
    result = a.get(f"/api/v1/ballots/{ballot.pk}/result/").json()
    assert result["quorum_met"] and result["voted"] == 6
    assert [c["elected"] for c in result["candidates"]] == [True, False, False]


def test_delegate_lists_their_ballots(client_for, make_ballot, delegate_user):
    ballot, _, roll = make_ballot()
    assert [b["id"] for b in client_for(user_of(roll[0])).get("/api/v1/ballots/").json()["results"]] == [
        ballot.pk
    ]
    assert client_for(delegate_user).get("/api/v1/ballots/").json()["count"] == 0
