"""Open311 GeoReport v2 driven as a client would: discovery → services → POST with a key → GET by id and in
the list, JSON and XML → the staff handle it to the end → its status is closed."""

from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.test import Client

from open311.services import client_issue
from suggestions.models import Referral, Suggestion
from tests.factories import StationFactory

BASE = "/open311/v2"


@pytest.fixture
def key(tree):
    return client_issue(name="12345 热线", area=tree.city).key


@pytest.fixture
def near_station(tree):
    return StationFactory(
        area=tree.township, latitude=Decimal("33.868000"), longitude=Decimal("109.940000"), name="城关站"
    )


def xml(response):
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ElementTree.fromstring(response.content)


@pytest.mark.django_db
def test_georeport_client_story(key, tree, near_station, staff, unit, unit_user, client_for):
    c = Client()
    # Discovery, JSON and XML.
    d = c.get(f"{BASE}/discovery.json")
    assert d.status_code == 200 and d["Content-Type"].startswith("application/json")
    endpoint = d.json()["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2") and "text/xml" in endpoint["formats"]
    root = xml(c.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/formats/format") is not None

    # Services are the suggestion categories.
    services = c.get(f"{BASE}/services.json").json()
    assert {s["service_code"] for s in services} == set(Suggestion.Category.values)
    assert all(s["metadata"] is False and s["type"] == "realtime" for s in services)
    root = xml(c.get(f"{BASE}/services.xml"))
    assert root.tag == "services" and len(root.findall("service")) == len(services)
    assert c.get(f"{BASE}/services/transport.json").json() == {"service_code": "transport", "attributes": []}
    assert xml(c.get(f"{BASE}/services/transport.xml")).findtext("service_code") == "transport"

    # POST a request with the key: no area given, so the nearest station's area takes it.
    r = c.post(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "service_code": "transport",
            "lat": "33.869",
            "long": "109.941",
            "address_string": "商州区北新街5号",
            "description": "北新街路口红绿灯坏了\n晚上很危险，请尽快修复。",
            "first_name": "三",
            "last_name": "张",
            "phone": "13800000000",
            "email": "zs@example.cn",
        },
    )
    assert r.status_code == 201, r.content
    created = r.json()[0]
    code = created["service_request_id"]
    s = Suggestion.objects.get(tracking_code=code)
    assert s.channel == "open311" and s.category == "transport" and s.area == tree.township
    assert s.submitter_name == "张三" and s.submitter_phone == "13800000000"
    assert s.title == "北新街路口红绿灯坏了"

    # The token leads to the request.
    t = c.get(f"{BASE}/tokens/{created['token']}.json").json()
    assert t == [{"service_request_id": code, "token": created["token"]}]
    assert xml(c.get(f"{BASE}/tokens/{created['token']}.xml")).findtext("request/service_request_id") == code

    # GET it by id and find it in the list, JSON and XML; no personal data anywhere.
    one = c.get(f"{BASE}/requests/{code}.json")
    assert one.status_code == 200
    req = one.json()[0]
    assert req["status"] == "open" and req["service_code"] == "transport"
    assert req["status_notes"] and req["lat"] == pytest.approx(33.869)
    for leak in ("张三", "13800000000", "zs@example.cn", "北新街5号", "晚上很危险"):
        assert leak not in one.content.decode()
    listed = c.get(f"{BASE}/requests.json").json()
    assert code in [row["service_request_id"] for row in listed]
    root = xml(c.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    assert code in [el.findtext("service_request_id") for el in root.findall("request")]
    assert xml(c.get(f"{BASE}/requests/{code}.xml")).findtext("request/status") == "open"

    # The staff accept and refer it; the lead unit is the agency responsible, the reply due the expected time.
    staff_api = client_for(staff)
    assert staff_api.post(f"/api/v1/suggestions/{s.pk}/accept/", {}, format="json").status_code == 200
    r = staff_api.post(f"/api/v1/suggestions/{s.pk}/refer/", {"lead_unit": unit.pk}, format="json")
    assert r.status_code == 200, r.content
    req = c.get(f"{BASE}/requests/{code}.json").json()[0]
    assert req["agency_responsible"] == unit.name and req["expected_datetime"]
    assert req["status"] == "open" and unit.name in req["status_notes"]

    # The unit replies, the constituent is satisfied: closed.
    lead = Referral.objects.get(suggestion=s, role="lead")
    r = client_for(unit_user).post(
        f"/api/v1/referrals/{lead.pk}/reply/", {"result": "solved", "content": "已修复。"}, format="json"
    )
    assert r.status_code == 200, r.content
    assert c.post(f"/api/v1/track/{code}/rating/", {"rating": "satisfied"}).status_code == 201
    req = c.get(f"{BASE}/requests/{code}.json").json()[0]
    assert req["status"] == "closed" and req["expected_datetime"] is None
    assert c.get(f"{BASE}/requests.json", {"status": "closed"}).json()[0]["service_request_id"] == code
    assert c.get(f"{BASE}/requests.json", {"status": "open"}).json() == []
    assert xml(c.get(f"{BASE}/requests/{code}.xml")).findtext("request/status") == "closed"
