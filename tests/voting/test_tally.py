"""The counting rules as a pure function (voting/tally.py: quorum, pass mark, seats, ties)."""

from voting.tally import count


def _rows(*fors):
    return [(i + 1, 100 + i, f"c{i + 1}", {"for": f}) for i, f in enumerate(fors)]


def tally(*fors, seats=2, roll=10, voted=10, present=None, basis="roll"):
    return count(
        status="closed",
        seats=seats,
        threshold_basis=basis,
        roll_size=roll,
        present=voted if present is None else present,
        voted=voted,
        rows=_rows(*fors),
    )


def test_more_than_half_of_roll_needed():
    t = tally(6, 5, 4)
    assert [c.elected for c in t.candidates] == [True, False, False]  # 5 is not more than half of 10
    assert not t.runoff_needed


def test_most_for_votes_win_when_more_pass_than_seats():
    t = tally(9, 7, 8)
    assert t.elected_ids() == [1, 3]
    assert [c.passed for c in t.candidates] == [True, True, True]


def test_tie_at_cutoff_needs_runoff_and_tied_are_not_elected():
    t = tally(9, 7, 7)
    assert t.runoff_needed
    assert t.elected_ids() == [1]
    assert [c.tied for c in t.candidates] == [False, True, True]


def test_tie_above_cutoff_is_fine():
    t = tally(8, 8, 6)
    assert not t.runoff_needed and t.elected_ids() == [1, 2]


def test_no_quorum_elects_nobody():
    t = tally(5, 5, 5, voted=5)
    assert not t.quorum_met and t.elected_ids() == [] and not t.runoff_needed


def test_present_basis_counts_against_those_present():
    # roll 10, 6 present and voting: 4 for-votes exceed half of 6, not half of 10
    assert tally(4, 3, 2, voted=6, basis="present").elected_ids() == [1]
    assert tally(4, 3, 2, voted=6, basis="roll").elected_ids() == []
