"""The public figures (数据公开): page, JSON and CSV, computed from indexed counts and cells, no personal data."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from stations.models import ReceptionLog
from suggestions import stats
from suggestions.services.intake import suggestion_submit
from suggestions.services.referrals import suggestion_refer
from suggestions.services.triage import suggestion_accept
from tests.factories import MembershipFactory, ReceptionDayFactory, StationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/figures/"
PAGE = "/figures/"


def world(tree, station, delegate, unit, n=2):
    YEAR = timezone.localdate().year
    StationFactory(
        area=tree.other_township, kind="point", latitude=Decimal("33.9"), longitude=Decimal("110.1")
    )
    for i in range(n):
        s = suggestion_submit(
            title=f"=HYPERLINK(意见{i})",
            content="内容",
            station=station,
            category="transport" if i % 2 else "urban",
            submitter_name="王五",
            submitter_phone="13911112222",
        )
        if i == 0:
            suggestion_accept(suggestion_id=s.pk)
            suggestion_refer(suggestion_id=s.pk, lead_unit=unit)
    ReceptionLog.objects.create(
        station=station, delegate=delegate, held_on=timezone.localdate(), visitors=7, summary="接待"
    )
    ReceptionDayFactory(station=station, date=timezone.localdate() - dt.timedelta(days=0))
    stats.refresh(full=True)
    return YEAR


def test_api_shape(tree, station, delegate, unit, api):
    year = world(tree, station, delegate, unit)
    r = api.get(API, {"area": tree.city.code, "year": year})
    assert r.status_code == 200, r.content
    body = r.json()
    for key in (
        "stations_by_kind",
        "delegates_grouped",
        "reception_days",
        "people_received",
        "opinions",
        "response_rate",
        "solution_rate",
        "satisfaction_rate",
        "projects",
        "topics",
        "drafts",
        "legislative_opinions",
    ):
        assert key in body, key
    assert body["stations_by_kind"]["centre"] == 1 and body["stations_by_kind"]["point"] == 1
    assert body["delegates_grouped"] == 1
    assert body["people_received"] == 7 and body["reception_days"] == 1
    assert body["opinions"] == {"received": 2, "referred": 1, "replied": 0, "closed": 0}
    assert set(body["projects"]) == {"voted", "completed", "satisfaction_rate"}
    assert body["drafts"] == 0 and body["legislative_opinions"]["received"] == 0  # the legislation section
    keys = [s["key"] for s in body["sections"]]
    assert keys[:5] == ["network", "receptions", "opinions", "projects", "supervision"]
    assert "王五" not in r.content.decode() and "13911112222" not in r.content.decode()


def test_subtree_only(tree, station, delegate, unit, api):
    year = world(tree, station, delegate, unit)
    body = api.get(API, {"area": tree.other_county.code, "year": year}).json()
    assert body["opinions"]["received"] == 0 and body["stations_by_kind"]["point"] == 1
    assert body["stations_by_kind"]["centre"] == 0 and body["people_received"] == 0


def test_csv_download_is_safe(tree, station, delegate, unit, api):
    year = world(tree, station, delegate, unit)
    r = api.get(API, {"area": tree.county.code, "year": year, "format": "csv"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    text = r.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "item", "label", "value"]
    assert any(row[1] == "received" and row[3] == "2" for row in rows)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert "王五" not in text


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"area": "999999999999"}, 400),
        ({"year": "1999"}, 400),
        ({"year": "abc"}, 400),
        ({"year": "99999999999999999999"}, 400),
        ({"year": str(dt.date.today().year + 1)}, 400),
    ],
)
def test_bad_area_or_year(tree, api, query, status):
    r = api.get(API, query)
    assert r.status_code == status and r.json()["code"] == "invalid"
    assert api.get(API, {**query, "format": "csv"}).status_code == status
    assert Client().get(PAGE, query).status_code in (400, 404)


def test_page_shows_charts_with_tables_and_downloads(tree, station, delegate, unit):
    year = world(tree, station, delegate, unit)
    r = Client().get(PAGE, {"area": tree.city.code, "year": year})
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count("<svg") >= 8 and 'role="img"' in html and "<table" in html
    assert 'id="chart-opinions-opinions_by_month"' in html
    assert f"{API}?area={tree.city.code}&amp;year={year}&amp;format=csv" in html
    assert "王五" not in html and "13911112222" not in html
    assert "<script>" not in html and "style=" not in html
    assert "HYPERLINK" not in html  # titles are never shown


def test_default_area_and_nav_link(tree, station):
    r = Client().get(PAGE)
    assert r.status_code == 200
    html = r.content.decode()
    assert tree.province.name in html and 'href="/figures/"' in html


def test_fixed_number_of_queries(tree, station, delegate, unit, django_assert_max_num_queries):
    year = world(tree, station, delegate, unit, n=2)
    with django_assert_max_num_queries(40) as few:
        Client().get(API, {"area": tree.city.code, "year": year})
    from django.core.cache import cache

    cache.clear()
    for i in range(20):
        extra = StationFactory(area=tree.village, kind="mobile")
        MembershipFactory(station=extra, delegate=delegate)
        suggestion_submit(title=f"意见{i}", content="x", station=extra, category="health")
        ReceptionLog.objects.create(
            station=extra, delegate=delegate, held_on=timezone.localdate(), visitors=1
        )
    stats.refresh(full=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = Client().get(API, {"area": tree.city.code, "year": year})
    assert r.json()["opinions"]["received"] == 22
    # Cached: the next read runs (almost) nothing.
    with django_assert_max_num_queries(2):
        Client().get(API, {"area": tree.city.code, "year": year})


def test_page_is_cached(tree, station, delegate, unit, django_assert_max_num_queries):
    year = world(tree, station, delegate, unit)
    c = Client()
    first = c.get(PAGE, {"area": tree.county.code, "year": year}).content
    with django_assert_max_num_queries(2):  # the area and the picker's areas
        again = c.get(PAGE, {"area": tree.county.code, "year": year}).content
    assert again == first
