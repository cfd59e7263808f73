"""One question, three users: a superuser without an area, a city user and a county user ask every app's list.

For each staff list (API and pages) there is one object in 商州区 (inside all three scopes) and one in the
neighbouring 洛南县 (inside the superuser's and the city's, outside the county's). The superuser and the city
user must get the same answer, which contains both; the county user exactly the 商州区 one. Endpoints for
admins are asked by a city and a county admin, the others by a city and a county staff (the superuser is both,
see liaison.permissions).
"""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import User
from suggestions.models import ExtensionRequest, Referral, Suggestion
from supervision.models import Activity, Assessment, CollectionWindow, Question, Rectification, Topic
from voting.models import Ballot, Candidate, Evaluation, LivelihoodProject, ProjectProposal, ProposalWindow

from ..factories import AppointmentFactory, HandlingUnitFactory, UserFactory

TODAY = timezone.localdate()
IN, OUT = "商州区", "洛南县"  # every object's title starts with its county's name
# How a row names its county: the name, an area code of its subtree, its delegate (appointments).
MARKERS = {IN: (IN, '"611002', "李桂兰"), OUT: (OUT, '"611021', "赵建国")}


@pytest.fixture
def world(tree, station, other_station, delegate, other_delegate):
    """One object of every listed kind in each county."""
    now = timezone.now()
    for name, area, st, dl in (
        (IN, tree.county, station, delegate),
        (OUT, tree.other_county, other_station, other_delegate),
    ):
        unit = HandlingUnitFactory(name=f"{name}住建局", area=area)
        UserFactory(username=f"unit-{area.code}", role=User.Role.UNIT, area=area, unit=unit)
        AppointmentFactory(station=st, delegate=dl, name=f"{name}预约人")
        s = Suggestion.objects.create(
            tracking_code=f"T{area.code[3:9]}",
            title=f"{name}意见",
            content="内容",
            area=area,
            triage_due=TODAY,
            station=st,
        )
        ref = Referral.objects.create(
            suggestion=s,
            area=area,
            unit=unit,
            role=Referral.Role.LEAD,
            due=TODAY,
            original_due=TODAY,
            created_at=now,
        )
        ExtensionRequest.objects.create(
            referral=ref, requested_due=TODAY, reason=f"{name}延期", created_at=now
        )
        ProposalWindow.objects.create(
            area=area, year=2026, opens_on=TODAY, closes_on=TODAY + dt.timedelta(days=30)
        )
        proposal = ProjectProposal.objects.create(
            code=f"P{area.code[3:9]}", title=f"{name}项目建议", description="d", area=area
        )
        ballot = Ballot.objects.create(title=f"{name}表决", area=area, seats=1)
        candidate = Candidate.objects.create(ballot=ballot, proposal=proposal)
        project = LivelihoodProject.objects.create(
            candidate=candidate,
            title=f"{name}民生项目",
            area=area,
            unit=unit,
            year=2026,
            budget=Decimal("10"),
            target_date=TODAY,
        )
        evaluation_assessment = Assessment.objects.create(
            title=f"{name}项目测评", area=area, unit=unit, subject=Assessment.Subject.choices[-1][0]
        )
        Evaluation.objects.create(project=project, assessment=evaluation_assessment)
        CollectionWindow.objects.create(
            area=area, year=2026, opens=TODAY, closes=TODAY + dt.timedelta(days=30), title=f"{name}议题征集"
        )
        Topic.objects.create(title=f"{name}议题", area=area, year=2026, proposer_kind=Topic.Proposer.STAFF)
        Rectification.objects.create(
            unit=unit, area=area, source=Rectification.Source.OPINION, title=f"{name}整改", due=TODAY
        )
        activity = Activity.objects.create(kind=Activity.Kind.INSPECTION, title=f"{name}视察", area=area)
        Question.objects.create(activity=activity, unit=unit, text=f"{name}询问")
        Assessment.objects.create(
            title=f"{name}测评", area=area, unit=unit, subject=Assessment.Subject.choices[0][0]
        )


@pytest.fixture
def personas(tree):
    return {
        "root": UserFactory(username="root", is_superuser=True, is_staff=True),
        "staff": (
            UserFactory(username="t-city-staff", role=User.Role.STAFF, area=tree.city, is_staff=True),
            UserFactory(username="t-county-staff", role=User.Role.STAFF, area=tree.county, is_staff=True),
        ),
        "admin": (
            UserFactory(username="t-city-admin", role=User.Role.ADMIN, area=tree.city, is_staff=True),
            UserFactory(username="t-county-admin", role=User.Role.ADMIN, area=tree.county, is_staff=True),
        ),
    }


def _ids_by_county(rows) -> dict[str, set]:
    """The ids of the rows that name each county (its name, or an area code of its subtree)."""
    out: dict[str, set] = {IN: set(), OUT: set()}
    for row in rows:
        text = json.dumps(row, ensure_ascii=False)
        for name, markers in MARKERS.items():
            if any(m in text for m in markers):
                out[name].add(row.get("id", text))
    return out


