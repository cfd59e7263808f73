"""The network API (areas, stations, delegates, units, reception days, appointments) for every endpoint and role, bad input, shapes and query counts."""

import datetime as dt

import pytest
from django.utils import timezone

from liaison.beat import heartbeat_record
from stations.models import Area, Delegate, Station
from tests.factories import (
    AreaFactory,
    DelegateFactory,
    HandlingUnitFactory,
    MembershipFactory,
    ReceptionDayFactory,
    ScheduleFactory,
    StationFactory,
)

pytestmark = pytest.mark.django_db

AREA_FIELDS = {"code", "name", "tier", "parent"}
STATION_FIELDS = {"id", "name", "kind", "area", "address", "reception"}
DELEGATE_FIELDS = {"id", "name", "level", "stations"}
UNIT_FIELDS = {"id", "name", "area"}


def _results(r):
    assert r.status_code == 200, r.content
    body = r.json()
    assert set(body) >= {"count", "next", "previous", "results"}
    return body["results"]


def _assert_400(r, field):
    assert r.status_code == 400, r.content
    assert field in r.json(), r.json()


# --- areas -------------------------------------------------------------------------------------------------


def test_areas_parent_lists_only_direct_children(api, tree):
    rows = _results(api.get("/api/v1/areas/", {"parent": tree.city.code}))
    assert rows == [
        {**rows[0], "code": tree.county.code, "name": "商州区", "tier": "county", "parent": tree.city.code},
        {
            **rows[1],
            "code": tree.other_county.code,
            "name": "洛南县",
            "tier": "county",
            "parent": tree.city.code,
        },
    ]
    assert AREA_FIELDS <= set(rows[0])
    # The township below 商州区 is a grandchild: not listed.
    assert tree.township.code not in {r["code"] for r in rows}


def test_areas_tier_filter_and_root(api, tree):
    rows = _results(api.get("/api/v1/areas/", {"tier": "township"}))
    assert [r["code"] for r in rows] == [tree.township.code, tree.other_township.code]
    (province,) = _results(api.get("/api/v1/areas/", {"tier": "province"}))
    assert province["parent"] is None


def test_areas_bad_input_is_400(api, tree):
    _assert_400(api.get("/api/v1/areas/", {"parent": "999999999999"}), "parent")
    _assert_400(api.get("/api/v1/areas/", {"parent": "1" * 40}), "parent")
    _assert_400(api.get("/api/v1/areas/", {"tier": "planet"}), "tier")


def test_page_size_over_200_is_capped(api, tree):
    Area.objects.bulk_create(
        Area(
            code=f"611002001{i:03d}",
            name=f"村{i}",
            tier=Area.Tier.VILLAGE,
            parent=tree.township,
            path=Area.make_path(f"611002001{i:03d}", tree.township),
        )
        for i in range(2, 230)
    )
    r = api.get("/api/v1/areas/", {"parent": tree.township.code, "page_size": 500})
    body = r.json()
    assert body["count"] == 229  # 东关社区 and the 228 made here
    assert len(body["results"]) == 200
    assert body["next"] is not None
    assert (
        len(api.get("/api/v1/areas/", {"parent": tree.township.code, "page_size": 7}).json()["results"]) == 7
    )


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5"])
def test_page_size_that_is_not_a_positive_integer_is_400(api, tree, value):
    _assert_400(api.get("/api/v1/areas/", {"page_size": value}), "page_size")


# --- stations ----------------------------------------------------------------------------------------------


def test_stations_filter_by_area_includes_subtree(api, tree, station, other_station):
    rows = _results(api.get("/api/v1/stations/", {"area": tree.county.code}))
    assert [s["name"] for s in rows] == [station.name]
    rows = _results(api.get("/api/v1/stations/", {"area": tree.city.code}))
    assert {s["name"] for s in rows} == {station.name, other_station.name}
    # A village below the township has no station: the township's own station is not "below" the village.
    assert _results(api.get("/api/v1/stations/", {"area": tree.village.code})) == []


def test_station_shape_and_reception_text(api, station):
    schedule = ScheduleFactory(
        station=station, day_of_month=17, start_time=dt.time(9), end_time=dt.time(11, 30)
    )
    day = ReceptionDayFactory(
        station=station, schedule=schedule, date=timezone.localdate() + dt.timedelta(days=3)
    )
    (row,) = _results(api.get("/api/v1/stations/"))
    assert STATION_FIELDS <= set(row)
    assert row["id"] == station.pk
    assert row["name"] == "城关街道中心联络站"
    assert row["kind"] == "centre"
    assert row["area"] == "611002001000"
    assert row["address"] == "商州区北新街1号"
    assert row["reception"] == "每月17日 09:00-11:30"
    assert row["next_reception_day"]["date"] == day.date.isoformat()


