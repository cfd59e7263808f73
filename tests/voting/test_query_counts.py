"""Lists run a fixed number of queries whatever their length."""

import pytest

from voting.services.ballots import ballot_cast, ballot_close, ballot_publish
from voting.services.evaluations import evaluation_create
from voting.services.projects import project_create

from .conftest import user_of

pytestmark = pytest.mark.django_db


def test_ballot_list_queries_do_not_grow(client_for, admin_user, make_ballot, django_assert_max_num_queries):
    make_ballot(open=False)
    a = client_for(admin_user)
    # count, page (area scoping is a subquery), candidates with their proposals prefetched = 3
    with django_assert_max_num_queries(3):
        assert a.get("/api/v1/ballots/").json()["count"] == 1
    for _ in range(4):
        make_ballot(open=False)
    with django_assert_max_num_queries(3):
        assert a.get("/api/v1/ballots/").json()["count"] == 5


def test_delegate_ballot_list_queries(client_for, make_ballot, django_assert_max_num_queries):
    ballot, _, roll = make_ballot()
    c = client_for(user_of(roll[0]))
    with django_assert_max_num_queries(3):
        assert c.get("/api/v1/ballots/").json()["count"] == 1


def test_staff_proposal_screen_queries_do_not_grow(
    client, staff, make_proposals, django_assert_max_num_queries
):
    make_proposals(2, status="submitted")
    client.force_login(staff)
    # session, user (+ its area), the header's unread count, count, page with area/merge target/delegate
    # joined = at most 6
    with django_assert_max_num_queries(6):
        assert client.get("/workspace/voting/proposals/").status_code == 200
    make_proposals(15, status="submitted")
    with django_assert_max_num_queries(6):
        assert client.get("/workspace/voting/proposals/").status_code == 200


def test_evaluation_list_queries(client_for, admin_user, make_ballot, unit, django_assert_max_num_queries):
    import datetime as dt

    ballot, cands, roll = make_ballot()
    for d in roll[:8]:
        ballot_cast(
            ballot_id=ballot.pk,
            delegate=d,
            choices={cands[0].pk: "for", cands[1].pk: "against", cands[2].pk: "abstain"},
        )
    ballot_close(ballot_id=ballot.pk)
    ballot_publish(ballot_id=ballot.pk)
    project = project_create(candidate_id=cands[0].pk, unit=unit, budget=1, target_date=dt.date(2027, 1, 1))
    evaluation_create(project_id=project.pk)
    # count, page with assessment/project/area/unit joined = 2
    with django_assert_max_num_queries(2):
        assert client_for(admin_user).get("/api/v1/evaluations/").json()["count"] == 1
