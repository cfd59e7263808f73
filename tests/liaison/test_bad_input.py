"""Bad input that used to reach a 500, sent to every endpoint it applies to: each is a clear 4xx and changes
nothing. One table per kind of input; the rows name the endpoint and who sends it."""

# Fixtures imported from other test packages are parameters of the tests below.
# ruff: noqa: F811

import datetime as dt

import pytest
from django.test import Client

from suggestions.models import Suggestion
from supervision.models import Topic
from tests.suggestions.conftest import make_suggestion  # noqa: F401  (fixtures)
from tests.voting.conftest import make_ballot, make_proposals, roll_delegates, window  # noqa: F401
from voting.models import Ballot, LivelihoodProject, ProjectProposal
from voting.services.ballots import ballot_cast, ballot_close, ballot_publish
from voting.services.projects import milestone_add, project_create, site_add

pytestmark = pytest.mark.django_db

HUGE = 99999999999999999999  # beyond a 64-bit key
HUGER = 399690914021455684521624143396864
DEEP = "[" * 100_000 + "]" * 100_000

PUBLIC_POSTS = [
    "/api/v1/suggestions/",
    "/api/v1/proposals/",
    "/api/v1/topics/",
    "/api/v1/appointments/",
    "/api/v1/sms-codes/",
    "/api/v1/auth/token/",
    "/api/v1/track/{code}/rating/",
    "/api/v1/topics/1/support/",
]


@pytest.fixture
def world(tree, make_ballot, unit, staff, admin_user):
    """A draft ballot of 商州区 and a project elected from an earlier one, with a milestone and a site."""

    class World:
        pass

    w = World()
    w.ballot, _cands, w.roll = make_ballot(open=False)
    ballot, cands, roll = make_ballot()
    for d in roll[:8]:
        ballot_cast(
            ballot_id=ballot.pk,
            delegate=d,
            choices={cands[0].pk: "for", cands[1].pk: "against", cands[2].pk: "abstain"},
        )
    ballot_close(ballot_id=ballot.pk)
    ballot_publish(ballot_id=ballot.pk)
    w.project = project_create(
        candidate_id=cands[0].pk, unit=unit, budget=100, target_date=dt.date(2027, 6, 30)
    )
    w.milestone = milestone_add(project_id=w.project.pk, title="开工", due=dt.date(2027, 1, 1))
    w.site = site_add(project_id=w.project.pk, name="东关社区")
    w.proposal = ProjectProposal.objects.filter(area__path__startswith=tree.county.path).first()
    return w


def _counts() -> tuple[int, ...]:
    return (
        Suggestion.objects.count(),
        ProjectProposal.objects.count(),
        Topic.objects.count(),
        Ballot.objects.count(),
        LivelihoodProject.objects.count(),
    )


def _assert_invalid(r, field: str | None = None):
    """400 `{"detail": str, "code": "invalid"}`; with `field`, its messages under `errors` (and, as before
    `errors` existed, at the top level)."""
    assert r.status_code == 400, r.content[:300]
    body = r.json()
    assert body["code"] == "invalid"
    assert isinstance(body["detail"], str) and body["detail"]
    if field is not None:
        assert body["errors"][field]
        assert body[field] == body["errors"][field]


# --- bodies that are not a JSON object --------------------------------------------------------------------------
@pytest.mark.parametrize("url", PUBLIC_POSTS)
@pytest.mark.parametrize(
    "body",
    ["[null, null]", '"text"', "42", DEEP, '{"title": '],
    ids=["list", "string", "number", "deep", "broken"],
)
def test_a_body_that_is_not_one_json_object_is_a_400(api, make_suggestion, url, body):
    code = make_suggestion().tracking_code
    before = _counts()
    r = api.post(url.format(code=code), body, content_type="application/json")
    _assert_invalid(r)
    assert _counts() == before


