"""The figures of an area's subtree for a year: aggregate queries only, a fixed number of them.

Opinions come from the statistics cells of suggestions.stats (whole months summed from monthly cells, the
rest counted live); everything else is a handful of COUNT/SUM queries on indexed columns of small tables.
Nothing here loops over rows in Python. Sections from other apps come through their AppConfig hook
`public_figures(area, year)` (see figures.apps).
"""

import datetime as dt
import logging

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.models import Area, ReceptionDay, ReceptionLog, Station, StationMembership
from suggestions import stats
from supervision.models import Activity, Assessment, Topic
from voting.models import LivelihoodProject

from .sections import Chart, Figure, Section

logger = logging.getLogger(__name__)


def _months() -> list[str]:
    return [_("%(m)s月") % {"m": m} for m in range(1, 13)]


def _by_month(rows, key: str = "n") -> list[tuple[str, int]]:
    counts = dict.fromkeys(range(1, 13), 0)
    for r in rows:
        counts[r["month"]] = r[key] or 0
    return list(zip(_months(), [counts[m] for m in range(1, 13)], strict=True))


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def network(area: Area) -> Section:
    stations = Station.objects.filter(is_active=True, area__path__startswith=area.path)
    kinds = dict(Station.Kind.choices)
    by_kind = {r["kind"]: r["n"] for r in stations.values("kind").annotate(n=Count("id")).order_by()}
    grouped = (
        StationMembership.objects.filter(
            station__is_active=True, station__area__path__startswith=area.path, delegate__is_active=True
        )
        .values("delegate_id")
        .distinct()
        .count()
    )
    rows = [(str(label), by_kind.get(k, 0)) for k, label in kinds.items() if by_kind.get(k)]
    return Section(
        key="network",
        title=_("联络站网络"),
        figures=[
            Figure("stations", _("联络站（点）"), sum(by_kind.values())),
            Figure("delegates_grouped", _("进站代表"), grouped),
        ],
        charts=[Chart("stations_by_kind", _("各类联络站数量"), "bars", rows)],
        data={"stations_by_kind": {k: by_kind.get(k, 0) for k in kinds}, "delegates_grouped": grouped},
    )


def receptions(area: Area, year: int, today: dt.date) -> Section:
    first, last = _year_bounds(year)
    days = ReceptionDay.objects.filter(
        station__area__path__startswith=area.path,
        date__gte=first,
        date__lte=min(last, today),
        cancelled=False,
    ).count()
    logs = ReceptionLog.objects.filter(
        station__area__path__startswith=area.path, held_on__gte=first, held_on__lte=last
    )
    monthly = list(
        logs.annotate(month=ExtractMonth("held_on")).values("month").annotate(n=Sum("visitors")).order_by()
    )
    people = sum(r["n"] or 0 for r in monthly)
    return Section(
        key="receptions",
        title=_("接待群众"),
        figures=[
            Figure("reception_days", _("接待日"), days),
            Figure("people_received", _("接待群众（人次）"), people),
        ],
        charts=[Chart("people_by_month", _("每月接待群众（人次）"), "columns", _by_month(monthly))],
        data={"reception_days": days, "people_received": people},
    )


def opinions(area: Area, year: int, today: dt.date) -> Section:
    first, last = _year_bounds(year)
    board = stats.dashboard(area, stats.Period(first, min(last, today)), today=today, public=True)
    t = board["totals"]
    monthly = {row["label"]: row["received"] for row in board["by_month"]}
    trend = [(label, monthly.get(f"{year}-{m:02d}", 0)) for m, label in enumerate(_months(), start=1)]
    rates = [
        (_("按时受理率"), t["response_rate"]),
        (_("办结率（已解决）"), t["solution_rate"]),
        (_("满意率"), t["satisfaction_rate"]),
        (_("按时答复率"), t["on_time_rate"]),
    ]
    return Section(
        key="opinions",
        title=_("意见建议"),
        figures=[
            Figure("received", _("收到意见建议"), t["received"]),
            Figure("referred", _("转交办理"), t["referred"]),
            Figure("replied", _("已答复"), t["replied"]),
            Figure("closed", _("已办结"), t["closed"]),
            Figure("response_rate", _("按时受理率"), t["response_rate"], rate=True),
            Figure("solution_rate", _("办结率（已解决）"), t["solution_rate"], rate=True),
            Figure("satisfaction_rate", _("满意率"), t["satisfaction_rate"], rate=True),
            Figure("on_time_rate", _("按时答复率"), t["on_time_rate"], rate=True),
        ],
        charts=[
            Chart("opinions_by_month", _("每月收到意见建议"), "columns", trend),
            Chart("opinion_rates", _("办理质量"), "rates", rates),
            Chart(
                "opinions_by_category",
                _("意见建议类别"),
                "bars",
                [(row["label"], row["received"]) for row in board["by_category"] if row["received"]],
            ),
            Chart(
                "opinions_by_channel",
                _("意见建议来源"),
                "bars",
                [(row["label"], row["received"]) for row in board["by_channel"] if row["received"]],
            ),
        ],
        data={
            "opinions": {k: t[k] for k in ("received", "referred", "replied", "closed")},
            "response_rate": t["response_rate"],
            "solution_rate": t["solution_rate"],
            "satisfaction_rate": t["satisfaction_rate"],
            "on_time_rate": t["on_time_rate"],
        },
    )


