"""Reads of the duty record: entries, public counts, report-backs, coverage. Area scoping lives here."""

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from liaison.scoping import scope_to_area
from stations.models import Delegate, ReceptionLog

from .models import DutyEntry, Kind, ReportBack


def current_year() -> int:
    return timezone.localdate().year


def entries_visible_to(user) -> QuerySet:
    """Staff: entries of delegates in their subtree. A delegate: their own entries. Anyone else: none."""
    qs = DutyEntry.objects.select_related("source_type", "delegate")
    if getattr(user, "is_area_staff", False) or getattr(user, "is_superuser", False):
        return scope_to_area(qs, user, "delegate__area")
    if getattr(user, "is_delegate_user", False):
        return qs.filter(delegate_id=user.delegate_id)
    return qs.none()


def delegates_visible_to(user) -> QuerySet:
    return scope_to_area(Delegate.objects.all(), user, "area")


def report_backs_visible_to(user) -> QuerySet:
    qs = ReportBack.objects.select_related("delegate", "station")
    if getattr(user, "is_area_staff", False) or getattr(user, "is_superuser", False):
        return scope_to_area(qs, user, "station__area")
    if getattr(user, "is_delegate_user", False):
        return qs.filter(delegate_id=user.delegate_id)
    return qs.none()


def public_counts(*, delegate_id: int, year: int) -> dict:
    """This year's public figures of one delegate: reception days, people received, opinions recorded,
    report-backs and their satisfaction. Never points, never constituents' data. Three queries."""
    net = dict(
        DutyEntry.objects.filter(
            delegate_id=delegate_id, year=year, kind__in=[Kind.RECEPTION_DAY, Kind.OPINION_RECORDED]
        )
        .order_by()
        .values_list("kind")
        .annotate(n=Sum("sign"))
    )
    people = (
        ReceptionLog.objects.filter(delegate_id=delegate_id, held_on__year=year).aggregate(n=Sum("visitors"))[
            "n"
        ]
        or 0
    )
    report_backs = list(
        ReportBack.objects.filter(delegate_id=delegate_id, scheduled_on__year=year)
        .exclude(status=ReportBack.Status.SCHEDULED)
        .select_related("station")
        .order_by("scheduled_on", "pk")
    )
    return {
        "reception_days": net.get(Kind.RECEPTION_DAY, 0) or 0,
        "people_received": people,
        "opinions_recorded": net.get(Kind.OPINION_RECORDED, 0) or 0,
        "report_backs": [
            {
                "id": rb.pk,
                "date": rb.scheduled_on,
                "station": rb.station.name,
                "station_id": rb.station_id,
                "status": rb.status,
                "rating_open": rb.status == ReportBack.Status.HELD
                and rb.rating_closes_at is not None
                and timezone.now() < rb.rating_closes_at,
                "satisfaction_rate": rb.tally().rate if rb.status == ReportBack.Status.CLOSED else None,
            }
            for rb in report_backs
        ],
    }


def upcoming_report_backs(*, station_id: int) -> list[ReportBack]:
    return list(
        ReportBack.objects.filter(
            station_id=station_id, status=ReportBack.Status.SCHEDULED, scheduled_on__gte=timezone.localdate()
        )
        .select_related("delegate")
        .order_by("scheduled_on", "pk")[:20]
    )


def coverage(*, user, term: int | None = None, today: dt.date | None = None) -> dict[str, list[Delegate]]:
    """述职全覆盖 and reception activity, for the staff user's subtree: active delegates (of `term`, if given)
    with no report-back held this term, and with no reception day in six months. Two queries."""
    today = today or timezone.localdate()
    six_months_ago = today - dt.timedelta(days=183)
    qs = delegates_visible_to(user).filter(is_active=True)
    if term:
        qs = qs.filter(term=term)
    qs = qs.annotate(
        held=Count("report_backs", filter=~Q(report_backs__status=ReportBack.Status.SCHEDULED), distinct=True)
    ).order_by("name", "pk")
    no_report_back = [d for d in qs.select_related("area") if not d.held]
    recent = DutyEntry.objects.filter(kind=Kind.RECEPTION_DAY, occurred_on__gte=six_months_ago).values(
        "delegate_id"
    )
    no_reception = list(
        delegates_visible_to(user)
        .filter(is_active=True, **({"term": term} if term else {}))
        .exclude(pk__in=recent)
        .select_related("area")
        .order_by("name", "pk")
    )
    return {"no_report_back": no_report_back, "no_reception": no_reception}
