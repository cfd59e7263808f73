"""Attendance (实到) is part of the audit trail: marking a delegate present, by voting or by the attendance
endpoint, writes the roll entry's history row, never a silent UPDATE."""

import pytest

from voting.models import BallotRollEntry

from .conftest import user_of

pytestmark = pytest.mark.django_db


def _choices(cands, value="for"):
    return {"choices": [{"candidate": c.pk, "choice": value} for c in cands]}


def _present_history(ballot, delegate):
    return BallotRollEntry.history.filter(ballot_id=ballot.pk, delegate_id=delegate.pk, present=True)


def test_voting_marks_the_voter_present_with_a_history_row(client_for, make_ballot):
    ballot, cands, roll = make_ballot()
    r = client_for(user_of(roll[0])).post(
        f"/api/v1/ballots/{ballot.pk}/votes/", _choices(cands), format="json"
    )
    assert r.status_code == 201, r.content
    entry = BallotRollEntry.objects.get(ballot=ballot, delegate=roll[0])
    assert entry.present
    row = _present_history(ballot, roll[0]).get()
    assert row.history_type == "~" and row.id == entry.pk
    assert not _present_history(ballot, roll[1]).exists()


def test_attendance_endpoint_writes_one_history_row_per_delegate_marked(client_for, admin_user, make_ballot):
    ballot, _cands, roll = make_ballot()
    a = client_for(admin_user)
    r = a.post(
        f"/api/v1/ballots/{ballot.pk}/attendance/", {"present": [d.pk for d in roll[:3]]}, format="json"
    )
    assert r.status_code == 200 and r.json()["present"] == 3
    for d in roll[:3]:
        row = _present_history(ballot, d).get()
        assert row.history_user_id == admin_user.pk
    # Marking them again changes nothing and writes nothing.
    a.post(f"/api/v1/ballots/{ballot.pk}/attendance/", {"present": [d.pk for d in roll[:3]]}, format="json")
    assert BallotRollEntry.history.filter(ballot_id=ballot.pk, present=True).count() == 3
