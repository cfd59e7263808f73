"""Statistics for staff: counts and the rates by which 12345 hotlines are judged, for an area subtree and a
period, broken down by month, category, station, unit and channel.

Every figure is an aggregate query (conditional COUNTs grouped in the database); nothing loops over
suggestions in Python. The per-suggestion facts they count (triaged_at, responded_on_time, replied_on_time,
reply_result, rating) are written by the services at each transition.

Counting a city's year live means aggregating ~10^5 suggestions and ~10^5 referrals several times over (one
to two seconds on PostgreSQL; ten years, several more). So whole months are read from monthly cells instead
(MonthlyStats, MonthlyUnitStats): per *key* — a suggestion's area path cut to STATS_KEY_DEPTH levels, i.e.
its county — and month, one row per category, channel and station plus one for all. The keys under an area's
path partition its subtree, so any area at key depth or above sums cells; areas below it (townships,
villages: small subtrees) and the partial months at either end of a period are counted live, with the same
aggregates. The one figure that moves without any row changing (triage that became late today) is always
counted live, from the few suggestions still awaiting triage.

Cells are kept current by `refresh()`: suggestions and referrals changed since the last fold (their indexed
`updated_at`, looked at with a safety margin for transactions still open then) have their (key, month)
buckets recomputed from scratch. A beat task folds every minute, a dashboard read folds first when the last
fold is older than STATS_FOLD_SECONDS (so whole months are at most that far behind; partial months are live),
and a nightly rebuild recomputes everything (`manage.py rebuild_stats` does it by hand).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from liaison.satisfaction import Satisfaction
from stations.models import Area, HandlingUnit, Station

from .conf import conf
from .models import MonthlyStats, MonthlyUnitStats, Referral, Reply, StatsState, Suggestion

S = Suggestion.Status
SEGMENT = 13  # a 12-digit code and its "/"
COUNTERS = MonthlyStats.COUNTERS
UNIT_COUNTERS = MonthlyUnitStats.COUNTERS
DIMS = {
    MonthlyStats.Dim.CATEGORY: "category",
    MonthlyStats.Dim.CHANNEL: "channel",
    MonthlyStats.Dim.STATION: "station_id",
}
# Changes made in transactions that were still open when the last fold looked are caught by looking back
# this far again (a transaction takes milliseconds; this leaves room for a very slow one).
FOLD_MARGIN = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @classmethod
    def default(cls, today: dt.date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(dt.date(today.year, 1, 1), today)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return _local_midnight(self.start), _local_midnight(self.end + dt.timedelta(days=1))


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _next_month(m: dt.date) -> dt.date:
    return dt.date(m.year + m.month // 12, m.month % 12 + 1, 1)


def _month_of(value) -> dt.date:
    """A TruncMonth value (an aware datetime on PostgreSQL and SQLite) as the month's first day."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def key_length() -> int:
    return SEGMENT * conf.STATS_KEY_DEPTH


def uses_cells(area: Area) -> bool:
    """Areas at key depth or above are summed from cells; deeper ones are counted live."""
    return len(area.path) <= key_length()


# --- the aggregates -----------------------------------------------------------------------------------------
def _aggregates(today: dt.date) -> dict:
    pos = [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]
    return {
        "received": Count("id"),
        "accepted": Count("id", filter=~Q(status__in=[S.SUBMITTED, S.REJECTED, S.MERGED])),
        "rejected": Count("id", filter=Q(status=S.REJECTED)),
        "referred": Count("id", filter=Q(referred_at__isnull=False)),
        "replied": Count("id", filter=Q(replied_at__isnull=False)),
        "closed": Count("id", filter=Q(status=S.CLOSED)),
        "overdue": Count("id", filter=Q(is_overdue=True)),
        "triaged": Count("id", filter=Q(triaged_at__isnull=False)),
        "responded_on_time": Count("id", filter=Q(responded_on_time=True)),
        "solved": Count("id", filter=Q(reply_result=Reply.Result.SOLVED)),
        "replied_on_time": Count("id", filter=Q(replied_on_time=True)),
        "rated": Count("id", filter=~Q(rating="")),
        "satisfied": Count("id", filter=Q(rating__in=pos)),
        # Response rate counts triage as due once done, or once its deadline is past: the second part
        # grows with the calendar alone, so it is never stored in a cell.
        "late_untriaged": Count("id", filter=Q(triaged_at__isnull=True, triage_due__lt=today)),
    }


