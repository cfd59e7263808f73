"""The Celery app. Broker: Redis when REDIS_URL is set, otherwise kombu's filesystem transport (see settings)."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

app = Celery("liaison")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["liaison.notifications"])


@worker_init.connect
def _require_secret_key(**kwargs) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from liaison.startup import require_secret_key

    try:
        require_secret_key()
    except ImproperlyConfigured as exc:  # Celery logs and ignores exceptions from signal handlers
        raise SystemExit(str(exc)) from exc
