"""The API per role and area, and bad input: clear 4xx, nothing changed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from suggestions.models import Referral, Suggestion, SuggestionEvent, SuggestionPhoto
from suggestions.services.triage import suggestion_accept, suggestion_mark_key, suggestion_merge

from .conftest import jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db


def _submit(api, **kw):
    data = {"title": "路灯不亮", "content": "三号楼前路灯坏了。", **kw}
    return api.post("/api/v1/suggestions/", data, format="json")


# --- public submission -------------------------------------------------------------------------------------
def test_submit_by_area_code(api, tree):
    r = _submit(api, area=tree.village.code)
    assert r.status_code == 201
    assert Suggestion.objects.get().area == tree.village


@pytest.mark.parametrize(
    "kw",
    [
        {"title": ""},
        {"content": ""},
        {"title": "长" * 101},
        {"content": "长" * 5001},
        {"phone": "12345"},
        {"category": "nonsense"},
        {"area": "000000000000"},
        {"station": 999999},
        {"delegate": 999999},
    ],
)
def test_submit_bad_input_is_400_and_creates_nothing(api, station, kw):
    r = _submit(api, **{"station": station.pk, **kw})
    assert r.status_code == 400, r.content
    assert Suggestion.objects.count() == 0


def test_submit_without_addressee_is_400(api, tree):
    r = _submit(api)
    assert r.status_code == 400 and "area" in r.json()["errors"]


def test_submit_station_of_another_area_is_400(api, tree, other_station):
    r = _submit(api, area=tree.county.code, station=other_station.pk)
    assert r.status_code == 400
    assert r.json()["errors"] == {"station": ["所选联络站不在所选区划内。"]}
    assert Suggestion.objects.count() == 0


def test_honeypot_is_rejected(api, station):
    r = _submit(api, station=station.pk, website="http://spam.example")
    assert r.status_code == 400
    assert Suggestion.objects.count() == 0


@override_settings(RATE_LIMITS={"suggestion": "3/h", "rating": "20/h"})
def test_submit_is_rate_limited(api, station):
    for _ in range(3):
        assert _submit(api, station=station.pk).status_code == 201
    assert _submit(api, station=station.pk).status_code == 429
    assert Suggestion.objects.count() == 3


def test_submit_with_photos_multipart(api, station):
    r = api.post(
        "/api/v1/suggestions/",
        {
            "title": "路灯不亮",
            "content": "见图。",
            "station": station.pk,
            "photos": [
                SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"),
                SimpleUploadedFile("b.jpg", jpeg_bytes(), content_type="image/jpeg"),
            ],
        },
        format="multipart",
    )
    assert r.status_code == 201, r.content
    assert sorted(SuggestionPhoto.objects.values_list("ext", flat=True)) == ["jpg", "png"]


@pytest.mark.parametrize(
    "payload,name",
    [
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "x.jpg"),  # a GIF named .jpg
        (b"<?php echo 1; ?>", "shell.jpg"),
        (b"%PDF-1.4 not an image", "doc.png"),
    ],
)
def test_non_image_disguised_as_jpg_is_400(api, station, payload, name):
    r = api.post(
        "/api/v1/suggestions/",
        {
            "title": "t",
            "content": "c",
            "station": station.pk,
            "photos": [SimpleUploadedFile(name, payload, "image/jpeg")],
        },
        format="multipart",
    )
    assert r.status_code == 400
    assert Suggestion.objects.count() == 0 and SuggestionPhoto.objects.count() == 0


@override_settings(SUGGESTION_PHOTO_MAX_BYTES=1000)
def test_oversized_photo_is_400(api, station):
    big = io.BytesIO()
    from PIL import Image

    Image.effect_noise((200, 200), 100).convert("RGB").save(big, format="PNG")
    r = api.post(
        "/api/v1/suggestions/",
        {
            "title": "t",
            "content": "c",
            "station": station.pk,
            "photos": [SimpleUploadedFile("a.png", big.getvalue())],
        },
        format="multipart",
    )
    assert r.status_code == 400
    assert Suggestion.objects.count() == 0


def test_four_photos_is_400(api, station):
    photos = [SimpleUploadedFile(f"{i}.png", png_bytes()) for i in range(4)]
    r = api.post(
        "/api/v1/suggestions/",
        {"title": "t", "content": "c", "station": station.pk, "photos": photos},
        format="multipart",
    )
    assert r.status_code == 400


# --- tracking ----------------------------------------------------------------------------------------------
def test_unknown_tracking_code_is_404(api, tree):
    assert api.get("/api/v1/track/ZZZZZZZZZZ/").status_code == 404
    assert (
        api.post("/api/v1/track/ZZZZZZZZZZ/rating/", {"rating": "satisfied"}, format="json").status_code
        == 404
    )


def test_tracking_code_lookup_is_case_insensitive(api, make_suggestion):
    s = make_suggestion()
    assert api.get(f"/api/v1/track/{s.tracking_code.lower()}/").status_code == 200


def test_rating_in_wrong_state_is_409(api, make_suggestion):
    s = make_suggestion()
    r = api.post(f"/api/v1/track/{s.tracking_code}/rating/", {"rating": "satisfied"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    s.refresh_from_db()
    assert s.status == "submitted"


def test_rating_bad_value_is_400(api, make_suggestion):
    s = make_suggestion()
    assert (
        api.post(f"/api/v1/track/{s.tracking_code}/rating/", {"rating": "great"}, format="json").status_code
        == 400
    )


def test_merged_tracking_points_to_original(api, make_suggestion, staff):
    first, dup = make_suggestion(), make_suggestion()
    suggestion_merge(suggestion_id=dup.pk, into_id=first.pk, actor=staff)
    body = api.get(f"/api/v1/track/{dup.tracking_code}/").json()
    assert body["status"] == "merged" and body["merged_into"] == first.tracking_code


# --- staff scope -------------------------------------------------------------------------------------------
def test_list_needs_staff(api, client_for, unit_user, delegate_user, tree):
    assert api.get("/api/v1/suggestions/").status_code in (401, 403)
    assert client_for(unit_user).get("/api/v1/suggestions/").status_code == 403
    assert client_for(delegate_user).get("/api/v1/suggestions/").status_code == 403


def test_staff_see_only_their_subtree(
    client_for, make_suggestion, other_station, staff, other_staff, city_staff
):
    mine, theirs = make_suggestion(), make_suggestion(station=other_station)
    ids = lambda u: {x["id"] for x in client_for(u).get("/api/v1/suggestions/").json()["results"]}  # noqa: E731
    assert ids(staff) == {mine.pk}
    assert ids(other_staff) == {theirs.pk}
    assert ids(city_staff) == {mine.pk, theirs.pk}
    c = client_for(staff)
    assert c.get(f"/api/v1/suggestions/{theirs.pk}/").status_code == 404
    assert c.post(f"/api/v1/suggestions/{theirs.pk}/accept/").status_code == 404
    assert c.post(f"/api/v1/suggestions/{theirs.pk}/reject/", {"reason": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "submitted"


def test_area_filter_outside_subtree_gives_nothing(client_for, make_suggestion, staff, tree, other_station):
    make_suggestion(station=other_station)
    r = client_for(staff).get(f"/api/v1/suggestions/?area={tree.other_county.code}")
    assert r.status_code == 200 and r.json()["count"] == 0


def test_list_filters_and_oldest_first(client_for, make_suggestion, staff, station, tree):
    a = make_suggestion(title="小区路灯坏了", category="urban")
    b = make_suggestion(title="公交班次太少", content="到城区的公交车每天三班。", category="transport")
    suggestion_mark_key(suggestion_id=b.pk, actor=staff)
    c = client_for(staff)
    assert [x["id"] for x in c.get("/api/v1/suggestions/").json()["results"]] == [a.pk, b.pk]
    assert [x["id"] for x in c.get("/api/v1/suggestions/?category=transport").json()["results"]] == [b.pk]
    assert [x["id"] for x in c.get("/api/v1/suggestions/?key=true").json()["results"]] == [b.pk]
    assert [x["id"] for x in c.get("/api/v1/suggestions/?q=公交").json()["results"]] == [b.pk]
    assert [x["id"] for x in c.get(f"/api/v1/suggestions/?q={a.tracking_code}").json()["results"]] == [a.pk]
    assert c.get("/api/v1/suggestions/?overdue=true").json()["count"] == 0
    assert c.get(f"/api/v1/suggestions/?station={station.pk}&status=submitted").json()["count"] == 2
    assert c.get("/api/v1/suggestions/?status=bogus").status_code == 400
    assert c.get("/api/v1/suggestions/?area=999").status_code == 400


def test_detail_masks_contact_and_lists_referrals(client_for, referred, staff):
    body = client_for(staff).get(f"/api/v1/suggestions/{referred.pk}/").json()
    assert body["contact"] == {"name": "王**", "phone": "138****1234", "email": ""}
    assert "13812341234" not in str(body)
    assert {r["role"] for r in body["referrals"]} == {"lead", "assisting"}


def test_refer_units_must_be_in_staff_subtree(client_for, make_suggestion, staff, tree):
    from tests.factories import HandlingUnitFactory

    far = HandlingUnitFactory(name="洛南县水利局", area=tree.other_county)
    s = make_suggestion()
    suggestion_accept(suggestion_id=s.pk, actor=staff)
    r = client_for(staff).post(f"/api/v1/suggestions/{s.pk}/refer/", {"lead_unit": far.pk}, format="json")
    assert r.status_code == 400
    assert not Referral.objects.exists()


def test_refer_from_wrong_state_is_409(client_for, make_suggestion, staff, unit):
    s = make_suggestion()
    r = client_for(staff).post(f"/api/v1/suggestions/{s.pk}/refer/", {"lead_unit": unit.pk}, format="json")
    assert r.status_code == 409


def test_reject_needs_reason(client_for, make_suggestion, staff):
    s = make_suggestion()
    assert client_for(staff).post(f"/api/v1/suggestions/{s.pk}/reject/", {}, format="json").status_code == 400
    r = client_for(staff).post(f"/api/v1/suggestions/{s.pk}/reject/", {"reason": "重复"}, format="json")
    assert r.json() == {"status": "rejected"}


def test_key_merge_similar_endpoints(client_for, make_suggestion, staff):
    a = make_suggestion()
    b = make_suggestion(content="东关社区3号楼路灯坏了，晚上很黑。")
    c = client_for(staff)
    assert (
        c.post(f"/api/v1/suggestions/{b.pk}/key/", {"is_key": True}, format="json").json()["is_key"] is True
    )
    sim = c.get(f"/api/v1/suggestions/{b.pk}/similar/").json()
    assert sim[0]["id"] == a.pk and sim[0]["score"] > 0
    r = c.post(f"/api/v1/suggestions/{b.pk}/merge/", {"into": a.tracking_code}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "merged"
    assert c.post(f"/api/v1/suggestions/{a.pk}/merge/", {"into": "NOPE"}, format="json").status_code == 400


# --- units -------------------------------------------------------------------------------------------------
def test_unit_sees_only_its_referrals(client_for, referred, unit_user, other_unit_user, staff, other_staff):
    lead = referred.referrals.get(role="lead")
    assisting = referred.referrals.get(role="assisting")
    assert [x["id"] for x in client_for(unit_user).get("/api/v1/referrals/").json()["results"]] == [lead.pk]
    assert [x["id"] for x in client_for(other_unit_user).get("/api/v1/referrals/").json()["results"]] == [
        assisting.pk
    ]
    assert client_for(staff).get("/api/v1/referrals/").json()["count"] == 2
    assert client_for(other_staff).get("/api/v1/referrals/").json()["count"] == 0
    assert client_for(unit_user).get(f"/api/v1/referrals/{assisting.pk}/").status_code == 404
    detail = client_for(unit_user).get(f"/api/v1/referrals/{lead.pk}/").json()
    assert detail["contact"]["phone"] == "138****1234" and "13812341234" not in str(detail)


def test_reply_by_another_unit_is_404_and_by_staff_403(client_for, referred, other_unit_user, staff):
    lead = referred.referrals.get(role="lead")
    body = {"result": "solved", "content": "已修"}
    assert (
        client_for(other_unit_user)
        .post(f"/api/v1/referrals/{lead.pk}/reply/", body, format="json")
        .status_code
        == 404
    )
    assert (
        client_for(staff).post(f"/api/v1/referrals/{lead.pk}/reply/", body, format="json").status_code == 403
    )
    lead.refresh_from_db()
    assert lead.status == "pending"


def test_reply_bad_input_and_twice(client_for, referred, unit_user):
    lead = referred.referrals.get(role="lead")
    c = client_for(unit_user)
    assert (
        c.post(
            f"/api/v1/referrals/{lead.pk}/reply/", {"result": "done", "content": "x"}, format="json"
        ).status_code
        == 400
    )
    assert (
        c.post(
            f"/api/v1/referrals/{lead.pk}/reply/", {"result": "solved", "content": ""}, format="json"
        ).status_code
        == 400
    )
    assert (
        c.post(
            f"/api/v1/referrals/{lead.pk}/reply/", {"result": "solved", "content": "好"}, format="json"
        ).status_code
        == 200
    )
    assert (
        c.post(
            f"/api/v1/referrals/{lead.pk}/reply/", {"result": "solved", "content": "好"}, format="json"
        ).status_code
        == 409
    )


def test_return_is_a_request_that_staff_accept(client_for, referred, unit_user, staff):
    lead = referred.referrals.get(role="lead")
    c = client_for(unit_user)
    assert c.post(f"/api/v1/referrals/{lead.pk}/return/", {}, format="json").status_code == 400
    r = c.post(f"/api/v1/referrals/{lead.pk}/return/", {"reason": "不属于本单位"}, format="json")
    assert r.json() == {"status": "return_requested"}
    referred.refresh_from_db()
    assert referred.status == "referred"
    # Staff see it for review, and accept it: back to triage.
    body = client_for(staff).get("/api/v1/referrals/?status=return_requested").json()
    assert [x["id"] for x in body["results"]] == [lead.pk]
    assert client_for(staff).post(f"/api/v1/referrals/{lead.pk}/review/").json() == {"status": "returned"}
    referred.refresh_from_db()
    assert referred.status == "accepted"


def test_extension_flow_via_api(client_for, referred, unit_user, staff, other_staff):
    import datetime as dt

    lead = referred.referrals.get(role="lead")
    new_due = (lead.due + dt.timedelta(days=5)).isoformat()
    r = client_for(unit_user).post(
        f"/api/v1/referrals/{lead.pk}/extension/",
        {"requested_due": new_due, "reason": "需招标"},
        format="json",
    )
    assert r.status_code == 201, r.content
    ext_id = r.json()["id"]
    assert client_for(other_staff).get("/api/v1/extensions/").json()["count"] == 0
    assert client_for(other_staff).post(f"/api/v1/extensions/{ext_id}/grant/").status_code == 404
    assert [x["id"] for x in client_for(staff).get("/api/v1/extensions/").json()["results"]] == [ext_id]
    r = client_for(staff).post(f"/api/v1/extensions/{ext_id}/grant/", {"note": "同意"}, format="json")
    assert r.json()["status"] == "granted"
    lead.refresh_from_db()
    assert lead.due.isoformat() == new_due


def test_contact_views_are_not_in_api(client_for, make_suggestion, staff):
    s = make_suggestion()
    client_for(staff).get(f"/api/v1/suggestions/{s.pk}/")
    assert not SuggestionEvent.objects.filter(kind="contact_viewed").exists()


def test_openapi_schema_lists_the_endpoints(client_for, staff):
    r = client_for(staff).get("/api/v1/schema/?format=json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for p in [
        "/api/v1/suggestions/",
        "/api/v1/suggestions/{id}/",
        "/api/v1/suggestions/{id}/accept/",
        "/api/v1/suggestions/{id}/reject/",
        "/api/v1/suggestions/{id}/refer/",
        "/api/v1/track/{code}/",
        "/api/v1/track/{code}/rating/",
        "/api/v1/referrals/",
        "/api/v1/referrals/{id}/reply/",
        "/api/v1/referrals/{id}/return/",
    ]:
        assert p in paths, p
