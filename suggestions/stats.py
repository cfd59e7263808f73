"""Statistics for staff: counts and the rates by which 12345 hotlines are judged, for an area subtree and a
period, broken down by month, category, station, unit and channel.

Every figure is an aggregate query (conditional COUNTs grouped in the database); nothing loops over rows in
Python. The per-suggestion facts they count (responded_on_time, replied_on_time, reply_result, rating) are
written by the services at each transition, so one table answers everything but the unit breakdown.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from liaison.satisfaction import Satisfaction
from stations.models import Area

from .conf import conf
from .models import Referral, Reply, Suggestion

S = Suggestion.Status


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @classmethod
    def default(cls, today: dt.date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(dt.date(today.year, 1, 1), today)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        lo = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        hi = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return lo, hi


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
        # Response rate: triaged within the deadline, of those whose triage was due (done, or deadline past).
        "response_due": Count("id", filter=Q(triaged_at__isnull=False) | Q(triage_due__lt=today)),
        "responded_on_time": Count("id", filter=Q(responded_on_time=True)),
        "solved": Count("id", filter=Q(reply_result=Reply.Result.SOLVED)),
        "replied_on_time": Count("id", filter=Q(replied_on_time=True)),
        "rated": Count("id", filter=~Q(rating="")),
        "satisfied": Count("id", filter=Q(rating__in=pos)),
    }


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def _with_rates(row: dict) -> dict:
    row["response_rate"] = _rate(row["responded_on_time"], row["response_due"])
    row["solution_rate"] = _rate(row["solved"], row["replied"])
    row["satisfaction_rate"] = _rate(row["satisfied"], row["rated"])
    row["on_time_rate"] = _rate(row["replied_on_time"], row["replied"])
    return row


def _scoped(area: Area, period: Period) -> QuerySet[Suggestion]:
    lo, hi = period.bounds()
    # A semi-join on the subtree's area ids: the planner can hash the (small) area set once.
    return Suggestion.objects.filter(
        area_id__in=Area.objects.filter(path__startswith=area.path).values("id"),
        created_at__gte=lo,
        created_at__lt=hi,
    )


def dashboard(area: Area, period: Period, *, today: dt.date | None = None) -> dict:
    """Totals and breakdowns: six aggregate queries, whatever the number of suggestions."""
    today = today or timezone.localdate()
    qs = _scoped(area, period)
    aggs = _aggregates(today)
    totals = _with_rates(qs.aggregate(**aggs))
    by_month = [
        _with_rates(r)
        for r in qs.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(**aggs)
        .order_by("month")
    ]
    for r in by_month:
        m = r["month"]
        r["label"] = f"{m:%Y-%m}" if m else ""
    by_category = _labelled(
        qs.values("category").annotate(**aggs).order_by("-received"),
        "category",
        dict(Suggestion.Category.choices),
    )
    by_channel = _labelled(
        qs.values("channel").annotate(**aggs).order_by("-received"),
        "channel",
        dict(Suggestion.Channel.choices),
    )
    by_station = [
        _with_rates({**r, "label": r["station__name"] or "—"})
        for r in qs.values("station_id", "station__name").annotate(**aggs).order_by("-received")[:50]
    ]
    return {
        "area": {"code": area.code, "name": area.name},
        "period": {"start": period.start, "end": period.end},
        "totals": totals,
        "by_month": by_month,
        "by_category": by_category,
        "by_channel": by_channel,
        "by_station": by_station,
        "by_unit": unit_breakdown(area, period),
    }


def _labelled(rows, key: str, labels: dict) -> list[dict]:
    return [_with_rates({**r, "label": str(labels.get(r[key], r[key]))}) for r in rows]


def unit_breakdown(area: Area, period: Period) -> list[dict]:
    """Per handling unit, for referrals made in the period on suggestions of the subtree: one query."""
    lo, hi = period.bounds()
    rows = (
        Referral.objects.filter(
            created_at__gte=lo,
            created_at__lt=hi,
            suggestion__area_id__in=Area.objects.filter(path__startswith=area.path).values("id"),
        )
        .values("unit_id", "unit__name")
        .annotate(
            referrals=Count("id"),
            lead=Count("id", filter=Q(role=Referral.Role.LEAD)),
            replied=Count("id", filter=Q(status=Referral.Status.REPLIED)),
            replied_on_time=Count("id", filter=Q(replied_on_time=True)),
            returned=Count("id", filter=Q(status=Referral.Status.RETURNED)),
            overdue=Count("id", filter=Q(overdue_at__isnull=False)),
            solved=Count("id", filter=Q(reply__result=Reply.Result.SOLVED)),
        )
        .order_by("-referrals")[:100]
    )
    out = []
    for r in rows:
        r["label"] = r["unit__name"]
        r["on_time_rate"] = _rate(r["replied_on_time"], r["replied"])
        r["solution_rate"] = _rate(r["solved"], r["replied"])
        out.append(r)
    return out


def _cache_key(area: Area, period: Period) -> str:
    return f"suggestion-stats:v1:{area.code}:{period.start.isoformat()}:{period.end.isoformat()}"


def dashboard_cached(area: Area, period: Period, *, refresh: bool = False) -> dict:
    """The dashboard as of at most STATS_CACHE_SECONDS ago (default 5 minutes).

    A city's year is ~10^5 rows and its aggregates take a second or more on PostgreSQL; statistics need not
    be live to the second, so they are computed once per area and period and shared. `warm()` (a beat task)
    recomputes the default period of every county-or-higher area ahead of its users.
    """
    key = _cache_key(area, period)
    if not refresh:
        hit = cache.get(key)
        if hit is not None:
            return hit
    data = dashboard(area, period)
    data["computed_at"] = timezone.now()
    cache.set(key, data, timeout=conf.STATS_CACHE_SECONDS * 2)
    return data


def warm(today: dt.date | None = None) -> int:
    """Recompute the default-period dashboards of the county-level and higher areas that have suggestions."""
    period = Period.default(today)
    areas = Area.objects.filter(tier__in=[Area.Tier.PROVINCE, Area.Tier.CITY, Area.Tier.COUNTY]).order_by(
        "path"
    )
    done = 0
    for area in areas:
        data = dashboard_cached(area, period, refresh=True)
        done += bool(data["totals"]["received"])
    return done
