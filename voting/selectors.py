"""Reads of the livelihood-project cycle: joins, prefetches, area scoping and who may see what."""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from bodies.models import Counting
from liaison.errors import get_or_not_found
from liaison.scoping import scope_to_area
from stations.models import Area, Delegate
from supervision.api.serializers import TallySheetOut
from supervision.selectors import (
    assessment_result,
    assessment_roll_size,
    assessment_sheet,
    count_tally,
    member_assessment_ids,
)

from .models import (
    Ballot,
    BallotCount,
    BallotCountLine,
    BallotPaper,
    BallotRollEntry,
    Candidate,
    Evaluation,
    LivelihoodProject,
    Milestone,
    ProgressPhoto,
    ProgressReport,
    ProjectProposal,
    ProposalWindow,
    Site,
    Vote,
)
from .tally import BallotTally, count

PUBLIC_PROPOSAL_FIELDS = (
    "id",
    "code",
    "title",
    "description",
    "rough_cost",
    "proposer_kind",
    "status",
    "decline_reason",
    "shortlist_note",
    "merged_into_id",
    "created_at",
    "area__code",
    "area__name",
    "merged_into__code",
)


# --- proposals ------------------------------------------------------------------------------------------------
def open_window_for(area: Area, day: dt.date | None = None) -> ProposalWindow | None:
    """The collection window open today for `area` or any area above it (the nearest one wins)."""
    day = day or timezone.localdate()
    ancestors = ancestor_paths(area.path)
    return (
        ProposalWindow.objects.filter(area__path__in=ancestors, opens_on__lte=day, closes_on__gte=day)
        .select_related("area")
        .order_by("-area__path")
        .first()
    )


def open_windows(day: dt.date | None = None) -> list[ProposalWindow]:
    """Collection windows open today, every area (one query): where the public may propose a project."""
    day = day or timezone.localdate()
    return list(
        ProposalWindow.objects.filter(opens_on__lte=day, closes_on__gte=day)
        .select_related("area")
        .order_by("area__path", "id")
    )


def next_windows(day: dt.date | None = None, limit: int = 5) -> list[ProposalWindow]:
    """Windows that open later, soonest first (one query): "征集尚未开始" can say when it will."""
    day = day or timezone.localdate()
    return list(
        ProposalWindow.objects.filter(opens_on__gt=day)
        .select_related("area")
        .order_by("opens_on", "area__path", "id")[:limit]
    )


def ancestor_paths(path: str) -> list[str]:
    """ "a/b/c/" → ["a/", "a/b/", "a/b/c/"]: the area and everything above it, for one indexed `IN` query."""
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def proposals_public() -> QuerySet[ProjectProposal]:
    """Public fields only (no name, no phone): one query with the area and the merge target joined."""
    return ProjectProposal.objects.select_related("area", "merged_into").only(*PUBLIC_PROPOSAL_FIELDS)


def proposal_public_by_code(code: str) -> ProjectProposal | None:
    return proposals_public().filter(code=code.strip().upper()[:12]).first()


def proposals_for_staff(user) -> QuerySet[ProjectProposal]:
    return scope_to_area(
        ProjectProposal.objects.select_related("area", "merged_into", "proposer_delegate"), user
    )


def windows_for(user) -> QuerySet[ProposalWindow]:
    return scope_to_area(ProposalWindow.objects.select_related("area"), user)


# --- ballots --------------------------------------------------------------------------------------------------
def ballots_for_admin(user) -> QuerySet[Ballot]:
    if not getattr(user, "is_portal_admin", False):
        return Ballot.objects.none()
    return scope_to_area(Ballot.objects.select_related("area"), user)


def _voter_q(user, prefix: str) -> Q:
    """Rows (roll entries or papers, under `prefix`) of this user: as a delegate, or as a body member."""
    q = Q(**{f"{prefix}member__user_id": getattr(user, "pk", None) or 0})
    if getattr(user, "delegate_id", None):
        q |= Q(**{f"{prefix}delegate_id": user.delegate_id})
    return q


def ballots_for_delegate(delegate_id: int | None) -> QuerySet[Ballot]:
    if not delegate_id:
        return Ballot.objects.none()
    return Ballot.objects.filter(roll_entries__delegate_id=delegate_id).select_related("area")


def ballots_for_voter(user) -> QuerySet[Ballot]:
    """Ballots on whose roll the user is, as a delegate or as a member of the body that votes."""
    if not getattr(user, "is_authenticated", False):
        return Ballot.objects.none()
    ids = BallotRollEntry.objects.filter(_voter_q(user, "")).values("ballot_id")
    return Ballot.objects.filter(pk__in=ids).select_related("area")


def ballots_published() -> QuerySet[Ballot]:
    return Ballot.objects.filter(status=Ballot.Status.PUBLISHED).select_related("area")


def ballot_candidates(ballot: Ballot) -> QuerySet[Candidate]:
    return ballot.candidates.select_related("proposal", "proposal__area").order_by("position", "id")