def _unit_aggregates() -> dict:
    return {
        "referrals": Count("id"),
        "lead": Count("id", filter=Q(role=Referral.Role.LEAD)),
        "replied": Count("id", filter=Q(status=Referral.Status.REPLIED)),
        "replied_on_time": Count("id", filter=Q(replied_on_time=True)),
        "returned": Count("id", filter=Q(status=Referral.Status.RETURNED)),
        "overdue": Count("id", filter=Q(overdue_at__isnull=False)),
        "solved": Count("id", filter=Q(reply_result=Reply.Result.SOLVED)),
    }


ALL_COUNTERS = (*COUNTERS, "late_untriaged")


def _zero() -> dict:
    return dict.fromkeys(ALL_COUNTERS, 0)


def _unit_zero() -> dict:
    return dict.fromkeys(UNIT_COUNTERS, 0)


def _add(into: dict, row: dict, names: Iterable[str]) -> None:
    for n in names:
        into[n] += row.get(n) or 0


@dataclass
class Parts:
    """Raw counters of a stretch of time, before rates and labels."""

    totals: dict = field(default_factory=_zero)
    by_month: dict = field(default_factory=lambda: defaultdict(_zero))
    by_dim: dict = field(default_factory=lambda: {d: defaultdict(_zero) for d in DIMS})
    by_unit: dict = field(default_factory=lambda: defaultdict(_unit_zero))

    def merge(self, other: "Parts") -> None:
        _add(self.totals, other.totals, ALL_COUNTERS)
        for m, row in other.by_month.items():
            _add(self.by_month[m], row, ALL_COUNTERS)
        for d, rows in other.by_dim.items():
            for v, row in rows.items():
                _add(self.by_dim[d][v], row, ALL_COUNTERS)
        for u, row in other.by_unit.items():
            _add(self.by_unit[u], row, UNIT_COUNTERS)


def _in_subtree(area: Area) -> Q:
    # A semi-join on the subtree's area ids: the planner can hash the (small) area set once.
    return Q(area_id__in=Area.objects.filter(path__startswith=area.path).values("id"))


def _live(area: Area, period: Period, today: dt.date, dims=tuple(DIMS), units: bool = True) -> Parts:
    """Count a stretch of time straight from the suggestions and referrals (five aggregate queries)."""
    lo, hi = period.bounds()
    qs = Suggestion.objects.filter(_in_subtree(area), created_at__gte=lo, created_at__lt=hi)
    aggs = _aggregates(today)
    parts = Parts()
    for r in qs.annotate(month=TruncMonth("created_at")).values("month").annotate(**aggs).order_by():
        _add(parts.by_month[_month_of(r["month"])], r, ALL_COUNTERS)
        _add(parts.totals, r, ALL_COUNTERS)  # the months partition the stretch
    for dim, column in DIMS.items():
        if dim in dims:
            for r in qs.values(column).annotate(**aggs).order_by():
                _add(parts.by_dim[dim][_dim_value(r[column])], r, ALL_COUNTERS)
    if units:
        referrals = Referral.objects.filter(_in_subtree(area), created_at__gte=lo, created_at__lt=hi)
        for r in referrals.values("unit_id").annotate(**_unit_aggregates()).order_by():
            _add(parts.by_unit[r["unit_id"]], r, UNIT_COUNTERS)
    return parts


def _dim_value(v) -> str:
    return "" if v is None else str(v)


