"""Deadline sweeps of suggestions, called by Celery beat (suggestions.tasks): reminders, overdue flags,
expired ratings and the daily catch-up. Every one is safe to run twice."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.notifications.recipients import handling_staff, unit_recipients
from liaison.notifications.services import notify
from liaison.workdays import add_workdays
from stations.models import HandlingUnit, ReceptionLogItem

from .conf import conf
from .models import STAFF_STEP_STATUSES as S_STAFF
from .models import QueueRank, Referral, Suggestion
from .services._common import (
    K,
    S,
    _end_open_referrals,
    _event,
    _lock,
    _lock_referral,
    _notify_staff,
    _save,
    _step,
    _today,
)
from .services.intake import suggestions_from_reception_log
from .services.ratings import _request_rating


def suggestion_close_expired(*, today: dt.date | None = None) -> int:
    """Close every replied suggestion whose rating window has lapsed. Each one in its own transaction."""
    today = today or _today()
    closed = 0
    ids = list(Suggestion.objects.filter(status=S.REPLIED, rating_due__lt=today).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            s = _lock(pk)
            if s.status != S.REPLIED or s.rating_due is None or s.rating_due >= today:
                continue
            now = timezone.now()
            s.status, s.closed_at = S.CLOSED, now
            _step(s, None, None)
            _save(s, "status", "closed_at")
            _event(s, K.CLOSED, data={"expired": True}, at=now)
            _end_open_referrals(s, why=_("意见建议已办结"), at=now)
            closed += 1
    return closed


def referral_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind each unit once when an open referral's due date is REMINDER_WORKDAYS working days away (or
    less: a run missed during an outage is caught up by the next). The notify() key holds the due date, so
    an extended referral is reminded again before its new date."""
    today = today or _today()
    horizon = add_workdays(today, conf.REMINDER_WORKDAYS)
    refs = (
        Referral.objects.filter(status__in=Referral.OPEN_STATUSES, due__gte=today, due__lte=horizon)
        .select_related("suggestion", "unit")
        .prefetch_related("unit__users")
        .order_by("pk")
    )
    sent = 0
    for ref in refs.iterator(chunk_size=500):
        with transaction.atomic():
            sent += notify(
                unit_recipients(ref.unit),
                kind="referral_reminder",
                key=f"referral-reminder:{ref.pk}:{ref.due.isoformat()}",
                subject=_("转办件将于 %(due)s 到期，请按时答复：%(title)s")
                % {"due": ref.due.isoformat(), "title": ref.suggestion.title[:40]},
                link=reverse("suggestions-unit-detail", args=[ref.pk]),
            )
    return sent


def referrals_overdue_mark(*, today: dt.date | None = None) -> int:
    """Flag referrals whose due date has passed unanswered and warn the staff (and the unit), once each."""
    today = today or _today()
    ids = list(
        Referral.objects.filter(
            status__in=Referral.OPEN_STATUSES, due__lt=today, overdue_at=None
        ).values_list("pk", flat=True)
    )
    marked = 0
    for pk in ids:
        with transaction.atomic():
            s, ref = _lock_referral(pk)
            if ref.status not in Referral.OPEN_STATUSES or ref.overdue_at or ref.due >= today:
                continue
            now = timezone.now()
            ref.overdue_at = now
            ref.save(update_fields=["overdue_at", "updated_at"])
            if ref.role == Referral.Role.LEAD and s.status == S.REFERRED:
                s.is_overdue = True
                _save(s)
            _event(
                s,
                K.OVERDUE,
                referral=ref,
                public=False,
                data={"unit": ref.unit.name, "due": ref.due.isoformat()},
                at=now,
            )
            _notify_staff(
                s,
                handling_staff(s.area),
                kind="referral_overdue",
                key=f"referral-overdue:{ref.pk}:{ref.due.isoformat()}",
                subject=_("超期未答复：%(unit)s，期限 %(due)s，%(title)s")
                % {"unit": ref.unit.name, "due": ref.due.isoformat(), "title": s.title[:40]},
            )
            notify(
                unit_recipients(HandlingUnit.objects.prefetch_related("users").get(pk=ref.unit_id)),
                kind="referral_overdue_unit",
                key=f"referral-overdue-unit:{ref.pk}:{ref.due.isoformat()}",
                subject=_("转办件已超过答复期限 %(due)s，请尽快答复：%(title)s")
                % {"due": ref.due.isoformat(), "title": s.title[:40]},
                link=reverse("suggestions-unit-detail", args=[ref.pk]),
            )
            marked += 1
    return marked


def staff_steps_overdue_mark(*, today: dt.date | None = None) -> int:
    """Flag every suggestion whose staff step is past its deadline — awaiting triage (submitted) or referral
    (accepted, reopened by a rating, under 督办) — and warn the handling staff, once per deadline. Returns the
    number of notices written."""
    today = today or _today()
    # The queue's partial index (queue_rank, step_due) finds them: rank STAFF is a staff step not yet flagged.
    ids = list(
        Suggestion.objects.filter(
            status__in=Suggestion.OPEN_STATUSES, queue_rank=QueueRank.STAFF, step_due__lt=today
        ).values_list("pk", flat=True)
    )
    sent = 0
    for pk in ids:
        with transaction.atomic():
            s = _lock(pk)
            if s.status not in S_STAFF or s.is_overdue or s.step_due is None or s.step_due >= today:
                continue
            s.is_overdue = True
            _save(s)
            due = s.step_due.isoformat()
            triage = s.status == S.SUBMITTED
            _event(s, K.TRIAGE_OVERDUE if triage else K.REFER_OVERDUE, public=False, data={"due": due})
            sent += _notify_staff(
                s,
                handling_staff(s.area),
                kind="triage_overdue" if triage else "refer_overdue",
                key=f"{'triage' if triage else 'refer'}-overdue:{s.pk}:{due}",
                subject=(
                    _("超期未受理（期限 %(due)s）：%(title)s")
                    if triage
                    else _("超期未交办（期限 %(due)s）：%(title)s")
                )
                % {"due": due, "title": s.title[:40]},
            )
    return sent


def triage_overdue_warn(*, today: dt.date | None = None) -> int:
    """The daily catch-up of staff_steps_overdue_mark (which the hourly job runs)."""
    return staff_steps_overdue_mark(today=today)


def rating_requests_sweep() -> int:
    """Ask for the ratings a lost transaction or a bulk load never asked for."""
    done = 0
    for pk in Suggestion.objects.filter(status=S.REPLIED, rating_requested_at=None).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            s = _lock(pk)
            if s.status == S.REPLIED and s.rating_requested_at is None:
                _request_rating(s)
                done += 1
    return done


def reception_items_sweep(*, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Turn reception-log items into suggestions where the after-commit hook never ran (worker or process
    died between commit and hook)."""
    cutoff = timezone.now() - older_than
    log_ids = (
        ReceptionLogItem.objects.filter(suggestion__isnull=True, log__created_at__lte=cutoff)
        .exclude(content="")
        .values_list("log_id", flat=True)
        .distinct()
    )
    return sum(len(suggestions_from_reception_log(log_id=pk)) for pk in list(log_ids))


def daily_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Everything the on-commit hooks and the hourly jobs should have done; each step is idempotent."""
    return {
        "reception_items": reception_items_sweep(),
        "rating_requests": rating_requests_sweep(),
        "reminders": referral_reminders_send(today=today),
        "overdue": referrals_overdue_mark(today=today),
        "staff_steps_overdue": staff_steps_overdue_mark(today=today),
        "closed_expired": suggestion_close_expired(today=today),
    }
