"""Public council pages: the list, and a council with its members by sector (never a contact), its meetings
with minutes and the opinions' tracking codes and status, the projects it voted (also in the 幸福账单) and its
evaluation results — a fixed number of queries however much there is."""

import datetime as dt

import pytest
from django.utils import timezone

from councils.services import meeting_record
from stations.models import HandlingUnit
from supervision.models import Assessment
from tests.html import parse
from voting.models import Ballot, Candidate, LivelihoodProject, ProjectProposal

from .conftest import PHONE

pytestmark = pytest.mark.django_db


def _meeting(council, members, staff, n=2):
    return meeting_record(
        body=council,
        held_on=timezone.localdate() - dt.timedelta(days=1),
        title="第一次全体会议",
        agenda="通报街道年度工作\n协商背街小巷改造",
        attendance=[members.delegate.pk, members.resident.pk],
        minutes="会议听取了街道办事处年度工作通报。",
        opinions=[
            {"content": f"意见{i}：东关社区路灯需要维修。", "member": members.resident.pk} for i in range(n)
        ],
        actor=staff,
    )


def _voted_project(council, unit, title="背街小巷路灯改造"):
    n = ProjectProposal.objects.count()
    proposal = ProjectProposal.objects.create(
        code=f"CP{n:06d}", title=title, description="路灯损坏。", area=council.area, status="shortlisted"
    )
    ballot = Ballot.objects.create(
        title=f"{council.area.name}民生实事项目票选{n}",
        area=council.area,
        body=council,
        seats=1,
        status=Ballot.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    cand = Candidate.objects.create(ballot=ballot, proposal=proposal)
    return LivelihoodProject.objects.create(
        candidate=cand,
        title=title,
        area=council.area,
        unit=unit,
        year=timezone.localdate().year,
        budget=60,
        target_date=timezone.localdate() + dt.timedelta(days=90),
        status="in_progress",
        percent=40,
    )


def _assessment(council, unit, title="街道办事处年度工作民主评议"):
    return Assessment.objects.create(
        title=title,
        area=council.area,
        unit=unit,
        subject=Assessment.Subject.DEPARTMENT,
        body=council,
        status=Assessment.Status.CLOSED,
        satisfied_count=8,
        basically_satisfied_count=1,
        unsatisfied_count=1,
        rate=0.9,
        outcome=Assessment.Outcome.SATISFIED,
        closed_at=timezone.now(),
    )


@pytest.fixture
def street_office(tree):
    return HandlingUnit.objects.create(name="城关街道办事处", area=tree.township)


def test_the_list_shows_councils_with_area_and_member_count(client, council, members, tree):
    r = client.get("/councils/")
    assert r.status_code == 200
    html = r.content.decode()
    assert council.name in html and "城关街道" in html and "商州区" in html
    assert "4 名成员" in html


def test_a_council_page_shows_everything_public_and_no_contact(
    client, council, members, staff, delegate, street_office
):
    meeting = _meeting(council, members, staff)
    project = _voted_project(council, street_office)
    _assessment(council, street_office)
    r = client.get(f"/councils/{council.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    for name in ("王秀兰", "张建华", "刘德明", delegate.name):
        assert name in html
    assert "居民" in html and "企业" in html
    # no contact: neither a member's phone nor the delegate's mobile, not even masked
    for digits in (PHONE, PHONE[-4:], delegate.mobile, delegate.mobile[-4:]):
        assert digits not in html
    assert "****" not in html
    assert "会议听取了街道办事处年度工作通报。" in html and "协商背街小巷改造" in html
    for o in meeting.opinions.select_related("suggestion"):
        assert o.suggestion.tracking_code in html
    assert "已受理" in html
    assert project.title in html and "40%" in html
    assert "街道办事处年度工作民主评议" in html and "90%" in html


def test_street_projects_are_in_the_happiness_bill(client, council, street_office):
    project = _voted_project(council, street_office, title="城关街道老年助餐点")
    r = client.get("/projects/", {"year": project.year})
    assert r.status_code == 200 and project.title in r.content.decode()


def test_council_pages_run_a_fixed_number_of_queries(
    client, council, members, staff, street_office, django_assert_max_num_queries
):
    _meeting(council, members, staff, n=1)
    _voted_project(council, street_office)
    _assessment(council, street_office)
    # body, members, meetings, opinions (with their suggestions), ballots, projects, assessments
    with django_assert_max_num_queries(7) as first:
        client.get(f"/councils/{council.pk}/")
    for _i in range(3):
        _meeting(council, members, staff, n=3)
        _voted_project(council, street_office, title=f"项目{_i}")
        _assessment(council, street_office, title=f"评议{_i}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        r = client.get(f"/councils/{council.pk}/")
    assert r.status_code == 200
    # the councils with their member counts, and the pager's count
    with django_assert_max_num_queries(2):
        assert client.get("/councils/").status_code == 200


def test_unknown_or_non_council_bodies_are_404(client, tree):
    from bodies.services import body_create

    congress = body_create(name="商州区人大", kind="congress", area=tree.county)
    assert client.get(f"/councils/{congress.pk}/").status_code == 404
    assert client.get("/councils/99999/").status_code == 404


def test_station_pages_of_the_street_link_to_its_council(client, council, station, other_station, tree):
    from tests.factories import StationFactory

    village_station = StationFactory(name="东关社区联络站", area=tree.village)
    for st in (station, village_station):
        section = parse(client.get(f"/stations/{st.pk}/")).find("[data-testid=station-council]")
        assert section is not None
        assert section.links()[f"/councils/{council.pk}/"] == council.name
        assert "/councils/" in section.links()
    assert parse(client.get(f"/stations/{other_station.pk}/")).find("[data-testid=station-council]") is None
