"""The beat scheduler (settings.CELERY_BEAT_SCHEDULER), standalone (`celery beat`) or embedded (`worker -B`).

Celery's own persistent scheduler dies when the directory of its schedule file is missing, and nothing outside
the beat notices: reminders and sweeps stop while /healthz stays green. This one creates the directory, and
records a heartbeat row each time it wakes (at least every CELERY_BEAT_MAX_LOOP_INTERVAL seconds); /healthz
reports the beat as failed when that row is older than BEAT_STALE_AFTER.
"""

import logging
import time
from datetime import timedelta
from pathlib import Path

from celery.beat import PersistentScheduler
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

logger = logging.getLogger(__name__)

HEARTBEAT = "beat"


def heartbeat_record(*, at=None) -> None:
    from liaison.core.models import Heartbeat

    Heartbeat.objects.update_or_create(name=HEARTBEAT, defaults={"at": at or timezone.now()})


def beat_status() -> str:
    """ "ok" when the beat wrote its heartbeat within BEAT_STALE_AFTER seconds, else "error: …" (for /healthz)."""
    from liaison.core.models import Heartbeat

    at = Heartbeat.objects.filter(name=HEARTBEAT).values_list("at", flat=True).first()
    if at is None:
        return "error: no heartbeat"
    age = timezone.now() - at
    if age > timedelta(seconds=settings.BEAT_STALE_AFTER):
        return f"error: last heartbeat {int(age.total_seconds())} s ago"
    return "ok"


class Scheduler(PersistentScheduler):
    _heartbeat_at: float | None = None

    def setup_schedule(self):
        Path(self.schedule_filename).parent.mkdir(parents=True, exist_ok=True)
        super().setup_schedule()

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        self._heartbeat()
        return interval

    def _heartbeat(self) -> None:
        # Ticks can come in bursts (one per due task): one write per half interval is enough.
        now = time.monotonic()
        if self._heartbeat_at is not None and now - self._heartbeat_at < self.max_interval / 2:
            return
        try:
            if not connection.in_atomic_block:  # never close a connection in the middle of a transaction
                close_old_connections()  # the beat lives for months: drop a connection the database closed
            heartbeat_record()
        except DatabaseError as exc:  # the database being away must not stop the beat; /healthz says so
            logger.warning("Beat heartbeat not recorded: %s", exc)
            return
        self._heartbeat_at = now
