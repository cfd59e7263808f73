"""Open311 bad input and security: the specification's error body and 4xx, nothing changed, no personal data."""

from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.test import Client

from open311.models import ApiClient, ServiceRequest
from open311.services import client_issue, client_revoke
from suggestions.models import Suggestion
from suggestions.services.intake import suggestion_submit
from tests.factories import StationFactory

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def good(key, **over):
    body = {
        "api_key": key,
        "service_code": "urban",
        "lat": "33.87",
        "long": "109.94",
        "description": "路灯不亮",
    }
    body.update(over)
    return {k: v for k, v in body.items() if v is not None}


@pytest.fixture
def issued(tree):
    return client_issue(name="12345", area=tree.county)


def assert_error(r, status):
    assert r.status_code == status, r.content
    body = r.json()
    assert isinstance(body, list) and body[0]["code"] == status and body[0]["description"]


@pytest.mark.parametrize(
    ("over", "status"),
    [
        ({"api_key": None}, 403),
        ({"api_key": "not-a-key"}, 403),
        ({"service_code": None}, 400),
        ({"service_code": "potholes"}, 400),
        ({"description": None}, 400),
        ({"description": "长" * 4001}, 400),
        ({"lat": "91", "long": "100"}, 400),
        ({"lat": "30", "long": "-181"}, 400),
        ({"lat": "NaN", "long": "100"}, 400),
        ({"lat": "abc", "long": "100"}, 400),
        ({"lat": "30", "long": None}, 400),
        ({"lat": None, "long": None}, 400),
        ({"jurisdiction_id": "999999999999"}, 400),
        ({"address_string": "路" * 251}, 400),
    ],
)
def test_bad_posts_change_nothing(issued, over, status):
    r = Client().post(f"{BASE}/requests.json", good(issued.key, **over))
    assert_error(r, status)
    assert not Suggestion.objects.exists() and not ServiceRequest.objects.exists()


def test_revoked_key_is_refused(issued):
    client_revoke(client_id=issued.client.pk)
    assert_error(Client().post(f"{BASE}/requests.json", good(issued.key)), 403)
    assert not Suggestion.objects.exists()


def test_reissued_key_replaces_the_old_one(issued, tree):
    again = client_issue(name="x", area=tree.county, client=issued.client)
    assert_error(Client().post(f"{BASE}/requests.json", good(issued.key)), 403)
    assert Client().post(f"{BASE}/requests.json", good(again.key)).status_code == 201


def test_key_is_stored_hashed(issued):
    row = ApiClient.objects.get()
    assert issued.key not in (row.key_hash, row.key_prefix) and len(row.key_hash) == 64


def test_jurisdiction_outside_the_clients_area_is_403(issued, tree):
    r = Client().post(f"{BASE}/requests.json", good(issued.key, jurisdiction_id=tree.other_county.code))
    assert_error(r, 403)
    assert not Suggestion.objects.exists()


def test_jurisdiction_inside_the_area_is_used(issued, tree):
    r = Client().post(f"{BASE}/requests.json", good(issued.key, jurisdiction_id=tree.township.code))
    assert r.status_code == 201
    assert Suggestion.objects.get().area == tree.township


def test_nearest_station_outside_the_clients_area_is_not_used(issued, tree):
    StationFactory(area=tree.other_township, latitude=Decimal("33.87"), longitude=Decimal("109.94"))
    assert Client().post(f"{BASE}/requests.json", good(issued.key)).status_code == 201
    assert Suggestion.objects.get().area == tree.county  # the client's own area


def test_address_only_falls_back_to_the_clients_area(issued, tree):
    r = Client().post(
        f"{BASE}/requests.json", good(issued.key, lat=None, long=None, address_string="某路1号")
    )
    assert r.status_code == 201
    assert Suggestion.objects.get().area == tree.county


def test_json_body_is_accepted(issued):
    r = Client().post(f"{BASE}/requests.json", good(issued.key), content_type="application/json")
    assert r.status_code == 201
    assert_error(Client().post(f"{BASE}/requests.json", "[1]", content_type="application/json"), 400)


def test_rate_limit_per_key(tree, settings):
    limited = client_issue(name="slow", area=tree.county, rate_limit="2/h")
    other = client_issue(name="other", area=tree.county)
    c = Client()
    assert c.post(f"{BASE}/requests.json", good(limited.key)).status_code == 201
    assert c.post(f"{BASE}/requests.json", good(limited.key)).status_code == 201
    r = c.post(f"{BASE}/requests.json", good(limited.key))
    assert_error(r, 429)
    assert int(r["Retry-After"]) > 0
    assert c.post(f"{BASE}/requests.json", good(other.key)).status_code == 201
    assert Suggestion.objects.count() == 3


def test_errors_in_xml(issued):
    r = Client().post(f"{BASE}/requests.xml", good(issued.key, api_key="nope"))
    assert r.status_code == 403
    root = ElementTree.fromstring(r.content)
    assert (
        root.tag == "errors" and root.findtext("error/code") == "403" and root.findtext("error/description")
    )


