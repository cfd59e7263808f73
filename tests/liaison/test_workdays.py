"""The working-day calendar against the official 2026 holidays (chinesecalendar's data), overrides and
the Monday-Friday fallback for a year the package does not know."""

import datetime as dt
import logging

import chinese_calendar
import pytest
from django.test import RequestFactory

from liaison import workdays
from liaison.context_processors import portal
from liaison.core.models import WorkdayOverride
from liaison.workdays import add_workdays, is_workday, next_workday, unknown_years, workdays_between

pytestmark = pytest.mark.django_db

D = dt.date
# The first year chinesecalendar has no data for; every year after it is unknown too.
UNKNOWN_YEAR = 2027


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch):
    """The "warned once" memory is per process; each test starts with none."""
    monkeypatch.setattr(workdays, "_warned_years", set())


def test_the_package_data_is_what_these_tests_assume():
    # 2026: National Day 10-01..10-07 with Saturday 10-10 worked; Spring Festival 02-15..02-23 with
    # Saturdays 02-14 and 02-28 worked. If the package changes its data, the tests below must be revisited.
    assert not chinese_calendar.is_workday(D(2026, 10, 1))
    assert not chinese_calendar.is_workday(D(2026, 10, 7))
    assert chinese_calendar.is_workday(D(2026, 10, 10))  # Saturday, adjusted workday (调休上班)
    assert chinese_calendar.is_workday(D(2026, 2, 14))  # Saturday, adjusted workday
    assert not chinese_calendar.is_workday(D(2026, 2, 23))  # Monday, still Spring Festival
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(UNKNOWN_YEAR, 6, 1))


def test_add_workdays_skips_the_national_day_week():
    # Tue 09-29 → Wed 09-30 (1), [10-01..10-07 holiday], Thu 10-08 (2), Fri 10-09 (3).
    assert add_workdays(D(2026, 9, 29), 3) == D(2026, 10, 9)
    # ... and counts the adjusted Saturday 10-10 as the 4th; Sunday 10-11 is off, Monday 10-12 the 5th.
    assert add_workdays(D(2026, 9, 29), 4) == D(2026, 10, 10)
    assert add_workdays(D(2026, 9, 29), 5) == D(2026, 10, 12)


def test_add_workdays_across_spring_festival():
    # Fri 02-13 → Sat 02-14 is an adjusted workday; then nine days off until Tue 02-24.
    assert add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_workdays(D(2026, 2, 13), 2) == D(2026, 2, 24)
    # Starting inside the holiday: the first working day after it counts as 1.
    assert add_workdays(D(2026, 2, 16), 1) == D(2026, 2, 24)


def test_add_workdays_zero_and_negative():
    assert add_workdays(D(2026, 10, 3), 0) == D(2026, 10, 3)
    with pytest.raises(ValueError):
        add_workdays(D(2026, 10, 3), -1)


def test_workdays_between_both_directions():
    # After 09-29 up to and including 10-12: 09-30, 10-08, 10-09, 10-10, 10-12.
    assert workdays_between(D(2026, 9, 29), D(2026, 10, 12)) == 5
    assert workdays_between(D(2026, 10, 12), D(2026, 9, 29)) == -5
    assert workdays_between(D(2026, 10, 1), D(2026, 10, 7)) == 0
    assert workdays_between(D(2026, 10, 9), D(2026, 10, 9)) == 0
    # It is the inverse of add_workdays.
    start = D(2026, 2, 10)
    for n in range(0, 15):
        assert workdays_between(start, add_workdays(start, n)) == n


def test_next_workday():
    assert next_workday(D(2026, 10, 1)) == D(2026, 10, 8)
    assert next_workday(D(2026, 10, 9)) == D(2026, 10, 9)  # already a working day
    assert next_workday(D(2026, 10, 10)) == D(2026, 10, 10)  # an adjusted Saturday is a working day
    assert next_workday(D(2026, 10, 11)) == D(2026, 10, 12)
    assert next_workday(D(2026, 2, 15)) == D(2026, 2, 24)


def test_an_override_row_wins_over_the_package():
    # The package says 10-08 is a working day and 10-10 is one too; a deployment moves them.
    WorkdayOverride.objects.create(date=D(2026, 10, 8), is_workday=False, note="本地延长假期")
    WorkdayOverride.objects.create(date=D(2026, 10, 11), is_workday=True, note="本地调休")
    assert not is_workday(D(2026, 10, 8))
    assert is_workday(D(2026, 10, 11))
    assert next_workday(D(2026, 10, 1)) == D(2026, 10, 9)
    # 09-30 (1), 10-09 (2), 10-10 (3), 10-11 (4)
    assert add_workdays(D(2026, 9, 29), 4) == D(2026, 10, 11)
    assert workdays_between(D(2026, 9, 29), D(2026, 10, 11)) == 4


