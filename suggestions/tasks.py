"""Celery tasks: thin wrappers around services, each safe to run twice (a second run sends nothing new)."""

from celery import shared_task


@shared_task
def remind_referrals() -> int:
    """Remind units of referrals due within REMINDER_WORKDAYS working days."""
    from .jobs import referral_reminders_send

    return referral_reminders_send()


@shared_task
def mark_overdue() -> int:
    """Flag referrals past their due date, and suggestions whose staff step (triage, referral) is, and warn
    the staff."""
    from .jobs import referrals_overdue_mark, staff_steps_overdue_mark

    return referrals_overdue_mark() + staff_steps_overdue_mark()


@shared_task
def warn_triage_overdue() -> int:
    from .jobs import triage_overdue_warn

    return triage_overdue_warn()


@shared_task
def close_expired() -> int:
    """Close replied suggestions whose rating window has lapsed."""
    from .jobs import suggestion_close_expired

    return suggestion_close_expired()


@shared_task
def daily_sweep() -> dict[str, int]:
    """Redo whatever an outage lost: reception items without suggestions, rating requests never sent,
    reminders, overdue flags and closings."""
    from .jobs import daily_sweep as sweep

    return sweep()


@shared_task
def suggestions_from_reception_log(log_id: int) -> int:
    from .services.intake import suggestions_from_reception_log as make

    return len(make(log_id=log_id))


@shared_task
def refresh_stats() -> int | None:
    """Fold recent changes into the monthly statistics cells, so dashboards rarely have to."""
    from .stats import refresh

    return refresh()


@shared_task
def rebuild_stats() -> int | None:
    """Recompute every statistics cell from the suggestions and referrals (nightly safety net)."""
    from .stats import refresh

    return refresh(full=True)
