"""群众提: public proposals, screening by staff, privacy and rate limits."""

import logging

import pytest
from django.test import override_settings

from voting.models import ProjectProposal

pytestmark = pytest.mark.django_db


def _propose(api, tree, **extra):
    data = {
        "title": "东关社区加装电梯",
        "description": "老旧小区没有电梯",
        "area": tree.village.code,
        **extra,
    }
    return api.post("/api/v1/proposals/", data, format="json")


def test_public_proposal_is_listed_without_personal_data(api, tree, window):
    r = _propose(api, tree, name="王小明", phone="13812341234", rough_cost="120.50")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "submitted" and body["id"] and body["code"]

    listed = api.get("/api/v1/proposals/", {"area": tree.county.code}).json()
    assert listed["count"] == 1
    item = listed["results"][0]
    assert item["title"] == "东关社区加装电梯" and item["proposer_kind"] == "public"
    text = str(listed)
    assert "王小明" not in text and "13812341234" not in text and "1234" not in str(item.get("phone", ""))
    assert "name" not in item and "phone" not in item

    page = api.get(f"/proposals/{body['code']}/")
    assert page.status_code == 200
    assert "王小明" not in page.content.decode() and "13812341234" not in page.content.decode()
    # another county's list does not show it
    assert api.get("/api/v1/proposals/", {"area": tree.other_county.code}).json()["count"] == 0


def test_proposal_needs_an_open_window(api, tree):
    r = _propose(api, tree)
    assert r.status_code == 409
    assert ProjectProposal.objects.count() == 0


def test_bad_input_is_400_and_nothing_saved(api, tree, window):
    assert _propose(api, tree, area="999999999999").status_code == 400
    assert _propose(api, tree, phone="12345").status_code == 400
    assert api.post("/api/v1/proposals/", {"area": tree.village.code}, format="json").status_code == 400
    assert ProjectProposal.objects.count() == 0


def test_honeypot_saves_nothing(api, tree, window, client):
    assert _propose(api, tree, website="http://spam.example").status_code == 400
    r = client.post(
        "/proposals/new/",
        {"title": "t", "description": "d", "area": tree.village.pk, "website": "http://spam.example"},
    )
    assert r.status_code == 400
    assert ProjectProposal.objects.count() == 0


@override_settings(RATE_LIMITS={"proposal": "3/h"})
def test_public_submission_is_rate_limited(api, tree, window, client):
    for _ in range(3):
        assert _propose(api, tree).status_code == 201
    r = _propose(api, tree)
    assert r.status_code == 429
    assert ProjectProposal.objects.count() == 3
    # the page shares the same allowance per client
    r = client.post("/proposals/new/", {"title": "t", "description": "d", "area": tree.village.pk})
    assert r.status_code == 429


def test_public_form_page_submits(client, tree, window):
    assert client.get("/proposals/new/").status_code == 200
    r = client.post(
        "/proposals/new/",
        {
            "title": "修缮文化广场",
            "description": "广场地面破损",
            "area": tree.township.pk,
            "phone": "13900001111",
        },
    )
    p = ProjectProposal.objects.get()
    assert r.status_code == 303 and r["Location"] == f"/proposals/{p.code}/done/"
    assert p.phone == "13900001111" and p.code in client.get(r["Location"]).content.decode()


