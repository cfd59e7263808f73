from celery.schedules import crontab

BEAT_SCHEDULE = {
    "reception-days-generate": {
        "task": "stations.tasks.generate_reception_days",
        "schedule": crontab(hour=1, minute=10),
    },
    # Hourly: a missed run (worker down) is caught by the next one; the reminder itself is sent once.
    "reception-duty-reminders": {
        "task": "stations.tasks.remind_reception_duty",
        "schedule": crontab(minute=0),
    },
}
