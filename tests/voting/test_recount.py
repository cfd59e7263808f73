import io

import pytest
from django.core.management import call_command

from voting.models import Vote
from voting.services.ballots import ballot_cast, ballot_close, ballot_publish

pytestmark = pytest.mark.django_db


def _run(ballot_id):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("recount_ballot", str(ballot_id), stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def _vote_all(ballot, cands, roll, pattern):
    for d, choices in zip(roll, pattern, strict=False):
        ballot_cast(
            ballot_id=ballot.pk, delegate=d, choices=dict(zip([c.pk for c in cands], choices, strict=True))
        )


def test_recount_matches_published_result(make_ballot, admin_user):
    ballot, cands, roll = make_ballot()
    _vote_all(ballot, cands, roll, [("for", "for", "against")] * 7 + [("against", "for", "for")] * 2)
    ballot_close(ballot_id=ballot.pk)
    ballot_publish(ballot_id=ballot.pk)
    code, out, _ = _run(ballot.pk)
    assert code == 0 and "OK" in out and "for 7" in out


def test_recount_detects_a_tampered_vote(make_ballot):
    ballot, cands, roll = make_ballot()
    _vote_all(ballot, cands, roll, [("for", "for", "against")] * 6 + [("against", "against", "for")] * 3)
    ballot_close(ballot_id=ballot.pk)
    ballot_publish(ballot_id=ballot.pk)
    # someone edits a stored vote behind the application's back
    v = Vote.objects.filter(candidate=cands[0], choice="for").first()
    Vote.objects.filter(pk=v.pk).update(choice="against")
    code, _, err = _run(ballot.pk)
    assert code == 1 and "MISMATCH" in err and f"candidate {cands[0].pk} for" in err


def test_recount_refuses_an_open_ballot(make_ballot):
    ballot, _, _ = make_ballot()
    assert _run(ballot.pk)[0] == 2
    assert _run(999999)[0] == 2
