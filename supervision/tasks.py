"""Thin, idempotent wrappers around supervision services: a second run does nothing new."""

from celery import shared_task


@shared_task(acks_late=True)
def sweep_rectifications() -> tuple[int, int]:
    """Reminders before rectification deadlines and overdue warnings, each exactly once."""
    from .services.rectifications import rectifications_sweep

    return rectifications_sweep()


@shared_task(acks_late=True)
def remind_clue_requests() -> int:
    """One reminder to delegates who have not yet answered a clue request, on its last working day."""
    from .services.activities import clue_reminders_sweep

    return clue_reminders_sweep()


@shared_task
def purge_sms_codes() -> int:
    """Nightly: drop one-time codes that expired over a day ago."""
    from .services.sms_codes import sms_codes_purge

    return sms_codes_purge()