def pending_ballots_for(user) -> QuerySet[Ballot]:
    """Open ballots voted online on whose roll the user is and to which they have not handed in a paper."""
    mine = BallotPaper.objects.filter(_voter_q(user, "")).values("ballot_id")
    return (
        ballots_for_voter(user)
        .filter(status=Ballot.Status.OPEN, counting=Counting.ONLINE)
        .exclude(pk__in=mine)
        .order_by("opened_at", "id")
    )


def paper_of(ballot: Ballot, user) -> BallotPaper | None:
    return BallotPaper.objects.filter(_voter_q(user, ""), ballot=ballot).order_by("pk").first()


def papers_of(user) -> QuerySet[BallotPaper]:
    return BallotPaper.objects.filter(_voter_q(user, "")).select_related("ballot")


def on_roll(ballot: Ballot, user) -> bool:
    return BallotRollEntry.objects.filter(_voter_q(user, ""), ballot=ballot).exists()


def count_sheet(ballot: Ballot) -> BallotCount | None:
    """The tally sheet of a ballot counted on paper or by a device (None for online ballots or before entry)."""
    if ballot.counting == Counting.ONLINE:
        return None
    return BallotCount.objects.filter(ballot=ballot).select_related("entered_by", "confirmed_by").first()


def ballot_turnout(ballot: Ballot) -> dict:
    """Who has voted and how many — never anything about what they chose. Two queries for any roll: the roll
    with its delegates and members, and the papers' voters. A voter is named by delegate id (`id`) and, for a
    body's roll, member id (`member`)."""
    entries = list(
        BallotRollEntry.objects.filter(ballot=ballot)
        .select_related("delegate", "member")
        .only("present", "delegate_id", "member_id", "delegate__name", "member__name")
    )
    papers = set(BallotPaper.objects.filter(ballot=ballot).values_list("delegate_id", "member_id"))
    by_delegate = {d for d, _m in papers if d is not None}
    by_member = {m for _d, m in papers if m is not None}
    voters, not_voted = [], []
    for e in entries:
        person = {
            "id": e.delegate_id,
            "member": e.member_id,
            "name": e.delegate.name if e.delegate_id else e.member.name,
        }
        voted = (e.delegate_id in by_delegate) if e.delegate_id else (e.member_id in by_member)
        (voters if voted else not_voted).append(person)
    key = lambda p: (p["name"], p["id"] or 0, p["member"] or 0)  # noqa: E731
    return {
        "roll_size": len(entries),
        "present": sum(1 for e in entries if e.present),
        "voted": len(voters),
        "voters": sorted(voters, key=key),
        "not_voted": sorted(not_voted, key=key),
    }


def ballot_tally(*, ballot_id: int) -> BallotTally:
    """Count the stored votes (four queries), or — for a ballot counted on paper or by a device — read its
    confirmed tally sheet (nothing counts before a second admin confirms it). Callers decide who may see the
    result (see api / views)."""
    ballot = get_or_not_found(
        Ballot.objects.only("id", "status", "seats", "threshold_basis", "counting"), pk=ballot_id
    )
    roll = BallotRollEntry.objects.filter(ballot_id=ballot.pk).aggregate(
        size=Count("id"), present=Count("id", filter=Q(present=True))
    )
    counts: dict[int, dict[str, int]] = {}
    if ballot.counting == Counting.ONLINE:
        voted = BallotPaper.objects.filter(ballot_id=ballot.pk).count()
        for cand, choice, n in (
            Vote.objects.filter(ballot_id=ballot.pk)
            .values_list("candidate_id", "choice")
            .annotate(n=Count("id"))
            .order_by()
        ):
            counts.setdefault(cand, {})[choice] = n
    else:
        sheet = BallotCount.objects.filter(ballot_id=ballot.pk, confirmed_at__isnull=False).first()
        voted = sheet.papers_returned if sheet else 0
        roll["present"] = sheet.present if sheet else 0
        for line in BallotCountLine.objects.filter(count=sheet) if sheet else ():
            counts[line.candidate_id] = {
                "for": line.votes_for,
                "against": line.votes_against,
                "abstain": line.votes_abstain,
            }
    rows = [
        (c.pk, c.proposal_id, c.proposal.title, counts.get(c.pk, {}))
        for c in Candidate.objects.filter(ballot_id=ballot.pk)
        .select_related("proposal")
        .only("id", "proposal_id", "proposal__title")
        .order_by("position", "id")
    ]
    return count(
        status=ballot.status,
        seats=ballot.seats,
        threshold_basis=ballot.threshold_basis,
        roll_size=roll["size"],
        present=roll["present"],
        voted=voted,
        rows=rows,
    )


# --- projects -------------------------------------------------------------------------------------------------
def _project_base() -> QuerySet[LivelihoodProject]:
    return LivelihoodProject.objects.select_related("area", "unit")


