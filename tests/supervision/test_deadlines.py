"""A deliberation opinion's deadline (整改期限) lies ahead of today and within two years; anything else is a 400
that creates nothing, so a deadline in 1900 or 2999 can never reach the public activity page."""

import datetime as dt

import pytest
from django.utils import timezone

from supervision.models import Opinion, Rectification
from supervision.services.activities import activity_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(tree, unit):
    return activity_create(kind="inspection", title="老旧小区加装电梯视察", area=tree.county, units=[unit])


def _issue(client, activity, unit, **extra):
    body = {"unit": unit.pk, "title": "关于加装电梯的审议意见", "content": "一、简化审批。", **extra}
    return client.post(f"/api/v1/activities/{activity.pk}/opinions/", body, format="json")


@pytest.mark.parametrize(
    "due",
    [
        "1900-01-01",
        "2999-12-31",
        (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        timezone.localdate().isoformat(),
        (timezone.localdate() + dt.timedelta(days=800)).isoformat(),
    ],
)
def test_opinion_with_a_deadline_in_the_past_or_far_future_is_refused(client_for, staff, activity, unit, due):
    r = _issue(client_for(staff), activity, unit, due=due)
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "invalid"
    assert not Opinion.objects.exists() and not Rectification.objects.exists()


def test_the_refused_opinion_is_not_on_the_public_page(client_for, staff, activity, unit, client):
    _issue(client_for(staff), activity, unit, due="1900-01-01")
    page = client.get(f"/supervision/activities/{activity.pk}/").content.decode()
    assert "关于加装电梯的审议意见" not in page and "1900" not in page


def test_opinion_with_a_deadline_ahead_is_issued(client_for, staff, activity, unit, client):
    due = timezone.localdate() + dt.timedelta(days=60)
    r = _issue(client_for(staff), activity, unit, due=due.isoformat())
    assert r.status_code == 201, r.content
    assert r.json()["rectifications"][0]["due"] == due.isoformat()
    page = client.get(f"/supervision/activities/{activity.pk}/").content.decode()
    assert "关于加装电梯的审议意见" in page
