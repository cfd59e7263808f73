"""Bodies and members through the API: admins of an area create a street council and add members (delegates
and other people, some with accounts); another area's body is a 404, a delegate of a neighbouring area is a
400, and contacts are masked."""

import datetime as dt

import pytest

from bodies.models import Body, BodyMember
from liaison.accounts.models import User
from tests.factories import UserFactory


@pytest.fixture
def county_admin(tree):
    return UserFactory(username="admin_sz", role=User.Role.ADMIN, area=tree.county, is_staff=True)


@pytest.fixture
def council(client_for, county_admin, tree):
    r = client_for(county_admin).post(
        "/api/v1/bodies/",
        {"name": "城关街道议政代表会", "kind": "street_council", "area": tree.township.code, "term": 1},
        format="json",
    )
    assert r.status_code == 201, r.content
    return Body.objects.get(pk=r.json()["id"])


def test_admin_creates_a_street_council_and_staff_list_it(client_for, council, staff, other_staff, tree):
    body = client_for(staff).get("/api/v1/bodies/").json()
    assert [(b["id"], b["kind"], b["area"], b["member_count"]) for b in body["results"]] == [
        (council.pk, "street_council", tree.township.code, 0)
    ]
    assert client_for(other_staff).get("/api/v1/bodies/").json()["results"] == []
    assert client_for(other_staff).get(f"/api/v1/bodies/{council.pk}/").status_code == 404


def test_staff_cannot_create_and_a_council_needs_a_street(client_for, staff, county_admin, tree):
    payload = {"name": "x", "kind": "street_council", "area": tree.township.code}
    assert client_for(staff).post("/api/v1/bodies/", payload, format="json").status_code == 403
    r = client_for(county_admin).post("/api/v1/bodies/", {**payload, "area": tree.county.code}, format="json")
    assert r.status_code == 400
    r = client_for(county_admin).post(
        "/api/v1/bodies/", {**payload, "area": tree.other_county.code}, format="json"
    )
    assert r.status_code == 404
    assert not Body.objects.exists()


def test_members_delegates_and_people_with_accounts(client_for, council, county_admin, delegate, client):
    c = client_for(county_admin)
    url = f"/api/v1/bodies/{council.pk}/members/"
    r = c.post(url, {"delegate": delegate.pk}, format="json")
    assert r.status_code == 201, r.content
    assert (r.json()["name"], r.json()["sector"]) == (delegate.name, "delegate")
    r = c.post(
        url, {"name": "王秀兰", "sector": "resident", "phone": "13800001234", "account": True}, format="json"
    )
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["phone"] == "138****1234"
    account = out["account"]
    user = User.objects.get(username=account["username"])
    assert user.role == User.Role.MEMBER and user.check_password(account["initial_password"])
    r = client.post(
        "/accounts/login/", {"username": account["username"], "password": account["initial_password"]}
    )
    assert r.status_code == 302 and client.session.get("_auth_user_id") == str(user.pk)
    # the same delegate twice is refused, and nothing changes
    assert c.post(url, {"delegate": delegate.pk}, format="json").status_code == 400
    listing = c.get(url).json()["results"]
    assert sorted(m["name"] for m in listing) == sorted([delegate.name, "王秀兰"])
    assert all("account" not in m and m["phone"] in ("", "138****1234") for m in listing)


def test_a_delegate_of_another_area_cannot_join(client_for, council, county_admin, other_delegate):
    r = client_for(county_admin).post(
        f"/api/v1/bodies/{council.pk}/members/", {"delegate": other_delegate.pk}, format="json"
    )
    assert r.status_code == 400
    assert not BodyMember.objects.exists()


def test_leaving_keeps_history_and_the_roll_of_a_day(client_for, council, county_admin, tree):
    c = client_for(county_admin)
    url = f"/api/v1/bodies/{council.pk}/members/"
    ids = [
        c.post(url, {"name": n, "sector": "enterprise", "joined_on": "2026-01-05"}, format="json").json()[
            "id"
        ]
        for n in ("甲", "乙")
    ]
    r = c.post(f"{url}{ids[0]}/leave/", {"left_on": "2026-06-30", "reason": "迁出"}, format="json")
    assert r.status_code == 200 and r.json()["left_on"] == "2026-06-30"
    assert c.post(f"{url}{ids[0]}/leave/", {}, format="json").status_code == 400
    assert {m["id"] for m in c.get(url, {"on": "2026-06-01"}).json()["results"]} == set(ids)
    assert [m["id"] for m in c.get(url, {"on": "2026-07-01"}).json()["results"]] == [ids[1]]
    assert len(c.get(url, {"all": "1"}).json()["results"]) == 2
    assert c.get(url, {"on": "June"}).status_code == 400
    assert BodyMember.objects.get(pk=ids[0]).history.count() == 2
    assert dt.date(2026, 6, 30) == BodyMember.objects.get(pk=ids[0]).left_on


def test_another_areas_admin_gets_404_on_members(client_for, council, tree):
    other_admin = UserFactory(
        username="admin_ln", role=User.Role.ADMIN, area=tree.other_county, is_staff=True
    )
    r = client_for(other_admin).post(
        f"/api/v1/bodies/{council.pk}/members/", {"name": "丙", "sector": "resident"}, format="json"
    )
    assert r.status_code == 404
    assert not BodyMember.objects.exists()