def _from_cells(
    area: Area, first: dt.date, stop: dt.date, today: dt.date, dims=tuple(DIMS), units: bool = True
) -> Parts:
    """Sum the cells of months [first, stop) under the area (three queries), plus the late triage (one)."""
    parts = Parts()
    cells = MonthlyStats.objects.filter(key__startswith=area.path, month__gte=first, month__lt=stop)
    sums = {n: Sum(n) for n in COUNTERS}
    for r in cells.filter(dim=MonthlyStats.Dim.ALL).values("month").annotate(**sums).order_by():
        _add(parts.by_month[r["month"]], r, COUNTERS)
        _add(parts.totals, r, COUNTERS)
    for r in cells.filter(dim__in=dims).values("dim", "value").annotate(**sums).order_by():
        _add(parts.by_dim[r["dim"]][r["value"]], r, COUNTERS)
    if units:
        unit_cells = MonthlyUnitStats.objects.filter(
            key__startswith=area.path, month__gte=first, month__lt=stop
        )
        for r in unit_cells.values("unit_id").annotate(**{n: Sum(n) for n in UNIT_COUNTERS}).order_by():
            _add(parts.by_unit[r["unit_id"]], r, UNIT_COUNTERS)
    # Suggestions still awaiting triage past their deadline: only status `submitted` ones can be.
    late = Suggestion.objects.filter(
        _in_subtree(area),
        status=S.SUBMITTED,
        triaged_at__isnull=True,
        triage_due__lt=today,
        created_at__gte=_local_midnight(first),
        created_at__lt=_local_midnight(stop),
    )
    rows = (
        late.annotate(month=TruncMonth("created_at")).values("month", *DIMS.values()).annotate(n=Count("id"))
    )
    for r in rows.order_by():
        n = r["n"]
        parts.totals["late_untriaged"] += n
        parts.by_month[_month_of(r["month"])]["late_untriaged"] += n
        for dim, column in DIMS.items():
            parts.by_dim[dim][_dim_value(r[column])]["late_untriaged"] += n
    return parts


def _split(period: Period) -> tuple[tuple[dt.date, dt.date] | None, list[Period]]:
    """The whole months inside the period as [first, stop), and the partial stretches either side."""
    first = period.start if period.start.day == 1 else _next_month(period.start)
    after_end = period.end + dt.timedelta(days=1)
    stop = after_end if after_end.day == 1 else period.end.replace(day=1)
    if first >= stop:
        return None, [period]
    edges = []
    if period.start < first:
        edges.append(Period(period.start, first - dt.timedelta(days=1)))
    if stop <= period.end:
        edges.append(Period(stop, period.end))
    return (first, stop), edges


# --- the dashboard ------------------------------------------------------------------------------------------
def dashboard(area: Area, period: Period, *, today: dt.date | None = None, public: bool = False) -> dict:
    """Totals and breakdowns for the area's subtree and the period: a fixed number of queries, whatever the
    number of suggestions (cells for whole months; live counts for the rest, see the module docstring).

    `public`: only what the public figures show (totals, months, categories, channels): no breakdown by
    station or unit, the two largest reads (`by_station` and `by_unit` are empty)."""
    today = today or timezone.localdate()
    dims = (MonthlyStats.Dim.CATEGORY, MonthlyStats.Dim.CHANNEL) if public else tuple(DIMS)
    months, edges = _split(period) if uses_cells(area) else (None, [period])
    parts = Parts()
    if months:
        refresh(unless_newer_than=dt.timedelta(seconds=conf.STATS_FOLD_SECONDS))
        parts.merge(_from_cells(area, *months, today, dims=dims, units=not public))
    for edge in edges:
        parts.merge(_live(area, edge, today, dims=dims, units=not public))
    return _present(area, period, parts)


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def _row(counters: dict, **extra) -> dict:
    row = {n: counters[n] for n in COUNTERS if n != "triaged"}
    row["response_due"] = counters["triaged"] + counters["late_untriaged"]
    row["response_rate"] = _rate(counters["responded_on_time"], row["response_due"])
    row["solution_rate"] = _rate(counters["solved"], counters["replied"])
    row["satisfaction_rate"] = _rate(counters["satisfied"], counters["rated"])
    row["on_time_rate"] = _rate(counters["replied_on_time"], counters["replied"])
    row.update(extra)
    return row