def projects(area: Area, year: int) -> Section:
    qs = LivelihoodProject.objects.filter(year=year, area__path__startswith=area.path)
    statuses = dict(LivelihoodProject.Status.choices)
    by_status = {r["status"]: r["n"] for r in qs.values("status").annotate(n=Count("id")).order_by()}
    voted, completed = sum(by_status.values()), by_status.get(LivelihoodProject.Status.COMPLETED, 0)
    tally = Assessment.objects.filter(
        status=Assessment.Status.CLOSED,
        evaluation__project__year=year,
        evaluation__project__area__path__startswith=area.path,
    ).aggregate(s=Sum("satisfied_count"), b=Sum("basically_satisfied_count"), u=Sum("unsatisfied_count"))
    s, b, u = (tally[k] or 0 for k in "sbu")
    satisfaction = _rate(s + b, s + b + u)
    return Section(
        key="projects",
        title=_("民生实事项目"),
        figures=[
            Figure("voted", _("票决项目"), voted),
            Figure("completed", _("已完成"), completed),
            Figure("satisfaction_rate", _("代表测评满意率"), satisfaction, rate=True),
        ],
        charts=[
            Chart(
                "projects_by_status",
                _("项目进度"),
                "bars",
                [(str(statuses[k]), by_status.get(k, 0)) for k in statuses],
            )
        ],
        data={"projects": {"voted": voted, "completed": completed, "satisfaction_rate": satisfaction}},
    )


def supervision(area: Area, year: int) -> Section:
    first, last = _year_bounds(year)
    topics = Topic.objects.filter(year=year, area__path__startswith=area.path).aggregate(
        proposed=Count("id"),
        selected=Count("id", filter=Q(status__in=[Topic.Status.SELECTED, Topic.Status.DONE])),
    )
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    stop = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    kinds = dict(Activity.Kind.choices)
    by_kind = {
        r["kind"]: r["n"]
        for r in Activity.objects.filter(
            area__path__startswith=area.path, starts_at__gte=start, starts_at__lt=stop
        )
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    }
    return Section(
        key="supervision",
        title=_("人大监督"),
        figures=[
            Figure("topics_proposed", _("征集监督议题"), topics["proposed"]),
            Figure("topics", _("列入计划的议题"), topics["selected"]),
            Figure("activities", _("监督活动"), sum(by_kind.values())),
        ],
        charts=[
            Chart(
                "activities_by_kind",
                _("监督活动形式"),
                "bars",
                [(str(kinds[k]), by_kind.get(k, 0)) for k in kinds],
            )
        ],
        data={"topics": topics["selected"], "supervision_activities": sum(by_kind.values())},
    )


def hooked_sections(area: Area, year: int) -> list[Section]:
    """Sections of the apps that provide `public_figures` (legislation, duties, motions … when they land)."""
    out: list[Section] = []
    for config in apps.get_app_configs():
        hook = getattr(config, "public_figures", None)
        if callable(hook):
            out += [Section.from_hook(raw) for raw in hook(area, year) or []]
    return out


def compute(area: Area, year: int, *, today: dt.date | None = None) -> list[Section]:
    today = today or timezone.localdate()
    return [
        network(area),
        receptions(area, year, today),
        opinions(area, year, today),
        projects(area, year),
        supervision(area, year),
        *hooked_sections(area, year),
    ]


def as_json(area: Area, year: int, sections: list[Section]) -> dict:
    """The answer of API.md "Public figures": its named fields, then every section in full."""
    body = {
        "area": {"code": area.code, "name": area.name},
        "year": year,
        "drafts": None,
        "legislative_opinions": None,
    }
    for s in sections:
        body.update(s.data)
    body["sections"] = [
        {
            "key": s.key,
            "title": s.title,
            "figures": [
                {"key": f.key, "label": f.label, "value": f.value, "rate": f.rate} for f in s.figures
            ],
            "charts": [
                {"key": c.key, "title": c.title, "kind": c.kind, "rows": [[label, v] for label, v in c.rows]}
                for c in s.charts
            ],
        }
        for s in sections
    ]
    return body


def as_rows(sections: list[Section]) -> list[list]:
    """CSV rows: section, item, label, value (rates as shares in [0, 1])."""
    rows: list[list] = []
    for s in sections:
        for f in s.figures:
            rows.append([s.title, f.key, f.label, f.value])
        for c in s.charts:
            for label, v in c.rows:
                rows.append([s.title, c.key, f"{c.title}：{label}", v])
    return rows
