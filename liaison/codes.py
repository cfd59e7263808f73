"""Human-readable codes (tracking codes, appointment codes …) and the one way to save a row under a fresh one.

The alphabet has no 0/O or 1/I, so a code read out over the phone or copied from paper cannot be misread;
codes are compared after `normalise_code` (upper case, separators dropped).
"""

import secrets
from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from liaison.errors import Conflict

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

T = TypeVar("T")


def new_code(length: int = 10, prefix: str = "") -> str:
    """A random code of `length` characters from CODE_ALPHABET after `prefix` (32^length possibilities)."""
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(raw: str, length: int = 10) -> str:
    """What a person typed, as stored: upper case, letters and digits only, at most a little over `length`."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[: length + 2]


def save_with_new_code(
    save: Callable[[str], T],
    *,
    length: int = 10,
    prefix: str = "",
    attempts: int = 6,
    is_collision: Callable[[], bool] | None = None,
) -> T:
    """Call `save(code)` with fresh codes until one does not collide with a unique constraint.

    Each attempt runs in a savepoint, so a collision leaves the caller's transaction usable. When the row has
    other unique fields, pass `is_collision`: it is asked after the savepoint rolled back (so it may query)
    and, when it answers False, the IntegrityError is re-raised for the caller instead of retried. After
    `attempts` collisions — practically impossible at 32^10 — the caller gets a Conflict (409) to retry later.
    """
    for _attempt in range(attempts):
        try:
            with transaction.atomic():
                return save(new_code(length, prefix))
        except IntegrityError:
            if is_collision is not None and not is_collision():
                raise
            continue
    raise Conflict(_("请稍后重试。"))
