"""The Redis cache backend: it degrades when Redis is away, and it is quick when Redis is there.

Degrading: every cache read that fails because Redis is unreachable is a miss, and every write a no-op, so a
page is computed from the database instead of answering 500. The outage is logged once when it starts and once
when it ends, not per request. After a failure the backend leaves Redis alone for `retry_seconds` (one request
then tries again), so a stopped or unreachable Redis costs a request nothing but that one attempt. The rate
limiter's window counter (`incr_window`) raises `CacheUnavailable` instead, so that liaison.ratelimit can count
per process until Redis is back. `check()` is the health check's real round trip, which never degrades.

Quick: Django's backend builds a new `redis.Redis` for every cache operation. redis-py's constructor copies
its table of ~200 response callbacks each time (~0.05 ms of CPU, a third of a cache hit), and the public
counter (`add` + `incr`: SET NX, EXISTS, INCR) takes three round trips where INCR alone needs one. The fast
path keeps one client per connection pool and counts with INCR (EXPIRE on the window's first hit). It needs
one private method of Django's client (`_get_connection_pool`) and Django's hook for the client class
(`RedisCache._class`, `._cache`); `fast_path()` checks they are there, and without them every operation goes
through Django's public API (the same results, tested; bench/README.md, "Resilience", has the numbers).
"""

import logging
import threading
import time

import redis
from django.core.cache.backends import redis as django_redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.utils.functional import cached_property

logger = logging.getLogger(__name__)

# Errors that mean "Redis is not there right now" (stopped, unreachable, loading, failing over, out of disk or
# memory), as opposed to a programming error such as INCR on a pickled value, which still raises.
OUTAGE_ERRORS = (
    redis.exceptions.ConnectionError,  # refused, reset, DNS, authentication, pool exhausted, loading
    redis.exceptions.TimeoutError,
    redis.exceptions.ReadOnlyError,  # a replica after a failover
    redis.exceptions.OutOfMemoryError,
    redis.exceptions.TryAgainError,
    redis.exceptions.ClusterDownError,
)


def _is_outage(exc: Exception) -> bool:
    if isinstance(exc, OUTAGE_ERRORS):
        return True
    # MISCONF: Redis refuses writes because it cannot persist (disk full); no dedicated exception class.
    return isinstance(exc, redis.exceptions.ResponseError) and str(exc).startswith("MISCONF")


class CacheUnavailable(Exception):
    """The shared cache cannot be reached; raised only where a caller must tell a miss from an outage."""


class _Health:
    """Whether one Redis location is usable, shared by every thread of the process (Django builds one backend
    object per thread, so this cannot live on the backend)."""

    def __init__(self, location: str):
        self.location = location
        self.down_until = 0.0  # monotonic time before which Redis is not tried again; 0.0 while it is up
        self.lock = threading.Lock()

    def skip(self) -> bool:
        return self.down_until != 0.0 and clock() < self.down_until

    def failed(self, exc: Exception, retry_seconds: float) -> None:
        with self.lock:
            first = self.down_until == 0.0
            self.down_until = clock() + retry_seconds
        if first:
            logger.warning(
                "Redis cache at %s is unavailable (%s: %s): serving without the cache, rate limits per process",
                self.location,
                type(exc).__name__,
                exc,
            )

    def succeeded(self) -> None:
        if self.down_until == 0.0:
            return
        with self.lock:
            was_down, self.down_until = self.down_until != 0.0, 0.0
        if was_down:
            logger.info("Redis cache at %s is back", self.location)


clock = time.monotonic  # a module attribute, so that tests can move time on
_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def _health_of(location: str) -> _Health:
    health = _health.get(location)
    if health is None:
        with _health_lock:
            health = _health.setdefault(location, _Health(location))
    return health


