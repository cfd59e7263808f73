from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Hourly: a missed run (worker down) is caught by the next one; each reminder and warning is sent once.
    "supervision-rectifications": {
        "task": "supervision.tasks.sweep_rectifications",
        "schedule": crontab(minute=20),
    },
    "supervision-clue-reminders": {
        "task": "supervision.tasks.remind_clue_requests",
        "schedule": crontab(minute=40),
    },
    "supervision-purge-sms-codes": {
        "task": "supervision.tasks.purge_sms_codes",
        "schedule": crontab(hour=3, minute=30),
    },
}
