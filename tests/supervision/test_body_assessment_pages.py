"""Pages: a council member votes on a phone from her workspace link; admins enter and confirm a paper count on
the staff assessment page (post/redirect/get; the same admin cannot confirm; bad counts change nothing)."""

import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone

from bodies.models import Body
from bodies.services import body_create, member_add
from liaison.accounts.models import User
from supervision.models import AssessmentCount, AssessmentVote
from supervision.services.assessments import assessment_create, assessment_open
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36"}


@pytest.fixture
def council(tree):
    body = body_create(name="城关街道议政代表会", kind=Body.Kind.STREET_COUNCIL, area=tree.township)
    joined = timezone.localdate() - dt.timedelta(days=10)
    for i in range(3):
        member_add(body=body, name=f"居民{i}", sector="resident", account=True, joined_on=joined)
    return body


def _open(tree, unit, council, **kw):
    a = assessment_create(
        title="街道办事处工作民主评议", area=tree.county, unit=unit, subject="department", body=council, **kw
    )
    return assessment_open(assessment_id=a.pk)


def test_a_member_votes_on_a_phone_from_her_workspace(client, tree, unit, council):
    a = _open(tree, unit, council)
    user = council.members.order_by("id").first().user
    client.force_login(user)
    links = dict((url, t) for t, url in apps.get_app_config("supervision").workspace_links(user))
    url = f"/supervision/assessments/{a.pk}/vote/"
    assert url in links
    page = client.get(url, **PHONE)
    assert page.status_code == 200 and 'name="choice"' in page.content.decode()
    r = client.post(url, {"choice": "basically_satisfied"}, **PHONE)
    assert r.status_code == 302 and r["Location"] == url
    page = client.get(url, **PHONE).content.decode()
    assert "您已投票" in page and 'name="choice"' not in page
    assert AssessmentVote.objects.get().member.user == user


def test_a_paper_assessment_page_takes_no_online_vote(client, tree, unit, council):
    a = _open(tree, unit, council, counting="paper")
    client.force_login(council.members.order_by("id").first().user)
    page = client.get(f"/supervision/assessments/{a.pk}/vote/").content.decode()
    assert "不在网上投票" in page and 'name="choice"' not in page
    client.post(f"/supervision/assessments/{a.pk}/vote/", {"choice": "satisfied"})
    assert not AssessmentVote.objects.exists()


def test_admins_enter_and_confirm_the_count_on_the_page(client, tree, unit, council, admin_user, staff):
    a = _open(tree, unit, council, counting="paper")
    detail = f"/workspace/supervision/assessments/{a.pk}/"
    form_url = f"{detail}tally/"

    # staff find it from the workspace link and the list; only admins get the form
    client.force_login(staff)
    links = [url for _t, url in apps.get_app_config("supervision").workspace_links(staff)]
    assert "/workspace/supervision/assessments/" in links
    assert detail in client.get("/workspace/supervision/assessments/").content.decode()
    assert form_url not in client.get(detail).content.decode()
    assert client.get(form_url).status_code == 403

    client.force_login(admin_user)
    assert form_url in client.get(detail).content.decode()
    # votes over the papers returned: the form again with the error, nothing stored
    bad = {"method": "paper", "present": 3, "satisfied": 2, "basically_satisfied": 1, "unsatisfied": 1}
    r = client.post(form_url, bad)
    assert r.status_code == 400 and "不能多于" in r.content.decode()
    assert not AssessmentCount.objects.exists()
    good = bad | {"unsatisfied": 0}
    r = client.post(form_url, good)
    assert r.status_code == 302 and r["Location"] == detail
    page = client.get(detail).content.decode()
    assert "计票结果报告单" in page and "待核对确认" in page and admin_user.username in page

    # the same admin cannot confirm
    r = client.post(f"{form_url}confirm/", follow=True)
    assert "另一位管理员" in r.content.decode()
    assert AssessmentCount.objects.get().confirmed_at is None

    second = UserFactory(username="admin_b", role=User.Role.ADMIN, area=tree.city, is_staff=True)
    client.force_login(second)
    r = client.post(f"{form_url}confirm/")
    assert r.status_code == 302
    sheet = AssessmentCount.objects.get()
    assert sheet.confirmed_by == second and sheet.satisfied == 2
    page = client.get(detail).content.decode()
    assert "已核对确认" in page and "admin_b" in page and form_url not in page
