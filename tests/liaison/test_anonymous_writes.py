"""Every anonymous write, API and page, passes one gate (liaison.guard): a per-client rate limit answered with
429 and Retry-After, and a honeypot that stores nothing.

WRITES enumerates them. For each, the same valid submission is sent with the hidden `website` field filled
(400, nothing stored) and without it (accepted, stored), so the 400 can only come from the honeypot; then
with the scope's limit at one an hour, the second one is a 429 of the one shape: JSON `{"detail", "code":
"rate_limited"}` on the API, the error page on the site, `Retry-After` on both.
"""

import datetime as dt
import logging
import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from liaison.privacy import mask_phone
from stations.models import Appointment
from suggestions.models import Rating, Suggestion
from suggestions.services.intake import suggestion_submit
from suggestions.services.referrals import referral_reply, suggestion_refer
from suggestions.services.triage import suggestion_accept
from supervision.models import CollectionWindow, SmsCode, Topic, TopicSupport
from supervision.services.sms_codes import sms_code_request
from tests.conftest import PASSWORD
from voting.models import ProjectProposal, ProposalWindow

pytestmark = pytest.mark.django_db

SMS_RE = re.compile(r"SMS to (\d{3}\*{4}\d{4}): .*?(\d{6})")


@pytest.fixture
def ctx(tree, station, delegate, staff, unit, unit_user, caplog):
    """What the public writes need: an open proposal window and topic window, a topic, a replied suggestion,
    and fresh numbers with valid SMS codes."""
    today = timezone.localdate()
    ProposalWindow.objects.create(
        area=tree.county,
        year=today.year,
        opens_on=today - dt.timedelta(1),
        closes_on=today + dt.timedelta(30),
    )
    CollectionWindow.objects.create(
        area=tree.county, year=today.year, opens=today - dt.timedelta(1), closes=today + dt.timedelta(30)
    )
    topic = Topic.objects.create(
        title="背街小巷路灯不亮", area=tree.county, year=today.year, proposer_kind="public"
    )

    s = suggestion_submit(title="路灯不亮", content="路灯坏了。", station=station)
    suggestion_accept(suggestion_id=s.pk, actor=staff)
    suggestion_refer(suggestion_id=s.pk, lead_unit=unit, actor=staff)
    lead = s.referrals.get()
    referral_reply(referral_id=lead.pk, result="solved", content="已修好", actor=unit_user)

    numbers = iter(f"1390000{i:04d}" for i in range(10_000))

    def coded_phone() -> dict:
        """A number with a valid code, requested through the service (the logging backend shows the code)."""
        phone = next(numbers)
        with caplog.at_level(logging.INFO, logger="liaison.sms"):
            sms_code_request(phone=phone)
        code = [
            m.group(2)
            for r in caplog.records
            if (m := SMS_RE.search(r.getMessage())) and m.group(1) == mask_phone(phone)
        ]
        return {"phone": phone, "code": code[-1]}

    return SimpleNamespace(
        tree=tree,
        station=station,
        delegate=delegate,
        topic=topic,
        tracking=s.tracking_code,
        coded_phone=coded_phone,
        next_phone=lambda: next(numbers),
    )


@dataclass
class Write:
    name: str
    scope: str
    api: bool
    url: object  # ctx -> str
    body: object  # ctx -> dict (a valid submission)
    accepted: int  # the status of an accepted submission
    stored: object  # ctx -> int (what an accepted submission adds to)


WRITES = [
    Write(
        "api suggestion",
        "suggestion",
        True,
        lambda c: "/api/v1/suggestions/",
        lambda c: {"title": "噪音扰民", "content": "夜间施工。", "station": c.station.pk},
        201,
        lambda c: Suggestion.objects.count(),
    ),
    Write(
        "api rating",
        "rating",
        True,
        lambda c: f"/api/v1/track/{c.tracking}/rating/",
        lambda c: {"rating": "satisfied"},
        201,
        lambda c: Rating.objects.count(),
    ),
    Write(
        "api appointment",
        "appointment",
        True,
        lambda c: "/api/v1/appointments/",
        lambda c: {"delegate": c.delegate.pk, "name": "王小明", "phone": "13812341234", "subject": "停车难"},
        201,
        lambda c: Appointment.objects.count(),
    ),
    Write(
        "api proposal",
        "proposal",
        True,
        lambda c: "/api/v1/proposals/",
        lambda c: {"title": "加装电梯", "description": "老旧小区没有电梯", "area": c.tree.village.code},
        201,
        lambda c: ProjectProposal.objects.count(),
    ),
    Write(
        "api topic",
        "topic",
        True,
        lambda c: "/api/v1/topics/",
        lambda c: {"title": "噪音扰民", "description": "夜间施工", "area": c.tree.county.code},
        201,
        lambda c: Topic.objects.count(),
    ),
    Write(
        "api sms code",
        "sms_code_client",
        True,
        lambda c: "/api/v1/sms-codes/",
        lambda c: {"phone": c.next_phone(), "purpose": "support"},
        202,
        lambda c: SmsCode.objects.count(),
    ),
    Write(
        "api support",
        "support",
        True,
        lambda c: f"/api/v1/topics/{c.topic.pk}/support/",
        lambda c: c.coded_phone(),
        201,
        lambda c: TopicSupport.objects.count(),
    ),
    Write(
        "page suggestion",
        "suggestion",
        False,
        lambda c: f"/suggest/?station={c.station.pk}",
        lambda c: {
            "title": "噪音扰民",
            "content": "夜间施工。",
            "category": "other",
            "station": c.station.pk,
        },
        302,
        lambda c: Suggestion.objects.count(),
    ),
    Write(
        "page rating",
        "rating",
        False,
        lambda c: f"/track/{c.tracking}/",
        lambda c: {"rating": "satisfied", "comment": ""},
        302,
        lambda c: Rating.objects.count(),
    ),
    Write(
        "page appointment",
        "appointment",
        False,
        lambda c: f"/delegates/{c.delegate.pk}/appointment/",
        lambda c: {"name": "王小明", "phone": "13812341234", "subject": "停车难"},
        303,
        lambda c: Appointment.objects.count(),
    ),
    Write(
        "page proposal",
        "proposal",
        False,
        lambda c: "/proposals/new/",
        lambda c: {"title": "加装电梯", "description": "老旧小区没有电梯", "area": c.tree.village.pk},
        303,
        lambda c: ProjectProposal.objects.count(),
    ),
    Write(
        "page topic",
        "topic",
        False,
        lambda c: "/supervision/topics/new/",
        lambda c: {"title": "噪音扰民", "description": "夜间施工", "area": c.tree.county.code},
        302,
        lambda c: Topic.objects.count(),
    ),
    Write(
        "page sms code",
        "sms_code_client",
        False,
        lambda c: f"/supervision/topics/{c.topic.pk}/support/",
        lambda c: {"action": "code", "phone": c.next_phone()},
        200,
        lambda c: SmsCode.objects.count(),
    ),
    Write(
        "page support",
        "support",
        False,
        lambda c: f"/supervision/topics/{c.topic.pk}/support/",
        lambda c: {"action": "support", **c.coded_phone()},
        303,
        lambda c: TopicSupport.objects.count(),
    ),
]


