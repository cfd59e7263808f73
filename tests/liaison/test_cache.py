"""The Redis cache backend (liaison.cache): one client per pool and the one-round-trip window counter that the
rate limiter uses (the fast path), and Django's public API doing the same when the fast path is unavailable.
Runs where REDIS_URL is set (CI's PostgreSQL + Redis pass)."""

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from liaison import cache as liaison_cache
from liaison import ratelimit

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a Redis server)")


def test_the_fast_path_is_in_use_with_this_django():
    # Without it every cache operation builds a redis.Redis and the counter takes three round trips
    # (bench/README.md, "Resilience"); a Django upgrade that removes what it uses must be noticed.
    assert liaison_cache.fast_path() is True


def test_the_client_is_built_once_per_pool():
    backend = cache._cache  # liaison.cache.RedisCacheClient
    assert backend.get_client(write=True) is backend.get_client(write=True)


def _public_backend(monkeypatch):
    """A backend as it is when Django's internals have changed: Django's public API only."""
    with monkeypatch.context() as m:
        m.setattr(liaison_cache, "_fast_path", False)
        backend = liaison_cache.RedisCache(settings.CACHES["default"]["LOCATION"], settings.CACHES["default"])
    assert backend.fast is False
    return backend


@pytest.mark.parametrize("path", ["fast", "public"])
def test_window_counter_counts_and_always_expires(path, monkeypatch):
    backend = cache if path == "fast" else _public_backend(monkeypatch)
    backend.delete("rl-test")
    assert [backend.incr_window("rl-test", 30) for _ in range(3)] == [1, 2, 3]
    ttl = backend_ttl("rl-test")
    assert 0 < ttl <= 30  # the first hit gave the window's counter its expiry


@pytest.mark.parametrize("path", ["fast", "public"])
def test_reads_and_writes_on_either_path(path, monkeypatch):
    backend = cache if path == "fast" else _public_backend(monkeypatch)
    backend.set("k", {"a": 1}, 30)
    assert backend.get("k") == {"a": 1} and backend.get_many(["k", "missing"]) == {"k": {"a": 1}}
    assert backend.add("k", 2, 30) is False and backend.add("k2", 2, 30) is True
    assert backend.incr("k2") == 3
    assert backend.delete("k") is True and backend.get("k") is None
    if path == "public":
        assert type(backend._cache) is not liaison_cache.RedisCacheClient  # Django's own client


def test_the_health_check_makes_a_real_round_trip():
    cache.check()  # raises if Redis does not answer


def backend_ttl(key: str) -> int:
    client = cache._cache.get_client(write=True)
    return client.ttl(cache.make_and_validate_key(key))


@override_settings(RATE_LIMITS={"suggestion": "2/h"})
def test_rate_limit_allows_the_limit_then_tells_how_long_to_wait():
    assert ratelimit.hit("suggestion", "203.0.113.9") is None
    assert ratelimit.hit("suggestion", "203.0.113.9") is None
    wait = ratelimit.hit("suggestion", "203.0.113.9")
    assert wait is not None and 0 < wait <= 3600
    assert ratelimit.hit("suggestion", "203.0.113.10") is None  # another client has its own count
