"""The beat scheduler survives a missing schedule directory, and /healthz reports whether it is alive."""

import datetime as dt

import pytest
from celery.beat import Service
from django.utils import timezone

from liaison.beat import heartbeat_record
from liaison.celery import app
from liaison.core.models import Heartbeat

pytestmark = pytest.mark.django_db


def _beat(schedule_filename: str):
    """The scheduler as `celery beat` and `worker -B` build it, with the class named in the settings."""
    return Service(
        app, schedule_filename=schedule_filename, scheduler_cls=app.conf.beat_scheduler
    ).get_scheduler()


def test_the_beat_creates_a_missing_schedule_directory_and_its_heartbeat_turns_healthz_green(tmp_path, api):
    schedule = tmp_path / "var" / "not-yet-there" / "celerybeat-schedule"
    assert api.get("/healthz").status_code == 503  # no beat has ever run

    scheduler = _beat(str(schedule))
    try:
        assert scheduler.tick() <= 60  # it wakes at least once a minute, so the heartbeat stays fresh
    finally:
        scheduler.close()

    assert schedule.parent.is_dir()
    assert timezone.now() - Heartbeat.objects.get(name="beat").at < dt.timedelta(seconds=5)
    r = api.get("/healthz")
    assert r.status_code == 200 and r.json()["checks"]["beat"] == "ok"


def test_healthz_is_503_when_the_beats_heartbeat_is_stale(api, settings):
    heartbeat_record(at=timezone.now() - dt.timedelta(seconds=settings.BEAT_STALE_AFTER + 1))
    r = api.get("/healthz")
    assert r.status_code == 503
    assert r.json()["status"] == "error"
    assert r.json()["checks"]["beat"].startswith("error: last heartbeat")
    assert r.json()["checks"]["database"] == "ok"

    heartbeat_record()
    assert api.get("/healthz").status_code == 200


def test_a_beat_with_the_database_away_keeps_ticking(tmp_path, monkeypatch):
    from django.db import OperationalError

    import liaison.beat

    def down(**kwargs):
        raise OperationalError("database is away")

    monkeypatch.setattr(liaison.beat, "heartbeat_record", down)
    scheduler = _beat(str(tmp_path / "celerybeat-schedule"))
    try:
        assert scheduler.tick() <= 60
    finally:
        scheduler.close()
    assert not Heartbeat.objects.exists()
