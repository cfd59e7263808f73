"""A project's progress is computed from its sites ticked off (销号) and milestones reached, never typed by hand;
it is 已完成 only when every site and milestone is done, and nothing can be done on a date still to come."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from voting.models import LivelihoodProject, Milestone, Site
from voting.services.projects import milestone_add, site_add

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def parts(project):
    """Two sites and one milestone: three things to finish."""
    s1 = site_add(project_id=project.pk, name="东关社区1号楼")
    s2 = site_add(project_id=project.pk, name="东关社区2号楼")
    m = milestone_add(project_id=project.pk, title="完成招标", due=dt.date(2027, 3, 1))
    return s1, s2, m


def _state(project):
    project.refresh_from_db()
    return project.percent, project.status


def _report(client_for, unit_user, project, percent, text="进展顺利"):
    return client_for(unit_user).post(
        f"/api/v1/projects/{project.pk}/progress/", {"percent": percent, "text": text}, format="multipart"
    )


def test_a_typed_100_percent_does_not_complete_a_project_with_open_sites(
    client_for, project, parts, unit_user, api
):
    r = _report(client_for, unit_user, project, 100, "全部完工")
    assert r.status_code == 201, r.content
    assert r.json()["percent"] == 0  # the report records the computed progress, not the typed one
    assert _state(project) == (0, "in_progress")
    public = api.get(f"/api/v1/projects/{project.pk}/").json()
    assert public["percent"] == 0 and public["status"] == "in_progress"


def test_progress_is_the_share_of_sites_and_milestones_done_and_never_goes_back(
    client_for, project, parts, unit_user, staff
):
    s1, s2, m = parts
    unit_api = client_for(unit_user)
    assert unit_api.post(f"/api/v1/sites/{s1.pk}/done/", {}, format="json").status_code == 200
    assert _state(project) == (33, "in_progress")
    _report(client_for, unit_user, project, 10)  # a lower typed figure changes nothing
    assert _state(project) == (33, "in_progress")
    assert unit_api.post(f"/api/v1/sites/{s2.pk}/done/", {}, format="json").status_code == 200
    assert _state(project) == (66, "in_progress")  # every site ticked off, the milestone still open
    assert unit_api.post(f"/api/v1/milestones/{m.pk}/done/", {}, format="json").status_code == 200
    assert _state(project) == (100, "completed")


def test_a_project_with_nothing_to_tick_off_is_never_completed_by_a_report(client_for, project, unit_user):
    _report(client_for, unit_user, project, 100)
    assert _state(project) == (0, "in_progress")


@pytest.mark.parametrize("done_on", ["2999-01-01", TOMORROW.isoformat()])
def test_done_dates_in_the_future_are_refused(client_for, project, parts, unit_user, done_on):
    s1, _s2, m = parts
    c = client_for(unit_user)
    r = c.post(f"/api/v1/milestones/{m.pk}/done/", {"done_on": done_on}, format="json")
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "invalid"
    r = c.post(f"/api/v1/sites/{s1.pk}/done/", {"done_on": done_on}, format="json")
    assert r.status_code == 400, r.content
    assert Milestone.objects.get(pk=m.pk).done_at is None and Site.objects.get(pk=s1.pk).done_on is None
    assert _state(project) == (0, "planned")


def test_done_today_or_earlier_is_accepted(client_for, project, parts, unit_user):
    s1, _s2, m = parts
    c = client_for(unit_user)
    r = c.post(f"/api/v1/milestones/{m.pk}/done/", {"done_on": "2026-03-02"}, format="json")
    assert r.status_code == 200 and r.json()["done_at"] == "2026-03-02"
    r = c.post(f"/api/v1/sites/{s1.pk}/done/", {"done_on": timezone.localdate().isoformat()}, format="json")
    assert r.status_code == 200


def test_the_report_page_has_no_typed_progress_and_the_bill_shows_the_computed_one(
    project, parts, unit_user, client
):
    s1, _s2, _m = parts
    c = Client()
    c.force_login(unit_user, backend="django.contrib.auth.backends.ModelBackend")
    page = c.get(f"/workspace/voting/projects/{project.pk}/report/").content.decode()
    assert 'name="percent"' not in page
    r = c.post(f"/workspace/voting/projects/{project.pk}/report/", {"percent": 100, "text": "全部完工"})
    assert r.status_code == 302
    assert _state(project) == (0, "in_progress")
    c.post(f"/workspace/voting/projects/{project.pk}/site-done/", {"site": s1.pk})
    assert _state(project) == (33, "in_progress")
    bill = client.get("/projects/", {"year": project.year}).content.decode()
    assert re.search(r'<progress[^>]* value="33" max="100"', bill)
    assert LivelihoodProject.objects.get(pk=project.pk).status != "completed"
