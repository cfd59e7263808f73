"""What a delegate did, announced by the app that did it, for the app that keeps the duty record.

The apps that perform a delegate's acts (stations, suggestions, voting, supervision, and the second-wave apps)
sit below or beside the one that keeps the record (`duties`), so none of them imports it. Each calls
`delegate_act(...)` inside the transaction that performs the act; every installed app whose AppConfig defines
`on_delegate_act(**act)` is told, in INSTALLED_APPS order, in that same transaction — so the record is written
with the act or not at all. With no listener installed the call does nothing.

`withdrawn=True` announces that an act recorded earlier was undone (its source deleted or cancelled): a keeper
of an append-only record writes a reversing entry. Secret ballots announce that a paper was handed in, never
what it said.
"""

import functools
from collections.abc import Callable
from datetime import datetime

from django.apps import apps


@functools.cache
def _listeners() -> tuple[Callable[..., None], ...]:
    return tuple(
        config.on_delegate_act
        for config in apps.get_app_configs()
        if callable(getattr(config, "on_delegate_act", None))
    )


def delegate_act(
    *,
    delegate_id: int,
    kind: str,
    source: object,
    happened_at: datetime | None = None,
    withdrawn: bool = False,
    note: str = "",
) -> None:
    """Announce one act of one delegate. `kind` is a short stable name ("reception_log", "appointment_held",
    "ballot_paper", …) the record keeper maps to its own rules; `source` is the model instance the act is
    about (the record points at it by content type and id)."""
    for listener in _listeners():
        listener(
            delegate_id=delegate_id,
            kind=kind,
            source=source,
            happened_at=happened_at,
            withdrawn=withdrawn,
            note=note,
        )
