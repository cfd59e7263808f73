"""Every open state has a deadline and a 三色督办 light; the staff queue puts what needs action first."""

import datetime as dt
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from liaison.workdays import add_workdays
from suggestions import tasks
from suggestions.services.ratings import suggestion_rate
from suggestions.services.referrals import referral_reply, suggestion_refer
from suggestions.services.triage import suggestion_accept, suggestion_merge, suggestion_reject

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 11, 2)  # an ordinary working week, far from holidays


@contextmanager
def at(day: dt.date, hour: int = 10):
    with mock.patch("django.utils.timezone.now", return_value=dt.datetime.combine(day, dt.time(hour), TZ)):
        yield


def _rows(client, **params) -> dict[int, dict]:
    r = client.get("/api/v1/suggestions/", {"page_size": 100, **params})
    assert r.status_code == 200, r.content
    return {row["id"]: row for row in r.json()["results"]}


def test_accepted_but_never_referred_has_a_deadline_a_light_and_turns_overdue(
    make_suggestion, staff, unit, client_for
):
    with at(MONDAY):
        s = make_suggestion()
        suggestion_accept(suggestion_id=s.pk, actor=staff)
        row = _rows(client_for(staff))[s.pk]
    assert row["status"] == "accepted"
    assert row["step_due"] == add_workdays(MONDAY, 3).isoformat() and row["light"] == "green"
    late = add_workdays(MONDAY, 4)
    with at(late):
        assert _rows(client_for(staff))[s.pk]["light"] == "red"
        tasks.mark_overdue()
        assert tasks.mark_overdue() == 0  # once
        overdue = _rows(client_for(staff), overdue="true")
    assert overdue[s.pk]["is_overdue"] is True
    assert s.events.filter(kind="refer_overdue").count() == 1
    # Referring it ends that step: a new deadline, no overdue flag.
    with at(late):
        suggestion_refer(suggestion_id=s.pk, lead_unit=unit, actor=staff)
        row = _rows(client_for(staff))[s.pk]
    assert row["is_overdue"] is False and row["light"] == "green" and row["step_due"] == row["reply_due"]


def test_every_open_state_has_a_light_and_closed_ones_none(
    make_suggestion, staff, unit, unit_user, client_for
):
    with at(MONDAY):
        submitted = make_suggestion()
        accepted = make_suggestion()
        suggestion_accept(suggestion_id=accepted.pk, actor=staff)
        referred, replied, reopened, supervised = (make_suggestion() for _ in range(4))
        for s in (referred, replied, reopened, supervised):
            suggestion_accept(suggestion_id=s.pk, actor=staff)
            suggestion_refer(suggestion_id=s.pk, lead_unit=unit, actor=staff)
        for s in (replied, reopened, supervised):
            referral_reply(referral_id=s.referrals.get().pk, result="solved", content="已修", actor=unit_user)
        for s in (reopened, supervised):
            suggestion_rate(suggestion_id=s.pk, rating="unsatisfied")
        suggestion_refer(suggestion_id=supervised.pk, lead_unit=unit, actor=staff)
        referral_reply(
            referral_id=supervised.referrals.get(round=2).pk, result="solved", content="已修", actor=unit_user
        )
        suggestion_rate(suggestion_id=supervised.pk, rating="unsatisfied")
        rejected, merged = make_suggestion(), make_suggestion()
        suggestion_reject(suggestion_id=rejected.pk, reason="重复", actor=staff)
        suggestion_merge(suggestion_id=merged.pk, into_id=submitted.pk, actor=staff)
        rows = _rows(client_for(staff))
    for s, status in [
        (submitted, "submitted"),
        (accepted, "accepted"),
        (referred, "referred"),
        (replied, "replied"),
        (reopened, "reopened"),
        (supervised, "supervised"),
    ]:
        assert rows[s.pk]["status"] == status
        assert rows[s.pk]["light"] == "green" and rows[s.pk]["step_due"], status
    for s in (rejected, merged):
        assert rows[s.pk]["light"] == "" and rows[s.pk]["step_due"] is None


def test_the_queue_puts_what_needs_action_first(make_suggestion, staff, unit):
    with at(MONDAY - dt.timedelta(days=14)):
        oldest_referred = make_suggestion(title="最早的，已转办")
        suggestion_accept(suggestion_id=oldest_referred.pk, actor=staff)
        suggestion_refer(suggestion_id=oldest_referred.pk, lead_unit=unit, actor=staff)
    with at(MONDAY - dt.timedelta(days=7)):
        late_accepted = make_suggestion(title="受理后一直没交办")
        suggestion_accept(suggestion_id=late_accepted.pk, actor=staff)
    with at(MONDAY):
        make_suggestion(title="今天刚提交")
        tasks.mark_overdue()
        c = Client()
        c.force_login(staff)
        r = c.get("/workspace/suggestions/")
        oldest_first = c.get("/workspace/suggestions/", {"ordering": "created_at"})
    titles = [s.title for s in r.context["items"]]
    assert titles == ["受理后一直没交办", "今天刚提交", "最早的，已转办"]
    assert [s.light for s in r.context["items"]] == ["red", "green", "yellow"]  # 10 of 15 working days used
    # The colours are explained on the page.
    assert [colour for colour, _text in r.context["legend"]] == ["green", "yellow", "red"]
    assert 'class="light-legend"' in r.content.decode()
    # Oldest first is one click away.
    assert [s.title for s in oldest_first.context["items"]][0] == "最早的，已转办"


def test_api_orders_by_priority_on_request(make_suggestion, staff, unit, client_for):
    with at(MONDAY - dt.timedelta(days=7)):
        old = make_suggestion()
        suggestion_accept(suggestion_id=old.pk, actor=staff)
        suggestion_refer(suggestion_id=old.pk, lead_unit=unit, actor=staff)
    with at(MONDAY):
        new = make_suggestion()
        body = client_for(staff).get("/api/v1/suggestions/", {"ordering": "priority"}).json()
        default = client_for(staff).get("/api/v1/suggestions/").json()
    assert [x["id"] for x in body["results"]] == [new.pk, old.pk]
    assert [x["id"] for x in default["results"]] == [old.pk, new.pk]  # the API's default stays oldest first