def _present(area: Area, period: Period, parts: Parts) -> dict:
    by_month = [
        _row(parts.by_month[m], month=_local_midnight(m), label=f"{m:%Y-%m}") for m in sorted(parts.by_month)
    ]

    def ranked(dim, limit=None):
        rows = sorted(parts.by_dim[dim].items(), key=lambda kv: (-kv[1]["received"], kv[0]))
        return rows[:limit] if limit else rows

    cats, chans = dict(Suggestion.Category.choices), dict(Suggestion.Channel.choices)
    by_category = [
        _row(c, category=v, label=str(cats.get(v, v))) for v, c in ranked(MonthlyStats.Dim.CATEGORY)
    ]
    by_channel = [_row(c, channel=v, label=str(chans.get(v, v))) for v, c in ranked(MonthlyStats.Dim.CHANNEL)]
    stations = ranked(MonthlyStats.Dim.STATION, 50)
    names = dict(
        Station.objects.filter(pk__in=[int(v) for v, _c in stations if v])
        .order_by()
        .values_list("pk", "name")
    )
    by_station = []
    for v, c in stations:
        sid = int(v) if v else None
        name = names.get(sid)
        by_station.append(_row(c, station_id=sid, station__name=name, label=name or "—"))
    units = sorted(parts.by_unit.items(), key=lambda kv: (-kv[1]["referrals"], kv[0]))[:100]
    unit_names = dict(
        HandlingUnit.objects.filter(pk__in=[u for u, _c in units]).order_by().values_list("pk", "name")
    )
    by_unit = [
        {
            "unit_id": u,
            "unit__name": unit_names.get(u, ""),
            **c,
            "label": unit_names.get(u, ""),
            "on_time_rate": _rate(c["replied_on_time"], c["replied"]),
            "solution_rate": _rate(c["solved"], c["replied"]),
        }
        for u, c in units
    ]
    return {
        "area": {"code": area.code, "name": area.name},
        "period": {"start": period.start, "end": period.end},
        "totals": _row(parts.totals),
        "by_month": by_month,
        "by_category": by_category,
        "by_channel": by_channel,
        "by_station": by_station,
        "by_unit": by_unit,
        "computed_at": timezone.now(),
    }


def month_start(day: dt.date) -> dt.datetime:
    """The first moment (Asia/Shanghai) of the month of `day`."""
    return _local_midnight(day.replace(day=1))


def received_count(area: Area) -> int | None:
    """How many suggestions the area's subtree has ever received, exactly, without counting them all.

    A suggestion's month and area never change once it is made and suggestions are never deleted, so the
    cells of the months before last are final once a fold has run after that month ended (plus the margin
    for transactions open then); the rest is counted live. Suggestions are made with today's date, except
    reception-log opinions, which carry their reception day and fold the cells as soon as they commit
    (services.intake), and imports of older ones (which run `rebuild_stats`). None when the cells
    cannot say: an area below key depth, or no fold since last month began. Three queries.
    """
    if not uses_cells(area):
        return None
    folded = StatsState.objects.filter(pk=1).values_list("folded_until", flat=True).first()
    boundary = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    if folded is None or folded < _local_midnight(boundary) + FOLD_MARGIN:
        return None
    past = MonthlyStats.objects.filter(
        dim=MonthlyStats.Dim.ALL, key__startswith=area.path, month__lt=boundary
    ).aggregate(n=Sum("received"))["n"]
    recent = Suggestion.objects.filter(_in_subtree(area), created_at__gte=_local_midnight(boundary)).count()
    return (past or 0) + recent


# --- keeping the cells current --------------------------------------------------------------------------
def _keyed(qs: QuerySet) -> QuerySet:
    """Suggestions or referrals (both carry the area) with their key and month."""
    return qs.annotate(key=Substr("area__path", 1, key_length()), month=TruncMonth("created_at"))


def _bucket_filter(buckets: Iterable[tuple[str, dt.date]]) -> Q:
    """Rows whose (key, month) is one of the buckets; a key shorter than the key depth is an area itself."""
    by_key: dict[str, list[dt.date]] = defaultdict(list)
    for key, month in buckets:
        by_key[key].append(month)
    q = Q(pk__in=[])
    for key, months in by_key.items():
        where = Q(area__path__startswith=key) if len(key) == key_length() else Q(area__path=key)
        when = Q(pk__in=[])
        for m in months:
            when |= Q(created_at__gte=_local_midnight(m), created_at__lt=_local_midnight(_next_month(m)))
        q |= where & when
    return q


