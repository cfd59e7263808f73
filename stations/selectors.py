"""Reads of the station network: joins, prefetches and area scoping live here."""

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.errors import get_or_not_found
from liaison.scoping import scope_to_area

from .models import (
    Appointment,
    Area,
    Delegate,
    HandlingUnit,
    ReceptionDay,
    ReceptionSchedule,
    Station,
    StationMembership,
)


def area_by_code(code: str) -> Area | None:
    return Area.objects.filter(code=code).only("id", "code", "path", "name", "tier").first()


def home_area(user) -> Area | None:
    """The area a staff user's dashboards default to: their own; for a superuser without an area (the root of
    the network) the one top-level area, or None when the network has several (the caller asks for `area`)."""
    if getattr(user, "area_id", None):
        return user.area
    if getattr(user, "area_path", None) != "":
        return None
    roots = list(Area.objects.filter(parent__isnull=True).order_by("code")[:2])
    return roots[0] if len(roots) == 1 else None


def area_list() -> QuerySet[Area]:
    return Area.objects.select_related("parent").only("code", "name", "tier", "parent__code")


def station_list(*, today: dt.date | None = None) -> QuerySet[Station]:
    """Active stations with their area, active schedules and next reception day: three queries for any page."""
    today = today or timezone.localdate()
    return (
        Station.objects.filter(is_active=True)
        .select_related("area")
        .prefetch_related(
            Prefetch(
                "schedules",
                queryset=ReceptionSchedule.objects.filter(is_active=True).order_by("id"),
                to_attr="active_schedules",
            ),
            # A sliced prefetch runs as one windowed query, not one query per station.
            Prefetch(
                "reception_days",
                queryset=ReceptionDay.objects.filter(date__gte=today, cancelled=False).order_by("date")[:1],
                to_attr="next_days",
            ),
        )
    )


def delegate_list() -> QuerySet[Delegate]:
    return (
        Delegate.objects.filter(is_active=True)
        .select_related("area")
        .prefetch_related(
            Prefetch(
                "memberships", queryset=StationMembership.objects.only("id", "delegate_id", "station_id")
            )
        )
    )


def station_detail(station_id: int) -> Station:
    return get_or_not_found(
        Station.objects.select_related("area", "area__parent"), pk=station_id, is_active=True
    )


def station_delegates(station: Station) -> QuerySet[StationMembership]:
    return (
        StationMembership.objects.filter(station=station, delegate__is_active=True)
        .select_related("delegate")
        .order_by("role", "delegate__level", "delegate__name")
    )


def upcoming_reception_days(
    *, station: Station | None = None, delegate: Delegate | None = None, limit: int = 5
):
    qs = ReceptionDay.objects.filter(date__gte=timezone.localdate(), cancelled=False).select_related(
        "station"
    )
    if station is not None:
        qs = qs.filter(station=station)
    if delegate is not None:
        qs = qs.filter(duties__delegate=delegate)
    return qs.prefetch_related(
        Prefetch("duty_delegates", queryset=Delegate.objects.only("id", "name", "level"))
    )[:limit]


def unit_list_for(user) -> QuerySet[HandlingUnit]:
    return scope_to_area(HandlingUnit.objects.filter(is_active=True).select_related("area"), user)


def appointments_for(user) -> QuerySet[Appointment]:
    """A delegate sees their own appointments; staff those at stations in their area subtree."""
    qs = Appointment.objects.select_related("delegate", "station")
    conditions = Q(pk__in=[])
    if getattr(user, "delegate_id", None):
        conditions |= Q(delegate_id=user.delegate_id)
    if getattr(user, "is_area_staff", False):
        path = user.area_path
        conditions |= Q(delegate__area__path__startswith=path) | Q(station__area__path__startswith=path)
    return qs.filter(conditions)


NEARBY_FIELDS = ("name", "kind", "address", "phone", "opening_hours", "area__code", "area__name")


def nearest_stations(lat: float, lng: float, *, limit: int = 10) -> list[dict]:
    """The nearest active stations with coordinates, nearest first: their public fields, coordinates and
    `distance_m` (metres). Two or three bounded queries (stations.nearest), whatever the table's size."""
    from .nearest import nearest

    out = []
    for n in nearest(lat, lng, limit=limit, fields=NEARBY_FIELDS):
        row = dict(n.row)
        row["latitude"], row["longitude"] = row.pop("_lat"), row.pop("_lng")
        row["distance_m"] = n.distance_m
        out.append(row)
    return out
