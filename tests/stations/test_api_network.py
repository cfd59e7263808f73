import pytest

pytestmark = pytest.mark.django_db


def test_stations_filter_by_area_includes_subtree(api, tree, station, other_station):
    r = api.get("/api/v1/stations/", {"area": tree.county.code})
    assert r.status_code == 200
    assert [s["name"] for s in r.json()["results"]] == [station.name]
    r = api.get("/api/v1/stations/", {"area": tree.city.code})
    assert {s["name"] for s in r.json()["results"]} == {station.name, other_station.name}


def test_unknown_area_code_is_400(api, tree):
    r = api.get("/api/v1/stations/", {"area": "999999999999"})
    assert r.status_code == 400
    assert "area" in r.json()


def test_token_and_me(api, staff):
    r = api.post(
        "/api/v1/auth/token/", {"username": "staff_sz", "password": "pw-Liaison-2026"}, format="json"
    )
    assert r.status_code == 200, r.content
    api.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    me = api.get("/api/v1/me/").json()
    assert me["username"] == "staff_sz" and me["roles"] == ["staff"] and me["area"] == "611002000000"
