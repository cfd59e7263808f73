"""Hooks through which higher apps add to the suggestion pages; suggestions never imports them.

The public tracking page and the track API list the supervision topics an opinion fed (议题由群众确定).
Supervision sits above suggestions, so it registers its provider here from its AppConfig.ready(), the way
suggestions answers stations' `on_reception_log`.
"""

from collections.abc import Callable, Iterable
from typing import Any

TrackingTopicsProvider = Callable[[int], Iterable[Any]]

_tracking_topics: list[TrackingTopicsProvider] = []


def register_tracking_topics(provider: TrackingTopicsProvider) -> None:
    """Add a provider: given a suggestion id, it returns the public topics that suggestion fed (objects with
    `pk`, `title`, `status`, `get_status_display` and `year`). Registering the same provider twice is a no-op."""
    if provider not in _tracking_topics:
        _tracking_topics.append(provider)


def tracking_topics(suggestion_id: int) -> list[Any]:
    """Every registered provider's topics for one suggestion, in registration order."""
    return [topic for provider in _tracking_topics for topic in provider(suggestion_id)]


# --- reply guards -------------------------------------------------------------------------------------------
# A higher app may refuse a unit's reply on rules of its own (motions: the lead unit of a formal suggestion
# must record a contact with the delegate first — 先沟通后答复). referral_reply calls every guard with the
# locked suggestion and referral, before it writes anything; a guard raises a liaison.errors DomainError.
ReplyGuard = Callable[[Any, Any], None]

_reply_guards: list[ReplyGuard] = []


def register_reply_guard(guard: ReplyGuard) -> None:
    if guard not in _reply_guards:
        _reply_guards.append(guard)


def before_reply(suggestion, referral) -> None:
    for guard in _reply_guards:
        guard(suggestion, referral)