def test_stations_filter_by_kind_and_q(api, tree, station, other_station):
    StationFactory(
        name="商州区法院专业联络站", kind=Station.Kind.PROFESSIONAL, area=tree.county, address="商鞅大道"
    )
    rows = _results(api.get("/api/v1/stations/", {"kind": "professional"}))
    assert [r["name"] for r in rows] == ["商州区法院专业联络站"]
    # q matches the name or the address.
    assert {r["name"] for r in _results(api.get("/api/v1/stations/", {"q": "城关"}))} == {
        station.name,
        other_station.name,
    }
    assert [r["name"] for r in _results(api.get("/api/v1/stations/", {"q": "北新街"}))] == [station.name]
    assert _results(api.get("/api/v1/stations/", {"q": "不存在的站"})) == []


def test_inactive_stations_are_not_listed_or_shown(api, station):
    station.is_active = False
    station.save()
    assert _results(api.get("/api/v1/stations/")) == []
    assert api.get(f"/api/v1/stations/{station.pk}/").status_code == 404


def test_station_detail(api, station):
    r = api.get(f"/api/v1/stations/{station.pk}/")
    assert r.status_code == 200 and r.json()["name"] == station.name
    assert api.get("/api/v1/stations/999999/").status_code == 404


def test_stations_bad_input_is_400(api, tree):
    _assert_400(api.get("/api/v1/stations/", {"area": "999999999999"}), "area")
    _assert_400(api.get("/api/v1/stations/", {"kind": "spaceport"}), "kind")
    _assert_400(api.get("/api/v1/stations/", {"q": "长" * 51}), "q")
    assert api.get("/api/v1/stations/", {"q": "长" * 50}).status_code == 200
    _assert_400(api.get("/api/v1/stations/", {"page_size": "abc"}), "page_size")


# --- delegates ---------------------------------------------------------------------------------------------


def test_delegate_shape_has_no_private_contact(api, delegate, station):
    (row,) = _results(api.get("/api/v1/delegates/"))
    assert DELEGATE_FIELDS <= set(row)
    assert row == {**row, "id": delegate.pk, "name": "李桂兰", "level": "county", "stations": [station.pk]}
    assert "mobile" not in row
    assert delegate.mobile not in api.get("/api/v1/delegates/").content.decode()
    assert delegate.mobile not in api.get(f"/api/v1/delegates/{delegate.pk}/").content.decode()


def test_delegates_filter_by_station_level_and_q(api, tree, station, other_station, delegate, other_delegate):
    national = DelegateFactory(name="李国强", level=Delegate.Level.NATIONAL, area=tree.province)
    MembershipFactory(station=other_station, delegate=national)
    ids = lambda **p: [r["id"] for r in _results(api.get("/api/v1/delegates/", p))]  # noqa: E731
    assert ids(station=station.pk) == [delegate.pk]
    assert set(ids(station=other_station.pk)) == {other_delegate.pk, national.pk}
    assert ids(level="national") == [national.pk]
    assert set(ids(q="李")) == {delegate.pk, national.pk}
    assert ids(q="李", level="county") == [delegate.pk]


def test_inactive_delegates_are_not_listed(api, delegate):
    delegate.is_active = False
    delegate.save()
    assert _results(api.get("/api/v1/delegates/")) == []
    assert api.get(f"/api/v1/delegates/{delegate.pk}/").status_code == 404


@pytest.mark.parametrize(
    "params,field",
    [
        ({"station": "999999"}, "station"),
        ({"station": "abc"}, "station"),
        ({"station": "1.5"}, "station"),
        ({"station": "0"}, "station"),
        ({"station": "9" * 30}, "station"),
        ({"level": "galactic"}, "level"),
        ({"q": "x" * 51}, "q"),
    ],
)
def test_delegates_bad_input_is_400(api, delegate, params, field):
    _assert_400(api.get("/api/v1/delegates/", params), field)


# --- handling units ----------------------------------------------------------------------------------------


@pytest.fixture
def units(tree, unit, other_unit):
    far = HandlingUnitFactory(name="洛南县水利局", area=tree.other_county)
    return unit, other_unit, far


def test_handling_units_are_scoped_to_the_staff_members_area(
    client_for, units, staff, other_staff, city_staff
):
    unit, other_unit, far = units
    names = lambda user, **p: {  # noqa: E731
        r["name"] for r in _results(client_for(user).get("/api/v1/handling-units/", p))
    }
    assert names(staff) == {unit.name, other_unit.name}
    assert names(other_staff) == {far.name}
    assert names(city_staff) == {unit.name, other_unit.name, far.name}
    # Asking for another county's area gives nothing from there, not its units.
    assert names(staff, area=far.area.code) == set()
    assert names(city_staff, area=far.area.code) == {far.name}


def test_handling_unit_shape(client_for, units, admin_user):
    rows = _results(client_for(admin_user).get("/api/v1/handling-units/"))
    assert len(rows) == 3
    row = next(r for r in rows if r["name"] == "洛南县水利局")
    assert UNIT_FIELDS <= set(row)
    assert row["area"] == "611021000000" and isinstance(row["id"], int)


def test_a_superuser_without_an_area_sees_every_unit(client_for, units):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert len(_results(client_for(root).get("/api/v1/handling-units/"))) == 3


