"""Reads of Open311: service requests (suggestions) as the public may see them, in three queries."""

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from liaison.codes import normalise_code
from suggestions.models import Referral, Suggestion, SuggestionEvent

# The specification's defaults: the last 90 days, at most 1000 requests.
DEFAULT_DAYS = 90
MAX_RESULTS = 1000
MAX_IDS = 100


def _public(qs: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    return (
        qs.select_related("open311")
        .only(
            "id",
            "tracking_code",
            "title",
            "category",
            "status",
            "created_at",
            "updated_at",
            "reply_due",
            "open311__id",
            "open311__lat",
            "open311__long",
            "open311__token",
        )
        .prefetch_related(
            Prefetch(
                "referrals",
                queryset=Referral.objects.filter(role=Referral.Role.LEAD)
                .exclude(status=Referral.Status.CANCELLED)
                .select_related("unit")
                .only("id", "suggestion_id", "round", "created_at", "unit__name")
                .order_by("-round", "-created_at", "-id"),
                to_attr="lead_referrals",
            ),
            Prefetch(
                "events",
                queryset=SuggestionEvent.objects.filter(public=True)
                .only("id", "suggestion_id", "kind", "at", "data", "public")
                .order_by("at", "id"),
                to_attr="public_events",
            ),
        )
    )


def request_by_code(code: str) -> Suggestion | None:
    return _public(Suggestion.objects.filter(tracking_code=normalise_code(code))).first()


def request_by_token(token: str):
    from .models import ServiceRequest

    return (
        ServiceRequest.objects.select_related("suggestion")
        .only("token", "suggestion__tracking_code")
        .filter(token=(token or "")[:32])
        .first()
    )


def request_list(
    *,
    codes: list[str] | None = None,
    service_codes: list[str] | None = None,
    statuses: list[str] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    area_path: str | None = None,
) -> list[Suggestion]:
    """Newest first. `codes` (service_request_id) overrides every other filter, as the spec says."""
    qs = Suggestion.objects.all()
    if codes:
        qs = qs.filter(tracking_code__in=[normalise_code(c) for c in codes[:MAX_IDS]])
    else:
        end = end or timezone.now()
        start = start or end - dt.timedelta(days=DEFAULT_DAYS)
        qs = qs.filter(created_at__gte=start, created_at__lte=end)
        if service_codes:
            qs = qs.filter(category__in=service_codes)
        if statuses and len(set(statuses)) == 1:
            open_ = statuses[0] == "open"
            qs = (
                qs.filter(status__in=Suggestion.OPEN_STATUSES)
                if open_
                else qs.exclude(status__in=Suggestion.OPEN_STATUSES)
            )
        if area_path:
            qs = qs.filter(area__path__startswith=area_path)
    return list(_public(qs.order_by("-created_at", "-id"))[:MAX_RESULTS])
