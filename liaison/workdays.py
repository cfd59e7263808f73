"""Working-day calendar: official Chinese holidays and adjusted workdays (调休), plus admin overrides.

Data comes from `chinesecalendar`; `WorkdayOverride` rows win over it. For a year the package does not know and
no override covers, weekdays count as working days: a warning is logged once per year and admins see a notice.
"""

import datetime as dt
import logging

import chinese_calendar
from django.utils import timezone

logger = logging.getLogger(__name__)
_warned_years: set[int] = set()


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    from liaison.core.models import WorkdayOverride

    return dict(WorkdayOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


def _base_is_workday(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "Holiday data for %s is unknown; counting Monday-Friday as working days. "
                "Enter the year's holidays under 工作日调整 in the admin.",
                day.year,
            )
        return day.weekday() < 5


def is_workday(day: dt.date, overrides: dict[dt.date, bool] | None = None) -> bool:
    if overrides is None:
        overrides = _overrides(day, day)
    if day in overrides:
        return overrides[day]
    return _base_is_workday(day)


class _Window:
    """Overrides for a growing date window: one query per stretch of calendar, never one per day."""

    def __init__(self, start: dt.date, days: int):
        self.end = start + dt.timedelta(days=days)
        self.overrides = _overrides(start, self.end)

    def is_workday(self, day: dt.date) -> bool:
        if day > self.end:
            new_end = day + dt.timedelta(days=90)
            self.overrides.update(_overrides(day, new_end))
            self.end = new_end
        return is_workday(day, self.overrides)


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (n >= 0; n == 0 gives `start` itself)."""
    if n < 0:
        raise ValueError("n must not be negative")
    window = _Window(start, n * 2 + 30)  # long holidays rarely stretch a span beyond this
    day, left = start, n
    while left:
        day += dt.timedelta(days=1)
        if window.is_workday(day):
            left -= 1
    return day


def workdays_between(a: dt.date, b: dt.date) -> int:
    """Working days after `a` up to and including `b` (negative when b is before a)."""
    if b < a:
        return -workdays_between(b, a)
    window = _Window(a, (b - a).days)
    count, day = 0, a
    while day < b:
        day += dt.timedelta(days=1)
        if window.is_workday(day):
            count += 1
    return count


def next_workday(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, otherwise the next working day."""
    window = _Window(day, 30)
    while not window.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def _today() -> dt.date:
    return timezone.localdate()


def unknown_years(today: dt.date | None = None) -> list[int]:
    """This year and next, where neither the package nor any override knows the holidays."""
    from liaison.core.models import WorkdayOverride

    today = today or _today()
    missing = []
    for year in (today.year, today.year + 1):
        if package_knows(year):
            continue
        if not WorkdayOverride.objects.filter(date__year=year).exists():
            missing.append(year)
    return missing
