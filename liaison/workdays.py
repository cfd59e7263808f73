"""Working-day calendar: official Chinese holidays and adjusted workdays (调休), plus admin overrides.

Data comes from `chinesecalendar`; `WorkdayOverride` rows win over it. For a year the package does not know and
no override covers, weekdays count as working days: a warning is logged once per year and admins see a notice.
"""

import calendar
import datetime as dt
import logging
import time
from collections.abc import Iterable

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


# The override table is tiny (a few dozen dates a year) and read by every deadline computation, so each process
# keeps all of it in memory. A save or delete in this process drops the copy at once (and again on commit, so
# a row seen before its transaction committed is not kept); other processes reload within OVERRIDES_TTL.
OVERRIDES_TTL = 60.0
_loaded: tuple[float, dict[dt.date, bool]] | None = None


def current_overrides() -> dict[dt.date, bool]:
    global _loaded
    now = time.monotonic()
    if _loaded is None or now - _loaded[0] > OVERRIDES_TTL:
        from liaison.core.models import WorkdayOverride

        _loaded = (now, dict(WorkdayOverride.objects.values_list("date", "is_workday")))
    return _loaded[1]


def forget_overrides(**_kwargs) -> None:
    """Drop this process's copy of the overrides (connected to WorkdayOverride's save and delete)."""
    global _loaded
    _loaded = None


def overrides_changed(**_kwargs) -> None:
    from django.db import transaction

    forget_overrides()
    transaction.on_commit(forget_overrides)


def calendar_changed(dates: Iterable[dt.date]) -> None:
    """The working-day status of `dates` was changed (an override saved or deleted): after commit, tell every
    app that plans dated work by the calendar. An app opts in with an `on_workdays_changed(dates)` method on its
    AppConfig (stations moves the reception days still to come); the calendar itself knows no app above it."""
    from django.apps import apps
    from django.db import transaction

    changed = sorted(set(dates))

    def run() -> None:
        forget_overrides()
        for config in apps.get_app_configs():
            hook = getattr(config, "on_workdays_changed", None)
            if hook:
                hook(changed)

    transaction.on_commit(run)


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
        overrides = current_overrides()
    if day in overrides:
        return overrides[day]
    return _base_is_workday(day)


def add_workdays(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (n >= 0; n == 0 gives `start` itself)."""
    if n < 0:
        raise ValueError("n must not be negative")
    overrides = current_overrides()
    day, left = start, n
    while left:
        day += dt.timedelta(days=1)
        if is_workday(day, overrides):
            left -= 1
    return day


def workdays_between(a: dt.date, b: dt.date) -> int:
    """Working days after `a` up to and including `b` (negative when b is before a)."""
    if b < a:
        return -workdays_between(b, a)
    overrides = current_overrides()
    count, day = 0, a
    while day < b:
        day += dt.timedelta(days=1)
        if is_workday(day, overrides):
            count += 1
    return count


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_workday(day: dt.date) -> dt.date:
    """`day` itself when it is a working day, otherwise the next working day."""
    overrides = current_overrides()
    while not is_workday(day, overrides):
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
