"""A street council (街道议政代表会) evaluates a department (民主评议): the roll is the council's members on the day
the assessment opens, delegates and members who are not delegates vote through the API, and a vote counted on
paper is entered by one admin and confirmed by another."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bodies.models import Body
from bodies.services import body_create, member_add, member_leave
from duties.models import DutyEntry
from liaison.accounts.models import User
from stations.models import Delegate
from supervision.models import Assessment, AssessmentCount, AssessmentVote, Rectification
from supervision.services.assessments import assessment_create, assessment_open
from tests.factories import DelegateFactory, UserFactory

pytestmark = pytest.mark.django_db

A_MONTH_AGO = timezone.localdate() - dt.timedelta(days=30)


@pytest.fixture
def council(tree):
    return body_create(name="城关街道议政代表会", kind=Body.Kind.STREET_COUNCIL, area=tree.township)


@pytest.fixture
def other_council(tree):
    return body_create(name="城关镇议政代表会", kind=Body.Kind.STREET_COUNCIL, area=tree.other_township)


@pytest.fixture
def second_admin(tree):
    return UserFactory(username="admin_b", role=User.Role.ADMIN, area=tree.city, is_staff=True)


@pytest.fixture
def people(council, delegate, delegate_user):
    """Two delegates (one with an account), three residents with accounts, and one resident who left the
    council yesterday but still sits on another council of the street (so her account stays active)."""
    d2 = DelegateFactory(level=Delegate.Level.COUNTY, area=council.area.parent)
    member_add(body=council, delegate=delegate, joined_on=A_MONTH_AGO)
    member_add(body=council, delegate=d2, joined_on=A_MONTH_AGO)
    residents = [
        member_add(body=council, name=f"居民{i}", sector="resident", account=True, joined_on=A_MONTH_AGO)[0]
        for i in range(3)
    ]
    left, _pw = member_add(
        body=council, name="王秀英", sector="enterprise", account=True, joined_on=A_MONTH_AGO
    )
    other = body_create(name="城关街道民生议事会", kind=Body.Kind.OTHER, area=council.area)
    from bodies.models import BodyMember

    BodyMember.objects.create(body=other, name=left.name, user=left.user, joined_on=A_MONTH_AGO)
    member_leave(member_id=left.pk, left_on=timezone.localdate() - dt.timedelta(days=1))
    left.user.refresh_from_db()
    assert left.user.is_active
    return {"delegates": [delegate, d2], "residents": residents, "left": left}


def _create(client, tree, unit, **extra):
    body = {
        "title": "街道办事处工作民主评议",
        "area": tree.county.code,
        "unit": unit.pk,
        "subject": "department",
    }
    return client.post("/api/v1/assessments/", body | extra, format="json")


def test_council_evaluates_a_department_and_an_unsatisfied_outcome_opens_a_rectification(
    client_for, tree, unit, staff, council, people, delegate_user
):
    s = client_for(staff)
    r = _create(s, tree, unit, body=council.pk)
    assert r.status_code == 201, r.content
    aid = r.json()["id"]
    assert r.json()["body"] == council.pk and r.json()["counting"] == "online"
    assert s.post(f"/api/v1/assessments/{aid}/open/").json()["status"] == "open"

    # the roll is taken at opening: delegates on `roll`, the others on `members`; the one who left is on neither
    a = Assessment.objects.get(pk=aid)
    assert set(a.roll.all()) == set(people["delegates"])
    assert set(a.members.all()) == set(people["residents"])
    detail = s.get(f"/api/v1/assessments/{aid}/").json()
    assert detail["roll_size"] == 5 and detail["voted"] == 0 and detail["tally_sheet"] is None

    # residents vote with their member accounts; the delegate with hers (and that enters her duty record)
    for member, choice in zip(people["residents"], ["unsatisfied", "unsatisfied", "satisfied"], strict=True):
        assert member.user.role == User.Role.MEMBER and member.user.delegate_id is None
        c = client_for(member.user)
        assert c.get(f"/api/v1/assessments/{aid}/").status_code == 200  # a member sees what she votes in
        r = c.post(f"/api/v1/assessments/{aid}/vote/", {"choice": choice}, format="json")
        assert r.status_code == 201, r.content
    r = client_for(delegate_user).post(
        f"/api/v1/assessments/{aid}/vote/", {"choice": "unsatisfied"}, format="json"
    )
    assert r.status_code == 201, r.content
    assert DutyEntry.objects.filter(delegate=delegate_user.delegate, kind="assessment_voted").count() == 1
    assert DutyEntry.objects.filter(kind="assessment_voted").count() == 1  # members are no delegates

    # one vote each: a member's second vote is a 409
    first = people["residents"][0]
    r = client_for(first.user).post(
        f"/api/v1/assessments/{aid}/vote/", {"choice": "satisfied"}, format="json"
    )
    assert r.status_code == 409 and r.json()["code"] == "already_voted"
    # the member who left the council before it opened is not on the roll: 403, nothing stored
    r = client_for(people["left"].user).post(
        f"/api/v1/assessments/{aid}/vote/", {"choice": "satisfied"}, format="json"
    )
    assert r.status_code == 403, r.content
    assert client_for(people["left"].user).get(f"/api/v1/assessments/{aid}/").status_code == 404
    assert AssessmentVote.objects.filter(assessment_id=aid).count() == 4
    assert AssessmentVote.objects.filter(assessment_id=aid, member__isnull=False).count() == 3

    closed = s.post(f"/api/v1/assessments/{aid}/close/").json()
    assert closed["unsatisfied"] == 3 and closed["votes"] == 4 and closed["outcome"] == "unsatisfied"
    rect = Rectification.objects.get(assessment_id=aid)
    assert rect.source == "assessment" and rect.unit == unit and rect.status == "open"
    assert closed["rectifications"][0]["id"] == rect.pk


def test_the_member_workspace_links_to_the_vote(client_for, tree, unit, staff, council, people):
    a = assessment_create(
        title="街道办事处工作民主评议", area=tree.county, unit=unit, subject="department", body=council
    )
    assessment_open(assessment_id=a.pk)
    from django.apps import apps

    user = people["residents"][0].user
    links = apps.get_app_config("supervision").workspace_links(user)
    assert any(url == f"/supervision/assessments/{a.pk}/vote/" for _t, url in links)
    assert not any(
        "/vote/" in url for _t, url in apps.get_app_config("supervision").workspace_links(people["left"].user)
    )


def test_a_body_of_another_area_is_refused_and_nothing_is_created(
    client_for, tree, unit, staff, admin_user, council, other_council, delegate
):
    before = Assessment.objects.count()
    # staff of 商州区 cannot see 洛南县's council: 404
    r = _create(client_for(staff), tree, unit, body=other_council.pk)
    assert r.status_code == 404, r.content
    # the city admin can see it, but its members may not assess 商州区's department: 400
    r = _create(client_for(admin_user), tree, unit, body=other_council.pk)
    assert r.status_code == 400 and "body" in r.json()["errors"]
    # a body and a roll at once, or neither: 400
    r = _create(client_for(staff), tree, unit, body=council.pk, roll=[delegate.pk])
    assert r.status_code == 400
    assert _create(client_for(staff), tree, unit).status_code == 400
    assert _create(client_for(staff), tree, unit, body=999999).status_code == 404
    assert Assessment.objects.count() == before
    # a body above the assessment's area is fine: the county's congress assesses a street office
    congress = body_create(name="商州区人大", kind=Body.Kind.CONGRESS, area=tree.county)
    r = client_for(staff).post(
        "/api/v1/assessments/",
        {
            "title": "t",
            "area": tree.township.code,
            "unit": unit.pk,
            "subject": "department",
            "body": congress.pk,
        },
        format="json",
    )
    assert r.status_code == 201, r.content


def _paper_assessment(client, tree, unit, council):
    r = _create(client, tree, unit, body=council.pk, counting="paper")
    assert r.status_code == 201, r.content
    aid = r.json()["id"]
    assert client.post(f"/api/v1/assessments/{aid}/open/").status_code == 200
    return aid


def test_a_paper_count_is_entered_by_one_admin_and_confirmed_by_another(
    client_for, tree, unit, admin_user, second_admin, council, people, delegate_user
):
    a_, b_ = client_for(admin_user), client_for(second_admin)
    aid = _paper_assessment(a_, tree, unit, council)
    url = f"/api/v1/assessments/{aid}/paper-tally/"

    # no online votes for a paper count
    r = client_for(people["residents"][0].user).post(
        f"/api/v1/assessments/{aid}/vote/", {"choice": "satisfied"}, format="json"
    )
    assert r.status_code == 409 and r.json()["code"] == "counted_offline"
    r = client_for(delegate_user).post(
        f"/api/v1/assessments/{aid}/vote/", {"choice": "satisfied"}, format="json"
    )
    assert r.status_code == 409
    # closing needs a confirmed count
    assert a_.post(f"/api/v1/assessments/{aid}/close/").status_code == 409

    # counts that do not add up: 400, nothing stored
    bad = [
        {"present": 5, "satisfied": 3, "basically_satisfied": 2, "unsatisfied": 1},  # 6 > 5 returned
        {
            "present": 5,
            "papers_returned": 5,
            "invalid": 1,
            "satisfied": 3,
            "basically_satisfied": 1,
            "unsatisfied": 1,
        },  # 5 > 4 valid
        {
            "present": 6,
            "satisfied": 1,
            "basically_satisfied": 1,
            "unsatisfied": 1,
        },  # 6 present > 5 on the roll
        {
            "present": 4,
            "papers_issued": 4,
            "papers_returned": 5,
            "satisfied": 1,
            "basically_satisfied": 1,
            "unsatisfied": 1,
        },  # returned > issued
        {"present": -1, "satisfied": 1, "basically_satisfied": 1, "unsatisfied": 1},
        {"present": "five", "satisfied": 1, "basically_satisfied": 1, "unsatisfied": 1},
        {"present": 5},
    ]
    for body in bad:
        r = a_.post(url, body, format="json")
        assert r.status_code == 400, (body, r.content)
    assert not AssessmentCount.objects.exists()
    assert a_.get(url).status_code == 404

    # a staff user of the county may read but not enter; a delegate may do neither
    r = a_.post(
        url, {"present": 5, "satisfied": 4, "basically_satisfied": 0, "unsatisfied": 0}, format="json"
    )
    assert r.status_code == 201, r.content
    # entered again before confirmation: the sheet is replaced
    r = a_.post(
        url,
        {
            "method": "paper",
            "present": 5,
            "papers_returned": 5,
            "invalid": 1,
            "satisfied": 1,
            "basically_satisfied": 0,
            "unsatisfied": 3,
            "note": "一张空白票",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    sheet = r.json()
    assert sheet["papers_issued"] == 5 and sheet["valid"] == 4 and sheet["invalid"] == 1
    assert sheet["unsatisfied"] == 3 and sheet["confirmed"] is False and sheet["entered_by"]
    assert AssessmentCount.objects.count() == 1

    # the admin who entered it cannot confirm it: 403, nothing changed
    r = a_.post(f"{url}confirm/")
    assert r.status_code == 403 and r.json()["code"] == "second_user_required"
    row = AssessmentCount.objects.get()
    assert row.confirmed_by is None and row.confirmed_at is None
    assert a_.post(f"/api/v1/assessments/{aid}/close/").status_code == 409

    r = b_.post(f"{url}confirm/")
    assert r.status_code == 200, r.content
    assert r.json()["confirmed"] is True and r.json()["confirmed_by"] == second_admin.username
    # confirmed: it can no longer be changed
    r = b_.post(
        url, {"present": 5, "satisfied": 5, "basically_satisfied": 0, "unsatisfied": 0}, format="json"
    )
    assert r.status_code == 409
    assert AssessmentCount.objects.get().unsatisfied == 3

    # the GET of the assessment shows the tally sheet: how it was counted and by whom
    detail = a_.get(f"/api/v1/assessments/{aid}/").json()
    assert detail["counting"] == "paper" and detail["tally_sheet"]["method"] == "paper"
    assert detail["tally_sheet"]["entered_by"] == admin_user.username
    assert detail["tally_sheet"]["confirmed_by"] == second_admin.username

    # close: counts, rate and outcome from the sheet, with the online rules; unsatisfied → rectification
    closed = a_.post(f"/api/v1/assessments/{aid}/close/").json()
    assert (closed["satisfied"], closed["basically_satisfied"], closed["unsatisfied"]) == (1, 0, 3)
    assert closed["outcome"] == "unsatisfied" and closed["rate"] == 0.25 and closed["counting"] == "paper"
    assert Rectification.objects.filter(assessment_id=aid).count() == 1
    assert not AssessmentVote.objects.filter(assessment_id=aid).exists()

    # audited: a history row for each entry and for the confirmation, naming the admin
    history = list(AssessmentCount.history.order_by("history_id"))
    assert [h.history_user_id for h in history] == [admin_user.pk, admin_user.pk, second_admin.pk]


def test_only_admins_of_the_area_enter_a_count(
    client_for, tree, unit, admin_user, staff, other_staff, council, people
):
    aid = _paper_assessment(client_for(admin_user), tree, unit, council)
    counts = {"present": 5, "satisfied": 4, "basically_satisfied": 0, "unsatisfied": 0}
    url = f"/api/v1/assessments/{aid}/paper-tally/"
    assert client_for(staff).post(url, counts, format="json").status_code == 403
    assert client_for(people["residents"][0].user).post(url, counts, format="json").status_code == 403
    other_admin = UserFactory(
        username="admin_ln", role=User.Role.ADMIN, area=tree.other_county, is_staff=True
    )
    assert client_for(other_admin).post(url, counts, format="json").status_code == 404
    assert not AssessmentCount.objects.exists()
    # an online assessment takes no tally sheet
    r = _create(client_for(admin_user), tree, unit, body=council.pk)
    online = r.json()["id"]
    client_for(admin_user).post(f"/api/v1/assessments/{online}/open/")
    r = client_for(admin_user).post(f"/api/v1/assessments/{online}/paper-tally/", counts, format="json")
    assert r.status_code == 409 and r.json()["code"] == "counted_online"


def _council_of(tree, n: int) -> Body:
    body = body_create(name=f"议政代表会{n}", kind=Body.Kind.STREET_COUNCIL, area=tree.township)
    for i in range(n):
        if i % 10 == 0:
            member_add(body=body, delegate=DelegateFactory(level=Delegate.Level.TOWNSHIP, area=tree.township))
        else:
            member_add(body=body, name=f"成员{i}", sector="resident")
    return body


def _queries_to_open(tree, unit, body) -> int:
    a = assessment_create(title="测评", area=tree.county, unit=unit, subject="department", body=body)
    with CaptureQueriesContext(connection) as ctx:
        assessment_open(assessment_id=a.pk)
    a.refresh_from_db()
    assert a.status == "open"
    assert a.roll.count() + a.members.count() == body.members.count()
    return len(ctx.captured_queries)


def test_opening_for_a_body_runs_a_fixed_number_of_queries(tree, unit):
    # savepoint, lock, the members on the day (one read), one bulk insert into each through table, two
    # existence checks, the save, and the voters' accounts for the notice (none here: members without accounts
    # and delegates without logins, so notify() writes nothing — it writes one outbox row per account holder).
    small = _queries_to_open(tree, unit, _council_of(tree, 20))
    large = _queries_to_open(tree, unit, _council_of(tree, 200))
    assert small == large
    assert large <= 12
