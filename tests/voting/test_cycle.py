"""Done-when: the whole cycle 群众提、代表决、政府办、人大评 through the HTTP API, across voting and supervision."""

import datetime as dt

import pytest
from django.utils import timezone

from supervision.models import Rectification
from voting.models import BallotPaper, LivelihoodProject, Vote

from .conftest import user_of

pytestmark = pytest.mark.django_db


def _submit_proposals(api, tree, n):
    ids = []
    for i in range(n):
        r = api.post(
            "/api/v1/proposals/",
            {
                "title": f"民生项目{i + 1}",
                "description": "群众反映强烈",
                "area": tree.township.code,
                "phone": "13800000000",
            },
            format="json",
        )
        assert r.status_code == 201, r.content
        ids.append(r.json()["id"])
    return ids


def _ballot(client_for, admin_user, tree, proposals, roll):
    a = client_for(admin_user)
    r = a.post(
        "/api/v1/ballots/",
        {
            "title": "商州区2027年民生实事项目票决",
            "area": tree.county.code,
            "seats": 2,
            "roll": [d.pk for d in roll],
            "candidates": proposals,
            "threshold_basis": "roll",
            "secret": True,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert a.post(f"/api/v1/ballots/{body['id']}/open/").json() == {"status": "open"}
    return body["id"], [c["id"] for c in body["candidates"]]


def _vote(client_for, delegate, ballot_id, cands, choices):
    payload = {"choices": [{"candidate": c, "choice": ch} for c, ch in zip(cands, choices, strict=True)]}
    r = client_for(user_of(delegate)).post(f"/api/v1/ballots/{ballot_id}/votes/", payload, format="json")
    assert r.status_code == 201, r.content
    return r.json()


def test_the_whole_cycle(api, client_for, tree, window, staff, admin_user, unit, unit_user, roll_delegates):
    # 群众提: three proposals from the public, shortlisted by staff
    proposals = _submit_proposals(api, tree, 3)
    s = client_for(staff)
    for pid in proposals:
        assert s.post(f"/api/v1/proposals/{pid}/shortlist/", {"note": "符合条件"}, format="json").json() == {
            "status": "shortlisted"
        }

    # 代表决: 10 delegates, 3 candidates, 2 seats
    roll = roll_delegates(10)
    ballot_id, cands = _ballot(client_for, admin_user, tree, proposals, roll)
    F, A, N = "for", "against", "abstain"
    # candidate 1: 8 for; candidate 2: 6 for; candidate 3: 7 for — all pass, the two most win
    papers = [
        (F, F, F),
        (F, F, F),
        (F, F, F),
        (F, F, F),
        (F, F, F),
        (F, F, F),
        (F, A, F),
        (F, A, N),
        (A, A, A),
    ]
    receipts = [_vote(client_for, d, ballot_id, cands, p) for d, p in zip(roll, papers, strict=False)]
    assert len({r["receipt_code"] for r in receipts}) == 9
    a = client_for(admin_user)
    turnout = a.get(f"/api/v1/ballots/{ballot_id}/turnout/").json()
    assert turnout["voted"] == 9 and turnout["roll_size"] == 10 and len(turnout["not_voted"]) == 1
    assert a.get(f"/api/v1/ballots/{ballot_id}/result/").status_code == 409  # nobody reads results while open
    assert a.post(f"/api/v1/ballots/{ballot_id}/close/").json() == {"status": "closed"}

    result = a.get(f"/api/v1/ballots/{ballot_id}/result/").json()
    assert result["status"] == "closed" and result["roll_size"] == 10 and result["voted"] == 9
    assert result["quorum_met"] is True and result["runoff_needed"] is False
    got = {c["id"]: (c["for"], c["against"], c["abstain"], c["elected"]) for c in result["candidates"]}
    assert got == {cands[0]: (8, 1, 0, True), cands[1]: (6, 3, 0, False), cands[2]: (7, 1, 1, True)}
    assert [c["proposal"] for c in result["candidates"]] == proposals
    assert api.get(f"/api/v1/ballots/{ballot_id}/result/").status_code == 404  # not public before publishing

    assert a.post(f"/api/v1/ballots/{ballot_id}/publish/").json() == {"status": "published"}
    public = api.get(f"/api/v1/ballots/{ballot_id}/result/").json()
    assert public["status"] == "published" and public["candidates"] == result["candidates"]
    page = api.get(f"/ballots/{ballot_id}/results/").content.decode()
    assert "民生项目1" in page and "当选" in page

    # 政府办: the elected candidate becomes a project with sites and progress
    r = a.post(
        "/api/v1/projects/",
        {
            "candidate": cands[0],
            "unit": unit.pk,
            "budget": "350.00",
            "target_date": "2027-10-31",
            "lead_delegates": [roll[0].pk, roll[1].pk],
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    project_id = r.json()["id"]
    # a candidate that was not elected cannot become a project
    r = a.post(
        "/api/v1/projects/",
        {"candidate": cands[1], "unit": unit.pk, "budget": "1", "target_date": "2027-10-31"},
        format="json",
    )
    assert r.status_code == 409
    site = s.post(
        f"/api/v1/projects/{project_id}/sites/",
        {
            "name": "东关社区3号楼",
            "latitude": "33.870000",
            "longitude": "109.940000",
            "lead_delegates": [roll[0].pk],
        },
        format="json",
    )
    assert site.status_code == 201, site.content
    assert (
        s.post(f"/api/v1/projects/{project_id}/sites/", {"name": "东关社区5号楼"}, format="json").status_code
        == 201
    )
    assert (
        s.post(
            f"/api/v1/projects/{project_id}/milestones/",
            {"title": "完成招标", "due": "2027-03-31"},
            format="json",
        ).status_code
        == 201
    )
    u = client_for(unit_user)
    r = u.post(
        f"/api/v1/projects/{project_id}/progress/", {"percent": 60, "text": "3号楼电梯已安装"}, format="json"
    )
    assert r.status_code == 201, r.content
    assert u.post(f"/api/v1/sites/{site.json()['id']}/done/", {}, format="json").status_code == 200
    bill = api.get("/api/v1/projects/", {"year": LivelihoodProject.objects.get().year}).json()
    assert bill["count"] == 1
    item = bill["results"][0]
    # computed: one of two sites and none of one milestone (the typed 60 is ignored)
    assert item["percent"] == 33 and item["sites_total"] == 2 and item["sites_done"] == 1
    assert item["status"] == "in_progress" and item["unit_name"] == unit.name

    # 人大评: evaluation by the ballot's roll; an unsatisfied outcome opens a rectification for the unit
    r = a.post("/api/v1/evaluations/", {"project": project_id}, format="json")
    assert r.status_code == 201, r.content
    ev = r.json()["id"]
    assert a.post(f"/api/v1/evaluations/{ev}/open/").json()["status"] == "open"
    ratings = ["unsatisfied"] * 6 + ["basically_satisfied"] * 2 + ["satisfied"]
    for d, choice in zip(roll, ratings, strict=False):
        r = client_for(user_of(d)).post(f"/api/v1/evaluations/{ev}/votes/", {"choice": choice}, format="json")
        assert r.status_code == 201, r.content
    # a second vote is refused, as is a bad choice
    assert (
        client_for(user_of(roll[0]))
        .post(f"/api/v1/evaluations/{ev}/votes/", {"choice": "satisfied"}, format="json")
        .status_code
        == 409
    )
    assert (
        client_for(user_of(roll[9]))
        .post(f"/api/v1/evaluations/{ev}/votes/", {"choice": "great"}, format="json")
        .status_code
        == 400
    )
    closed = a.post(f"/api/v1/evaluations/{ev}/close/").json()
    assert closed["status"] == "closed" and closed["outcome"] == "unsatisfied"
    assert (closed["satisfied"], closed["basically_satisfied"], closed["unsatisfied"]) == (1, 2, 6)
    assert closed["rate"] == pytest.approx(3 / 9)
    rect = Rectification.objects.get()
    assert rect.source == "evaluation" and rect.unit == unit and rect.status == "open"
    assert closed["rectification"]["id"] == rect.pk
    assert rect.due > timezone.localdate() + dt.timedelta(days=80)  # default three months
    # the unit sees it in supervision's rectification list
    listed = u.get("/api/v1/rectifications/").json()
    assert [x["id"] for x in listed["results"]] == [rect.pk]
    assert listed["results"][0]["source"] == "evaluation"

    # the 幸福账单 and the project page show the computed progress and the evaluation, with no personal data
    assert "33%" in api.get("/projects/").content.decode()
    project_page = api.get(f"/projects/{project_id}/").content.decode()
    assert "满意率" in project_page and "33%" in project_page and "13800000000" not in project_page

    # the stored votes of the secret ballot say nothing of who cast them
    assert BallotPaper.objects.filter(ballot_id=ballot_id).count() == 9
    assert not Vote.objects.filter(ballot_id=ballot_id, paper__isnull=False).exists()


def test_tie_at_the_cutoff_reports_a_runoff(api, client_for, tree, window, staff, admin_user, roll_delegates):
    proposals = _submit_proposals(api, tree, 3)
    for pid in proposals:
        client_for(staff).post(f"/api/v1/proposals/{pid}/shortlist/", {}, format="json")
    roll = roll_delegates(10)
    ballot_id, cands = _ballot(client_for, admin_user, tree, proposals, roll)
    F, A = "for", "against"
    # candidate 1: 10 for (elected); candidates 2 and 3: 7 for each, tied for the one remaining seat
    papers = [(F, F, F)] * 4 + [(F, F, A)] * 3 + [(F, A, F)] * 3
    for d, p in zip(roll, papers, strict=True):
        _vote(client_for, d, ballot_id, cands, p)
    a = client_for(admin_user)
    a.post(f"/api/v1/ballots/{ballot_id}/close/")
    result = a.get(f"/api/v1/ballots/{ballot_id}/result/").json()
    assert result["runoff_needed"] is True
    got = {c["id"]: (c["for"], c["elected"], c["tied"]) for c in result["candidates"]}
    assert got == {cands[0]: (10, True, False), cands[1]: (7, False, True), cands[2]: (7, False, True)}
    a.post(f"/api/v1/ballots/{ballot_id}/publish/")
    sheet = api.get(f"/ballots/{ballot_id}/tally-sheet/").content.decode()
    assert "计票结果报告单" in sheet and "需再次投票" in sheet


def test_satisfied_evaluation_opens_no_rectification(client_for, admin_user, make_ballot, unit):
    from voting.services.ballots import ballot_cast, ballot_close, ballot_publish
    from voting.services.evaluations import evaluation_create
    from voting.services.projects import project_create

    ballot, cands, roll = make_ballot()
    for d in roll[:8]:
        ballot_cast(
            ballot_id=ballot.pk,
            delegate=d,
            choices={c.pk: "for" for c in cands[:1]} | {c.pk: "against" for c in cands[1:]},
        )
    ballot_close(ballot_id=ballot.pk)
    ballot_publish(ballot_id=ballot.pk)
    project = project_create(candidate_id=cands[0].pk, unit=unit, budget=10, target_date=dt.date(2027, 1, 1))
    ev = evaluation_create(project_id=project.pk, roll=roll[:3])
    a = client_for(admin_user)
    a.post(f"/api/v1/evaluations/{ev.pk}/open/")
    # results are not shown to delegates while open; off-roll delegates cannot vote
    assert (
        client_for(user_of(roll[5]))
        .post(f"/api/v1/evaluations/{ev.pk}/votes/", {"choice": "satisfied"}, format="json")
        .status_code
        == 403
    )
    for d in roll[:3]:
        client_for(user_of(d)).post(
            f"/api/v1/evaluations/{ev.pk}/votes/", {"choice": "satisfied"}, format="json"
        )
    closed = a.post(f"/api/v1/evaluations/{ev.pk}/close/").json()
    assert closed["outcome"] == "satisfied" and closed["rate"] == 1.0 and closed["rectification"] is None
    assert not Rectification.objects.exists()
    assert (
        client_for(user_of(roll[0]))
        .post(f"/api/v1/evaluations/{ev.pk}/votes/", {"choice": "satisfied"}, format="json")
        .status_code
        == 409
    )


def test_openapi_schema_lists_the_voting_endpoints(api):
    schema = api.get("/api/v1/schema/?format=json").json()
    for path in [
        "/api/v1/proposals/",
        "/api/v1/ballots/",
        "/api/v1/ballots/{id}/votes/",
        "/api/v1/ballots/{id}/result/",
        "/api/v1/projects/",
        "/api/v1/evaluations/{id}/votes/",
    ]:
        assert path in schema["paths"], path
