"""Cache invalidation for the public reads of the station network.

This is a cross-cutting concern, not domain logic: services and models do not know about it. Every cached
public read (the finder: its rendered fragment, and the whole page for anonymous visitors; the public
station/delegate/area API responses) puts the "network version" into its cache key. Any write to the network bumps the version — post_save/post_delete/
m2m_changed receivers connected in StationsConfig.ready(), plus explicit bumps after bulk writes, which send
no signals (reception_days_generate, seed_demo) — so an entry written before the change is never read again
and simply expires.

Where the version lives:
- in the default cache when that cache is shared between processes (Redis, production);
- with the per-process LocMemCache (no REDIS_URL), in a small file under VAR_DIR instead, because a version
  kept in one process's memory would not be seen by the others: another gunicorn worker, the Celery worker
  that generates reception days, or `manage.py seed_demo` run next to a live server.

The version is created when missing with a time-based value, never a constant: a version that restarted
at 1 after an eviction could match entries cached under an earlier 1.

A write inside a transaction bumps twice: at once (so that the writing request, and tests, which never
commit, see the change) and again on commit, because a request running between the first bump and the
commit could have cached the old rows under the new version.
"""

import hashlib
import itertools
import logging
import os
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

VERSION_KEY = "stations:network-version"
TIMEOUT = 300  # seconds a cached public read lives at most (a changed network never waits for it)


_UNSET = object()
_version_path: object = _UNSET  # memo: the version file's path, or None when the cache is shared


def _path() -> str | None:
    """The file that holds the version when the default cache is per process, else None (memoised)."""
    global _version_path
    if _version_path is _UNSET:
        shared = not isinstance(caches["default"], LocMemCache)
        _version_path = None if shared else os.path.join(settings.VAR_DIR, "stations-network-version")
    return _version_path


@receiver(setting_changed)
def _forget_path(*, setting, **kwargs) -> None:
    global _version_path
    if setting in ("CACHES", "VAR_DIR"):
        _version_path = _UNSET


def _fresh() -> str:
    return f"{time.time_ns()}-{os.getpid()}-{threading.get_ident()}-{next(_counter)}"


_counter = itertools.count()


def network_version() -> str:
    """The current version of the station network, created if missing."""
    path = _path()
    if path is None:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
            version = cache.get(VERSION_KEY)
        return str(version)
    try:  # read on every public request: plain os calls, no file object (a few microseconds)
        fd = os.open(path, os.O_RDONLY)
        try:
            version = os.read(fd, 128).decode()
        finally:
            os.close(fd)
    except FileNotFoundError:
        version = ""
    except OSError as exc:
        logger.warning("Cannot read the network version %s: %s; public reads are not cached", path, exc)
        return f"unreadable-{_fresh()}"  # a key nobody shares: nothing stale can be served
    return version or _bump_file(path)


def _bump_file(path: str) -> str:
    """Write a new, unique version, atomically (rename): processes bumping at once each change it."""
    version = _fresh()
    tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "w") as f:
            f.write(version)
        os.replace(tmp, path)
    except OSError as exc:
        # Never fail the write that triggered the bump; until the file is writable again, cached public
        # reads may be up to TIMEOUT seconds old.
        logger.error("Cannot write the network version %s: %s", path, exc)
    return version


def _bump_now() -> None:
    path = _path()
    if path is not None:
        _bump_file(path)
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # missing (first use or evicted): start from a fresh, never-used value
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def bump_network_version(**_signal_kwargs) -> None:
    """Invalidate every cached public read of the network (usable as a signal receiver)."""
    _bump_now()
    if connection.in_atomic_block:
        transaction.on_commit(_bump_now)


def public_key(prefix: str, *parts: object) -> str:
    """A cache key for a public read: the parts, the language, today's date and the network version.

    The date is in every key because "next reception day" depends on it. The parts (paths, query strings,
    search words in any script) are hashed, so the key is short and safe for every cache backend.
    """
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"{prefix}:{network_version()}:{get_language()}:{timezone.localdate().isoformat()}:{digest}"