@pytest.mark.parametrize(
    "path",
    [
        "requests/ZZZZZZZZZZ.json",
        "requests/ZZZZZZZZZZ.xml",
        "tokens/nope.json",
        "services/potholes.json",
        "nothing-here.json",
        "requests.html",
    ],
)
def test_unknown_is_404_in_the_spec_format(tree, path):
    r = Client().get(f"{BASE}/{path}")
    assert r.status_code == 404
    if path.endswith(".xml"):
        assert ElementTree.fromstring(r.content).findtext("error/code") == "404"
    else:
        assert r.json()[0]["code"] == 404


@pytest.mark.parametrize(
    "query",
    [
        {"status": "pending"},
        {"service_code": "potholes"},
        {"start_date": "yesterday"},
        {"end_date": "2026-13-40"},
        {"start_date": "2026-12-02", "end_date": "2026-12-01"},
        {"jurisdiction_id": "999999999999"},
    ],
)
def test_bad_list_queries_are_400(tree, query):
    assert_error(Client().get(f"{BASE}/requests.json", query), 400)


def test_wrong_method_is_405(tree):
    r = Client().post(f"{BASE}/services.json")
    assert r.status_code == 405 and r.json()[0]["code"] == 405


def test_list_filters(issued, tree, unit):
    Client().post(f"{BASE}/requests.json", good(issued.key))
    web = suggestion_submit(title="网上的建议", content="内容", area=tree.other_county, category="health")
    c = Client()
    rows = c.get(f"{BASE}/requests.json").json()
    assert len(rows) == 2
    assert [
        r["service_request_id"] for r in c.get(f"{BASE}/requests.json", {"service_code": "health"}).json()
    ] == [web.tracking_code]
    only = c.get(f"{BASE}/requests.json", {"jurisdiction_id": tree.other_county.code}).json()
    assert [r["service_request_id"] for r in only] == [web.tracking_code]
    assert only[0]["lat"] is None and only[0]["description"] == "网上的建议"
    ids = c.get(f"{BASE}/requests.json", {"service_request_id": f"{web.tracking_code},ZZZZ"}).json()
    assert [r["service_request_id"] for r in ids] == [web.tracking_code]
    assert c.get(f"{BASE}/requests.json", {"end_date": "2020-01-01"}).json() == []
    assert len(c.get(f"{BASE}/requests.json", {"start_date": "2020-01-01T00:00:00+08:00"}).json()) == 2


def test_list_has_a_fixed_number_of_queries(issued, tree, django_assert_max_num_queries):
    c = Client()
    c.post(f"{BASE}/requests.json", good(issued.key))
    with django_assert_max_num_queries(3):
        assert len(c.get(f"{BASE}/requests.json").json()) == 1
    for i in range(6):
        c.post(f"{BASE}/requests.json", good(issued.key, description=f"第{i}条"))
    cache.clear()  # the list is cached for a minute
    with django_assert_max_num_queries(3):
        assert len(c.get(f"{BASE}/requests.json").json()) == 7


def test_admin_issues_shows_once_and_revokes(tree, admin_user, staff):
    c = Client()
    c.force_login(admin_user)
    r = c.post(
        "/admin/open311/apiclient/add/", {"name": "市12345热线", "area": tree.city.pk, "rate_limit": "100/h"}
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    client = ApiClient.objects.get()
    shown = [str(m) for m in get_messages(r.wsgi_request)]
    key = next(m.rsplit("：", 1)[1] for m in shown if "api_key" in m)
    assert key.startswith(client.key_prefix)
    assert Client().post(f"{BASE}/requests.json", good(key)).status_code == 201
    r = c.post("/admin/open311/apiclient/", {"action": "revoke", "_selected_action": [client.pk]})
    assert r.status_code == 302
    client.refresh_from_db()
    assert not client.is_active
    assert Client().post(f"{BASE}/requests.json", good(key)).status_code == 403
    # A bad rate is refused by the form.
    r = c.post("/admin/open311/apiclient/add/", {"name": "x", "area": tree.city.pk, "rate_limit": "lots"})
    assert r.status_code == 200 and ApiClient.objects.count() == 1
    # Staff have no access to keys.
    s = Client()
    s.force_login(staff)
    assert s.get("/admin/open311/apiclient/").status_code == 403


def test_lists_are_cached_and_fresh_lists_rate_limited(issued, monkeypatch, django_assert_max_num_queries):
    from open311 import views

    c = Client()
    first = c.get(f"{BASE}/requests.json").content
    c.post(f"{BASE}/requests.json", good(issued.key))
    with django_assert_max_num_queries(0):
        assert c.get(f"{BASE}/requests.json").content == first  # the same query, within a minute
    monkeypatch.setattr(views, "LIST_RATE", "3/m")  # the first list counted too
    assert c.get(f"{BASE}/requests.json", {"status": "open"}).status_code == 200
    assert c.get(f"{BASE}/requests.json", {"status": "closed"}).status_code == 200
    r = c.get(f"{BASE}/requests.json", {"service_code": "urban"})
    assert_error(r, 429)
    assert int(r["Retry-After"]) > 0