def projects_public(year: int | None = None) -> QuerySet[LivelihoodProject]:
    """幸福账单: the year's projects with milestones, sites and lead delegates — four queries for any count."""
    qs = _project_base().prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due", "id")),
        Prefetch("sites", queryset=Site.objects.order_by("id")),
        Prefetch("lead_delegates", queryset=Delegate.objects.only("id", "name", "level")),
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def projects_for(user) -> QuerySet[LivelihoodProject]:
    """Staff and admins: their area subtree; a unit: its own projects; a delegate: those they lead."""
    qs = _project_base()
    if getattr(user, "is_area_staff", False):
        return scope_to_area(qs, user)
    if getattr(user, "is_unit_user", False):
        return qs.filter(unit_id=user.unit_id)
    if getattr(user, "is_delegate_user", False):
        return qs.filter(lead_delegates__id=user.delegate_id).distinct()
    return qs.none()


def project_detail(project_id: int) -> LivelihoodProject:
    """A public project with its sites, leads and reports; NotFound for an unknown one."""
    return get_or_not_found(
        projects_public().prefetch_related(
            Prefetch("sites__lead_delegates", queryset=Delegate.objects.only("id", "name")),
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.order_by("-created_at", "-id").prefetch_related(
                    Prefetch("photos", queryset=ProgressPhoto.objects.order_by("id"))
                ),
            ),
        ),
        pk=project_id,
    )


def project_years() -> list[int]:
    return list(LivelihoodProject.objects.order_by("-year").values_list("year", flat=True).distinct())


def elected_candidates_without_project(user) -> list[Candidate]:
    """Candidates elected in a published ballot in the user's area that do not yet have a project."""
    ballots = ballots_for_admin(user).filter(status=Ballot.Status.PUBLISHED)
    out = []
    for b in ballots.prefetch_related("candidates__proposal"):
        elected = {c["id"] for c in (b.published_result or {}).get("candidates", []) if c.get("elected")}
        taken = set(
            LivelihoodProject.objects.filter(candidate__ballot=b).values_list("candidate_id", flat=True)
        )
        out += [c for c in b.candidates.all() if c.pk in elected and c.pk not in taken]
    return out


# --- evaluations ----------------------------------------------------------------------------------------------
def _evaluations() -> QuerySet[Evaluation]:
    return Evaluation.objects.select_related("assessment", "project", "project__area", "project__unit")


def pending_member_evaluations(user) -> list[Evaluation]:
    """Open evaluations counted online on whose member roll the user (a body's member who is not a delegate) is,
    and in which they have not yet voted."""
    if not getattr(user, "is_body_member", False):
        return []
    return list(
        _evaluations()
        .filter(
            assessment__status="open",
            assessment__counting="online",
            assessment_id__in=member_assessment_ids(user),
        )
        .exclude(assessment__votes__member__user_id=user.pk)
        .order_by("assessment__opened_at", "id")
    )


def pending_evaluations_for(delegate_id: int | None) -> list[Evaluation]:
    """Open evaluations on whose roll the delegate is and in which they have not yet voted."""
    if not delegate_id:
        return []
    return list(
        _evaluations()
        .filter(assessment__status="open", assessment__roll__id=delegate_id)
        .exclude(assessment__votes__delegate_id=delegate_id)
        .order_by("assessment__opened_at", "id")
    )


def evaluations_for(user) -> QuerySet[Evaluation]:
    """Staff and admins: evaluations of projects in their area subtree; delegates: those on whose roll they are."""
    if getattr(user, "is_area_staff", False):
        return scope_to_area(_evaluations(), user, "project__area")
    if getattr(user, "is_delegate_user", False):
        return _evaluations().filter(assessment__roll__id=user.delegate_id)
    if getattr(user, "is_body_member", False):
        return _evaluations().filter(assessment_id__in=member_assessment_ids(user))
    return Evaluation.objects.none()


def project_evaluations(project: LivelihoodProject) -> list[Evaluation]:
    return list(_evaluations().filter(project=project).order_by("-created_at", "-id"))


def evaluation_on_roll(evaluation: Evaluation, delegate_id: int | None) -> bool:
    return bool(delegate_id) and evaluation.assessment.roll.filter(pk=delegate_id).exists()


def evaluation_result(*, evaluation_id: int) -> dict:
    ev = get_or_not_found(Evaluation.objects.select_related("assessment"), pk=evaluation_id)
    a = ev.assessment
    sheet = assessment_sheet(a.pk) if a.counting != "online" else None
    if sheet is not None and sheet.is_confirmed:
        tally = count_tally(sheet)
    else:
        tally = assessment_result(assessment_id=a.pk)
    rect = a.rectifications.order_by("id").first()
    return {
        "id": ev.pk,
        "project": ev.project_id,
        "status": a.status,
        "roll_size": assessment_roll_size(a),
        "voted": tally.total,
        "satisfied": tally.satisfied,
        "basically_satisfied": tally.basically_satisfied,
        "unsatisfied": tally.unsatisfied,
        "rate": tally.rate,
        "outcome": a.outcome or None,
        "rectification": {"id": rect.pk, "status": rect.status, "due": rect.due} if rect else None,
        "counting": a.counting,
        "tally_sheet": TallySheetOut(sheet).data if sheet is not None else None,
    }
