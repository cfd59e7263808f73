"""Thin, idempotent periodic tasks: each calls one service, and a second run sends nothing new (dedupe keys)."""

from celery import shared_task


@shared_task
def remind_progress_reports() -> int:
    from .services.projects import progress_reminders_send

    return progress_reminders_send()


@shared_task
def warn_overdue_milestones() -> int:
    from .services.projects import milestone_overdue_warn

    return milestone_overdue_warn()
