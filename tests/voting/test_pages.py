"""Pages for each role, driven with the Django test client the way a browser would."""

import datetime as dt

import pytest

from voting.models import Ballot, BallotPaper, ProjectProposal
from voting.services.ballots import ballot_cast, ballot_close, ballot_publish
from voting.services.evaluations import evaluation_create, evaluation_open
from voting.services.projects import project_create, site_add

from .conftest import user_of

pytestmark = pytest.mark.django_db


def _form(cands, *values):
    return {f"c{c.pk}": v for c, v in zip(cands, values, strict=True)}


def test_delegate_votes_confirms_and_gets_a_receipt(client, make_ballot):
    ballot, cands, roll = make_ballot(secret=True)
    client.force_login(user_of(roll[0]))
    page = client.get(f"/vote/ballots/{ballot.pk}/").content.decode()
    for c in cands:
        assert c.proposal.title in page and f'name="c{c.pk}"' in page

    # an incomplete paper comes back with a message and nothing is stored
    r = client.post(f"/vote/ballots/{ballot.pk}/", _form(cands[:2], "for", "for"))
    assert r.status_code == 400 and not BallotPaper.objects.exists()
    # the confirm step shows the choices and stores nothing yet
    r = client.post(f"/vote/ballots/{ballot.pk}/", _form(cands, "for", "against", "abstain"))
    assert r.status_code == 200 and "确认投票" in r.content.decode()
    assert not BallotPaper.objects.exists()
    r = client.post(
        f"/vote/ballots/{ballot.pk}/", {**_form(cands, "for", "against", "abstain"), "confirm": "1"}
    )
    paper = BallotPaper.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/vote/receipts/{paper.receipt_code}/")
    receipt = client.get(r["Location"]).content.decode()
    assert paper.receipt_code in receipt and ballot.title in receipt
    assert "赞成" not in receipt and "反对" not in receipt  # a secret ballot's receipt shows no choices
    # coming back to the ballot shows the receipt, not a second paper
    assert client.get(f"/vote/ballots/{ballot.pk}/")["Location"].endswith(
        f"/vote/receipts/{paper.receipt_code}/"
    )
    # another delegate cannot open this receipt
    client.force_login(user_of(roll[1]))
    assert client.get(f"/vote/receipts/{paper.receipt_code}/").status_code == 404


def test_named_receipt_shows_choices(client, make_ballot):
    ballot, cands, roll = make_ballot(secret=False)
    client.force_login(user_of(roll[0]))
    r = client.post(
        f"/vote/ballots/{ballot.pk}/",
        {**_form(cands, "for", "against", "abstain"), "confirm": "1"},
        follow=True,
    )
    text = r.content.decode()
    assert "赞成" in text and "反对" in text and "弃权" in text


def test_delegate_off_roll_gets_404_and_closed_ballot_409(client, make_ballot, delegate_user, admin_user):
    ballot, cands, roll = make_ballot()
    client.force_login(delegate_user)
    assert client.get(f"/vote/ballots/{ballot.pk}/").status_code == 404
    ballot_close(ballot_id=ballot.pk)
    client.force_login(user_of(roll[0]))
    assert client.get(f"/vote/ballots/{ballot.pk}/").status_code == 409
    r = client.post(f"/vote/ballots/{ballot.pk}/", {**_form(cands, "for", "for", "for"), "confirm": "1"})
    assert r.status_code == 409 and not BallotPaper.objects.exists()


def test_vote_home_lists_pending_ballots(client, make_ballot):
    ballot, _, roll = make_ballot()
    client.force_login(user_of(roll[0]))
    assert ballot.title in client.get("/vote/").content.decode()


