"""Reception days generated from schedules (with holidays moved by the calendar) and the duty reminder."""

import datetime as dt

import pytest
from django.utils import timezone

from liaison.notifications.models import Notification
from stations.models import ReceptionDay, ReceptionDuty, ReceptionSchedule
from stations.services import reception_days_generate, reception_duty_remind
from stations.tasks import remind_reception_duty
from tests.factories import DelegateFactory, MembershipFactory, ReceptionDayFactory, ScheduleFactory

pytestmark = pytest.mark.django_db

D = dt.date


def _days(schedule):
    return list(ReceptionDay.objects.filter(schedule=schedule).order_by("planned_date"))


def test_monthly_schedule_makes_a_day_on_the_17th_with_its_duty_delegates(station, delegate):
    second = DelegateFactory(name="王建设")
    schedule = ScheduleFactory(
        station=station, day_of_month=17, start_time=dt.time(9), end_time=dt.time(11, 30)
    )
    schedule.duty_delegates.set([delegate, second])

    # 2026-11-01 .. 2027-01-01: Tue 11-17 and Thu 12-17, both working days.
    assert reception_days_generate(start=D(2026, 11, 1), days_ahead=61) == 2
    days = _days(schedule)
    assert [(d.date, d.planned_date) for d in days] == [
        (D(2026, 11, 17), D(2026, 11, 17)),
        (D(2026, 12, 17), D(2026, 12, 17)),
    ]
    assert all(d.station == station and d.start_time == dt.time(9) and not d.moved for d in days)
    for d in days:
        assert set(d.duty_delegates.all()) == {delegate, second}


def test_a_day_on_a_holiday_moves_to_the_next_working_day_keeping_its_planned_date(station):
    schedule = ScheduleFactory(station=station, day_of_month=1)
    # 10-01 is National Day; the holiday runs to 10-07, so the day moves to Thursday 10-08.
    reception_days_generate(start=D(2026, 10, 1), days_ahead=30)
    (day,) = _days(schedule)
    assert day.planned_date == D(2026, 10, 1)
    assert day.date == D(2026, 10, 8)
    assert day.moved


def test_a_day_on_a_weekend_moves_to_monday_and_an_adjusted_saturday_stays(station):
    schedule = ScheduleFactory(station=station, day_of_month=17)
    # 2026-10-17 is a Saturday: moves to Monday 10-19.
    reception_days_generate(start=D(2026, 10, 1), days_ahead=30)
    assert [(d.planned_date, d.date) for d in _days(schedule)] == [(D(2026, 10, 17), D(2026, 10, 19))]

    saturday = ScheduleFactory(station=station, day_of_month=10)
    # 2026-10-10 is a Saturday worked in exchange for the National Day holiday: it stays.
    reception_days_generate(start=D(2026, 10, 1), days_ahead=30)
    assert [(d.planned_date, d.date) for d in _days(saturday)] == [(D(2026, 10, 10), D(2026, 10, 10))]


def test_generation_is_idempotent(station, delegate):
    schedule = ScheduleFactory(station=station, day_of_month=17)
    schedule.duty_delegates.set([delegate])
    first = reception_days_generate(start=D(2026, 11, 1), days_ahead=61)
    assert reception_days_generate(start=D(2026, 11, 1), days_ahead=61) == 0
    # An overlapping later window adds only the new month.
    assert reception_days_generate(start=D(2026, 12, 1), days_ahead=62) == 1
    assert first == 2
    assert ReceptionDay.objects.filter(schedule=schedule).count() == 3
    assert ReceptionDuty.objects.filter(delegate=delegate).count() == 3


