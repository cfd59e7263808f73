"""Strict environment parsing: a typo in a production variable fails loudly at start-up."""

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


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


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
