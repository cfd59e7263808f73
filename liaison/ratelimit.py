"""Fixed-window rate limits on the shared cache.

`cache.add` + `cache.incr` are atomic on Redis, so several web processes share one count. Without Redis the
cache is per process, which is enough for the single-process demo (see README).
"""

import time

from django.conf import settings
from django.core.cache import cache

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    count, _, unit = rate.partition("/")
    return int(count), _UNITS[unit[0]]


def client_ip(request) -> str:
    # Behind a proxy, the deployment sets REMOTE_ADDR correctly (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, key: str, rate: str | None = None) -> int | None:
    """Count one request; return None when allowed, or the seconds to wait when over the limit."""
    limit, period = parse_rate(rate or settings.RATE_LIMITS[scope])
    window = int(time.time() // period)
    cache_key = f"rl:{scope}:{key}:{window}"
    if hasattr(cache, "incr_window"):  # Redis (liaison.cache): one round trip
        count = cache.incr_window(cache_key, period + 1)
    elif cache.add(cache_key, 1, timeout=period + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=period + 1)
            count = 1
    if count > limit:
        return period - int(time.time()) % period
    return None