def test_staff_shortlist_decline_merge_and_public_reason(api, client_for, tree, window, staff, other_staff):
    codes = [_propose(api, tree).json() for _ in range(3)]
    a, b, c = (x["id"] for x in codes)
    s = client_for(staff)

    r = s.post(f"/api/v1/proposals/{a}/shortlist/", {"note": "群众呼声高"}, format="json")
    assert r.status_code == 200 and r.json() == {"status": "shortlisted"}
    assert s.post(f"/api/v1/proposals/{b}/decline/", {}, format="json").status_code == 400
    r = s.post(f"/api/v1/proposals/{b}/decline/", {"reason": "已列入今年城建计划"}, format="json")
    assert r.json() == {"status": "declined"}
    r = s.post(f"/api/v1/proposals/{c}/merge/", {"into": a}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "merged"
    # a declined one cannot be shortlisted afterwards
    assert s.post(f"/api/v1/proposals/{b}/shortlist/", {}, format="json").status_code == 409

    # the proposer reads the reason on the public page and API by code
    page = api.get(f"/proposals/{codes[1]['code']}/").content.decode()
    assert "已列入今年城建计划" in page and "未采纳" in page
    assert (
        api.get(f"/api/v1/proposals/code/{codes[1]['code']}/").json()["decline_reason"]
        == "已列入今年城建计划"
    )

    # staff of the neighbouring county do not see them at all
    assert (
        client_for(other_staff)
        .post(f"/api/v1/proposals/{a}/decline/", {"reason": "x"}, format="json")
        .status_code
        == 404
    )
    # the public cannot screen
    assert api.post(f"/api/v1/proposals/{a}/decline/", {"reason": "x"}, format="json").status_code in (
        401,
        403,
    )


def test_staff_detail_masks_name_and_phone(api, client_for, tree, window, staff):
    pid = _propose(api, tree, name="王小明", phone="13812341234").json()["id"]
    body = client_for(staff).get(f"/api/v1/proposals/{pid}/").json()
    assert (body["name"], body["phone"]) == ("王**", "138****1234")


def test_staff_pages_mask_the_proposer_until_an_audited_reveal(api, client, tree, window, staff, caplog):
    pid = _propose(api, tree, name="王小明", phone="13812341234").json()["id"]
    client.force_login(staff)
    caplog.set_level(logging.INFO, logger="liaison.audit")
    listed = client.get("/workspace/voting/proposals/")
    (row,) = listed.context["page"]
    assert (row.masked_name, row.masked_phone) == ("王**", "138****1234")
    detail = client.get(f"/workspace/voting/proposals/{pid}/")
    assert detail.context["contact"] == {"name": "王**", "phone": "138****1234"}
    for r in (listed, detail):
        html = r.content.decode()
        assert r.status_code == 200 and "王小明" not in html and "13812341234" not in html
    assert not [rec for rec in caplog.records if rec.name == "liaison.audit"]  # masked views reveal nothing

    r = client.get(f"/workspace/voting/proposals/{pid}/contact/")
    assert r.status_code == 200
    assert (r.context["proposal"].name, r.context["proposal"].phone) == ("王小明", "13812341234")
    assert "13812341234" in r.content.decode()
    (logged,) = [rec.getMessage() for rec in caplog.records if rec.name == "liaison.audit"]
    assert logged == f"user {staff.pk} viewed the contact of proposal {pid}"


def test_the_contact_page_is_for_staff_of_the_area_only(
    api, client, tree, window, other_staff, delegate_user
):
    pid = _propose(api, tree, name="王小明", phone="13812341234").json()["id"]
    client.force_login(other_staff)
    assert client.get(f"/workspace/voting/proposals/{pid}/contact/").status_code == 404
    client.force_login(delegate_user)
    assert client.get(f"/workspace/voting/proposals/{pid}/contact/").status_code in (302, 403)


def test_delegate_proposal_is_marked_delegate(client_for, tree, window, delegate_user):
    r = client_for(delegate_user).post(
        "/api/v1/proposals/", {"title": "t", "description": "d", "area": tree.county.code}, format="json"
    )
    assert r.status_code == 201
    p = ProjectProposal.objects.get()
    assert p.proposer_kind == "delegate" and p.proposer_delegate_id == delegate_user.delegate_id


def test_proposal_list_queries_do_not_grow(api, tree, window, make_proposals, django_assert_max_num_queries):
    make_proposals(3)
    # count + one page with the area and the merge target joined = 2 (anonymous: no session or auth queries)
    with django_assert_max_num_queries(2):
        small = api.get("/api/v1/proposals/", {"page_size": 50})
    make_proposals(30)
    with django_assert_max_num_queries(2):
        big = api.get("/api/v1/proposals/", {"page_size": 50})
    assert small.json()["count"] == 3 and big.json()["count"] == 33
    # filtering by area adds the area lookup: 3
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/proposals/", {"area": tree.county.code}).json()["count"] == 33


def test_admin_opens_a_window_by_api(client_for, admin_user, staff, tree):
    r = client_for(admin_user).post(
        "/api/v1/proposal-windows/",
        {"area": tree.county.code, "year": 2027, "opens_on": "2026-12-01", "closes_on": "2027-01-31"},
        format="json",
    )
    assert r.status_code == 201, r.content
    assert client_for(staff).post("/api/v1/proposal-windows/", {}, format="json").status_code == 403
    r = client_for(admin_user).post(
        "/api/v1/proposal-windows/",
        {"area": tree.county.code, "year": 2027, "opens_on": "2026-12-01", "closes_on": "2027-01-31"},
        format="json",
    )
    assert r.status_code == 409
