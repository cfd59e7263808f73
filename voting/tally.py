"""The counting rules of a ballot, as a pure function of the stored counts .

- Quorum: more than half of the roll handed in a paper; without it nobody is elected.
- A candidate passes when its for-votes exceed half of the basis: the whole roll, or (threshold_basis
  "present") those present.
- If more candidates pass than there are seats, the most for-votes win. A tie at the cut-off is reported as
  needing a run-off; the tied candidates are not elected, never picked silently.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CandidateCount:
    id: int
    proposal: int
    title: str
    for_votes: int = 0
    against: int = 0
    abstain: int = 0
    passed: bool = False
    elected: bool = False
    tied: bool = False

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "proposal": self.proposal,
            "title": self.title,
            "for": self.for_votes,
            "against": self.against,
            "abstain": self.abstain,
            "passed": self.passed,
            "elected": self.elected,
            "tied": self.tied,
        }


@dataclass(frozen=True)
class BallotTally:
    status: str
    seats: int
    threshold_basis: str
    roll_size: int
    present: int
    voted: int
    quorum_met: bool
    runoff_needed: bool
    candidates: tuple[CandidateCount, ...] = field(default_factory=tuple)

    @property
    def basis_count(self) -> int:
        return self.present if self.threshold_basis == "present" else self.roll_size

    def for_votes(self, candidate) -> int:
        pk = getattr(candidate, "pk", candidate)
        return next(c.for_votes for c in self.candidates if c.id == pk)

    def elected_ids(self) -> list[int]:
        return [c.id for c in self.candidates if c.elected]

    def as_dict(self) -> dict:
        """The API shape of GET ballots/ID/result/ (plus a few extra fields)."""
        return {
            "status": self.status,
            "seats": self.seats,
            "threshold_basis": self.threshold_basis,
            "roll_size": self.roll_size,
            "present": self.present,
            "voted": self.voted,
            "quorum_met": self.quorum_met,
            "runoff_needed": self.runoff_needed,
            "candidates": [c.as_dict() for c in self.candidates],
        }

    def comparable(self) -> dict:
        """What a recount must reproduce: every count and every outcome (not the status or timestamps)."""
        d = self.as_dict()
        d.pop("status")
        return d


def quorum_met(*, voted: int, roll_size: int) -> bool:
    """The quorum: more than half of the roll handed in a ballot paper."""
    return voted * 2 > roll_size


def count(
    *,
    status: str,
    seats: int,
    threshold_basis: str,
    roll_size: int,
    present: int,
    voted: int,
    rows: list[tuple[int, int, str, dict[str, int]]],
) -> BallotTally:
    """`rows`: (candidate id, proposal id, title, {"for": n, "against": n, "abstain": n}) in ballot order."""
    met = quorum_met(voted=voted, roll_size=roll_size)
    basis = present if threshold_basis == "present" else roll_size
    passing = [r for r in rows if met and r[3].get("for", 0) * 2 > basis]
    elected: set[int] = set()
    tied: set[int] = set()
    runoff = False
    if len(passing) <= seats:
        elected = {r[0] for r in passing}
    else:
        ranked = sorted(passing, key=lambda r: -r[3].get("for", 0))
        cutoff = ranked[seats - 1][3].get("for", 0)
        above = [r for r in ranked if r[3].get("for", 0) > cutoff]
        at_cutoff = [r for r in ranked if r[3].get("for", 0) == cutoff]
        if len(above) + len(at_cutoff) > seats:
            # The seats left after the clear winners cannot be shared out among the tied: a run-off decides.
            runoff = True
            elected = {r[0] for r in above}
            tied = {r[0] for r in at_cutoff}
        else:
            elected = {r[0] for r in ranked[:seats]}
    passed_ids = {r[0] for r in passing}
    candidates = tuple(
        CandidateCount(
            id=cid,
            proposal=pid,
            title=title,
            for_votes=c.get("for", 0),
            against=c.get("against", 0),
            abstain=c.get("abstain", 0),
            passed=cid in passed_ids,
            elected=cid in elected,
            tied=cid in tied,
        )
        for cid, pid, title, c in rows
    )
    return BallotTally(
        status=status,
        seats=seats,
        threshold_basis=threshold_basis,
        roll_size=roll_size,
        present=present,
        voted=voted,
        quorum_met=met,
        runoff_needed=runoff,
        candidates=candidates,
    )
