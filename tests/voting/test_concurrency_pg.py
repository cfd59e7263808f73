"""PostgreSQL only: 50 delegates vote at once, some twice at the same moment; each is counted once.

Run with DATABASE_URL=postgres://… (SQLite serialises writers, so there is no race to show there).
"""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from liaison.errors import InvalidTransition
from voting.models import BallotPaper, Vote
from voting.selectors import ballot_tally
from voting.services.ballots import ballot_cast, ballot_close

from .conftest import user_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite runs one writer at a time")


def _run_all(jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # reported below, never swallowed
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_fifty_concurrent_voters_with_duplicates_are_counted_once(postgres_only, make_ballot):
    ballot, cands, roll = make_ballot(candidates=3, seats=2, roll=50)
    users = [user_of(d) for d in roll]
    payload = {"choices": [{"candidate": c.pk, "choice": "for"} for c in cands]}

    def submit(user):
        def go():
            client = APIClient()
            client.force_authenticate(user)
            return client.post(f"/api/v1/ballots/{ballot.pk}/votes/", payload, format="json").status_code

        return go

    # every delegate once, and the first 20 a second time in the same instant
    jobs = [submit(u) for u in users] + [submit(u) for u in users[:20]]
    results = _run_all(jobs)

    errors = [r for r in results if not isinstance(r, int)]
    assert not errors, errors
    assert sorted(results).count(201) == 50
    assert sorted(results).count(409) == 20
    assert BallotPaper.objects.filter(ballot=ballot).count() == 50
    assert BallotPaper.objects.filter(ballot=ballot).values("delegate").distinct().count() == 50
    assert Vote.objects.filter(ballot=ballot).count() == 150
    tally = ballot_tally(ballot_id=ballot.pk)
    assert [c.for_votes for c in tally.candidates] == [50, 50, 50]


def test_no_paper_lands_after_close(postgres_only, make_ballot):
    """Casts racing the close: every stored paper was accepted before the close committed."""
    ballot, cands, roll = make_ballot(candidates=3, seats=2, roll=30)
    choices = {c.pk: "against" for c in cands}

    def cast(d):
        def go():
            try:
                ballot_cast(ballot_id=ballot.pk, delegate=d, choices=choices)
                return "ok"
            except InvalidTransition:
                return "closed"

        return go

    def close():
        ballot_close(ballot_id=ballot.pk)
        return "closer"

    results = _run_all([cast(d) for d in roll[:15]] + [close] + [cast(d) for d in roll[15:]])
    assert not [r for r in results if isinstance(r, Exception)], results
    ballot.refresh_from_db()
    accepted = results.count("ok")
    assert BallotPaper.objects.filter(ballot=ballot).count() == accepted
    assert not BallotPaper.objects.filter(ballot=ballot, cast_at__gt=ballot.closed_at).exists()
    assert Vote.objects.filter(ballot=ballot).count() == 3 * accepted
