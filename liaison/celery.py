"""The Celery app. Broker: Redis when REDIS_URL is set, otherwise kombu's filesystem transport (see settings)."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

app = Celery("liaison")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["liaison.notifications"])


@app.on_after_configure.connect
def _create_filesystem_broker_folders(sender, **kwargs) -> None:
    """Without Redis the broker is kombu's filesystem transport, which fails when its folders are missing. They are
    made here, where the broker is configured, so every process that queues a task (the web server, seed_demo, a
    shell) finds them, not only `run_portal`."""
    if not str(sender.conf.broker_url or "").startswith("filesystem://"):
        return
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


@worker_init.connect
def _require_secret_key(**kwargs) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from liaison.startup import require_secret_key

    try:
        require_secret_key()
    except ImproperlyConfigured as exc:  # Celery logs and ignores exceptions from signal handlers
        raise SystemExit(str(exc)) from exc
