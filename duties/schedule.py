from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Hourly: close the rating of report-backs whose window has passed (idempotent).
    "duties-close-report-backs": {
        "task": "duties.tasks.close_report_backs",
        "schedule": crontab(minute=50),
    },
}
