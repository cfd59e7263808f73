"""Reception days planned from the stations' schedules, kept in step with the schedules and the calendar.

Each schedule holds one session per period (a month for a monthly schedule, an ISO week for a weekly one), on its
planned date or, when that is not a working day, on the next working day. `reception_days_plan` makes the stored
days match that plan up to `days_ahead` ahead:

- a missing day is created with the schedule's duty roster;
- a day still to come that no one has logged and no one has cancelled by hand follows the plan: it moves when a
  holiday override, the schedule's day or its times change (remembering the date it had, so the pages can say
  "接待日已由 X 调整为 Y"), and is withdrawn when its schedule or station is no longer active or the period
  already has a session; the delegates on duty are told through the outbox;
- a day that has passed (or is today), has a reception log, or was cancelled by hand is never touched.

It is idempotent: a second run changes nothing. The nightly beat job runs it for every station; the admin runs it
for one station when its schedules or rosters are saved, and the working-day calendar asks for it (through the
`on_workdays_changed` hook of this app) when a holiday override is saved.
"""

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.notifications.services import notify
from liaison.workdays import next_workday

from .cache import bump_network_version
from .models import Delegate, ReceptionDay, ReceptionDuty, ReceptionLog, ReceptionSchedule

CHUNK = 500


@dataclass
class PlanResult:
    created: int = 0
    moved: int = 0
    withdrawn: int = 0

    def __add__(self, other: "PlanResult") -> "PlanResult":
        return PlanResult(
            self.created + other.created, self.moved + other.moved, self.withdrawn + other.withdrawn
        )


def _planned_dates(schedule: ReceptionSchedule, start: dt.date, end: dt.date) -> list[dt.date]:
    dates = []
    if schedule.frequency == ReceptionSchedule.Frequency.MONTHLY:
        year, month = start.year, start.month
        while dt.date(year, month, 1) <= end:
            last = calendar.monthrange(year, month)[1]
            day = dt.date(year, month, min(schedule.day_of_month, last))
            if start <= day <= end:
                dates.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        day = start + dt.timedelta(days=(schedule.weekday - start.weekday()) % 7)
        while day <= end:
            dates.append(day)
            day += dt.timedelta(days=7)
    return dates


def _period(schedule: ReceptionSchedule, day: dt.date) -> tuple[int, int]:
    if schedule.frequency == ReceptionSchedule.Frequency.MONTHLY:
        return (day.year, day.month)
    iso = day.isocalendar()
    return (iso.year, iso.week)


def reception_days_generate(
    *, start: dt.date | None = None, days_ahead: int | None = None, station_ids=None
) -> int:
    """Bring every schedule's reception days in line with the plan; return how many days were created."""
    return reception_days_plan(start=start, days_ahead=days_ahead, station_ids=station_ids).created


def reception_days_plan(
    *,
    start: dt.date | None = None,
    days_ahead: int | None = None,
    station_ids: Iterable[int] | None = None,
    schedule_ids: Iterable[int] | None = None,
    withdraw_schedule_ids: Iterable[int] = (),
    roster_schedule_ids: Iterable[int] = (),
) -> PlanResult:
    """Make the stored reception days match the schedules and the calendar (see the module's docstring).

    `start` is "today": days on or before it are left alone. `withdraw_schedule_ids` are schedules about to be
    deleted: their days to come are withdrawn as if they were inactive. `roster_schedule_ids` are schedules
    whose duty roster was just edited: their days to come get the new roster (otherwise a day keeps its duties,
    which staff may have changed by hand for that one day).
    """
    start = start or timezone.localdate()
    end = start + dt.timedelta(days=days_ahead or settings.RECEPTION_DAYS_AHEAD)
    withdraw, roster = set(withdraw_schedule_ids), set(roster_schedule_ids)
    schedules = (
        ReceptionSchedule.objects.select_related("station")
        .prefetch_related(Prefetch("duty_delegates", queryset=Delegate.objects.only("id")))
        .order_by("pk")
    )
    if station_ids is not None:
        schedules = schedules.filter(station_id__in=list(station_ids))
    if schedule_ids is not None:
        schedules = schedules.filter(pk__in=list(schedule_ids))
    if station_ids is None and schedule_ids is None:
        # The nightly run over the whole network: inactive schedules matter only while they still have days.
        schedules = schedules.filter(
            Q(is_active=True, station__is_active=True) | Q(days__date__gt=start)
        ).distinct()
    result, batch = PlanResult(), []
    for schedule in schedules.iterator(chunk_size=CHUNK):
        batch.append(schedule)
        if len(batch) == CHUNK:
            result += _plan_chunk(batch, start, end, withdraw, roster)
            batch = []
    if batch:
        result += _plan_chunk(batch, start, end, withdraw, roster)
    if result.created or result.moved or result.withdrawn:
        # bulk writes send no post_save: invalidate the cached public reads explicitly (stations/cache.py).
        bump_network_version()
    return result


@dataclass
class _Changes:
    create: list  # (new day, roster ids)
    move: list  # days whose date, planned date or times change
    sync: list  # (day, roster ids): days to come whose duties follow an edited roster
    withdraw: list


