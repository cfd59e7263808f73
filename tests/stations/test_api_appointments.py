"""Appointments: a constituent asks a delegate to meet; the delegate (or area staff) accepts, declines, marks held."""

import datetime as dt
import logging

import pytest
from django.conf import settings
from django.utils import timezone

from liaison.notifications.models import Notification
from liaison.notifications.services import deliver_notification
from liaison.ratelimit import parse_rate
from stations.models import Appointment
from tests.factories import AppointmentFactory, DelegateFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/appointments/"
PHONE = "13812341234"
MASKED = "138****1234"


def _body(who, **over):
    body = {"delegate": who.pk, "name": "王小明", "phone": PHONE, "subject": "想反映小区停车难"}
    body.update(over)
    return body


def _future(days=3):
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0).isoformat()


@pytest.fixture
def appointment(delegate, station):
    return AppointmentFactory(delegate=delegate, station=station, name="王小明", phone=PHONE)


# --- asking ------------------------------------------------------------------------------------------------


def test_anonymous_request_is_201_with_code_and_status(api, delegate, station, delegate_user):
    r = api.post(
        URL, _body(delegate, station=station.pk, preferred_date=str(timezone.localdate())), format="json"
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert set(body) == {"code", "status"}
    assert body["status"] == "requested"
    appt = Appointment.objects.get(code=body["code"])
    assert (appt.delegate, appt.station, appt.phone) == (delegate, station, PHONE)
    # The delegate hears about it in the inbox, without the constituent's number in the message.
    note = Notification.objects.get(kind="appointment_requested", channel="inbox")
    assert note.recipient == delegate_user
    assert PHONE not in note.subject + note.body


def test_a_delegate_without_an_account_is_told_by_sms(api, delegate):
    assert api.post(URL, _body(delegate), format="json").status_code == 201
    note = Notification.objects.get(kind="appointment_requested")
    assert (note.channel, note.address) == ("sms", delegate.mobile)


@pytest.mark.parametrize("phone", ["12345", "23812341234", "1381234123a", "138123412345", ""])
def test_invalid_phone_is_400(api, delegate, phone):
    r = api.post(URL, _body(delegate, phone=phone), format="json")
    assert r.status_code == 400
    assert "phone" in r.json()
    assert not Appointment.objects.exists()


def test_inactive_or_unknown_delegate_is_400(api, delegate):
    retired = DelegateFactory(is_active=False)
    for value in (retired.pk, 999999, "abc", None):
        r = api.post(URL, _body(delegate, delegate=value), format="json")
        assert r.status_code == 400, value
        assert "delegate" in r.json()
    assert not Appointment.objects.exists()


def test_station_the_delegate_is_not_in_is_400(api, delegate, other_station):
    r = api.post(URL, _body(delegate, station=other_station.pk), format="json")
    assert r.status_code == 400
    assert r.json()["detail"] == "该代表不在所选联络站。"
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "over",
    [
        {"preferred_date": "2020-01-01"},
        {"preferred_date": "not-a-date"},
        {"name": ""},
        {"name": "名" * 51},
        {"subject": ""},
        {"subject": "事" * 1001},
        {"station": "abc"},
    ],
)
def test_other_bad_input_is_400_and_creates_nothing(api, delegate, over):
    r = api.post(URL, _body(delegate, **over), format="json")
    assert r.status_code == 400, r.content
    assert not Appointment.objects.exists()


def test_malformed_json_is_400(api, delegate):
    r = api.generic("POST", URL, '{"delegate": ', content_type="application/json")
    assert r.status_code == 400
    assert "detail" in r.json()


def test_requests_are_rate_limited_per_client(api, delegate):
    limit, _period = parse_rate(settings.RATE_LIMITS["appointment"])
    for i in range(limit):
        assert api.post(URL, _body(delegate), format="json").status_code == 201, i
    r = api.post(URL, _body(delegate), format="json")
    assert r.status_code == 429
    assert "detail" in r.json()
    assert Appointment.objects.count() == limit
    # Another client is not affected, and reading is never limited.
    assert api.post(URL, _body(delegate), format="json", REMOTE_ADDR="10.0.0.9").status_code == 201


# --- reading -----------------------------------------------------------------------------------------------


def test_the_asked_delegate_sees_the_full_contact(client_for, appointment, delegate_user):
    r = client_for(delegate_user).get(URL)
    assert r.status_code == 200
    (row,) = r.json()["results"]
    assert row["code"] == appointment.code and row["status"] == "requested"
    assert (row["name"], row["phone"]) == ("王小明", PHONE)


def test_area_staff_see_name_and_phone_masked(client_for, appointment, staff, city_staff):
    for user in (staff, city_staff):
        r = client_for(user).get(URL)
        (row,) = r.json()["results"]
        assert (row["name"], row["phone"]) == ("王**", MASKED)
        assert PHONE not in r.content.decode() and "王小明" not in r.content.decode()


def test_others_see_nothing(api, client_for, appointment, other_delegate_user, other_staff, unit_user):
    assert api.get(URL).status_code == 401
    for user in (other_delegate_user, other_staff, unit_user):
        r = client_for(user).get(URL)
        assert r.status_code == 200 and r.json()["results"] == [], user.username


