"""Statistics per contact point and year: drafts taken part in, opinions received, forwarded and adopted,
forums held, people attending. Four grouped queries whatever the number of points."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from stations.models import Station

from .models import DraftAssignment, Forum, Opinion


@dataclass
class PointYear:
    station_id: int
    station: str
    drafts: int = 0
    received: int = 0
    forwarded: int = 0
    adopted: int = 0
    forums: int = 0
    attendance: int = 0


def point_stats(stations, year: int) -> list[PointYear]:
    stations = list(stations)
    ids = [s.pk for s in stations]
    rows = {s.pk: PointYear(s.pk, s.name) for s in stations}
    for r in (
        DraftAssignment.objects.filter(station_id__in=ids, draft__opens_on__year=year)
        .values("station_id")
        .annotate(n=Count("draft_id", distinct=True))
        .order_by()
    ):
        rows[r["station_id"]].drafts = r["n"]
    for r in (
        Opinion.objects.filter(station_id__in=ids, created_at__year=year)
        .values("station_id")
        .annotate(
            received=Count("id"),
            forwarded=Count("id", filter=Q(status=Opinion.Status.FORWARDED)),
            adopted=Count(
                "id",
                filter=Q(
                    status=Opinion.Status.FORWARDED,
                    outcome__in=[Opinion.Outcome.ADOPTED, Opinion.Outcome.PARTLY],
                ),
            ),
        )
        .order_by()
    ):
        row = rows[r["station_id"]]
        row.received, row.forwarded, row.adopted = r["received"], r["forwarded"], r["adopted"]
    for r in (
        Forum.objects.filter(station_id__in=ids, held_on__year=year)
        .values("station_id")
        .annotate(n=Count("id"), people=Sum("attendance"))
        .order_by()
    ):
        rows[r["station_id"]].forums = r["n"]
        rows[r["station_id"]].attendance = r["people"] or 0
    return list(rows.values())


def legislative_points(user=None):
    from liaison.scoping import scope_to_area

    qs = Station.objects.filter(kind=Station.Kind.LEGISLATIVE, is_active=True).select_related("area")
    if user is not None:
        qs = scope_to_area(qs, user)
    return qs.order_by("area__code", "name")


def area_figures(area, year: int) -> dict:
    """The legislative consultation figures of an area's subtree and a year, for the public figures page
    (figures.apps): drafts consulted on, opinions received / forwarded / adopted, forums and their attendance.
    Three aggregate queries whatever the size."""
    from django.db.models import Exists, OuterRef

    from .models import Draft

    path = area.path
    in_area_points = DraftAssignment.objects.filter(draft=OuterRef("pk"), station__area__path__startswith=path)
    drafts = (
        Draft.objects.exclude(status=Draft.Status.DRAFT)
        .filter(opens_on__year=year)
        .filter(Q(area__path__startswith=path) | Q(Exists(in_area_points)))
        .count()
    )
    opinions = Opinion.objects.filter(created_at__year=year).filter(
        Q(station__area__path__startswith=path) | Q(station__isnull=True, draft__area__path__startswith=path)
    )
    counts = opinions.aggregate(
        received=Count("id"),
        forwarded=Count("id", filter=Q(status=Opinion.Status.FORWARDED)),
        adopted=Count(
            "id",
            filter=Q(
                status=Opinion.Status.FORWARDED, outcome__in=[Opinion.Outcome.ADOPTED, Opinion.Outcome.PARTLY]
            ),
        ),
    )
    forums = Forum.objects.filter(station__area__path__startswith=path, held_on__year=year).aggregate(
        n=Count("id"), people=Sum("attendance")
    )
    return {
        "drafts": drafts,
        "legislative_opinions": counts,
        "forums": forums["n"],
        "forum_attendance": forums["people"] or 0,
    }