def _post(write: Write, c, data: dict):
    if write.api:
        return APIClient().post(write.url(c), data, format="json")
    return Client().post(write.url(c), data)


def _assert_429(r, api: bool):
    assert r.status_code == 429
    assert 0 < int(r["Retry-After"]) <= 3600
    if api:
        body = r.json()
        assert set(body) == {"detail", "code"} and body["code"] == "rate_limited" and body["detail"]
    else:
        assert [t.name for t in r.templates][0] == "error.html"
        assert "太频繁" in r.content.decode()


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_a_filled_honeypot_is_refused_and_stores_nothing(write, ctx):
    before = write.stored(ctx)
    r = _post(write, ctx, {**write.body(ctx), "website": "http://spam.example"})
    assert r.status_code == 400
    if write.api:
        assert r.json()["code"] == "invalid"
    assert write.stored(ctx) == before
    # The same submission without the honeypot is accepted: the 400 above was the honeypot's.
    r = _post(write, ctx, write.body(ctx))
    assert r.status_code == write.accepted, r.content.decode()[:500]
    assert write.stored(ctx) == before + 1


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
def test_over_the_limit_is_429_with_retry_after(write, ctx, settings):
    settings.RATE_LIMITS = {**django_settings.RATE_LIMITS, write.scope: "1/h"}
    assert _post(write, ctx, write.body(ctx)).status_code == write.accepted
    stored = write.stored(ctx)
    r = _post(write, ctx, write.body(ctx))
    _assert_429(r, write.api)
    assert write.stored(ctx) == stored


@pytest.mark.parametrize("api", [True, False], ids=["api", "page"])
def test_the_per_number_sms_limit_is_the_same_429(api, ctx, settings):
    settings.RATE_LIMITS = {**django_settings.RATE_LIMITS, "sms_code_phone": "1/h"}
    write = next(w for w in WRITES if w.scope == "sms_code_client" and w.api == api)
    body = write.body(ctx)
    assert _post(write, ctx, body).status_code == write.accepted
    r = _post(write, ctx, body)  # the same number again, from another client: the number's own limit
    _assert_429(r, api)
    assert SmsCode.objects.count() == 1


def test_the_token_login_is_rate_limited_with_the_same_429(staff, settings):
    settings.RATE_LIMITS = {**django_settings.RATE_LIMITS, "auth": "1/m"}
    api = APIClient()
    body = {"username": staff.username, "password": PASSWORD}
    assert api.post("/api/v1/auth/token/", body, format="json").status_code == 200
    r = api.post("/api/v1/auth/token/", body, format="json")
    assert r.status_code == 429 and r.json() == {"detail": r.json()["detail"], "code": "rate_limited"}
    assert 0 < int(r["Retry-After"]) <= 60


def test_a_locked_out_login_says_when_to_come_back(staff):
    api, page = APIClient(), Client()
    for attempt in range(django_settings.AXES_FAILURE_LIMIT):
        api.post(
            "/api/v1/auth/token/", {"username": staff.username, "password": f"x{attempt}"}, format="json"
        )
    r = api.post("/api/v1/auth/token/", {"username": staff.username, "password": PASSWORD}, format="json")
    assert r.status_code == 429 and r.json()["code"] == "locked_out"
    cool_off = int(django_settings.AXES_COOLOFF_TIME.total_seconds())
    assert int(r["Retry-After"]) == cool_off
    r = page.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    assert r.status_code == 429 and int(r["Retry-After"]) == cool_off
