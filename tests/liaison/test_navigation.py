"""Navigation and forms as each role meets them: where login lands, the delegate directory's area filter,
the referral form's unit picker and the date inputs' values (closing a ballot
below quorum: tests/voting/test_ballot_close.py)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.factories import HandlingUnitFactory
from tests.html import parse

pytestmark = pytest.mark.django_db


def _login(client, username, **extra):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD, **extra})


@pytest.mark.parametrize(
    "persona, landing",
    [
        ("staff", "/workspace/suggestions/"),
        ("unit_user", "/workspace/referrals/"),
        ("delegate_user", "/workspace/"),
        ("admin_user", "/workspace/"),
    ],
)
def test_login_lands_each_role_on_its_workspace(client, request, persona, landing):
    user = request.getfixturevalue(persona)
    r = _login(client, user.username)
    assert r.status_code == 302 and r["Location"] == landing
    assert client.get(landing).status_code == 200


def test_login_honours_a_safe_next_and_ignores_another_site(client, staff):
    assert _login(client, "staff_sz", next="/workspace/suggestions/stats/")["Location"] == (
        "/workspace/suggestions/stats/"
    )
    client.logout()
    assert _login(client, "staff_sz", next="https://evil.example/")["Location"] == "/workspace/suggestions/"


# --- the delegate directory filters by the area tree, like the station finder --------------------------------
def test_delegate_filter_drills_down_the_area_tree(client, tree, delegate, other_delegate):
    page = parse(client.get("/delegates/"))
    assert page.find("input[name=area]") is None or page.find("input[name=area]").attrs["type"] == "hidden"
    links = page.find(".area-drill").links()
    assert links[f"?area={tree.province.code}"] == "陕西省"

    page = parse(client.get("/delegates/", {"area": tree.city.code, "level": "county"}))
    drill = page.find(".area-drill")
    assert drill.links()[f"?area={tree.county.code}&level=county"] == "商州区"  # the filter is kept
    assert "商洛市" in drill.find(".breadcrumb").text
    hidden = page.find("input[name=area]").attrs
    assert (hidden["type"], hidden["value"]) == ("hidden", tree.city.code)

    names = [
        a.text
        for a in parse(client.get("/delegates/", {"area": tree.county.code})).find_all("a.delegate-link")
    ]
    assert names == [delegate.name]


def test_delegate_filter_queries_do_not_grow_with_the_tree(client, tree, django_assert_max_num_queries):
    # the area, its ancestors, its children, the count, the page and the memberships prefetch
    with django_assert_max_num_queries(6):
        assert client.get("/delegates/", {"area": tree.county.code}).status_code == 200


# --- the referral form: a searchable picker grouped by area, not a wall of checkboxes -----------------------
def test_referral_form_picks_units_grouped_by_area(client, tree, staff, unit, other_unit):
    from suggestions.services.intake import suggestion_submit
    from suggestions.services.triage import suggestion_accept

    township_unit = HandlingUnitFactory(name="城关街道办事处", area=tree.township)
    s = suggestion_submit(title="路灯", content="坏了", area=tree.township)
    suggestion_accept(suggestion_id=s.pk, actor=staff)
    client.force_login(staff)
    form = parse(client.get(f"/workspace/suggestions/{s.pk}/")).find("form.refer-form")
    assert form.find("input[type=checkbox]") is None
    for name in ("lead_unit", "assisting_units"):
        select = form.find(f"select[name={name}]")
        assert "data-picker" in select.attrs
        groups = {
            g.attrs["label"]: [o.text for o in g.find_all("option")] for g in select.find_all("optgroup")
        }
        assert groups == {"商州区": sorted([unit.name, other_unit.name]), "城关街道": [township_unit.name]}
    assert "multiple" in form.find("select[name=assisting_units]").attrs

    r = client.post(
        f"/workspace/suggestions/{s.pk}/refer/",
        {"lead_unit": unit.pk, "assisting_units": [township_unit.pk]},
    )
    assert r.status_code == 302
    assert sorted(s.referrals.values_list("unit__name", flat=True)) == sorted([unit.name, township_unit.name])


# --- date inputs carry ISO dates, whatever the language's date format ---------------------------------------
def test_open_collection_form_shows_its_default_dates(client, admin_user):
    client.force_login(admin_user)
    page = parse(client.get("/workspace/voting/windows/"))
    today = timezone.localdate()
    assert page.find("#id_opens_on").attrs["value"] == today.isoformat()
    assert page.find("#id_closes_on").attrs["value"] == (today + dt.timedelta(days=30)).isoformat()
