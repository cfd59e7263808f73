"""GET /api/v1/stations/nearest/: the 10 nearest stations with their distance, in a bounded number of queries."""

import random
from decimal import Decimal

import pytest

from stations.models import Station
from stations.nearest import haversine_m, nearest
from tests.factories import StationFactory

URL = "/api/v1/stations/nearest/"
HERE = (33.868, 109.940)  # 商州区


def _at(area, lat, lng, **kw):
    return StationFactory(area=area, latitude=Decimal(f"{lat:.6f}"), longitude=Decimal(f"{lng:.6f}"), **kw)


@pytest.mark.django_db
def test_nearest_lists_ten_nearest_with_distances(api, tree):
    rng = random.Random(7)
    stations = [
        _at(tree.township, HERE[0] + rng.uniform(-0.5, 0.5), HERE[1] + rng.uniform(-0.5, 0.5))
        for _ in range(30)
    ]
    StationFactory(area=tree.township, name="无坐标联络站")  # no coordinates: never listed
    _at(tree.township, HERE[0], HERE[1], name="停用联络站", is_active=False)
    r = api.get(URL, {"lat": HERE[0], "lng": HERE[1]})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] == 10 and len(body["results"]) == 10
    expected = sorted(
        stations, key=lambda s: haversine_m(HERE[0], HERE[1], float(s.latitude), float(s.longitude))
    )[:10]
    assert [row["id"] for row in body["results"]] == [s.pk for s in expected]
    distances = [row["distance_m"] for row in body["results"]]
    assert distances == sorted(distances)
    first = body["results"][0]
    assert set(first) >= {
        "id",
        "name",
        "kind",
        "area",
        "address",
        "latitude",
        "longitude",
        "distance_m",
        "url",
    }
    assert first["area"] == tree.township.code
    assert not any(row["name"] in ("无坐标联络站", "停用联络站") for row in body["results"])


@pytest.mark.django_db
def test_far_away_stations_are_found_by_growing_the_box(api, tree):
    near = _at(tree.township, HERE[0] + 0.01, HERE[1])
    far = _at(tree.other_township, 39.9, 116.4)  # Beijing, ~900 km
    r = api.get(URL, {"lat": HERE[0], "lng": HERE[1]})
    assert [row["id"] for row in r.json()["results"]] == [near.pk, far.pk]
    assert 1000 < r.json()["results"][0]["distance_m"] < 1200
    assert 800_000 < r.json()["results"][1]["distance_m"] < 1_000_000


@pytest.mark.django_db
def test_exact_answer_matches_brute_force_on_a_dense_table(tree):
    rng = random.Random(3)
    Station.objects.bulk_create(
        Station(
            name=f"站{i}",
            area=tree.township,
            latitude=Decimal(f"{33 + rng.random() * 2:.6f}"),
            longitude=Decimal(f"{109 + rng.random() * 2:.6f}"),
        )
        for i in range(600)
    )
    rows = list(Station.objects.values_list("id", "latitude", "longitude"))
    for lat, lng in [(34.0, 110.0), (33.0, 109.0), (30.0, 100.0), (35.5, 111.5)]:
        brute = sorted((round(haversine_m(lat, lng, float(a), float(b))), pk) for pk, a, b in rows)[:10]
        assert [(n.distance_m, n.station_id) for n in nearest(lat, lng)] == brute


@pytest.mark.django_db
def test_query_count_is_bounded(api, tree, django_assert_max_num_queries):
    Station.objects.bulk_create(
        Station(name=f"站{i}", area=tree.township, latitude=Decimal("20.0"), longitude=Decimal("100.0"))
        for i in range(50)
    )
    # The worst case: nothing near, every radius tried, then the stations themselves.
    with django_assert_max_num_queries(8):
        r = api.get(URL, {"lat": -40, "lng": -70})
    assert r.json()["count"] == 10


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"lat": 91, "lng": 100},
        {"lat": -90.5, "lng": 100},
        {"lat": 30, "lng": 181},
        {"lat": "abc", "lng": 100},
        {"lat": "nan", "lng": 100},
        {"lat": "inf", "lng": 100},
        {"lng": 100},
        {},
    ],
)
def test_bad_coordinates_are_400(api, tree, params):
    r = api.get(URL, params)
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "invalid"


@pytest.mark.django_db
def test_no_station_with_coordinates_is_an_empty_list(api, tree, station):
    r = api.get(URL, {"lat": 10, "lng": 10})
    assert r.status_code == 200 and r.json() == {"count": 0, "results": []}


@pytest.mark.django_db
def test_home_offers_nearby_search_without_inline_script(client, tree, station):
    html = client.get("/").content.decode()
    assert 'id="nearby"' in html and "hidden" in html.split('id="nearby"')[1].split(">")[0]
    assert 'data-api="/api/v1/stations/nearest/"' in html
    assert "js/nearby.js" in html and "<script>" not in html
    assert station.name in html  # the normal list is there without JavaScript