def test_admin_builds_opens_watches_closes_publishes(
    client, admin_user, tree, make_proposals, roll_delegates
):
    props = make_proposals(3)
    roll_delegates(6)
    client.force_login(admin_user)
    assert client.get("/workspace/voting/ballots/new/").status_code == 200
    r = client.post(
        "/workspace/voting/ballots/new/",
        {
            "title": "页面新建的表决",
            "area": tree.county.pk,
            "seats": 2,
            "threshold_basis": "roll",
            "secret": "on",
            "roll_level": "county",
            "candidates": [p.pk for p in props],
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    ballot = Ballot.objects.get(title="页面新建的表决")
    assert ballot.roll_entries.count() == 6 and ballot.candidates.count() == 3
    assert client.post(f"/workspace/voting/ballots/{ballot.pk}/open/").status_code == 302
    ballot.refresh_from_db()
    assert ballot.status == "open"
    d = ballot.roll.first()
    ballot_cast(ballot_id=ballot.pk, delegate=d, choices={c.pk: "for" for c in ballot.candidates.all()})
    turnout = client.get(f"/workspace/voting/ballots/{ballot.pk}/turnout/").content.decode()
    assert d.name in turnout and 'id="voted-count">1<' in turnout
    # the admin page shows no result while open, and the result page refuses
    assert client.get(f"/ballots/{ballot.pk}/results/").status_code == 409
    client.post(f"/workspace/voting/ballots/{ballot.pk}/close/")
    assert client.get(f"/ballots/{ballot.pk}/results/").status_code == 200
    client.post(f"/workspace/voting/ballots/{ballot.pk}/publish/")
    ballot.refresh_from_db()
    assert ballot.status == "published"
    assert client.get(f"/workspace/voting/ballots/{ballot.pk}/").status_code == 200
    assert client.get("/workspace/voting/ballots/").status_code == 200


def test_opening_without_enough_candidates_shows_the_rule(client, admin_user, make_ballot):
    ballot, _, _ = make_ballot(candidates=2, seats=2, open=False)
    client.force_login(admin_user)
    r = client.post(f"/workspace/voting/ballots/{ballot.pk}/open/", follow=True)
    assert "差额" in r.content.decode()
    ballot.refresh_from_db()
    assert ballot.status == "draft"


def test_staff_screen_page(client, staff, make_proposals, other_staff):
    p = make_proposals(1, status="submitted")[0]
    client.force_login(staff)
    assert p.title in client.get("/workspace/voting/proposals/").content.decode()
    assert client.get(f"/workspace/voting/proposals/{p.pk}/").status_code == 200
    client.post(f"/workspace/voting/proposals/{p.pk}/decline/", {"reason": "不属于政府职责"})
    p.refresh_from_db()
    assert p.status == ProjectProposal.Status.DECLINED and p.decline_reason == "不属于政府职责"
    client.force_login(other_staff)
    assert client.get(f"/workspace/voting/proposals/{p.pk}/").status_code == 404


def test_pages_require_the_right_role(client, delegate_user, make_ballot):
    ballot, _, _ = make_ballot()
    assert client.get("/workspace/voting/ballots/").status_code == 302  # to login
    client.force_login(delegate_user)
    assert client.get("/workspace/voting/ballots/").status_code == 403
    assert client.get(f"/workspace/voting/ballots/{ballot.pk}/turnout/").status_code == 403


def test_unit_reports_progress_on_the_page(client, make_ballot, unit, unit_user, admin_user):
    ballot, cands, roll = make_ballot()
    for d in roll[:8]:
        ballot_cast(
            ballot_id=ballot.pk,
            delegate=d,
            choices=dict(zip([c.pk for c in cands], ["for", "against", "abstain"], strict=True)),
        )
    ballot_close(ballot_id=ballot.pk)
    ballot_publish(ballot_id=ballot.pk)
    project = project_create(candidate_id=cands[0].pk, unit=unit, budget=5, target_date=dt.date(2027, 5, 1))
    client.force_login(unit_user)
    assert client.get("/workspace/voting/projects/").status_code == 200
    r = client.post(f"/workspace/voting/projects/{project.pk}/report/", {"text": "主体已完工"})
    assert r.status_code == 302
    project.refresh_from_db()
    assert project.percent == 0 and project.status == "in_progress"  # nothing ticked off yet
    site = site_add(project_id=project.pk, name="东关社区3号楼")
    r = client.post(f"/workspace/voting/projects/{project.pk}/site-done/", {"site": site.pk})
    assert r.status_code == 302
    project.refresh_from_db()
    assert project.percent == 100 and project.status == "completed"
    client.force_login(admin_user)
    assert client.get(f"/workspace/voting/projects/{project.pk}/").status_code == 200
    assert client.get(f"/projects/{project.pk}/").status_code == 200


def test_delegate_rates_on_the_evaluation_page(client, make_ballot, unit):
    ballot, cands, roll = make_ballot()
    for d in roll[:8]:
        ballot_cast(
            ballot_id=ballot.pk,
            delegate=d,
            choices=dict(zip([c.pk for c in cands], ["for", "against", "abstain"], strict=True)),
        )
    ballot_close(ballot_id=ballot.pk)
    ballot_publish(ballot_id=ballot.pk)
    project = project_create(candidate_id=cands[0].pk, unit=unit, budget=5, target_date=dt.date(2027, 5, 1))
    ev = evaluation_create(project_id=project.pk)
    evaluation_open(evaluation_id=ev.pk)
    client.force_login(user_of(roll[0]))
    assert ev.assessment.title in client.get("/vote/").content.decode()
    r = client.post(f"/vote/evaluations/{ev.pk}/", {"choice": "basically_satisfied"})
    assert r.status_code == 302
    assert ev.assessment.votes.get().choice == "basically_satisfied"
    assert "基本满意" in client.get(f"/vote/evaluations/{ev.pk}/").content.decode()


def test_workspace_links(delegate_user, staff, admin_user, unit_user):
    from django.apps import apps

    cfg = apps.get_app_config("voting")
    assert any("待投票" in str(label) for label, _ in cfg.workspace_links(delegate_user))
    assert any("待测评" in str(label) for label, _ in cfg.workspace_links(delegate_user))
    assert any(url == "/workspace/voting/proposals/" for _, url in cfg.workspace_links(staff))
    assert any(url == "/workspace/voting/ballots/" for _, url in cfg.workspace_links(admin_user))
    assert [url for _, url in cfg.workspace_links(unit_user)] == ["/workspace/voting/projects/"]
