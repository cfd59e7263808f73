"""A street council evaluates the delivery of a project (人大评 by a body): members vote through the evaluation
API and on the phone page; a paper count goes through `evaluations/ID/paper-tally/` and `…/confirm/`."""

import datetime as dt

import pytest
from django.utils import timezone

from bodies.models import Body
from bodies.services import body_create, member_add, member_leave
from liaison.accounts.models import User
from supervision.models import AssessmentCount, AssessmentVote, Rectification
from tests.factories import UserFactory
from voting.models import Evaluation
from voting.services.ballots import ballot_cast, ballot_close, ballot_publish
from voting.services.projects import project_create

pytestmark = pytest.mark.django_db

A_MONTH_AGO = timezone.localdate() - dt.timedelta(days=30)
PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"}


@pytest.fixture
def project(make_ballot, unit):
    ballot, cands, roll = make_ballot()
    for d in roll[:8]:
        ballot_cast(
            ballot_id=ballot.pk,
            delegate=d,
            choices={c.pk: "for" for c in cands[:1]} | {c.pk: "against" for c in cands[1:]},
        )
    ballot_close(ballot_id=ballot.pk)
    ballot_publish(ballot_id=ballot.pk)
    return project_create(candidate_id=cands[0].pk, unit=unit, budget=10, target_date=dt.date(2027, 1, 1))


@pytest.fixture
def council(tree, delegate):
    body = body_create(name="城关街道议政代表会", kind=Body.Kind.STREET_COUNCIL, area=tree.township)
    member_add(body=body, delegate=delegate, joined_on=A_MONTH_AGO)
    for i in range(3):
        member_add(body=body, name=f"居民{i}", sector="resident", account=True, joined_on=A_MONTH_AGO)
    return body


def _residents(body):
    return list(body.members.filter(delegate__isnull=True).select_related("user").order_by("id"))


def test_a_council_evaluates_a_project_and_members_vote(
    client_for, admin_user, project, council, tree, client
):
    a = client_for(admin_user)
    r = a.post("/api/v1/evaluations/", {"project": project.pk, "body": council.pk}, format="json")
    assert r.status_code == 201, r.content
    ev = r.json()["id"]
    assert r.json()["body"] == council.pk and r.json()["counting"] == "online"
    # a member leaves before it opens: she is not on its roll
    gone = _residents(council)[2]
    member_leave(member_id=gone.pk, left_on=timezone.localdate() - dt.timedelta(days=1))
    opened = a.post(f"/api/v1/evaluations/{ev}/open/").json()
    assert opened["status"] == "open" and opened["roll_size"] == 3

    first, second = _residents(council)[:2]
    # the member's workspace links to the vote, and the phone page takes the vote (post/redirect/get)
    from django.apps import apps

    links = apps.get_app_config("voting").workspace_links(first.user)
    assert (
        f"项目满意度测评：{Evaluation.objects.get().assessment.title}",
        f"/vote/evaluations/{ev}/",
    ) in links
    client.force_login(first.user)
    page = client.get(f"/vote/evaluations/{ev}/", **PHONE)
    assert page.status_code == 200 and 'name="choice"' in page.content.decode()
    r = client.post(f"/vote/evaluations/{ev}/", {"choice": "unsatisfied"}, **PHONE)
    assert r.status_code == 302
    page = client.get(f"/vote/evaluations/{ev}/", **PHONE).content.decode()
    assert "您已投票" in page and 'name="choice"' not in page
    links = apps.get_app_config("voting").workspace_links(first.user)
    assert not [url for _label, url in links if "/vote/evaluations/" in url]  # nothing left to evaluate

    r = client_for(second.user).post(
        f"/api/v1/evaluations/{ev}/votes/", {"choice": "unsatisfied"}, format="json"
    )
    assert r.status_code == 201, r.content
    r = client_for(second.user).post(
        f"/api/v1/evaluations/{ev}/votes/", {"choice": "satisfied"}, format="json"
    )
    assert r.status_code == 409
    # the one who left: her account is closed with her last membership; nothing stored either way
    gone.user.refresh_from_db()
    gone.user.is_active = True  # even with an active account she is not on the roll
    gone.user.save(update_fields=["is_active"])
    r = client_for(gone.user).post(f"/api/v1/evaluations/{ev}/votes/", {"choice": "satisfied"}, format="json")
    assert r.status_code in (403, 404)
    assert AssessmentVote.objects.count() == 2

    closed = a.post(f"/api/v1/evaluations/{ev}/close/").json()
    assert closed["outcome"] == "unsatisfied" and closed["unsatisfied"] == 2 and closed["voted"] == 2
    rect = Rectification.objects.get(pk=closed["rectification"]["id"])
    assert rect.source == "evaluation"


def test_an_evaluation_by_another_areas_body_is_refused(client_for, admin_user, project, tree):
    other = body_create(name="城关镇议政代表会", kind=Body.Kind.STREET_COUNCIL, area=tree.other_township)
    r = client_for(admin_user).post(
        "/api/v1/evaluations/", {"project": project.pk, "body": other.pk}, format="json"
    )
    assert r.status_code == 400, r.content
    assert not Evaluation.objects.exists()


def test_a_paper_evaluation_is_entered_and_confirmed_by_two_admins(
    client_for, admin_user, project, council, tree
):
    b_admin = UserFactory(username="admin_b", role=User.Role.ADMIN, area=tree.city, is_staff=True)
    a, b = client_for(admin_user), client_for(b_admin)
    r = a.post(
        "/api/v1/evaluations/",
        {"project": project.pk, "body": council.pk, "counting": "device"},
        format="json",
    )
    ev = r.json()["id"]
    a.post(f"/api/v1/evaluations/{ev}/open/")
    member = _residents(council)[0]
    r = client_for(member.user).post(
        f"/api/v1/evaluations/{ev}/votes/", {"choice": "satisfied"}, format="json"
    )
    assert r.status_code == 409

    url = f"/api/v1/evaluations/{ev}/paper-tally/"
    r = a.post(url, {"present": 4, "satisfied": 3, "basically_satisfied": 1, "unsatisfied": 1}, format="json")
    assert r.status_code == 400 and not AssessmentCount.objects.exists()
    r = a.post(url, {"present": 4, "satisfied": 3, "basically_satisfied": 1, "unsatisfied": 0}, format="json")
    assert r.status_code == 201 and r.json()["method"] == "device"
    assert a.post(f"{url}confirm/").status_code == 403
    assert a.post(f"/api/v1/evaluations/{ev}/close/").status_code == 409
    assert b.post(f"{url}confirm/").status_code == 200
    closed = a.post(f"/api/v1/evaluations/{ev}/close/").json()
    assert closed["outcome"] == "satisfied" and closed["rate"] == 1.0 and closed["voted"] == 4
    assert closed["counting"] == "device" and closed["tally_sheet"]["confirmed_by"] == "admin_b"
    assert not Rectification.objects.exists()