# --- NUL in the path or a query value ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/proposals/code/%00/",
        "/api/v1/track/%00/",
        "/api/v1/stations/?area=%00",
        "/api/v1/delegates/?q=a%00b",
        "/api/v1/topics/?area=%00",
        "/api/v1/suggestions/stats/?area=%00",
        "/api/v1/areas/?%00=1",
    ],
)
def test_nul_in_an_api_path_or_query_is_a_400(client_for, staff, url):
    r = client_for(staff).get(url)
    _assert_invalid(r)


@pytest.mark.parametrize(
    "url", ["/track/%00/", "/proposals/%00/", "/delegates/?q=%00", "/supervision/?area=%00"]
)
def test_nul_in_a_page_path_or_query_is_the_400_page(client, tree, url):
    r = client.get(url)
    assert r.status_code == 400
    assert "text/html" in r["Content-Type"]


def test_nul_in_a_page_form_is_the_400_page_and_changes_nothing(tree, world, staff):
    client = Client()
    client.force_login(staff)
    url = f"/workspace/voting/proposals/{world.proposal.pk}/decline/"
    r = client.post(url, {"reason": "重复\x00提交"})
    assert r.status_code == 400
    world.proposal.refresh_from_db()
    assert world.proposal.status == ProjectProposal.Status.SHORTLISTED


# --- dates the arithmetic cannot hold ---------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["stats", "export"])
@pytest.mark.parametrize(
    "query, field",
    [
        ("from=9999-12-01&to=9999-12-31", "from"),
        ("from=0001-01-01", "from"),
        ("to=9999-12-31", "to"),
        ("from=2026-13-01", "from"),
        ("from=2026-05-01&to=2026-04-01", "to"),
    ],
)
def test_a_period_outside_the_calendar_is_a_400_with_the_field(client_for, staff, path, query, field):
    r = client_for(staff).get(f"/api/v1/suggestions/{path}/?{query}")
    _assert_invalid(r, field)


@pytest.mark.parametrize("url", ["/workspace/suggestions/stats/", "/workspace/suggestions/export.xlsx"])
def test_the_stats_page_and_register_refuse_a_period_in_the_year_9999(client, staff, url):
    client.force_login(staff)
    r = client.get(url, {"start": "9999-12-01", "end": "9999-12-31"})
    assert r.status_code == 400
    assert "text/html" in r["Content-Type"]  # an error page, never a register of another period


# --- ids the database cannot hold -------------------------------------------------------------------------------
def _huge_id_cases():
    return [
        (
            "admin",
            "/api/v1/ballots/",
            lambda w, t: {"title": "t", "area": t.county.code, "seats": 1, "roll": [HUGE], "candidates": [1]},
            "roll",
        ),
        (
            "admin",
            "/api/v1/ballots/",
            lambda w, t: {"title": "t", "area": t.county.code, "seats": 1, "roll": [1], "candidates": [HUGE]},
            "candidates",
        ),
        ("admin", "/api/v1/ballots/{ballot}/attendance/", lambda w, t: {"present": [HUGE]}, "present"),
        ("admin", "/api/v1/evaluations/", lambda w, t: {"project": w.project.pk, "roll": [HUGE]}, "roll"),
        ("admin", "/api/v1/evaluations/", lambda w, t: {"project": HUGE}, "project"),
        (
            "admin",
            "/api/v1/projects/",
            lambda w, t: {"candidate": HUGE, "unit": 1, "budget": 1, "target_date": "2027-01-01"},
            "candidate",
        ),
        (
            "staff",
            "/api/v1/topics/from-suggestions/",
            lambda w, t: {"title": "t", "suggestions": [HUGE]},
            "suggestions",
        ),
        ("staff", "/api/v1/projects/{project}/leads/", lambda w, t: {"delegates": [HUGER]}, "delegates"),
        ("staff", "/api/v1/sites/{site}/leads/", lambda w, t: {"delegates": [HUGE]}, "delegates"),
        ("staff", "/api/v1/proposals/{proposal}/merge/", lambda w, t: {"into": HUGE}, "into"),
        (
            "staff",
            "/api/v1/suggestions/",
            lambda w, t: {"title": "t", "content": "c", "station": HUGE},
            "station",
        ),
        (
            "staff",
            "/api/v1/activities/",
            lambda w, t: {"title": "t", "kind": "inspection", "area": t.county.code, "delegates": [HUGE]},
            "delegates",
        ),
    ]


