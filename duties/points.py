"""履职积分: a delegate's score is computed from the ledger with the year's rule table, never typed."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from .models import DEFAULT_POINTS, DutyEntry, DutyRule, Kind


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


def _net_counts(entries: QuerySet) -> QuerySet:
    # One GROUP BY over the year's entries: net count per delegate and kind, and the adjustments' points.
    return (
        entries.order_by()
        .values("delegate_id", "kind")
        .annotate(n=Sum("sign"), pts=Coalesce(Sum("points", filter=Q(kind=Kind.ADJUSTMENT)), 0))
    )


def scores(*, year: int, delegates: QuerySet) -> list[Score]:
    """The league table for these delegates and year: score, rank (ties share a rank), counts by kind.
    Three queries whatever the number of delegates: the rules, the delegates, the grouped entries."""
    rules = rules_for_year(year)
    table = {d["pk"]: Score(delegate_id=d["pk"], name=d["name"]) for d in delegates.values("pk", "name")}
    rows = _net_counts(DutyEntry.objects.filter(year=year, delegate__in=delegates.values("pk")))
    for row in rows:
        s = table.get(row["delegate_id"])
        if s is None:
            continue
        kind = row["kind"]
        if kind == Kind.ADJUSTMENT:
            s.score += row["pts"]
        else:
            s.score += row["n"] * rules.get(kind, 0)
        if row["n"]:
            s.counts[kind] = row["n"]
    ordered = sorted(table.values(), key=lambda s: (-s.score, s.name, s.delegate_id))
    rank, last = 0, None
    for i, s in enumerate(ordered, start=1):
        if s.score != last:
            rank, last = i, s.score
        s.rank = rank
    return ordered


def delegate_score(*, delegate_id: int, year: int) -> Score:
    rules = rules_for_year(year)
    s = Score(delegate_id=delegate_id)
    for row in _net_counts(DutyEntry.objects.filter(year=year, delegate_id=delegate_id)):
        kind = row["kind"]
        s.score += row["pts"] if kind == Kind.ADJUSTMENT else row["n"] * rules.get(kind, 0)
        if row["n"]:
            s.counts[kind] = row["n"]
    return s


def counts_by_kind(*, delegate_id: int, year: int) -> dict[str, int]:
    rows = (
        DutyEntry.objects.filter(year=year, delegate_id=delegate_id)
        .values("kind")
        .annotate(n=Sum("sign"))
        .order_by()
    )
    out: dict[str, int] = defaultdict(int)
    for row in rows:
        if row["n"]:
            out[row["kind"]] = row["n"]
    return dict(out)
