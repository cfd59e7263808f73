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
