from celery.schedules import crontab

# Both run daily: a day the worker is down is caught up the next day, and the dedupe key of each message
# (project + month, milestone + due date) makes every reminder go out exactly once per occasion.
BEAT_SCHEDULE = {
    "voting-progress-reminders": {
        "task": "voting.tasks.remind_progress_reports",
        "schedule": crontab(hour=9, minute=0),
    },
    "voting-overdue-milestones": {
        "task": "voting.tasks.warn_overdue_milestones",
        "schedule": crontab(hour=8, minute=30),
    },
}
