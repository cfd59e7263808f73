"""The Redis cache backend (liaison.cache): one client per pool and the one-round-trip window counter that the
rate limiter uses. Runs where REDIS_URL is set (CI's PostgreSQL + Redis pass)."""

import os

import pytest
from django.core.cache import cache
from django.test import override_settings

from liaison import ratelimit

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a Redis server)")


def test_the_client_is_built_once_per_pool():
    backend = cache._cache  # liaison.cache.RedisCacheClient
    assert backend.get_client(write=True) is backend.get_client(write=True)


def test_window_counter_counts_and_always_expires():
    cache.delete("rl-test")
    assert [cache.incr_window("rl-test", 30) for _ in range(3)] == [1, 2, 3]
    ttl = backend_ttl("rl-test")
    assert 0 < ttl <= 30  # the first hit gave the window's counter its expiry


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
