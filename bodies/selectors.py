"""Reads of bodies and members, scoped to the reader's area subtree."""

import datetime as dt

from django.db.models import Count, Q, QuerySet

from liaison.scoping import scope_to_area

from .models import Body, BodyMember, members_on


def staff_bodies(user) -> QuerySet:
    today = dt.date.today()
    current = Q(members__joined_on__lte=today) & (
        Q(members__left_on__isnull=True) | Q(members__left_on__gte=today)
    )
    return (
        scope_to_area(Body.objects.select_related("area"), user)
        .annotate(member_count=Count("members", filter=current))
        .order_by("area__path", "kind", "-term", "id")
    )


def member_list(body: Body, *, on: dt.date | None = None, include_left: bool = False) -> QuerySet:
    qs = BodyMember.objects.filter(body=body) if include_left else members_on(body.pk, on or dt.date.today())
    return qs.select_related("delegate", "user").order_by("sector", "name", "id")


def public_members(body: Body) -> QuerySet:
    """Members as the public sees them: name and sector only (the caller never reads `phone`)."""
    return members_on(body.pk, dt.date.today()).only("id", "name", "sector", "delegate_id", "body_id")


def sector_counts(body: Body) -> dict[str, int]:
    rows = members_on(body.pk, dt.date.today()).values("sector").annotate(n=Count("id")).order_by()
    return {r["sector"]: r["n"] for r in rows}