def test_weekly_schedule(station):
    schedule = ScheduleFactory(
        station=station, frequency=ReceptionSchedule.Frequency.WEEKLY, day_of_month=None, weekday=2
    )
    # Wednesdays from Mon 2026-09-28 for 3 weeks: 09-30, 10-07 (holiday → Thu 10-08), 10-14, (10-19 is the end).
    assert reception_days_generate(start=D(2026, 9, 28), days_ahead=21) == 3
    assert [(d.planned_date, d.date) for d in _days(schedule)] == [
        (D(2026, 9, 30), D(2026, 9, 30)),
        (D(2026, 10, 7), D(2026, 10, 8)),
        (D(2026, 10, 14), D(2026, 10, 14)),
    ]


def test_day_31_in_a_30_day_month_falls_on_its_last_day(station):
    schedule = ScheduleFactory(station=station, day_of_month=31)
    # November has 30 days (Mon 11-30); December has 31 (Thu 12-31).
    reception_days_generate(start=D(2026, 11, 1), days_ahead=61)
    assert [(d.planned_date, d.date) for d in _days(schedule)] == [
        (D(2026, 11, 30), D(2026, 11, 30)),
        (D(2026, 12, 31), D(2026, 12, 31)),
    ]


def test_inactive_schedules_and_stations_make_no_days(station, other_station):
    ScheduleFactory(station=station, day_of_month=17, is_active=False)
    ScheduleFactory(station=other_station, day_of_month=17)
    other_station.is_active = False
    other_station.save()
    assert reception_days_generate(start=D(2026, 11, 1), days_ahead=61) == 0
    assert ReceptionDay.objects.count() == 0


# --- The duty reminder -------------------------------------------------------------------------------------


@pytest.fixture
def duty_tomorrow(station, delegate, delegate_user):
    """A reception day tomorrow with two delegates on duty: one with an account, one known only by mobile."""
    today = D(2026, 11, 16)
    day = ReceptionDayFactory(station=station, date=today + dt.timedelta(days=1))
    second = DelegateFactory(name="王建设", mobile="13900000002")
    MembershipFactory(station=station, delegate=second)
    ReceptionDuty.objects.create(day=day, delegate=delegate)
    ReceptionDuty.objects.create(day=day, delegate=second)
    return today, day, second


def test_duty_reminder_is_sent_once_per_delegate_and_day(duty_tomorrow, delegate_user):
    today, day, second = duty_tomorrow
    sent = [reception_duty_remind(today=today) for _ in range(3)]
    assert sent == [3, 0, 0]  # inbox + SMS for the delegate with an account, SMS for the other
    reminders = Notification.objects.filter(kind="reception_duty_reminder")
    assert sorted(reminders.values_list("channel", "address")) == [
        ("inbox", ""),
        ("sms", "13900000001"),
        ("sms", "13900000002"),
    ]
    inbox = reminders.get(channel="inbox")
    assert inbox.recipient == delegate_user
    assert day.station.name in inbox.subject and "2026-11-17" in inbox.subject


def test_duty_reminder_skips_cancelled_days_and_other_dates(station, delegate):
    today = D(2026, 11, 16)
    cancelled = ReceptionDayFactory(station=station, date=D(2026, 11, 17), cancelled=True)
    in_two_days = ReceptionDayFactory(station=station, date=D(2026, 11, 18))
    today_day = ReceptionDayFactory(station=station, date=today)
    for day in (cancelled, in_two_days, today_day):
        ReceptionDuty.objects.create(day=day, delegate=delegate)
    assert reception_duty_remind(today=today) == 0
    assert not Notification.objects.exists()
    # The next day, the day after tomorrow has become tomorrow.
    assert reception_duty_remind(today=D(2026, 11, 17)) == 1
    assert Notification.objects.get().dedupe_key.startswith(f"reception-duty:{in_two_days.pk}:")


def test_the_periodic_task_reminds_for_the_real_tomorrow(station, delegate):
    day = ReceptionDayFactory(station=station, date=timezone.localdate() + dt.timedelta(days=1))
    ReceptionDuty.objects.create(day=day, delegate=delegate)
    assert [remind_reception_duty() for _ in range(3)] == [1, 0, 0]
    assert Notification.objects.filter(kind="reception_duty_reminder", address="13900000001").count() == 1
