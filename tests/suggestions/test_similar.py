"""Similar opinions are looked for in the area's county subtree, not in exactly the same area."""

import pytest

from liaison.accounts.models import User

from ..factories import AreaFactory, UserFactory

pytestmark = pytest.mark.django_db

ROAD = "北新街东段路灯不亮，晚上行人看不清路面。"


def _similar(client, s) -> list[int]:
    r = client.get(f"/api/v1/suggestions/{s.pk}/similar/")
    assert r.status_code == 200, r.content
    return [row["id"] for row in r.json()]


def test_village_and_township_opinions_about_one_road_meet(client_for, make_suggestion, staff, tree):
    in_township = make_suggestion(title="北新街路灯不亮", content=ROAD)  # addressed to the township's station
    in_village = make_suggestion(title="北新街东段没有路灯", content=ROAD, station=None, area=tree.village)
    c = client_for(staff)
    assert _similar(c, in_village) == [in_township.pk]
    assert _similar(c, in_township) == [in_village.pk]


def test_other_counties_are_left_out(client_for, make_suggestion, city_staff, tree, other_station):
    mine = make_suggestion(title="北新街路灯不亮", content=ROAD)
    make_suggestion(title="北新街路灯不亮", content=ROAD, station=other_station)
    assert _similar(client_for(city_staff), mine) == []


def test_ranked_by_similarity_wherever_in_the_county(client_for, make_suggestion, staff, tree):
    s = make_suggestion(title="北新街路灯不亮", content=ROAD, station=None, area=tree.village)
    same_village_other_topic = make_suggestion(
        title="东关社区垃圾没人清运",
        content="东关社区垃圾桶满了好几天没人清运。",
        station=None,
        area=tree.village,
    )
    township_same_road = make_suggestion(title="北新街路灯坏了", content="北新街东段的路灯晚上不亮。")
    county_same_road = make_suggestion(title="北新街路灯", content=ROAD, station=None, area=tree.county)
    ids = _similar(client_for(staff), s)
    assert ids[:2] == [county_same_road.pk, township_same_road.pk]
    assert same_village_other_topic.pk not in ids[:2]


def test_only_what_the_staff_may_see(client, make_suggestion, tree):
    township_staff = UserFactory(username="staff_cg", role=User.Role.STAFF, area=tree.township, is_staff=True)
    other_township = AreaFactory(code="611002002000", name="大赵峪街道", tier="township", parent=tree.county)
    mine = make_suggestion(title="北新街路灯不亮", content=ROAD)
    make_suggestion(title="北新街路灯不亮", content=ROAD, station=None, area=other_township)
    client.force_login(township_staff)
    page = client.get(f"/workspace/suggestions/{mine.pk}/")
    assert page.status_code == 200
    assert page.context["similar"] == []


def test_similar_runs_a_fixed_number_of_queries(
    client_for, make_suggestion, staff, tree, django_assert_max_num_queries
):
    s = make_suggestion(title="北新街路灯不亮", content=ROAD)
    c = client_for(staff)
    for i in range(3):
        make_suggestion(title=f"北新街路灯{i}", content=ROAD, station=None, area=tree.village)
    # the suggestion, the candidates sharing a keyword, the county's most recent open ones
    with django_assert_max_num_queries(3):
        assert len(_similar(c, s)) == 3
    for i in range(12):
        make_suggestion(title=f"北新街路灯坏了{i}", content=ROAD, station=None, area=tree.county)
    with django_assert_max_num_queries(3):
        assert len(_similar(c, s)) == 5
