"""The back office (Django admin), scoped by area: staff of 商州区 never see 洛南县's objects."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import User
from stations.models import Appointment, ReceptionDay, Station, StationMembership
from tests.factories import (
    AppointmentFactory,
    DelegateFactory,
    ReceptionDayFactory,
    ScheduleFactory,
)

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _change(model, obj) -> str:
    return reverse(f"admin:stations_{model}_change", args=[obj.pk])


def test_staff_see_only_their_subtree_in_the_station_list(client, staff, station, other_station):
    r = _login(client, staff).get(reverse("admin:stations_station_changelist"))
    assert r.status_code == 200
    body = r.content.decode()
    assert station.name in body and other_station.name not in body


def test_city_staff_see_both_counties(client, city_staff, station, other_station):
    body = _login(client, city_staff).get(reverse("admin:stations_station_changelist")).content.decode()
    assert station.name in body and other_station.name in body


def test_cross_area_staff_get_404_on_another_countys_station(client, staff, station, other_station):
    client = _login(client, staff)
    assert client.get(_change("station", station)).status_code == 200
    assert client.get(_change("station", other_station)).status_code == 404
    assert client.get(reverse("admin:stations_station_history", args=[other_station.pk])).status_code == 404
    assert client.get(reverse("admin:stations_station_delete", args=[other_station.pk])).status_code == 404
    version = other_station.history.latest().history_id
    url = reverse("admin:stations_station_simple_history", args=[other_station.pk, version])
    assert client.get(url).status_code == 404
    r = client.post(_change("station", other_station), {"name": "改名"})
    assert r.status_code == 404
    other_station.refresh_from_db()
    assert other_station.name == "城关镇中心联络站"


def test_history_of_own_station_is_visible(client, staff, station):
    r = _login(client, staff).get(reverse("admin:stations_station_history", args=[station.pk]))
    assert r.status_code == 200


def _station_form(area, **kw):
    data = {
        "name": "新建联络站",
        "kind": "station",
        "area": area.pk,
        "address": "",
        "phone": "",
        "opening_hours": "",
        "description": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "schedules-TOTAL_FORMS": "0",
        "schedules-INITIAL_FORMS": "0",
    }
    data.update(kw)
    return data


def test_staff_add_a_station_only_in_their_subtree(client, staff, tree):
    client = _login(client, staff)
    url = reverse("admin:stations_station_add")
    r = client.post(url, _station_form(tree.other_township))
    assert r.status_code == 200  # the form again: 洛南县's township is not a valid choice
    assert not Station.objects.filter(name="新建联络站").exists()
    r = client.post(url, _station_form(tree.village))
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Station.objects.get(name="新建联络站").area == tree.village


def test_staff_keep_the_roster_and_schedule_inline(client, staff, station, tree):
    delegate = DelegateFactory(name="新进站代表", area=tree.county)
    city_delegate = DelegateFactory(name="市代表甲", level="city", area=tree.city)  # from the congress above
    other = DelegateFactory(name="洛南代表", area=tree.other_county)
    client = _login(client, staff)
    data = _station_form(
        station.area,
        name=station.name,
        kind=station.kind,
        **{
            "memberships-TOTAL_FORMS": "2",
            "memberships-0-delegate": delegate.pk,
            "memberships-0-role": "member",
            "memberships-1-delegate": city_delegate.pk,
            "memberships-1-role": "liaison",
            "schedules-TOTAL_FORMS": "1",
            "schedules-0-frequency": "monthly",
            "schedules-0-day_of_month": "17",
            "schedules-0-start_time": "09:00",
            "schedules-0-end_time": "11:30",
            "schedules-0-duty_delegates": [delegate.pk],
            "schedules-0-is_active": "on",
        },
    )
    r = client.post(_change("station", station), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    assert set(
        StationMembership.objects.filter(station=station).values_list("delegate__name", flat=True)
    ) == {
        "新进站代表",
        "市代表甲",
    }
    assert list(station.schedules.get().duty_delegates.all()) == [delegate]

    # A delegate of the neighbouring county is not a valid choice.
    data["memberships-TOTAL_FORMS"] = "1"
    data["memberships-0-delegate"] = other.pk
    data["schedules-TOTAL_FORMS"] = "0"
    r = client.post(_change("station", station), data)
    assert r.status_code == 200
    assert not StationMembership.objects.filter(delegate=other).exists()


def test_generate_reception_days_action_calls_the_service(client, staff, station):
    ScheduleFactory(station=station, day_of_month=17)
    r = _login(client, staff).post(
        reverse("admin:stations_station_changelist"),
        {"action": "generate_reception_days", "_selected_action": [station.pk]},
    )
    assert r.status_code == 302
    assert ReceptionDay.objects.filter(station=station).exists()


def test_areas_and_units_are_read_only_for_staff(client, staff, tree, unit):
    client = _login(client, staff)
    url = reverse("admin:stations_area_change", args=[tree.township.pk])
    r = client.get(url)
    assert r.status_code == 200 and 'name="name"' not in r.content.decode()  # view only
    assert client.post(url, {"name": "改名"}).status_code == 403
    assert client.get(reverse("admin:stations_area_add")).status_code == 403
    assert client.get(reverse("admin:stations_area_change", args=[tree.other_county.pk])).status_code == 404
    assert client.get(reverse("admin:stations_handlingunit_add")).status_code == 403


def test_every_back_office_list_opens_for_staff(client, staff, station, delegate):
    ReceptionDayFactory(station=station)
    AppointmentFactory(delegate=delegate, station=station)
    client = _login(client, staff)
    for model in [
        "area",
        "station",
        "delegate",
        "stationmembership",
        "receptionday",
        "receptionlog",
        "appointment",
    ]:
        r = client.get(reverse(f"admin:stations_{model}_changelist"))
        assert r.status_code == 200, model
    r = client.get(reverse("admin:index"))
    assert r.status_code == 200 and "联络站" in r.content.decode()


def test_appointment_list_masks_the_phone(client, staff, delegate, other_delegate):
    mine = AppointmentFactory(delegate=delegate, phone="13812345678")
    theirs = AppointmentFactory(delegate=other_delegate)
    client = _login(client, staff)
    body = client.get(reverse("admin:stations_appointment_changelist")).content.decode()
    assert mine.code in body and "138****5678" in body and "13812345678" not in body
    assert theirs.code not in body
    assert client.get(_change("appointment", theirs)).status_code == 404
    assert client.get(reverse("admin:stations_appointment_add")).status_code == 403


def test_mark_held_action_uses_the_service(client, staff, delegate):
    appt = AppointmentFactory(
        delegate=delegate, status="accepted", scheduled_at=timezone.now() - dt.timedelta(hours=1)
    )
    waiting = AppointmentFactory(delegate=delegate)
    _login(client, staff).post(
        reverse("admin:stations_appointment_changelist"),
        {"action": "mark_held", "_selected_action": [appt.pk, waiting.pk]},
    )
    assert Appointment.objects.get(pk=appt.pk).status == "held"
    assert Appointment.objects.get(pk=waiting.pk).status == "requested"  # an illegal transition is skipped


def test_users_are_for_admins_only_and_scoped(client, staff, admin_user, other_staff, tree):
    assert _login(client, staff).get(reverse("admin:accounts_user_changelist")).status_code == 403
    client = _login(client, admin_user)
    body = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "staff_sz" in body and "staff_ln" in body  # the city admin sees both counties


def test_county_admin_cannot_touch_another_countys_users(client, tree, other_staff):
    county_admin = User.objects.create_user(
        "admin_sz", password="pw-Liaison-2026", role="admin", area=tree.county, is_staff=True
    )
    client = _login(client, county_admin)
    body = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "staff_ln" not in body
    assert client.get(reverse("admin:accounts_user_change", args=[other_staff.pk])).status_code == 404


def test_admin_creates_a_staff_user_in_their_subtree(client, admin_user, tree):
    client = _login(client, admin_user)
    r = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new_staff",
            "password1": "Zhan-Gong-2026!",
            "password2": "Zhan-Gong-2026!",
            "role": "staff",
            "area": tree.county.pk,
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    user = User.objects.get(username="new_staff")
    assert user.is_staff and not user.is_superuser and user.area == tree.county


def test_admin_index_shows_the_calendar_notice(client, admin_user, monkeypatch):
    import liaison.workdays

    monkeypatch.setattr(liaison.workdays, "unknown_years", lambda today=None: [2099])
    body = _login(client, admin_user).get(reverse("admin:index")).content.decode()
    assert "2099" in body and "工作日调整" in body


def test_non_staff_cannot_enter_the_back_office(client, delegate_user, station):
    r = _login(client, delegate_user).get(reverse("admin:stations_station_changelist"))
    assert r.status_code == 302 and "/admin/login/" in r["Location"]


def test_reception_day_of_another_county_is_404(client, staff, other_station):
    day = ReceptionDayFactory(station=other_station)
    assert _login(client, staff).get(_change("receptionday", day)).status_code == 404


def test_autocomplete_offers_delegates_of_the_subtree_and_above(client, staff, tree, station):
    DelegateFactory(name="本区代表", area=tree.county)
    DelegateFactory(name="市级代表", level="city", area=tree.city)
    DelegateFactory(name="邻县代表", area=tree.other_county)
    r = _login(client, staff).get(
        reverse("admin:autocomplete"),
        {
            "app_label": "stations",
            "model_name": "stationmembership",
            "field_name": "delegate",
            "term": "代表",
        },
    )
    assert r.status_code == 200
    names = {row["text"].split("（")[0] for row in r.json()["results"]}
    assert names == {"本区代表", "市级代表"}
