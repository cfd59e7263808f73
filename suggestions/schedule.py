from celery.schedules import crontab

# Hourly jobs are idempotent (notify() keys hold object, kind and deadline), so running them often only
# shortens the delay after an outage; the daily sweep redoes anything an on-commit hook lost.
BEAT_SCHEDULE = {
    "suggestions-remind-referrals": {
        "task": "suggestions.tasks.remind_referrals",
        "schedule": crontab(minute=5),
    },
    "suggestions-mark-overdue": {"task": "suggestions.tasks.mark_overdue", "schedule": crontab(minute=10)},
    "suggestions-triage-overdue": {
        "task": "suggestions.tasks.warn_triage_overdue",
        "schedule": crontab(hour=8, minute=15),
    },
    "suggestions-close-expired": {"task": "suggestions.tasks.close_expired", "schedule": crontab(minute=20)},
    "suggestions-refresh-stats": {"task": "suggestions.tasks.refresh_stats", "schedule": crontab(minute="*")},
    "suggestions-rebuild-stats": {
        "task": "suggestions.tasks.rebuild_stats",
        "schedule": crontab(hour=3, minute=40),
    },
    "suggestions-daily-sweep": {
        "task": "suggestions.tasks.daily_sweep",
        "schedule": crontab(hour=2, minute=30),
    },
}