def _compute(suggestions: QuerySet, referrals: QuerySet) -> tuple[list[MonthlyStats], list[MonthlyUnitStats]]:
    """Cells for what the two querysets hold, grouped by key and month in the database."""
    aggs = _aggregates(timezone.localdate())
    aggs.pop("late_untriaged")
    keyed = _keyed(suggestions)
    cells = [
        MonthlyStats(
            key=r["key"], month=_month_of(r["month"]), dim=MonthlyStats.Dim.ALL, value="", **_only(r)
        )
        for r in keyed.values("key", "month").annotate(**aggs).order_by()
    ]
    for dim, column in DIMS.items():
        cells += [
            MonthlyStats(
                key=r["key"], month=_month_of(r["month"]), dim=dim, value=_dim_value(r[column]), **_only(r)
            )
            for r in keyed.values("key", "month", column).annotate(**aggs).order_by()
        ]
    units = [
        MonthlyUnitStats(
            key=r["key"],
            month=_month_of(r["month"]),
            unit_id=r["unit_id"],
            **{n: r[n] for n in UNIT_COUNTERS},
        )
        for r in _keyed(referrals).values("key", "month", "unit_id").annotate(**_unit_aggregates()).order_by()
    ]
    return cells, units


def _only(r: dict) -> dict:
    return {n: r[n] for n in COUNTERS}


def _store(cells, units, *, buckets=None, unit_buckets=None) -> None:
    """Replace the cells of the given buckets (all of them when None) with the computed ones."""
    if buckets is None:
        MonthlyStats.objects.all().delete()
        MonthlyUnitStats.objects.all().delete()
    else:
        for model, bs in ((MonthlyStats, buckets), (MonthlyUnitStats, unit_buckets)):
            if bs:
                model.objects.filter(_cells_of(bs)).delete()
    MonthlyStats.objects.bulk_create(cells, batch_size=2000)
    MonthlyUnitStats.objects.bulk_create(units, batch_size=2000)


def _cells_of(buckets: Iterable[tuple[str, dt.date]]) -> Q:
    q = Q(pk__in=[])
    for key, month in buckets:
        q |= Q(key=key, month=month)
    return q


def _changed(model, since: dt.datetime) -> set[tuple[str, dt.date]]:
    rows = _keyed(model.objects.filter(updated_at__gte=since)).values_list("key", "month")
    return {(k, _month_of(m)) for k, m in rows.order_by().distinct()}


def refresh(
    *, full: bool = False, now: dt.datetime | None = None, unless_newer_than: dt.timedelta | None = None
) -> int | None:
    """Fold what changed since the last fold into the cells; everything when `full` or never built.

    Returns the number of buckets recomputed (0: nothing to do), or None when another process is folding
    right now (the caller reads the cells as they are). One fold at a time: the state row is locked.
    With `unless_newer_than`, a fold younger than that is good enough and nothing is done.
    """
    now = now or timezone.now()
    state, _created = StatsState.objects.get_or_create(pk=1)
    if (
        not full
        and unless_newer_than is not None
        and state.folded_until is not None
        and state.folded_until >= now - unless_newer_than
    ):
        return 0
    with transaction.atomic():
        state = StatsState.objects.select_for_update(skip_locked=True).filter(pk=1).first()
        if state is None:
            return None
        if full or state.folded_until is None:
            cells, units = _compute(Suggestion.objects.all(), Referral.objects.all())
            _store(cells, units)
            done = len({(c.key, c.month) for c in cells} | {(u.key, u.month) for u in units})
        else:
            since = state.folded_until - FOLD_MARGIN
            buckets = _changed(Suggestion, since)
            unit_buckets = _changed(Referral, since)
            if not buckets and not unit_buckets:
                return 0
            cells, units = _compute(
                Suggestion.objects.filter(_bucket_filter(buckets)) if buckets else Suggestion.objects.none(),
                Referral.objects.filter(_bucket_filter(unit_buckets))
                if unit_buckets
                else Referral.objects.none(),
            )
            _store(cells, units, buckets=buckets, unit_buckets=unit_buckets)
            done = len(buckets | unit_buckets)
        state.folded_until = now
        state.save(update_fields=["folded_until"])
    return done