def test_handling_units_are_for_staff_and_admins_only(api, client_for, units, delegate_user, unit_user):
    assert api.get("/api/v1/handling-units/").status_code == 401
    assert client_for(delegate_user).get("/api/v1/handling-units/").status_code == 403
    assert client_for(unit_user).get("/api/v1/handling-units/").status_code == 403


def test_handling_units_bad_area_is_400(client_for, units, staff):
    _assert_400(client_for(staff).get("/api/v1/handling-units/", {"area": "123"}), "area")


# --- query counts ------------------------------------------------------------------------------------------


@pytest.fixture
def big_network(tree):
    """60 stations, each with a schedule, an upcoming day and two delegates (one shared with the next station)."""
    today = timezone.localdate()
    delegates = [DelegateFactory(area=tree.county) for _ in range(61)]
    for i in range(60):
        s = StationFactory(area=tree.township if i % 2 else tree.other_township)
        ScheduleFactory(station=s, day_of_month=1 + i % 28)
        ReceptionDayFactory(station=s, date=today + dt.timedelta(days=1 + i % 9))
        ReceptionDayFactory(station=s, date=today + dt.timedelta(days=20))
        MembershipFactory(station=s, delegate=delegates[i])
        MembershipFactory(station=s, delegate=delegates[i + 1])


@pytest.mark.parametrize("page_size", [5, 50])
def test_station_list_queries_do_not_grow(api, big_network, tree, page_size, django_assert_max_num_queries):
    # count, page of stations joined with their area, active schedules (one prefetch),
    # next reception day (one windowed prefetch); the ?area filter adds one lookup of the area's path.
    with django_assert_max_num_queries(5):
        r = api.get("/api/v1/stations/", {"page_size": page_size, "area": tree.city.code})
    assert len(r.json()["results"]) == page_size
    assert all(row["next_reception_day"] for row in r.json()["results"])


@pytest.mark.parametrize("page_size", [5, 50])
def test_delegate_list_queries_do_not_grow(api, big_network, page_size, django_assert_max_num_queries):
    # count, page of delegates joined with their area, memberships (one prefetch).
    with django_assert_max_num_queries(3):
        r = api.get("/api/v1/delegates/", {"page_size": page_size})
    rows = r.json()["results"]
    assert len(rows) == page_size and all(row["stations"] for row in rows)


@pytest.mark.parametrize("page_size", [5, 50])
def test_area_list_queries_do_not_grow(api, tree, page_size, django_assert_max_num_queries):
    for i in range(60):
        AreaFactory(code=f"611002001{i + 100:03d}", tier=Area.Tier.VILLAGE, parent=tree.township)
    # the parent's id by code, count, page of areas joined with their parent.
    with django_assert_max_num_queries(3):
        r = api.get("/api/v1/areas/", {"page_size": page_size, "parent": tree.township.code})
    assert len(r.json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [5, 50])
def test_handling_unit_list_queries_do_not_grow(
    client_for, city_staff, tree, page_size, django_assert_max_num_queries
):
    for i in range(60):
        HandlingUnitFactory(area=tree.county if i % 2 else tree.other_county)
    c = client_for(city_staff)  # forced auth: the user is not loaded again
    # the caller's area (for its path), count, page of units joined with their area.
    with django_assert_max_num_queries(3):
        r = c.get("/api/v1/handling-units/", {"page_size": page_size})
    assert len(r.json()["results"]) == page_size


# --- schema, docs, health ----------------------------------------------------------------------------------


def test_openapi_schema_lists_the_contract_paths(api):
    r = api.get("/api/v1/schema/", {"format": "json"})
    assert r.status_code == 200
    paths = r.json()["paths"]
    for p in (
        "/api/v1/auth/token/",
        "/api/v1/me/",
        "/api/v1/areas/",
        "/api/v1/stations/",
        "/api/v1/delegates/",
        "/api/v1/handling-units/",
        "/api/v1/appointments/",
    ):
        assert p in paths, p
    params = {p["name"] for p in paths["/api/v1/stations/"]["get"]["parameters"]}
    assert {"area", "kind", "q", "page", "page_size"} <= params
    # The YAML form (the default) is served too.
    assert api.get("/api/v1/schema/").status_code == 200


def test_api_docs_are_served_without_a_cdn(api):
    r = api.get("/api/v1/docs/")
    assert r.status_code == 200
    html = r.content.decode().lower()
    assert "swagger" in html
    assert "/static/drf_spectacular_sidecar/" in html
    for cdn in ("cdn", "jsdelivr", "unpkg"):
        assert cdn not in html, cdn


def test_healthz_checks_database_broker_cache_and_beat(api, db):
    heartbeat_record()  # as the beat scheduler does each time it wakes
    r = api.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "cache": "ok", "beat": "ok"},
    }


def test_healthz_is_503_when_the_broker_is_down(api, db, monkeypatch):
    heartbeat_record()
    from liaison.celery import app

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no broker")

    monkeypatch.setattr(app, "connection_for_write", refuse)
    r = api.get("/healthz")
    assert r.status_code == 503
    assert r.json()["checks"]["database"] == "ok"
    assert r.json()["checks"]["broker"].startswith("error")
