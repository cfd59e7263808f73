"""Strict environment parsing: a typo in a production variable fails loudly at start-up.

Every setting the portal reads is parsed here, once, when `liaison.settings` is imported, and listed in
`.env.example`. An app reads its configurable rules through an `AppConf` (`conf.NAME` is the setting
`<PREFIX>NAME`), never with `getattr(settings, …, default)`: the default lives in settings.py, next to the
environment variable that overrides it, so `override_settings` in tests still works and a bad value is an
ImproperlyConfigured naming the variable before the first request, not a 500 on it.
"""

import os
from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {raw!r}")


def _bounds(name: str, value, raw, minimum, maximum):
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        lo = "" if minimum is None else f" at least {minimum}"
        hi = "" if maximum is None else f" at most {maximum}"
        joint = " and" if lo and hi else ""
        raise ImproperlyConfigured(f"{name} must be{lo}{joint}{hi}, not {raw!r}")
    return value


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc
    return _bounds(name, value, raw, minimum, maximum)


def env_optional_int(name: str, *, minimum: int | None = 1) -> int | None:
    """An integer, or None when the variable is unset or empty (meaning "use the shared default")."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return None
    return env_int(name, 0, minimum=minimum)


def env_float(
    name: str, default: float, *, minimum: float | None = None, maximum: float | None = None
) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from exc
    if value != value:  # NaN
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}")
    return _bounds(name, value, raw, minimum, maximum)


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_str(name: str, default: str | None = None) -> str | None:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw


class Rate(NamedTuple):
    """A rate limit: `count` requests per `seconds`."""

    count: int
    seconds: int


_RATE_UNITS = {
    **dict.fromkeys(["s", "sec", "second", "seconds"], 1),
    **dict.fromkeys(["m", "min", "minute", "minutes"], 60),
    **dict.fromkeys(["h", "hour", "hours"], 3600),
    **dict.fromkeys(["d", "day", "days"], 86400),
}


def parse_rate(raw: str) -> Rate:
    """`"10/h"` → Rate(10, 3600). Units: s, m, h, d (or second, minute, hour, day). Raises ValueError."""
    count, sep, unit = str(raw).strip().partition("/")
    unit = unit.strip().lower()
    if not sep or not count.strip().isdigit() or int(count) < 1 or unit not in _RATE_UNITS:
        raise ValueError(f"{raw!r} is not a rate like 10/h (a positive count, then /s, /m, /h or /d)")
    return Rate(int(count), _RATE_UNITS[unit])


def env_rate(name: str, default: str) -> Rate:
    """A rate limit from the environment, checked at start-up: a bad value stops the process with its name."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        raw = default
    try:
        return parse_rate(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be a rate like 10/h (count/s, m, h or d), not {raw!r}"
        ) from exc


class AppConf:
    """An app's configurable rules: `conf.NAME` is `settings.<prefix>NAME`, read at call time.

    The settings are parsed from the environment in liaison/settings.py (through the env_* functions above)
    and documented in .env.example; asking for a name the app did not declare is an AttributeError.
    """

    def __init__(self, prefix: str, names: "list[str] | tuple[str, ...]"):
        self._prefix = prefix
        self._names = frozenset(names)

    def __getattr__(self, name: str):
        if name.startswith("_") or name not in self._names:
            raise AttributeError(name)
        from django.conf import settings

        return getattr(settings, self._prefix + name)

    def __dir__(self):
        return sorted(self._names)
