"""Bad input and other areas through the API: 4xx and nothing changed."""

import pytest

from legislation.models import Draft, Forum, Opinion

pytestmark = pytest.mark.django_db


def _count():
    return (Draft.objects.count(), Opinion.objects.count(), Forum.objects.count())


def test_opinion_on_closed_draft_or_other_drafts_article(api, client_for, staff, open_draft, draft_payload):
    c = client_for(staff)
    other = c.post("/api/v1/drafts/", draft_payload(3), format="json").json()
    c.post(f"/api/v1/drafts/{other['id']}/open/")
    foreign = c.get(f"/api/v1/drafts/{other['id']}/").json()["articles"][0]["id"]
    url = f"/api/v1/drafts/{open_draft['id']}/opinions/"
    before = _count()
    assert api.post(url, {"article": foreign, "content": "好"}, format="json").status_code == 400
    assert api.post(url, {"content": ""}, format="json").status_code == 400
    assert api.post(url, {"content": "长" * 2001}, format="json").status_code == 400
    assert api.post(url, {"content": "好", "article": 2**70}, format="json").status_code == 400
    assert api.post(url, {"content": "好", "phone": "123"}, format="json").status_code == 400
    assert api.post(url, {"content": "好", "source": "expert"}, format="json").status_code == 400
    assert api.post(url, {"content": "好", "website": "x"}, format="json").status_code == 400
    assert api.post("/api/v1/drafts/999999/opinions/", {"content": "好"}, format="json").status_code == 404
    c.post(f"/api/v1/drafts/{open_draft['id']}/close/")
    assert api.post(url, {"content": "好"}, format="json").status_code == 409
    assert _count() == before


def test_forum_for_a_station_outside_the_subtree(
    client_for, staff, other_staff, open_draft, other_point, informant, point
):
    body = {
        "draft": open_draft["id"],
        "station": other_point.pk,
        "held_on": "2026-12-01",
        "attendance": 5,
        "opinions": [{"content": "意见"}],
    }
    before = _count()
    assert client_for(staff).post("/api/v1/forums/", body, format="json").status_code == 400
    assert client_for(informant).post("/api/v1/forums/", body, format="json").status_code == 403
    assert (
        client_for(staff)
        .post("/api/v1/forums/", {**body, "station": point.pk, "opinions": []}, format="json")
        .status_code
        == 400
    )
    assert (
        client_for(staff)
        .post("/api/v1/forums/", {**body, "station": point.pk, "attendance": 0}, format="json")
        .status_code
        == 400
    )
    assert _count() == before
    # an officer records at their own point
    r = client_for(informant).post("/api/v1/forums/", {**body, "station": point.pk}, format="json")
    assert r.status_code == 201
    r = client_for(informant).post(
        f"/api/v1/drafts/{open_draft['id']}/opinions/",
        {"content": "信息员收集的意见", "source": "informant"},
        format="json",
    )
    assert r.status_code == 201
    assert Opinion.objects.get(tracking_code=r.json()["tracking_code"]).station == point


def test_outcome_only_for_forwarded_opinions_and_other_area_gets_404(
    api, client_for, staff, other_staff, open_draft
):
    c = client_for(staff)
    draft_id = open_draft["id"]
    codes = [
        api.post(f"/api/v1/drafts/{draft_id}/opinions/", {"content": f"意见{i}"}, format="json").json()[
            "tracking_code"
        ]
        for i in range(2)
    ]
    ids = [Opinion.objects.get(tracking_code=code).pk for code in codes]
    # the neighbouring county cannot touch it
    o = client_for(other_staff)
    assert o.post(f"/api/v1/legislative-opinions/{ids[0]}/forward/").status_code == 404
    assert o.post(f"/api/v1/drafts/{draft_id}/close/").status_code == 404
    assert o.get(f"/api/v1/drafts/{draft_id}/report/").status_code == 404
    assert o.get(f"/api/v1/drafts/{draft_id}/compilation/").status_code == 404
    # the public cannot act
    assert api.post(f"/api/v1/legislative-opinions/{ids[0]}/forward/").status_code in (401, 403)
    assert api.post("/api/v1/drafts/", {}, format="json").status_code in (401, 403)
    c.post(f"/api/v1/legislative-opinions/{ids[0]}/forward/")
    c.post(f"/api/v1/drafts/{draft_id}/close/")
    c.post(f"/api/v1/drafts/{draft_id}/report/")
    r = c.post(f"/api/v1/legislative-opinions/{ids[1]}/outcome/", {"outcome": "adopted"}, format="json")
    assert r.status_code == 400
    assert (
        c.post(
            f"/api/v1/legislative-opinions/{ids[0]}/outcome/", {"outcome": "maybe"}, format="json"
        ).status_code
        == 400
    )
    assert not Opinion.objects.exclude(outcome="").exists()
    # feedback is not public before it is published
    assert api.get(f"/api/v1/drafts/{draft_id}/feedback/").status_code == 404