class RedisCacheClient(django_redis.RedisCacheClient):
    """Django's client with one `redis.Redis` per connection pool instead of one per operation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients_by_pool: dict[object, redis.Redis] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # Django's (private), checked by fast_path()
        client = self._clients_by_pool.get(pool)
        if client is None:
            # A redis.Redis is thread-safe and its pool survives a fork (it checks the pid).
            client = self._clients_by_pool[pool] = redis.Redis(connection_pool=pool)
        return client

    def incr_window(self, key: str, timeout: int) -> int:
        # INCR, and EXPIRE only for the window's first hit: one round trip for every other hit (a pipeline
        # with MULTI/EXEC cost more client CPU than the second round trip it saved). Callers put the window
        # in the key, so a counter left without its expiry by a crash between the two is still right for its
        # window and is never read after it.
        client = self.get_client(key, write=True)
        count = client.incr(key)
        if count == 1:
            client.expire(key, timeout)
        return int(count)


_fast_path: bool | None = None


def fast_path() -> bool:
    """Whether Django's Redis backend still has the private parts the fast path uses (checked once)."""
    global _fast_path
    if _fast_path is None:
        _fast_path = isinstance(
            getattr(django_redis.RedisCache, "_cache", None), cached_property
        ) and callable(getattr(django_redis.RedisCacheClient, "_get_connection_pool", None))
        if not _fast_path:
            logger.info("Django's Redis backend has changed: the cache uses its public API only")
    return _fast_path


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache backend that degrades instead of failing (see the module's docstring)."""

    retry_seconds = 5.0  # how long an outage leaves Redis alone before one request tries it again

    def __init__(self, server, params):
        super().__init__(server, params)
        self.health = _health_of(server if isinstance(server, str) else ",".join(server))
        self.fast = fast_path() and hasattr(self, "_class")
        if self.fast:
            self._class = RedisCacheClient  # Django's hook for the client class (private)

    def _guard(self, operation, fallback, *args, **kwargs):
        if self.health.skip():
            return fallback
        try:
            result = operation(*args, **kwargs)
        except Exception as exc:
            if not _is_outage(exc):
                raise
            self.health.failed(exc, self.retry_seconds)
            return fallback
        self.health.succeeded()
        return result

    # Reads are misses, writes no-ops, while Redis is away.
    def get(self, key, default=None, version=None):
        return self._guard(super().get, default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._guard(super().has_key, False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().add, False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().set, None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().set_many, list(data), data, timeout, version)  # every key failed

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guard(super().delete, False, key, version)

    def delete_many(self, keys, version=None):
        return self._guard(super().delete_many, None, keys, version)

    def clear(self):
        return self._guard(super().clear, False)

    def incr(self, key, delta=1, version=None):
        missing = object()
        result = self._guard(super().incr, missing, key, delta, version)
        if result is missing:  # as for a key that is not there, which is what a reader now sees
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)

    # The rate limiter's counter and the health check: these tell an outage from a miss.
    def incr_window(self, key: str, timeout: int, version=None) -> int:
        """Count one hit in a fixed window of `timeout` seconds that starts at the first hit.

        Raises CacheUnavailable while Redis cannot be reached.
        """
        if self.health.skip():
            raise CacheUnavailable(self.health.location)
        try:
            if self.fast:
                count = self._cache.incr_window(
                    self.make_and_validate_key(key, version=version), int(timeout)
                )
            else:
                count = self._public_incr_window(key, int(timeout), version)
        except Exception as exc:
            if not _is_outage(exc):
                raise
            self.health.failed(exc, self.retry_seconds)
            raise CacheUnavailable(self.health.location) from exc
        self.health.succeeded()
        return count

    def _public_incr_window(self, key: str, timeout: int, version=None) -> int:
        # Django's public API: SET NX starts the window with its expiry, INCR counts (Django's incr checks
        # EXISTS first). A window that expires between the two starts again.
        super().add(key, 0, timeout, version)
        try:
            return super().incr(key, 1, version)
        except ValueError:
            super().add(key, 1, timeout, version)
            return 1

    def check(self) -> None:
        """One real round trip (a write and a read); raises what Redis raised. For the health check."""
        try:
            super().set("healthz", 1, 10)
            if super().get("healthz") != 1:
                raise CacheUnavailable("the value written could not be read back")
        except Exception as exc:
            if _is_outage(exc):
                self.health.failed(exc, self.retry_seconds)
            raise
        self.health.succeeded()
