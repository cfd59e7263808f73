"""A cache outage degrades the public site instead of failing it.

The default cache here is the production backend (liaison.cache.RedisCache) pointed at a port where nothing
listens, so every cache operation fails the way it does when Redis is stopped. Runs on SQLite and PostgreSQL
alike: no Redis server is needed to be without one.
"""

import logging

import pytest
import redis
from django.core.cache.backends import redis as django_redis
from django.test import override_settings
from rest_framework.test import APIClient

from liaison import cache as liaison_cache
from liaison import ratelimit
from liaison.beat import heartbeat_record
from stations.models import Station
from suggestions.models import Suggestion
from tests.conftest import PASSWORD
from tests.factories import StationFactory

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "liaison.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1: connection refused
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


@pytest.fixture
def redis_down(monkeypatch):
    # A fresh outage for each test: what one test logged must not hide what the next one logs.
    monkeypatch.setattr(liaison_cache, "_health", {})
    monkeypatch.setattr(ratelimit, "_local", ratelimit.LocalCounter())
    with override_settings(CACHES=UNREACHABLE_REDIS):
        yield


def _submission(station, **extra):
    return {"title": "路灯不亮", "content": "北新街路灯坏了一周。", "station": station.pk, **extra}


def test_public_pages_and_a_submission_answer_while_the_cache_is_down(redis_down, client, station, delegate):
    for url in [
        "/",
        f"/?area={station.area.code}",
        "/delegates/",
        f"/stations/{station.pk}/",
        f"/delegates/{delegate.pk}/",
        "/suggest/",
        "/projects/",
        "/supervision/",
    ]:
        assert client.get(url).status_code == 200, url

    api = APIClient()
    assert api.get("/api/v1/stations/").json()["count"] == 1
    assert api.get(f"/api/v1/delegates/{delegate.pk}/").json()["name"] == delegate.name

    r = api.post("/api/v1/suggestions/", _submission(station), format="json")
    assert r.status_code == 201
    assert Suggestion.objects.filter(tracking_code=r.json()["tracking_code"]).exists()

    r = client.post(f"/suggest/?station={station.pk}", {**_submission(station), "category": "other"})
    assert r.status_code == 302 and Suggestion.objects.count() == 2

    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["checks"]["cache"].startswith("error")
    assert health.json()["checks"]["database"] == "ok"


def test_token_login_works_while_the_cache_is_down(redis_down, staff):
    r = APIClient().post(
        "/api/v1/auth/token/", {"username": staff.username, "password": PASSWORD}, format="json"
    )
    assert r.status_code == 200 and r.json()["token"]


def test_the_outage_is_logged_once_not_per_request(station, redis_down, client, caplog):
    caplog.set_level(logging.WARNING)
    for _ in range(3):
        assert client.get("/").status_code == 200
        assert client.get("/api/v1/stations/").status_code == 200
    cache_warnings = [r for r in caplog.records if r.name == "liaison.cache" and r.levelno >= logging.WARNING]
    assert len(cache_warnings) == 1


@override_settings(RATE_LIMITS={"suggestion": "2/h"})
def test_without_the_shared_cache_submissions_are_limited_per_process(redis_down, station, caplog):
    caplog.set_level(logging.WARNING)
    api = APIClient()
    assert [
        api.post("/api/v1/suggestions/", _submission(station), format="json").status_code for _ in range(3)
    ] == [
        201,
        201,
        429,
    ]
    assert Suggestion.objects.count() == 2
    fallback_warnings = [r for r in caplog.records if r.name == "liaison.ratelimit"]
    assert len(fallback_warnings) == 1


def test_a_change_to_the_station_network_is_saved_while_the_cache_is_down(redis_down, tree):
    # Saving a station bumps the network version in the cache (stations/cache.py): that must not fail.
    station = StationFactory(name="新建联络站", area=tree.township)
    assert Station.objects.filter(pk=station.pk).exists()


def test_healthz_reports_a_reachable_cache(client, settings, db):
    # The default test cache (LocMemCache, or the real Redis when REDIS_URL is set) answers.
    heartbeat_record()  # as the beat scheduler does each time it wakes
    r = client.get("/healthz")
    assert r.status_code == 200
    checks = r.json()["checks"]
    assert checks["cache"] == "ok"


def test_after_a_failure_redis_is_left_alone_for_a_while_then_tried_again(monkeypatch, caplog):
    monkeypatch.setattr(liaison_cache, "_health", {})
    now = [1000.0]
    monkeypatch.setattr(liaison_cache, "clock", lambda: now[0])
    calls = []
    answers = [redis.exceptions.ConnectionError("refused"), "cached"]

    def parent_get(self, key, default=None, version=None):
        calls.append(key)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(django_redis.RedisCache, "get", parent_get)
    backend = liaison_cache.RedisCache("redis://127.0.0.1:1/0", {})
    caplog.set_level(logging.INFO, logger="liaison.cache")

    assert backend.get("k", "default") == "default"  # the failure is a miss
    assert backend.get("k", "default") == "default"  # within the pause: Redis is not even tried
    with pytest.raises(liaison_cache.CacheUnavailable):
        backend.incr_window("rl", 60)
    assert calls == ["k"]
    now[0] += backend.retry_seconds + 0.1
    assert backend.get("k") == "cached"  # tried again, and it answers
    assert calls == ["k", "k"]
    assert [r.getMessage().split(" is ")[-1][:11] for r in caplog.records] == ["unavailable", "back"]


def test_a_programming_error_is_not_mistaken_for_an_outage(monkeypatch):
    monkeypatch.setattr(liaison_cache, "_health", {})

    def wrong_type(self, key, delta=1, version=None):
        raise redis.exceptions.ResponseError(
            "WRONGTYPE Operation against a key holding the wrong kind of value"
        )

    monkeypatch.setattr(django_redis.RedisCache, "incr", wrong_type)
    backend = liaison_cache.RedisCache("redis://127.0.0.1:1/0", {})
    with pytest.raises(redis.exceptions.ResponseError):
        backend.incr("k")


def test_the_public_api_path_degrades_the_same_way(redis_down, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(liaison_cache, "_fast_path", False)
        backend = liaison_cache.RedisCache("redis://127.0.0.1:1/0", UNREACHABLE_REDIS["default"])
    assert backend.fast is False
    assert backend.get("k", "default") == "default"
    assert backend.add("k", 1) is False
    with pytest.raises(liaison_cache.CacheUnavailable):
        backend.incr_window("rl", 60)
    with pytest.raises(ValueError):
        backend.incr("k")
