"""Cached public reads of the station network (stations/cache.py): a change shows at once, errors are never cached.

The finder page and the public API are read the way a visitor or an app reads them (anonymous HTTP); the
changes are made the way staff make them (the admin) or the way the system does (a save, a service).
"""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stations.cache import network_version
from stations.services import reception_days_generate
from tests.factories import MembershipFactory, ReceptionDayFactory, ScheduleFactory

pytestmark = pytest.mark.django_db

STATIONS = "/api/v1/stations/"
DELEGATES = "/api/v1/delegates/"


@pytest.fixture(autouse=True)
def _own_version_file(settings, tmp_path):
    # Test processes (pytest -n) share VAR_DIR, so another process's writes would bump the version between
    # two requests of a test that expects a cache hit. The version file follows settings.VAR_DIR.
    settings.VAR_DIR = tmp_path


def _names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def _queries(client, url, params=None, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {}, **headers)
    return len(ctx.captured_queries), response


def _station_form(station, **changes) -> dict:
    data = {
        "name": station.name,
        "kind": station.kind,
        "area": station.area_id,
        "address": station.address,
        "phone": "",
        "opening_hours": "",
        "description": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "schedules-TOTAL_FORMS": "0",
        "schedules-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_an_admin_edit_shows_at_once_on_the_finder_and_in_the_api(api, client, staff, tree, station):
    visitor = Client()
    assert station.name in visitor.get("/").content.decode()
    assert station.name in _names(api.get(STATIONS))
    assert api.get(f"{STATIONS}{station.pk}/").json()["name"] == station.name

    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    r = client.post(
        reverse("admin:stations_station_change", args=[station.pk]), _station_form(station, name="东关新站")
    )
    assert r.status_code == 302, r.content.decode()[:2000]

    page = visitor.get("/").content.decode()
    assert "东关新站" in page and station.name not in page
    assert "东关新站" in _names(api.get(STATIONS)) and station.name not in _names(api.get(STATIONS))
    assert api.get(f"{STATIONS}{station.pk}/").json()["name"] == "东关新站"


def test_a_model_save_shows_at_once_and_a_closed_station_disappears(api, tree, station):
    visitor = Client()
    area_page = {"area": tree.county.code}
    assert station.name in visitor.get("/", area_page).content.decode()
    assert api.get(f"{STATIONS}{station.pk}/").status_code == 200

    station.address = "北新街1号"
    station.save()
    assert "北新街1号" in visitor.get("/", area_page).content.decode()
    assert api.get(f"{STATIONS}{station.pk}/").json()["address"] == "北新街1号"

    station.is_active = False
    station.save()
    assert station.name not in visitor.get("/", area_page).content.decode()
    assert station.name not in _names(api.get(STATIONS))
    assert api.get(f"{STATIONS}{station.pk}/").status_code == 404


def test_a_new_membership_shows_at_once_in_the_delegate_directory(
    api, tree, station, other_station, delegate
):
    def stations_of(response) -> set[int]:
        return {row["id"]: set(row["stations"]) for row in response.json()["results"]}[delegate.pk]

    before = stations_of(api.get(DELEGATES))
    assert other_station.pk not in before
    assert other_station.pk not in api.get(f"{DELEGATES}{delegate.pk}/").json()["stations"]

    MembershipFactory(station=other_station, delegate=delegate)
    assert stations_of(api.get(DELEGATES)) == {*before, other_station.pk}
    assert other_station.pk in api.get(f"{DELEGATES}{delegate.pk}/").json()["stations"]


def test_generated_reception_days_show_at_once(api, tree, station):
    ScheduleFactory(
        station=station, frequency="weekly", weekday=timezone.localdate().weekday(), day_of_month=None
    )
    visitor = Client()
    assert "下次接待" not in visitor.get("/").content.decode()
    assert api.get(f"{STATIONS}{station.pk}/").json()["next_reception_day"] is None

    assert reception_days_generate(days_ahead=14) > 0  # bulk_create: no post_save, an explicit bump

    assert "下次接待" in visitor.get("/").content.decode()
    assert api.get(f"{STATIONS}{station.pk}/").json()["next_reception_day"] is not None


def test_a_cancelled_reception_day_disappears_at_once(api, tree, station):
    day = ReceptionDayFactory(station=station, date=timezone.localdate() + dt.timedelta(days=3))
    assert api.get(f"{STATIONS}{station.pk}/").json()["next_reception_day"]["date"] == day.date.isoformat()
    day.cancelled = True
    day.save()
    assert api.get(f"{STATIONS}{station.pk}/").json()["next_reception_day"] is None


def test_every_network_write_moves_the_version(tree, station, delegate):
    seen = {network_version()}
    for write in [
        lambda: tree.village.save(),
        lambda: station.save(),
        lambda: delegate.save(),
        lambda: MembershipFactory(station=station),
        lambda: ScheduleFactory(station=station).delete(),
    ]:
        write()
        version = network_version()
        assert version not in seen
        seen.add(version)


def test_an_invalid_filter_is_still_400_after_a_valid_one_was_cached(api, client, tree, delegate):
    assert api.get(DELEGATES, {"level": "county"}).status_code == 200
    for _ in range(2):
        r = api.get(DELEGATES, {"level": "planet"})
        assert r.status_code == 400
    assert api.get(STATIONS, {"area": tree.county.code}).status_code == 200
    assert api.get(STATIONS, {"page": "99"}).status_code == 404
    assert api.get(STATIONS, {"page": "99"}).status_code == 404

    assert client.get("/").status_code == 200
    for _ in range(2):
        assert client.get("/", {"area": "abc"}).status_code == 400
        assert client.get("/", {"area": "999999999999"}).status_code == 404


def test_a_cached_api_list_runs_no_query(api, tree, station, delegate):
    for url in [STATIONS, DELEGATES, "/api/v1/areas/"]:
        cold, first = _queries(api, url)
        warm, second = _queries(api, url)
        assert first.status_code == second.status_code == 200
        assert first.json() == second.json()
        assert cold >= 2 and warm == 0, (url, cold, warm)


def test_the_cached_page_is_only_shared_between_anonymous_visitors(client, tree, station, staff):
    visitor = Client()
    cold, first = _queries(visitor, "/")
    warm, second = _queries(Client(), "/")
    assert cold >= 5 and warm == 0
    assert first.content == second.content
    body = second.content.decode()
    assert "csrfmiddlewaretoken" not in body and "X-CSRFToken" not in body  # nothing personal in it
    assert not second.cookies

    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    mine = client.get("/").content.decode()
    assert reverse("workspace") in mine and reverse("logout") in mine  # not the anonymous copy
    assert station.name in mine


def test_the_htmx_fragment_and_the_page_are_cached_apart(tree, station):
    visitor = Client()
    assert "<html" in visitor.get("/", {"area": tree.county.code}).content.decode()
    fragment = visitor.get("/", {"area": tree.county.code}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and station.name in fragment.content.decode()
    assert "<html" in visitor.get("/", {"area": tree.county.code}).content.decode()


def test_the_page_is_cached_per_language(tree, station):
    visitor = Client()
    assert 'lang="zh-CN"' in visitor.get("/").content.decode()
    r = visitor.get(reverse("switch-language", args=["en"]), {"next": f"/?area={tree.county.code}"})
    assert r.status_code == 302 and r["Location"] == f"/?area={tree.county.code}"
    assert visitor.cookies["django_language"].value == "en"
    assert '<html lang="en">' in visitor.get("/").content.decode()
    assert 'lang="zh-CN"' in Client().get("/").content.decode()


def test_the_language_link_never_redirects_off_site(tree):
    visitor = Client()
    for unsafe in ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]:
        r = visitor.get(reverse("switch-language", args=["en"]), {"next": unsafe})
        assert r.status_code == 302 and r["Location"] == "/"
    assert visitor.get(reverse("switch-language", args=["xx"])).status_code == 404