def test_unknown_year_falls_back_to_weekdays_and_warns_once(caplog):
    caplog.set_level(logging.WARNING, logger="liaison.workdays")
    # 2027-01-01 is a Friday: without data it is counted as a working day (the fallback, not the holiday).
    assert is_workday(D(UNKNOWN_YEAR, 1, 1))
    assert not is_workday(D(UNKNOWN_YEAR, 1, 2))  # Saturday
    # Fri 2027-01-01 + 1 → Mon 01-04; + 5 → Fri 01-08.
    assert add_workdays(D(UNKNOWN_YEAR, 1, 1), 1) == D(UNKNOWN_YEAR, 1, 4)
    assert add_workdays(D(UNKNOWN_YEAR, 1, 1), 5) == D(UNKNOWN_YEAR, 1, 8)
    assert workdays_between(D(UNKNOWN_YEAR, 1, 1), D(UNKNOWN_YEAR, 1, 31)) == 20
    warnings = [
        r for r in caplog.records if r.levelno == logging.WARNING and str(UNKNOWN_YEAR) in r.getMessage()
    ]
    assert len(warnings) == 1
    # A span crossing from a known year into the unknown one works too.
    assert add_workdays(D(2026, 12, 30), 3) == D(UNKNOWN_YEAR, 1, 4)  # 12-31, 01-01, 01-04


def test_an_override_is_honoured_for_an_unknown_year():
    WorkdayOverride.objects.create(date=D(UNKNOWN_YEAR, 1, 1), is_workday=False, note="元旦")
    WorkdayOverride.objects.create(date=D(UNKNOWN_YEAR, 1, 2), is_workday=True, note="调休上班")
    assert not is_workday(D(UNKNOWN_YEAR, 1, 1))
    assert is_workday(D(UNKNOWN_YEAR, 1, 2))
    assert next_workday(D(UNKNOWN_YEAR, 1, 1)) == D(UNKNOWN_YEAR, 1, 2)
    assert add_workdays(D(2026, 12, 31), 2) == D(UNKNOWN_YEAR, 1, 4)  # 01-02 (Sat, worked), 01-04


def test_unknown_years():
    assert unknown_years(D(2025, 6, 1)) == []
    assert unknown_years(D(2026, 6, 1)) == [UNKNOWN_YEAR]
    assert unknown_years(D(UNKNOWN_YEAR, 6, 1)) == [UNKNOWN_YEAR, UNKNOWN_YEAR + 1]
    # Entering a year's holidays in the override table makes it known.
    WorkdayOverride.objects.create(date=D(UNKNOWN_YEAR, 10, 1), is_workday=False, note="国庆节")
    assert unknown_years(D(2026, 6, 1)) == []
    assert unknown_years(D(UNKNOWN_YEAR, 6, 1)) == [UNKNOWN_YEAR + 1]


@pytest.fixture
def in_late_2026(monkeypatch):
    """Pin "today" to a day in 2026, when next year's holidays are not in the package."""
    monkeypatch.setattr(workdays, "_today", lambda: D(2026, 11, 23))


def _context_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return portal(request)


def test_calendar_notice_is_shown_to_admins_only(in_late_2026, admin_user, staff, unit_user, delegate_user):
    from django.contrib.auth.models import AnonymousUser

    assert _context_for(admin_user)["calendar_notice_years"] == [UNKNOWN_YEAR]
    for user in (staff, unit_user, delegate_user, AnonymousUser()):
        assert _context_for(user)["calendar_notice_years"] == []


def test_calendar_notice_disappears_once_the_year_is_entered(in_late_2026, admin_user):
    WorkdayOverride.objects.create(date=D(UNKNOWN_YEAR, 1, 1), is_workday=False, note="元旦")
    assert _context_for(admin_user)["calendar_notice_years"] == []


def test_an_override_saved_here_counts_at_once(django_capture_on_commit_callbacks):
    # 2026-10-09 (Friday) is a working day by the package; the reply deadline of a referral on 10-08 moves
    # by one day as soon as the county declares 10-09 a local holiday.
    assert add_workdays(D(2026, 10, 8), 1) == D(2026, 10, 9)
    with django_capture_on_commit_callbacks(execute=True):
        WorkdayOverride.objects.create(date=D(2026, 10, 9), is_workday=False, note="本地假期")
    assert add_workdays(D(2026, 10, 8), 1) == D(2026, 10, 10)


def test_an_override_written_by_another_process_counts_within_the_ttl(monkeypatch):
    assert add_workdays(D(2026, 10, 8), 1) == D(2026, 10, 9)
    # bulk_create sends no signal: to this process it is as if another process had written the row.
    WorkdayOverride.objects.bulk_create([WorkdayOverride(date=D(2026, 10, 9), is_workday=False)])
    assert add_workdays(D(2026, 10, 8), 1) == D(2026, 10, 9)  # this process's copy, not yet reloaded
    later = workdays.time.monotonic() + workdays.OVERRIDES_TTL + 1
    monkeypatch.setattr(workdays.time, "monotonic", lambda: later)
    assert add_workdays(D(2026, 10, 8), 1) == D(2026, 10, 10)