def test_bad_drafts(client_for, staff, other_point, draft_payload):
    c = client_for(staff)
    assert c.post("/api/v1/drafts/", draft_payload(text="没有条文的文字"), format="json").status_code == 400
    assert (
        c.post("/api/v1/drafts/", draft_payload(stations=[other_point.pk]), format="json").status_code == 400
    )
    assert c.post("/api/v1/drafts/", draft_payload(closes_on="2000-01-01"), format="json").status_code == 400
    assert c.post("/api/v1/drafts/", draft_payload(previous=2**70), format="json").status_code == 400
    assert (
        c.post(
            "/api/v1/drafts/",
            draft_payload(text="第一条 甲。\n第一条之一 乙。\n第一条之一 丙。"),
            format="json",
        ).status_code
        == 400
    )
    assert Draft.objects.count() == 0
    assert c.get("/api/v1/drafts/?status=nonsense").status_code == 400


def test_merge_rules(api, client_for, staff, open_draft, draft_payload):
    c = client_for(staff)
    draft_id = open_draft["id"]
    ids = [
        Opinion.objects.get(
            tracking_code=api.post(
                f"/api/v1/drafts/{draft_id}/opinions/", {"content": f"意见{i}"}, format="json"
            ).json()["tracking_code"]
        ).pk
        for i in range(3)
    ]
    assert (
        c.post(f"/api/v1/legislative-opinions/{ids[0]}/merge/", {"into": ids[0]}, format="json").status_code
        == 400
    )
    assert (
        c.post(f"/api/v1/legislative-opinions/{ids[1]}/merge/", {"into": ids[0]}, format="json").status_code
        == 200
    )
    assert (
        c.post(f"/api/v1/legislative-opinions/{ids[2]}/merge/", {"into": ids[1]}, format="json").status_code
        == 400
    )
    # merging into a third carries the merged ones along
    assert (
        c.post(f"/api/v1/legislative-opinions/{ids[0]}/merge/", {"into": ids[2]}, format="json").status_code
        == 200
    )
    assert set(Opinion.objects.filter(merged_into=ids[2]).values_list("pk", flat=True)) == {ids[0], ids[1]}


def test_stats_per_point(client_for, staff, open_draft, point, api):
    api.post(
        f"/api/v1/drafts/{open_draft['id']}/opinions/",
        {"content": "意见", "station": point.pk},
        format="json",
    )
    client_for(staff).post(
        "/api/v1/forums/",
        {
            "draft": open_draft["id"],
            "station": point.pk,
            "held_on": open_draft["opens_on"],
            "attendance": 12,
            "opinions": [{"content": "甲"}, {"content": "乙"}],
        },
        format="json",
    )
    r = client_for(staff).get("/api/v1/legislation/stats/")
    row = next(p for p in r.json()["points"] if p["station_id"] == point.pk)
    assert (row["drafts"], row["received"], row["forums"], row["attendance"]) == (1, 3, 1, 12)
    assert client_for(staff).get("/api/v1/legislation/stats/?year=abc").status_code == 400