def test_list_queries_do_not_grow(client_for, delegate, station, staff, django_assert_max_num_queries):
    AppointmentFactory.create_batch(30, delegate=delegate, station=station)
    c = client_for(staff)
    for size in (5, 25):
        # the staff member's area path, count, page joined with delegate and station.
        with django_assert_max_num_queries(3):
            r = c.get(URL, {"page_size": size})
        assert len(r.json()["results"]) == size


# --- transitions -------------------------------------------------------------------------------------------


def _act(client, appt, action, **data):
    return client.post(f"{URL}{appt.pk}/{action}/", data, format="json")


def _sms_lines(caplog):
    """Deliver every pending SMS (as the task would) and return the lines the logging backend wrote."""
    caplog.clear()
    for pk in Notification.objects.filter(channel="sms", status="pending").values_list("pk", flat=True):
        deliver_notification(notification_id=pk)
    return [r.getMessage() for r in caplog.records if r.name == "liaison.sms"]


def test_accept_then_held_notifies_the_constituent_once_each(client_for, appointment, delegate_user, caplog):
    caplog.set_level(logging.INFO, logger="liaison.sms")
    c = client_for(delegate_user)
    when = _future()
    r = _act(c, appointment, "accept", scheduled_at=when, place="城关街道中心联络站")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "accepted"
    appointment.refresh_from_db()
    assert appointment.status == "accepted" and appointment.scheduled_at is not None

    lines = _sms_lines(caplog)
    assert len(lines) == 1 and lines[0].startswith(f"SMS to {MASKED}: ") and "接受" in lines[0]

    assert _act(c, appointment, "accept", scheduled_at=_future(5)).status_code == 409
    assert _act(c, appointment, "decline", reason="没空").status_code == 409
    assert _sms_lines(caplog) == []  # refused transitions send nothing

    # The meeting takes place at the agreed time; only then can it be marked held.
    Appointment.objects.filter(pk=appointment.pk).update(scheduled_at=timezone.now() - dt.timedelta(hours=1))
    r = _act(c, appointment, "held")
    assert r.status_code == 200 and r.json()["status"] == "held"
    lines = _sms_lines(caplog)
    assert len(lines) == 1 and lines[0].startswith(f"SMS to {MASKED}: ")
    assert _act(c, appointment, "held").status_code == 409
    assert _sms_lines(caplog) == []
    assert Notification.objects.filter(channel="sms", address=PHONE).count() == 2


def test_decline_needs_a_reason_and_notifies_once(client_for, appointment, delegate_user, caplog):
    caplog.set_level(logging.INFO, logger="liaison.sms")
    c = client_for(delegate_user)
    for data in ({}, {"reason": ""}, {"reason": "   "}):
        r = _act(c, appointment, "decline", **data)
        assert r.status_code == 400 and "reason" in r.json()
    appointment.refresh_from_db()
    assert appointment.status == "requested"

    r = _act(c, appointment, "decline", reason="近期在外地出差，请改约其他代表")
    assert r.status_code == 200 and r.json()["status"] == "declined"
    lines = _sms_lines(caplog)
    assert len(lines) == 1 and "出差" in lines[0]
    assert _act(c, appointment, "decline", reason="再说一次").status_code == 409
    assert _act(c, appointment, "held").status_code == 409
    assert _sms_lines(caplog) == []


def test_held_before_accept_is_409(client_for, appointment, delegate_user):
    r = _act(client_for(delegate_user), appointment, "held")
    assert r.status_code == 409
    assert r.json()["code"] == "invalid_transition"
    appointment.refresh_from_db()
    assert appointment.status == "requested"


@pytest.mark.parametrize("scheduled_at", ["2020-01-01T09:00:00+08:00", "tomorrow", ""])
def test_accept_needs_a_future_time(client_for, appointment, delegate_user, scheduled_at):
    r = _act(client_for(delegate_user), appointment, "accept", scheduled_at=scheduled_at)
    assert r.status_code == 400 and "scheduled_at" in r.json()
    appointment.refresh_from_db()
    assert appointment.status == "requested"


def test_area_staff_may_answer_for_the_delegate(client_for, appointment, staff):
    r = _act(client_for(staff), appointment, "accept", scheduled_at=_future())
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert r.json()["phone"] == MASKED


def test_another_delegate_or_county_gets_404_on_actions(
    client_for, appointment, other_delegate_user, other_staff
):
    for user in (other_delegate_user, other_staff):
        c = client_for(user)
        assert _act(c, appointment, "accept", scheduled_at=_future()).status_code == 404
        assert _act(c, appointment, "decline", reason="不行").status_code == 404
        assert _act(c, appointment, "held").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "requested"


def test_actions_need_a_login(api, client_for, appointment, unit_user):
    assert _act(api, appointment, "accept", scheduled_at=_future()).status_code == 401
    assert _act(client_for(unit_user), appointment, "accept", scheduled_at=_future()).status_code == 404
    assert _act(api, Appointment(pk=999999), "held").status_code == 401
