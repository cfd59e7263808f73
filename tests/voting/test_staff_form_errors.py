"""Staff forms of the projects pages (a new project, a milestone, a site): a refused post shows the page again,
status 400, with the error summary and the message beside the field — not a redirect with a message."""

import pytest

from tests.html import parse
from voting.models import LivelihoodProject
from voting.services.ballots import ballot_cast, ballot_close, ballot_publish

pytestmark = pytest.mark.django_db


def _shown_again(r, field: str, message: str):
    assert r.status_code == 400
    page = parse(r.content.decode())
    summary = page.find(".error-summary")
    assert summary is not None and message in summary.text
    assert any(message in e.text for e in page.find_all("ul.errorlist")) if field else True
    return page


def test_a_new_project_without_a_budget_shows_the_form_again(client, make_ballot, unit, admin_user):
    ballot, cands, roll = make_ballot()
    for d in roll[:8]:
        choices = {cands[0].pk: "for", cands[1].pk: "against", cands[2].pk: "abstain"}
        ballot_cast(ballot_id=ballot.pk, delegate=d, choices=choices)
    ballot_close(ballot_id=ballot.pk)
    ballot_publish(ballot_id=ballot.pk)
    client.force_login(admin_user)
    data = {
        "candidate": cands[0].pk,
        "unit": unit.pk,
        "budget": "",
        "target_date": "2027-05-01",
        "year": 2026,
    }
    r = client.post("/workspace/voting/projects/new/", data)
    page = _shown_again(r, "budget", "该字段是必填项")
    assert page.find("#id_target_date").attrs["value"] == "2027-05-01"  # what was typed stays
    assert not LivelihoodProject.objects.exists()


def test_a_milestone_without_a_date_shows_the_form_again(client, project, staff):
    client.force_login(staff)
    r = client.post(f"/workspace/voting/projects/{project.pk}/milestone/", {"title": "完成招标", "due": ""})
    page = _shown_again(r, "due", "该字段是必填项")
    assert page.find("#id_title").attrs["value"] == "完成招标"
    assert not project.milestones.exists()


def test_a_site_with_a_bad_latitude_shows_the_form_again(client, project, staff):
    client.force_login(staff)
    before = project.sites.count()
    r = client.post(f"/workspace/voting/projects/{project.pk}/site/", {"name": "3号楼", "latitude": "200"})
    _shown_again(r, "latitude", "90")
    assert project.sites.count() == before


def test_a_valid_milestone_still_redirects(client, project, staff):
    client.force_login(staff)
    r = client.post(
        f"/workspace/voting/projects/{project.pk}/milestone/", {"title": "完成招标", "due": "2027-01-01"}
    )
    assert r.status_code == 302
    assert project.milestones.filter(title="完成招标").exists()