# (url name, role asking besides the superuser; "public" lists are the same for everyone)
API_LISTS = [
    ("api-handling-units", "staff"),
    ("api-appointments", "staff"),
    ("api-suggestions", "staff"),
    ("api-referrals", "staff"),
    ("api-extensions", "staff"),
    ("api-proposal-windows", "admin"),
    ("api-proposals", "public"),
    ("api-ballots", "admin"),
    ("api-projects", "public"),
    ("api-evaluations", "staff"),
    ("api-topic-windows", "public"),
    ("api-topics", "public"),
    ("api-rectifications", "staff"),
    ("api-activities", "public"),
    ("api-questions", "staff"),
    ("api-assessments", "staff"),
]


def _rows(response):
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


@pytest.mark.parametrize(("name", "role"), API_LISTS, ids=[n for n, _ in API_LISTS])
def test_every_api_list_gives_the_superuser_and_the_city_the_same_answer(
    world, personas, client_for, name, role
):
    city, county = personas["staff" if role == "public" else role]
    answers = {}
    for who, user in (("root", personas["root"]), ("city", city), ("county", county)):
        r = client_for(user).get(reverse(name), {"page_size": 100})
        assert r.status_code == 200, (who, r.status_code, r.content[:300])
        answers[who] = _ids_by_county(_rows(r))
    root, city_answer, county_answer = answers["root"], answers["city"], answers["county"]
    assert root == city_answer, (root, city_answer)
    assert root[IN] and root[OUT], f"{name}: the fixture made nothing this list shows: {root}"
    if role == "public":
        assert county_answer == root, county_answer
    else:
        assert county_answer == {IN: root[IN], OUT: set()}, county_answer


# (url name, role, how the page names an object of the county)
STAFF_PAGES = [
    ("suggestions-queue", "staff", "{}意见"),
    ("voting:manage-proposals", "staff", "{}项目建议"),
    ("voting:manage-projects", "staff", "{}民生项目"),
    ("voting:manage-windows", "admin", "<td>{}</td>"),
    ("voting:manage-ballots", "admin", "{}表决"),
    ("supervision:staff-workspace", "staff", "{}视察"),
]


@pytest.mark.parametrize(("name", "role", "noun"), STAFF_PAGES, ids=[n for n, _, _ in STAFF_PAGES])
def test_every_staff_list_page_gives_the_superuser_and_the_city_the_same_answer(
    world, personas, client, name, role, noun
):
    city, county = personas[role]
    seen = {}
    for who, user in (("root", personas["root"]), ("city", city), ("county", county)):
        client.force_login(user)
        r = client.get(reverse(name))
        assert r.status_code == 200, (who, r.status_code)
        html = r.content.decode()
        seen[who] = {county_name for county_name in (IN, OUT) if noun.format(county_name) in html}
    assert seen["root"] == seen["city"] == {IN, OUT}, seen
    assert seen["county"] == {IN}, seen


def test_the_superuser_without_an_area_reads_the_statistics_of_the_network(world, personas, client_for):
    root = client_for(personas["root"])
    r = root.get(reverse("api-suggestion-stats"))
    assert r.status_code == 200 and r.json()["area"]["name"] == "陕西省"
    county = root.get(reverse("api-suggestion-stats"), {"area": "611002000000"})
    assert county.status_code == 200 and county.json()["area"]["name"] == "商州区"


def test_a_user_without_a_role_is_refused_everywhere(world, client_for):
    nobody = client_for(UserFactory(username="nobody"))
    for name, role in API_LISTS:
        if role == "public":
            continue
        r = nobody.get(reverse(name))
        assert r.status_code in (403, 200), (name, r.status_code)
        if r.status_code == 200:
            assert _rows(r) == [], name


def test_area_tests_fail_closed_on_a_missing_path(tree, personas):
    from liaison.scoping import path_contains, user_sees_area
    from stations.models import Area

    city_staff, county_staff = personas["staff"]
    assert tree.city.contains(tree.county) and tree.county.contains(tree.village.path)
    assert not tree.county.contains(tree.other_county) and not tree.county.contains(tree.city)
    assert (
        not tree.county.contains(None)
        and not tree.county.contains("")
        and not Area(path="").contains(tree.county)
    )
    assert (
        path_contains("", tree.county) and not path_contains("", "") and not path_contains(None, tree.county)
    )
    assert user_sees_area(personas["root"], tree.other_county) and user_sees_area(
        city_staff, tree.other_county
    )
    assert user_sees_area(county_staff, tree.village) and not user_sees_area(county_staff, tree.other_county)
    assert not user_sees_area(county_staff, Area(code="611002999000"))  # unsaved: no path
    nobody = UserFactory(username="no-role", area=tree.city)
    assert not user_sees_area(nobody, tree.county)
