"""The Celery app. Broker: Redis when REDIS_URL is set, otherwise kombu's filesystem transport (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

app = Celery("liaison")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["liaison.notifications"])