@pytest.mark.parametrize(
    "who, url, body, field", _huge_id_cases(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_an_id_beyond_the_database_keys_is_a_400_naming_the_field(
    client_for, tree, world, staff, admin_user, who, url, body, field
):
    user = {"admin": admin_user, "staff": staff}[who]
    before = _counts()
    url = url.format(
        ballot=world.ballot.pk, project=world.project.pk, site=world.site.pk, proposal=world.proposal.pk
    )
    r = client_for(user).post(url, body(world, tree), format="json")
    _assert_invalid(r, field)
    assert _counts() == before


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/stations/{HUGE}/",
        f"/api/v1/suggestions/{HUGE}/",
        f"/api/v1/ballots/{HUGE}/",
        f"/api/v1/ballots/{HUGE}/result/",
        f"/api/v1/projects/{HUGE}/",
        f"/api/v1/topics/{HUGE}/",
        f"/api/v1/activities/{HUGE}/",
        f"/api/v1/assessments/{HUGE}/result/",
    ],
)
def test_an_id_beyond_the_database_keys_in_the_path_is_not_found(client_for, staff, url):
    r = client_for(staff).get(url)
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_voting_on_a_ballot_beyond_the_database_keys_is_not_found(client_for, make_ballot):
    from tests.voting.conftest import user_of

    _ballot, cands, roll = make_ballot()
    r = client_for(user_of(roll[0])).post(
        f"/api/v1/ballots/{HUGE}/votes/",
        {"choices": [{"candidate": cands[0].pk, "choice": "for"}]},
        format="json",
    )
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


# --- ids in workspace form posts --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "who, url, data",
    [
        ("staff", "/workspace/suggestions/returned/", {"referral": "abc"}),
        ("staff", "/workspace/suggestions/returned/", {"referral": str(HUGE)}),
        ("staff", "/workspace/suggestions/returned/", {}),
        ("staff", "/workspace/suggestions/returned/", {"referral": "9" * 5000}),
        ("staff", "/workspace/suggestions/extensions/", {"extension": "abc", "decision": "grant"}),
        ("staff", "/workspace/voting/proposals/{proposal}/merge/", {"into": "abc"}),
        ("staff", "/workspace/voting/projects/{project}/milestone-done/", {"milestone": "abc"}),
        ("staff", "/workspace/voting/projects/{project}/site-done/", {"site": "abc"}),
        ("staff", "/workspace/voting/projects/{project}/leads/", {"delegates": ["1", "abc"]}),
        (
            "staff",
            "/workspace/voting/projects/{project}/site-leads/",
            {"site": "{site}", "delegates": [str(HUGE)]},
        ),
        ("admin", "/workspace/voting/ballots/{ballot}/attendance/", {"present": ["abc"]}),
    ],
)
def test_a_tampered_id_in_a_workspace_form_is_the_400_page(tree, world, staff, admin_user, who, url, data):
    client = Client()
    client.force_login({"admin": admin_user, "staff": staff}[who])
    ids = {
        "ballot": world.ballot.pk,
        "project": world.project.pk,
        "site": world.site.pk,
        "proposal": world.proposal.pk,
    }
    data = {
        k: ([x.format(**ids) for x in v] if isinstance(v, list) else v.format(**ids)) for k, v in data.items()
    }
    before = _counts()
    r = client.post(url.format(**ids), data)
    assert r.status_code == 400
    assert "text/html" in r["Content-Type"]
    assert r.context["title"] == "编号无效。"  # the message a person reads on the page
    assert _counts() == before
    world.milestone.refresh_from_db()
    world.site.refresh_from_db()
    assert world.milestone.done_at is None and world.site.done_on is None
    assert not world.project.lead_delegates.exists()
