"""Issue 16's story through the API: 商州区's admin sets up 城关街道议政代表会 (40 members, 30 of them not
delegates, some with accounts); it meets and raises two opinions that are referred; it votes its street's projects
online and a tie at the cut-off is reported as a run-off; the district congress votes on paper, the count entered
by one admin and confirmed by another; the council evaluates a delivered project as unsatisfied and a
rectification opens."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from liaison.accounts.models import User
from suggestions.models import Referral, Suggestion
from supervision.models import Rectification
from tests.factories import DelegateFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(tree):
    return [
        UserFactory(username=f"admin_sz{i}", role=User.Role.ADMIN, area=tree.county, is_staff=True)
        for i in (1, 2)
    ]


def _ok(r, code=200):
    assert r.status_code == code, r.content
    return r.json()


def test_a_street_council_meets_votes_and_evaluates(client_for, admins, staff, unit, make_proposals, tree):
    a, b, s = client_for(admins[0]), client_for(admins[1]), client_for(staff)
    joined = str(timezone.localdate() - dt.timedelta(days=60))

    # 1. the council and its 40 members
    council = _ok(
        a.post(
            "/api/v1/bodies/",
            {"name": "城关街道议政代表会", "kind": "street_council", "area": tree.township.code, "term": 1},
            format="json",
        ),
        201,
    )
    members_url = f"/api/v1/bodies/{council['id']}/members/"
    delegates = []
    for i in range(10):
        d = DelegateFactory(area=tree.county)
        delegates.append(UserFactory(username=f"cd{i:02d}", role=User.Role.DELEGATE, delegate=d))
        _ok(a.post(members_url, {"delegate": d.pk, "joined_on": joined}, format="json"), 201)
    accounts, member_ids = [], []
    sectors = ["resident", "enterprise", "social_org"]
    for i in range(30):
        out = _ok(
            a.post(
                members_url,
                {
                    "name": f"成员{i:02d}",
                    "sector": sectors[i % 3],
                    "phone": f"1380000{i:04d}",
                    "joined_on": joined,
                    "account": i < 12,
                },
                format="json",
            ),
            201,
        )
        member_ids.append(out["id"])
        if "account" in out:
            accounts.append(User.objects.get(username=out["account"]["username"]))
    assert _ok(s.get(f"/api/v1/bodies/{council['id']}/"))["member_count"] == 40
    assert len(accounts) == 12

    # 2. a meeting raises two opinions, which staff refer like any other
    roll = _ok(s.get(members_url, {"all": "1"}))["results"]
    meeting = _ok(
        s.post(
            f"/api/v1/bodies/{council['id']}/meetings/",
            {
                "held_on": str(timezone.localdate() - dt.timedelta(days=1)),
                "agenda": "协商背街小巷改造\n听取民生实事项目进展",
                "attendance": [m["id"] for m in roll[:32]],
                "minutes": "会议听取并讨论了街道办事处的通报。",
                "opinions": [
                    {"content": "东关社区背街小巷路灯损坏。"},
                    {"content": "菜市场周边缺少停车位。"},
                ],
            },
            format="json",
        ),
        201,
    )
    codes = [o["tracking_code"] for o in meeting["opinions"]]
    for sug in Suggestion.objects.filter(tracking_code__in=codes):
        assert sug.channel == "council"
        _ok(s.post(f"/api/v1/suggestions/{sug.pk}/refer/", {"lead_unit": unit.pk}, format="json"))
    assert Referral.objects.filter(suggestion__tracking_code__in=codes, unit=unit).count() == 2

    # 3. the council votes its street's projects online: a tie at the cut-off needs a run-off
    street = make_proposals(3)
    ballot = _ok(
        a.post(
            "/api/v1/ballots/",
            {
                "title": "城关街道民生实事项目票选",
                "area": tree.township.code,
                "seats": 1,
                "body": council["id"],
                "candidates": [p.pk for p in street],
            },
            format="json",
        ),
        201,
    )
    _ok(a.post(f"/api/v1/ballots/{ballot['id']}/open/"))
    cands = [c["id"] for c in ballot["candidates"]]
    paper = [
        {"candidate": cands[0], "choice": "for"},
        {"candidate": cands[1], "choice": "for"},
        {"candidate": cands[2], "choice": "against"},
    ]
    for user in delegates + accounts:
        _ok(
            client_for(user).post(
                f"/api/v1/ballots/{ballot['id']}/votes/", {"choices": paper}, format="json"
            ),
            201,
        )
    _ok(a.post(f"/api/v1/ballots/{ballot['id']}/close/"))
    _ok(a.post(f"/api/v1/ballots/{ballot['id']}/publish/"))
    result = _ok(a.get(f"/api/v1/ballots/{ballot['id']}/result/"))
    assert (result["roll_size"], result["voted"], result["quorum_met"], result["runoff_needed"]) == (
        40,
        22,
        True,
        True,
    )
    assert [(c["tied"], c["elected"]) for c in result["candidates"]] == [
        (True, False),
        (True, False),
        (False, False),
    ]

    # 4. the district congress votes on paper: entered by one admin, confirmed by another
    congress = _ok(
        a.post(
            "/api/v1/bodies/",
            {"name": "商州区第十七届人民代表大会", "kind": "congress", "area": tree.county.code, "term": 17},
            format="json",
        ),
        201,
    )
    for user in delegates:
        _ok(
            a.post(
                f"/api/v1/bodies/{congress['id']}/members/",
                {"delegate": user.delegate_id, "joined_on": joined},
                format="json",
            ),
            201,
        )
    county = make_proposals(3)
    cb = _ok(
        a.post(
            "/api/v1/ballots/",
            {
                "title": "商州区民生实事项目票决",
                "area": tree.county.code,
                "seats": 1,
                "body": congress["id"],
                "counting": "paper",
                "candidates": [p.pk for p in county],
            },
            format="json",
        ),
        201,
    )
    _ok(a.post(f"/api/v1/ballots/{cb['id']}/open/"))
    _ok(a.post(f"/api/v1/ballots/{cb['id']}/close/"))
    cc = [c["id"] for c in cb["candidates"]]
    lines = [
        {"id": cc[0], "for": 9, "against": 1, "abstain": 0},
        {"id": cc[1], "for": 3, "against": 6, "abstain": 1},
        {"id": cc[2], "for": 2, "against": 8, "abstain": 0},
    ]
    _ok(
        a.post(
            f"/api/v1/ballots/{cb['id']}/paper-tally/", {"present": 10, "candidates": lines}, format="json"
        ),
        201,
    )
    assert a.post(f"/api/v1/ballots/{cb['id']}/paper-tally/confirm/").status_code == 403
    assert _ok(b.post(f"/api/v1/ballots/{cb['id']}/paper-tally/confirm/"))["confirmed_by"] == "admin_sz2"
    _ok(a.post(f"/api/v1/ballots/{cb['id']}/publish/"))
    elected = [
        c["id"] for c in _ok(a.get(f"/api/v1/ballots/{cb['id']}/result/"))["candidates"] if c["elected"]
    ]
    assert elected == [cc[0]]

    # 5. the project is delivered; the council evaluates it as unsatisfied and a rectification opens
    project = _ok(
        a.post(
            "/api/v1/projects/",
            {"candidate": cc[0], "unit": unit.pk, "budget": "80.00", "target_date": "2027-06-30"},
            format="json",
        ),
        201,
    )
    ev = _ok(
        a.post("/api/v1/evaluations/", {"project": project["id"], "body": council["id"]}, format="json"), 201
    )
    _ok(a.post(f"/api/v1/evaluations/{ev['id']}/open/"))
    for i, user in enumerate(delegates + accounts):
        choice = "unsatisfied" if i < 15 else "satisfied"
        _ok(
            client_for(user).post(
                f"/api/v1/evaluations/{ev['id']}/votes/", {"choice": choice}, format="json"
            ),
            201,
        )
    _ok(a.post(f"/api/v1/evaluations/{ev['id']}/close/"))
    outcome = _ok(a.get(f"/api/v1/evaluations/{ev['id']}/result/"))
    assert outcome["outcome"] == "unsatisfied"
    assert Rectification.objects.filter(unit=unit).count() == 1

    # contacts never on the public council page
    html = Client().get(f"/councils/{council['id']}/").content.decode()
    assert "成员00" in html and "13800000000" not in html and "138****0000" not in html
