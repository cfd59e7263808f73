"""Reception days already generated follow a holiday override, a schedule change and a roster change made in
the back office; days that have passed or have been logged stay as they were, and the station page says when a
day moved."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.core.models import WorkdayOverride
from liaison.notifications.models import Notification
from liaison.workdays import is_workday, next_workday
from stations.models import ReceptionDay, ReceptionDuty, ReceptionLog
from stations.services import reception_days_generate, reception_days_plan
from tests.factories import DelegateFactory, MembershipFactory, ScheduleFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _ahead(days: int) -> dt.date:
    """A working day at least `days` ahead whose day of month exists in every month, and whose next day is too."""
    day = TODAY + dt.timedelta(days=days)
    while not (is_workday(day) and day.day <= 27):
        day += dt.timedelta(days=1)
    return day


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


@pytest.fixture
def on_duty(tree, station):
    """A delegate with an account on the station's roster."""
    d = DelegateFactory(name="王值班", area=tree.county)
    MembershipFactory(station=station, delegate=d)
    UserFactory(username="duty01", role="delegate", delegate=d)
    return d


@pytest.fixture
def planned(station, on_duty):
    """A monthly schedule on a working day ten or more days ahead, its days generated for 62 days."""
    target = _ahead(10)
    schedule = ScheduleFactory(station=station, day_of_month=target.day)
    schedule.duty_delegates.set([on_duty])
    reception_days_generate(days_ahead=62)
    day = ReceptionDay.objects.get(schedule=schedule, planned_date=target)
    assert day.date == target
    return schedule, day


def test_a_holiday_override_saved_in_the_admin_moves_the_generated_day(
    client, admin_user, station, planned, on_duty, django_capture_on_commit_callbacks
):
    schedule, day = planned
    target = day.date
    with django_capture_on_commit_callbacks(execute=True):
        r = _login(client, admin_user).post(
            reverse("admin:core_workdayoverride_add"),
            {"date": target.isoformat(), "note": "临时停工"},  # is_workday unticked: a day off
        )
    assert r.status_code == 302, r.content.decode()[:2000]
    day.refresh_from_db()
    moved_to = next_workday(target)
    assert moved_to > target and day.date == moved_to
    assert day.planned_date == target and day.previous_date == target
    assert ReceptionDay.objects.filter(schedule=schedule).count() == 2  # moved, not duplicated

    page = client.get(reverse("station-detail", args=[station.pk])).content.decode()
    assert f"接待日已由{_md(target)}调整为{_md(moved_to)}" in page
    told = Notification.objects.filter(
        kind="reception_day_moved", recipient__delegate=on_duty, channel="inbox"
    )
    assert told.count() == 1 and moved_to.isoformat() in told.get().subject

    # Deleting the override puts the day back, and the page no longer speaks of a change.
    override = WorkdayOverride.objects.get(date=target)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("admin:core_workdayoverride_delete", args=[override.pk]), {"post": "yes"})
    assert r.status_code == 302
    day.refresh_from_db()
    assert day.date == target and day.previous_date is None
    assert "调整为" not in client.get(reverse("station-detail", args=[station.pk])).content.decode()


def test_a_schedule_and_roster_edited_in_the_admin_reach_the_generated_days(
    client, staff, station, planned, on_duty, tree, django_capture_on_commit_callbacks
):
    schedule, day = planned
    old = day.date
    new_target = _ahead(3) if _ahead(3).day != old.day else _ahead(4)
    substitute = DelegateFactory(name="李替班", area=tree.county)
    data = {
        "name": station.name,
        "kind": station.kind,
        "area": station.area_id,
        "address": station.address,
        "phone": "",
        "opening_hours": "",
        "description": "",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "schedules-TOTAL_FORMS": "1",
        "schedules-INITIAL_FORMS": "1",
        "schedules-0-id": schedule.pk,
        "schedules-0-station": station.pk,
        "schedules-0-frequency": "monthly",
        "schedules-0-day_of_month": str(new_target.day),
        "schedules-0-start_time": "14:30",
        "schedules-0-end_time": "17:00",
        "schedules-0-duty_delegates": [substitute.pk],
        "schedules-0-is_active": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        r = _login(client, staff).post(reverse("admin:stations_station_change", args=[station.pk]), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    days = list(ReceptionDay.objects.filter(schedule=schedule, date__gt=TODAY).order_by("date"))
    assert len(days) == 2  # one per month, as before
    for d in days:
        assert d.planned_date.day == new_target.day and d.start_time == dt.time(14, 30)
        assert list(ReceptionDuty.objects.filter(day=d).values_list("delegate__name", flat=True)) == [
            "李替班"
        ]
    assert ReceptionDay.objects.filter(pk=day.pk).exists()  # the same day, moved
    day.refresh_from_db()
    assert day.previous_date == old


def test_a_deactivated_schedule_withdraws_its_days_to_come(
    client, staff, station, planned, django_capture_on_commit_callbacks
):
    schedule, _day = planned
    data = {
        "name": station.name,
        "kind": station.kind,
        "area": station.area_id,
        "address": station.address,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "schedules-TOTAL_FORMS": "1",
        "schedules-INITIAL_FORMS": "1",
        "schedules-0-id": schedule.pk,
        "schedules-0-station": station.pk,
        "schedules-0-frequency": "monthly",
        "schedules-0-day_of_month": str(schedule.day_of_month),
        "schedules-0-start_time": "09:00",
        "schedules-0-end_time": "11:30",
        "schedules-0-DELETE": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        r = _login(client, staff).post(reverse("admin:stations_station_change", args=[station.pk]), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    assert not ReceptionDay.objects.filter(station=station, date__gt=TODAY).exists()
    assert Notification.objects.filter(kind="reception_day_withdrawn").exists()


def test_logged_and_past_days_stay_and_a_second_run_changes_nothing(station, planned, on_duty):
    schedule, day = planned
    ReceptionLog.objects.create(station=station, delegate=on_duty, held_on=TODAY, reception_day=day)
    WorkdayOverride.objects.create(date=day.date, is_workday=False)
    result = reception_days_plan(station_ids=[station.pk], days_ahead=62)
    day.refresh_from_db()
    assert day.date == day.planned_date  # someone logged it: it is a record now, not a plan
    assert result.withdrawn == 0
    again = reception_days_plan(days_ahead=62)
    assert (again.created, again.moved, again.withdrawn) == (0, 0, 0)


def test_the_nightly_run_catches_an_override_made_elsewhere(station, planned):
    schedule, day = planned
    WorkdayOverride.objects.create(date=day.date, is_workday=False)  # e.g. written by another process
    result = reception_days_plan(days_ahead=62)
    assert result.moved == 1
    day.refresh_from_db()
    assert day.date == next_workday(day.planned_date) and day.previous_date == day.planned_date
