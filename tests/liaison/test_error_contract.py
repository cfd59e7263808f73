"""The error shapes of the API (liaison/errors.py lists them), one test per shape, driven through the API."""

# Fixtures imported from other test packages are parameters of the tests below.
# ruff: noqa: F811

import pytest

from liaison.errors import NotFound
from suggestions.services.triage import suggestion_accept
from supervision.models import Rectification
from tests.suggestions.conftest import make_suggestion  # noqa: F401  (a fixture)
from tests.voting.conftest import make_ballot, make_proposals, roll_delegates, user_of, window  # noqa: F401

pytestmark = pytest.mark.django_db

MISSING = 987654321


# --- a field error is structured ------------------------------------------------------------------------------
def test_a_field_error_raised_by_a_service_reaches_the_client_structured(api, tree, station):
    """The station is valid on its own; the service finds it outside the chosen area."""
    r = api.post(
        "/api/v1/suggestions/",
        {"title": "路灯", "content": "坏了", "station": station.pk, "area": tree.other_county.code},
        format="json",
    )
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid"
    assert body["errors"] == {"station": ["所选联络站不在所选区划内。"]}
    assert body["detail"] == "所选联络站不在所选区划内。"
    assert body["station"] == ["所选联络站不在所选区划内。"]  # the older top-level key, still there


def test_a_serializer_field_error_has_the_same_shape(api, tree):
    r = api.post("/api/v1/suggestions/", {"content": "坏了", "area": tree.county.code}, format="json")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["title"]
    assert body["detail"] == body["errors"]["title"][0]
    assert body["title"] == body["errors"]["title"]


def test_an_error_in_a_list_item_keeps_its_position(client_for, admin_user, tree):
    r = client_for(admin_user).post(
        "/api/v1/ballots/",
        {"title": "票决", "area": tree.county.code, "seats": 1, "roll": [1, "x"], "candidates": [1]},
        format="json",
    )
    assert r.status_code == 400
    body = r.json()
    assert list(body["errors"]["roll"]) == ["1"]  # item 1 of the list; JSON keys are strings
    assert body["detail"] == body["errors"]["roll"]["1"][0]


def test_a_bad_query_parameter_has_the_same_shape(client_for, staff):
    r = client_for(staff).get("/api/v1/suggestions/", {"page_size": "many"})
    assert r.status_code == 400
    body = r.json()
    assert body["errors"] == {"page_size": [body["detail"]]}


def test_a_domain_error_without_fields_is_detail_and_code(client_for, make_ballot):
    ballot, cands, roll = make_ballot()
    client = client_for(user_of(roll[0]))
    choices = [{"candidate": c.pk, "choice": "for"} for c in cands]
    assert (
        client.post(f"/api/v1/ballots/{ballot.pk}/votes/", {"choices": choices}, format="json").status_code
        == 201
    )
    r = client.post(f"/api/v1/ballots/{ballot.pk}/votes/", {"choices": choices}, format="json")
    assert r.status_code == 409
    assert r.json() == {"detail": r.json()["detail"], "code": "already_voted"}


def test_other_api_errors_carry_a_code(api, client_for, unit_user):
    assert api.get("/api/v1/suggestions/").json()["code"] == "not_authenticated"
    assert client_for(unit_user).get("/api/v1/suggestions/").json()["code"] == "permission_denied"
    assert api.delete("/api/v1/stations/").json()["code"] == "method_not_allowed"


# --- not found: 404 with code not_found, in every app ----------------------------------------------------------
def _assert_not_found(r):
    assert r.status_code == 404, r.content[:300]
    body = r.json()
    assert body["code"] == "not_found"
    assert isinstance(body["detail"], str) and body["detail"]
    assert "Suggestion" not in body["detail"] and "matches the given query" not in body["detail"]


def test_not_found_in_the_station_network(api):
    _assert_not_found(api.get(f"/api/v1/stations/{MISSING}/"))
    _assert_not_found(api.get(f"/api/v1/delegates/{MISSING}/"))
    _assert_not_found(api.get(f"/api/v1/no-such-endpoint/{MISSING}/"))


def test_not_found_in_suggestions_unknown_or_of_another_area(
    api, client_for, staff, other_staff, make_suggestion
):
    s = make_suggestion()
    _assert_not_found(client_for(staff).post(f"/api/v1/suggestions/{MISSING}/accept/"))
    _assert_not_found(client_for(other_staff).post(f"/api/v1/suggestions/{s.pk}/accept/"))
    _assert_not_found(api.get("/api/v1/track/NOSUCHCODE/"))


def test_a_suggestion_service_reports_an_unknown_one_as_not_found():
    with pytest.raises(NotFound):
        suggestion_accept(suggestion_id=MISSING)


def test_not_found_in_voting(api, client_for, make_ballot):
    ballot, cands, roll = make_ballot()
    voter = client_for(user_of(roll[0]))
    choices = [{"candidate": c.pk, "choice": "for"} for c in cands]
    _assert_not_found(voter.post(f"/api/v1/ballots/{MISSING}/votes/", {"choices": choices}, format="json"))
    _assert_not_found(api.get(f"/api/v1/projects/{MISSING}/"))
    _assert_not_found(api.get(f"/api/v1/ballots/{ballot.pk}/"))  # not published: not for the public
    _assert_not_found(api.get("/api/v1/proposals/code/NOSUCHCODE/"))


def test_not_found_in_supervision(api, client_for, unit_user, staff):
    _assert_not_found(
        client_for(unit_user).post(f"/api/v1/rectifications/{MISSING}/report/", {"content": "已整改"})
    )
    _assert_not_found(api.get(f"/api/v1/activities/{MISSING}/"))
    _assert_not_found(client_for(staff).post(f"/api/v1/topics/{MISSING}/select/", {"year": 2026}))
    _assert_not_found(client_for(staff).post(f"/api/v1/assessments/{MISSING}/open/"))
    assert not Rectification.objects.exists()


def test_a_not_found_page_is_a_404_page(client, tree):
    r = client.get(f"/projects/{MISSING}/")
    assert r.status_code == 404
    assert "text/html" in r["Content-Type"]
