"""履职积分: a delegate's score is computed from the ledger with the year's rule table, never typed.

Reads go through the ledger's tallies (duties.tally: net count per delegate, year and kind, kept in each
entry's transaction), so a league table scores one row per delegate and kind, not every entry of the year."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, F, FilteredRelation, IntegerField, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import Coalesce, Rank

from .models import DEFAULT_POINTS, DutyEntry, DutyRule, DutyTally, Kind


def rules_for_year(year: int) -> dict[str, int]:
    """The year's point table: the defaults of DESIGN.md §4, overridden by that year's DutyRule rows."""
    rules = {str(k): v for k, v in DEFAULT_POINTS.items()}
    rules.update(dict(DutyRule.objects.filter(year=year).values_list("kind", "points")))
    return rules


def rules_seed_year(year: int) -> int:
    """Write the default table for a year (so admins can edit it); existing rows are kept."""
    rows = [DutyRule(year=year, kind=k, points=p) for k, p in DEFAULT_POINTS.items()]
    return len(DutyRule.objects.bulk_create(rows, ignore_conflicts=True))


def entry_points(entry: DutyEntry, rules: dict[str, int]) -> int:
    if entry.points is not None:
        return entry.points
    return entry.sign * rules.get(entry.kind, 0)


@dataclass
class Score:
    delegate_id: int
    name: str = ""
    score: int = 0
    rank: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _score_of_tally(rules: dict[str, int], prefix: str = "") -> Case:
    """One tally row's points as SQL: CASE kind WHEN adjustment THEN pts WHEN kind IN (…) THEN n * points …
    ELSE 0 END, the kinds grouped by their points in the year's table."""
    by_points: dict[int, list[str]] = defaultdict(list)
    for kind, p in rules.items():
        if kind != Kind.ADJUSTMENT and p:
            by_points[p].append(kind)
    whens = [When(**{f"{prefix}kind": Kind.ADJUSTMENT}, then=F(f"{prefix}pts"))]
    whens += [
        When(**{f"{prefix}kind__in": sorted(kinds)}, then=F(f"{prefix}n") * Value(p))
        for p, kinds in sorted(by_points.items())
    ]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def league(*, year: int, delegates: QuerySet) -> QuerySet:
    """The league table as one query, for the database to paginate: rows {pk, name, score, rank} of these
    delegates, ordered by score (desc), name, id; rank by RANK() (ties share a rank).

    The score sums the delegate's tallies of the year (a LEFT JOIN, so a delegate without any scores 0) with
    the year's point table as a CASE; the window ranks the whole table before LIMIT takes a page. One query to
    build it (the rules); count the delegates themselves, not this (a COUNT over it would score them all)."""
    rules = rules_for_year(year)
    return (
        delegates.annotate(t=FilteredRelation("duty_tallies", condition=Q(duty_tallies__year=year)))
        .order_by()
        .values("pk", "name")
        .annotate(score=Coalesce(Sum(_score_of_tally(rules, "t__")), 0))
        .annotate(rank=Window(Rank(), order_by=F("score").desc()))
        .order_by("-score", "name", "pk")
    )


def _counts(tallies: QuerySet) -> QuerySet:
    # Kinds whose acts were all reversed keep a row with n = 0: not a count to show.
    return tallies.exclude(n=0).order_by("kind")


def _with_counts(rows: Iterable[dict], tallies_of) -> list[Score]:
    table = [Score(delegate_id=r["pk"], name=r["name"], score=r["score"], rank=r["rank"]) for r in rows]
    by_id = {s.delegate_id: s for s in table}
    if by_id:
        for delegate_id, kind, n in _counts(tallies_of(by_id)).values_list("delegate_id", "kind", "n"):
            if delegate_id in by_id:
                by_id[delegate_id].counts[kind] = n
    return table


def scores_page(rows: Iterable[dict], *, year: int) -> list[Score]:
    """Scores for a page of league() rows, with their counts by kind: one query for the page."""
    return _with_counts(rows, lambda ids: DutyTally.objects.filter(year=year, delegate_id__in=list(ids)))


def scores(*, year: int, delegates: QuerySet) -> list[Score]:
    """The whole league table for these delegates and year: score, rank (ties share a rank), counts by kind.
    Three queries whatever the number of delegates: the rules, the table, the counts."""
    return _with_counts(
        league(year=year, delegates=delegates),
        lambda ids: DutyTally.objects.filter(year=year, delegate__in=delegates.values("pk")),
    )


def delegate_score(*, delegate_id: int, year: int) -> Score:
    """One delegate's score and counts, from their tallies of the year (two queries: rules, tallies)."""
    rules = rules_for_year(year)
    s = Score(delegate_id=delegate_id)
    tallies = DutyTally.objects.filter(year=year, delegate_id=delegate_id).order_by("kind")
    for kind, n, pts in tallies.values_list("kind", "n", "pts"):
        s.score += pts if kind == Kind.ADJUSTMENT else n * rules.get(kind, 0)
        if n:
            s.counts[kind] = n
    return s


def counts_by_kind(*, delegate_id: int, year: int) -> dict[str, int]:
    tallies = DutyTally.objects.filter(year=year, delegate_id=delegate_id)
    return dict(_counts(tallies).values_list("kind", "n"))
