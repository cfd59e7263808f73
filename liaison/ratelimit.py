"""Fixed-window rate limits on the shared cache, counted per process while the shared cache is away.

With Redis (liaison.cache) each hit is one atomic INCR, so every web process shares one count. Without Redis
the cache is per process, which is enough for the single-process demo (see README). When Redis is configured
but unreachable, the count falls back to a counter in this process (logged once per outage): each process then
allows the limit on its own, so constituents can still submit while the limit still stops a flood.
"""

import logging
import threading
import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache

from . import env
from .cache import CacheUnavailable
from .env import Rate

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    # Behind a proxy, the deployment sets REMOTE_ADDR correctly (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@lru_cache(maxsize=64)
def _parse(rate: str) -> Rate:
    return env.parse_rate(rate)


def parse_rate(rate: str | Rate) -> Rate:
    """A Rate as it is: settings.RATE_LIMITS holds Rates parsed at start-up (liaison.env.env_rate); a plain
    "5/h" string (a test's override of the setting) is parsed here."""
    return rate if isinstance(rate, Rate) else _parse(rate)


class LocalCounter:
    """Fixed windows counted in this process's memory: the fallback while the shared cache is away."""

    MAX_KEYS = 100_000  # past this, windows that have ended are dropped (memory stays bounded under a flood)

    def __init__(self):
        self._counts: dict[str, tuple[int, float]] = {}  # key -> (count, window end)
        self._lock = threading.Lock()
        self.active = False  # whether the last count was local (to log the switch once)

    def incr(self, key: str, period: int) -> int:
        now = time.time()
        with self._lock:
            if len(self._counts) >= self.MAX_KEYS:
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            count, _end = self._counts.get(key, (0, 0.0))
            count += 1
            self._counts[key] = (count, now + period + 1)
            return count


_local = LocalCounter()


def _shared_count(cache_key: str, period: int) -> int:
    if hasattr(cache, "incr_window"):  # Redis (liaison.cache): one round trip
        return cache.incr_window(cache_key, period + 1)
    if cache.add(cache_key, 1, timeout=period + 1):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period + 1)
        return 1


def hit(scope: str, key: str, rate: str | Rate | None = None) -> int | None:
    """Count one request; return None when allowed, or the seconds to wait when over the limit."""
    limit, period = parse_rate(rate or settings.RATE_LIMITS[scope])
    window = int(time.time() // period)
    cache_key = f"rl:{scope}:{key}:{window}"
    try:
        count = _shared_count(cache_key, period)
    except CacheUnavailable:
        if not _local.active:
            _local.active = True
            logger.warning(
                "The shared cache is unavailable: rate limits are counted per process until it is back"
            )
        count = _local.incr(cache_key, period)
    else:
        if _local.active:
            _local.active = False
            logger.info("The shared cache is back: rate limits are shared again")
    if count > limit:
        return period - int(time.time()) % period
    return None