def _plan_chunk(schedules, start, end, withdraw: set, roster: set) -> PlanResult:
    # Every day that can matter: those still to come, and those of the periods around the window's start.
    days = (
        ReceptionDay.objects.filter(schedule__in=[s.pk for s in schedules])
        .filter(Q(date__gt=start) | Q(planned_date__gte=start - dt.timedelta(days=31)))
        .annotate(logged=Exists(ReceptionLog.objects.filter(reception_day=OuterRef("pk"))))
        .select_related("station")
        .prefetch_related(Prefetch("duties", queryset=ReceptionDuty.objects.select_related("delegate__user")))
        .order_by("date", "pk")
    )
    by_schedule = defaultdict(list)
    for day in days:
        by_schedule[day.schedule_id].append(day)
    changes = _Changes([], [], [], [])
    for schedule in schedules:
        _plan_schedule(schedule, by_schedule[schedule.pk], start, end, withdraw, roster, changes)
    with transaction.atomic():
        _apply(changes)
    return PlanResult(len(changes.create), len(changes.move), len(changes.withdraw))


def _plan_schedule(schedule, days, start, end, withdraw, roster, changes: _Changes) -> None:
    movable = [d for d in days if d.date > start and not d.cancelled and not d.logged]
    fixed_periods = {_period(schedule, d.planned_date) for d in days if d not in movable}
    active = schedule.is_active and schedule.station.is_active and schedule.pk not in withdraw
    targets: dict[tuple[int, int], dt.date] = {}
    if active:
        lo = min([start, *(d.planned_date for d in movable)])
        targets = {_period(schedule, p): p for p in _planned_dates(schedule, lo, end)}
    by_period = defaultdict(list)
    for d in movable:
        by_period[_period(schedule, d.planned_date)].append(d)
    duty_ids = [d.pk for d in schedule.duty_delegates.all()]
    for period in sorted(set(targets) | set(by_period)):
        planned, present = targets.get(period), by_period.get(period, [])
        if planned is None or period in fixed_periods:
            changes.withdraw += present  # no session this period, or it already has one
            continue
        keep, extra = (present[0], present[1:]) if present else (None, [])
        changes.withdraw += extra
        date = next_workday(planned)
        if keep is None:
            if planned >= start:
                day = ReceptionDay(
                    station_id=schedule.station_id,
                    schedule=schedule,
                    planned_date=planned,
                    date=date,
                    start_time=schedule.start_time,
                    end_time=schedule.end_time,
                )
                changes.create.append((day, duty_ids))
            continue
        if schedule.pk in roster:
            changes.sync.append((keep, duty_ids))
        if date <= start:
            continue  # never moved into the past or onto today
        new = (planned, date, schedule.start_time, schedule.end_time)
        if new != (keep.planned_date, keep.date, keep.start_time, keep.end_time):
            old_date = keep.date
            keep.planned_date, keep.date, keep.start_time, keep.end_time = new
            if date != old_date:
                keep.previous_date = None if date == keep.previous_date else (keep.previous_date or old_date)
                keep.moved_from = old_date
            changes.move.append(keep)


def _apply(changes: _Changes) -> None:
    for day in changes.withdraw:
        _tell_on_duty(
            day,
            [duty.delegate for duty in day.duties.all()],
            kind="reception_day_withdrawn",
            key=f"reception-day-withdrawn:{day.pk}",
            subject=_("%(station)s %(date)s的接待日已取消") % {"station": day.station.name, "date": day.date},
        )
    if changes.withdraw:
        # A day that got a log meanwhile stays.
        ReceptionDay.objects.filter(pk__in=[d.pk for d in changes.withdraw], logs__isnull=True).delete()
    if changes.move:
        ReceptionDay.objects.bulk_update(
            changes.move,
            ["planned_date", "date", "start_time", "end_time", "previous_date"],
            batch_size=CHUNK,
        )
    for day, ids in changes.sync:  # an edited roster: one station's few days to come
        ReceptionDuty.objects.filter(day=day).exclude(delegate_id__in=ids).delete()
    new_duties = [ReceptionDuty(day_id=day.pk, delegate_id=i) for day, ids in changes.sync for i in ids]
    if changes.create:
        made = ReceptionDay.objects.bulk_create([day for day, _ in changes.create], ignore_conflicts=True)
        rosters = {(day.schedule_id, day.planned_date): ids for day, ids in changes.create}
        # ignore_conflicts leaves pks unset on some databases: read back what this run created.
        created = ReceptionDay.objects.filter(
            schedule_id__in={d.schedule_id for d in made}, planned_date__in={d.planned_date for d in made}
        ).only("id", "schedule_id", "planned_date")
        new_duties += [
            ReceptionDuty(day_id=day.pk, delegate_id=i)
            for day in created
            for i in rosters.get((day.schedule_id, day.planned_date), ())
        ]
    if new_duties:
        ReceptionDuty.objects.bulk_create(new_duties, ignore_conflicts=True)
    resynced = {day.pk for day, _ in changes.sync}
    for day in changes.move:
        if getattr(day, "moved_from", None) is None:
            continue
        if day.pk in resynced:
            on_duty = list(Delegate.objects.filter(duties__day=day).select_related("user"))
        else:
            on_duty = [duty.delegate for duty in day.duties.all()]
        _tell_on_duty(
            day,
            on_duty,
            kind="reception_day_moved",
            key=f"reception-day-moved:{day.pk}:{day.date}",
            subject=_("您在%(station)s的接待日已由%(old)s调整为%(new)s")
            % {"station": day.station.name, "old": day.moved_from, "new": day.date},
        )


def _tell_on_duty(day: ReceptionDay, delegates, *, kind: str, key: str, subject: str) -> None:
    from .services import _delegate_recipient

    if delegates:
        notify(
            [_delegate_recipient(d) for d in delegates],
            kind=kind,
            key=key,
            subject=subject,
            body=day.station.address,
            link=reverse("station-detail", args=[day.station_id]),
        )
