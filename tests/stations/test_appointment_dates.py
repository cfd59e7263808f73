"""An appointment is marked held (已见面) only once its agreed time has come, on the page and in the API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.models import Appointment
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def _accepted(delegate, station, when):
    return AppointmentFactory(delegate=delegate, station=station, status="accepted", scheduled_at=when)


def test_api_refuses_held_a_week_before_the_agreed_time(client_for, delegate, station, delegate_user):
    appt = _accepted(delegate, station, timezone.now() + dt.timedelta(days=7))
    r = client_for(delegate_user).post(f"/api/v1/appointments/{appt.pk}/held/", {}, format="json")
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "invalid"
    assert Appointment.objects.get(pk=appt.pk).status == "accepted"


def test_page_refuses_held_before_the_agreed_time(client, delegate, station, delegate_user):
    appt = _accepted(delegate, station, timezone.now() + dt.timedelta(hours=2))
    client.force_login(delegate_user, backend="django.contrib.auth.backends.ModelBackend")
    r = client.post(reverse("workspace-appointment-action", args=[appt.pk, "held"]))
    assert r.status_code == 400
    assert Appointment.objects.get(pk=appt.pk).status == "accepted"


def test_held_once_the_agreed_time_has_come(client_for, delegate, station, delegate_user):
    appt = _accepted(delegate, station, timezone.now() - dt.timedelta(minutes=5))
    r = client_for(delegate_user).post(f"/api/v1/appointments/{appt.pk}/held/", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "held"
