"""The stations nearest to a point: a bounding box on the indexed coordinates, then exact distances.

Each try is one indexed range query over (latitude, longitude) that fetches at most CANDIDATE_CAP rows; the
exact great-circle (haversine) distance is computed for those few candidates only. The box grows (a fixed,
short list of radii) until it holds `limit` stations within the circle it encloses, so the answer is exact
and the number of queries is bounded whatever the size of the table. Stations without coordinates, and
inactive ones, are never candidates.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import FloatField, QuerySet
from django.db.models.functions import Cast

from .models import Station

EARTH_RADIUS_M = 6_371_008.8
# Half-sides of the boxes tried in turn (metres); the last covers the globe.
RADII_M = (2_000, 10_000, 50_000, 250_000, 1_250_000, 20_100_000)
# Candidates fetched per try: past this the box is too dense to need the next radius anyway.
CANDIDATE_CAP = 2_000
LIMIT = 10
# Halvings of a box too dense to read whole.
BISECTIONS = 6


@dataclass(frozen=True)
class Nearby:
    station_id: int
    distance_m: int
    row: dict = field(default_factory=dict, compare=False)  # the `fields` asked for, read with the candidates


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _box(lat: float, lng: float, radius_m: float) -> dict:
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    cos_lat = max(math.cos(math.radians(lat)), 1e-6)
    dlng = min(180.0, math.degrees(radius_m / (EARTH_RADIUS_M * cos_lat)))
    q = {
        "latitude__gte": Decimal(f"{max(-90.0, lat - dlat):.6f}"),
        "latitude__lte": Decimal(f"{min(90.0, lat + dlat):.6f}"),
    }
    if dlng < 180.0 and -180.0 <= lng - dlng and lng + dlng <= 180.0:
        q["longitude__gte"] = Decimal(f"{lng - dlng:.6f}")
        q["longitude__lte"] = Decimal(f"{lng + dlng:.6f}")
    return q


def nearest(
    lat: float,
    lng: float,
    *,
    limit: int = LIMIT,
    queryset: QuerySet[Station] | None = None,
    fields: tuple[str, ...] = (),
) -> list[Nearby]:
    """The `limit` active stations nearest to (lat, lng), nearest first, with their distance in metres.

    `fields` (e.g. "name", "area__code") are read in the same queries and returned in each Nearby's `row`, so
    a caller needs no further query for the stations it shows.
    """
    qs = queryset if queryset is not None else Station.objects.all()
    qs = qs.filter(is_active=True, latitude__isnull=False, longitude__isnull=False)

    def candidates(radius: float) -> list[Nearby]:
        # order_by(): no default ordering (it would join the areas and sort the candidates for nothing).
        box = qs.filter(**_box(lat, lng, radius)).order_by()
        # As floats: no Decimal made per candidate (the WHERE still reads the index).
        rows = box.annotate(_lat=Cast("latitude", FloatField()), _lng=Cast("longitude", FloatField())).values(
            "id", "_lat", "_lng", *fields
        )
        return [
            Nearby(r["id"], round(haversine_m(lat, lng, r["_lat"], r["_lng"])), r)
            for r in rows[:CANDIDATE_CAP]
        ]

    def order(items: list[Nearby]) -> list[Nearby]:
        return sorted(items, key=lambda n: (n.distance_m, n.station_id))

    low = 0.0
    for radius in RADII_M:
        found = candidates(radius)
        # Too dense to read whole: halve the step back towards the last sparse radius (a few queries at most).
        for _ in range(BISECTIONS):
            if len(found) < CANDIDATE_CAP:
                break
            radius = (low + radius) / 2
            found = candidates(radius)
        # Within the circle the box encloses, no station outside the box can be nearer.
        inside = order([n for n in found if n.distance_m <= radius])
        if len(inside) >= limit or len(found) >= CANDIDATE_CAP:
            return inside[:limit] if len(inside) >= limit else order(found)[:limit]
        low = radius
    return order(found)[:limit]
