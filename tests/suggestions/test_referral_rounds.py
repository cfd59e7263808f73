"""A suggestion that moves on — closed, rejected, merged, rated, referred again — leaves no referral of an
earlier round open in any unit's queue."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from liaison.notifications.models import Notification
from suggestions import tasks
from suggestions.models import Referral

pytestmark = pytest.mark.django_db


def _reply(client_for, user, ref_id, result="solved"):
    r = client_for(user).post(
        f"/api/v1/referrals/{ref_id}/reply/", {"result": result, "content": "已处理"}, format="json"
    )
    assert r.status_code == 200, r.content


def _rate(api, s, rating):
    r = api.post(f"/api/v1/track/{s.tracking_code}/rating/", {"rating": rating}, format="json")
    assert r.status_code == 201, r.content


def _open_for(client_for, unit_user) -> list[tuple[int, int]]:
    """(suggestion, round) of the referrals in the unit's open queue, through the API."""
    rows = client_for(unit_user).get("/api/v1/referrals/", {"page_size": 100}).json()["results"]
    return [(r["suggestion"], r["round"]) for r in rows if r["status"] in Referral.OPEN_STATUSES]


def test_unsatisfied_then_second_round_closes_every_referral(
    api, client_for, referred, staff, unit, unit_user, other_unit_user
):
    lead1 = referred.referrals.get(role="lead")
    assisting1 = referred.referrals.get(role="assisting")
    _reply(client_for, unit_user, lead1.pk)  # the assisting unit never answers in round one
    _rate(api, referred, "unsatisfied")
    r = client_for(staff).post(
        f"/api/v1/suggestions/{referred.pk}/refer/", {"lead_unit": unit.pk}, format="json"
    )
    assert r.status_code == 200
    lead2 = Referral.objects.get(suggestion=referred, round=2, role="lead")
    _reply(client_for, unit_user, lead2.pk)
    _rate(api, referred, "satisfied")
    assert client_for(staff).get(f"/api/v1/suggestions/{referred.pk}/").json()["status"] == "closed"

    assert _open_for(client_for, other_unit_user) == []
    assert _open_for(client_for, unit_user) == []
    assisting1.refresh_from_db()
    assert assisting1.status == "cancelled"
    # Saved, not updated behind the history's back; the timeline and the unit hear of it once.
    assert assisting1.history.first().status == "cancelled"
    assert referred.events.filter(kind="referral_ended", referral=assisting1).count() == 1
    assert (
        Notification.objects.filter(kind="referral_ended", recipient=other_unit_user, channel="inbox").count()
        == 1
    )
    page = Client()
    page.force_login(other_unit_user)
    assert list(page.get("/workspace/referrals/").context["page_obj"]) == []


def test_re_referring_ends_what_an_earlier_round_left_open(
    api, client_for, referred, staff, unit, unit_user, other_unit_user
):
    assisting1 = referred.referrals.get(role="assisting")
    lead1 = referred.referrals.get(role="lead")
    _reply(client_for, unit_user, lead1.pk)
    _rate(api, referred, "unsatisfied")
    # As rows left open by earlier versions are: round one's assisting referral still pending.
    Referral.objects.filter(pk=assisting1.pk).update(status="pending")
    client_for(staff).post(f"/api/v1/suggestions/{referred.pk}/refer/", {"lead_unit": unit.pk}, format="json")
    assisting1.refresh_from_db()
    assert assisting1.status == "cancelled"
    assert _open_for(client_for, other_unit_user) == []


def test_closing_by_the_lapsed_rating_window_ends_them(client_for, referred, unit_user, other_unit_user):
    lead = referred.referrals.get(role="lead")
    _reply(client_for, unit_user, lead.pk)
    referred.refresh_from_db()
    later = dt.datetime.combine(
        referred.rating_due + dt.timedelta(days=1), dt.time(10), ZoneInfo("Asia/Shanghai")
    )
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert tasks.close_expired() == 1
    assert _open_for(client_for, other_unit_user) == []


def test_rejecting_after_an_accepted_return_leaves_nothing_open(
    client_for, referred, staff, unit_user, other_unit_user
):
    lead = referred.referrals.get(role="lead")
    client_for(unit_user).post(
        f"/api/v1/referrals/{lead.pk}/return/", {"reason": "非本单位职责"}, format="json"
    )
    client_for(staff).post(f"/api/v1/referrals/{lead.pk}/return/accept/")
    r = client_for(staff).post(
        f"/api/v1/suggestions/{referred.pk}/reject/", {"reason": "不属于受理范围"}, format="json"
    )
    assert r.json() == {"status": "rejected"}
    assert not referred.referrals.filter(status__in=Referral.OPEN_STATUSES).exists()
    assert _open_for(client_for, other_unit_user) == []
