"""Thin, idempotent wrappers around duties services: a second run does nothing new."""

from celery import shared_task


@shared_task(acks_late=True)
def close_report_backs() -> int:
    """Close the rating window of held report-backs whose 7 days have passed."""
    from .services.report_backs import report_backs_close_due

    return report_backs_close_due()
