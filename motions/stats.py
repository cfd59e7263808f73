"""Statistics of a session (or the 闭会期间 suggestions) in an area subtree: filed, registered, referred,
replied, 办成率 (class A / replies), 满意率 ((satisfied + basically) / rated), and per lead unit. Two
aggregate queries, whatever the number of suggestions."""

from django.db.models import Count, Q, QuerySet

from suggestions.models import Referral

from .models import FormalSuggestion


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def session_stats(qs: QuerySet[FormalSuggestion]) -> dict:
    """`qs`: the staff-scoped formal suggestions of one session (filed ones)."""
    st = "suggestion__status"
    agg = qs.aggregate(
        filed=Count("pk"),
        registered=Count(
            "pk", filter=Q(**{f"{st}__in": ["accepted", "referred", "replied", "reopened", "closed"]})
        ),
        reference=Count("pk", filter=Q(**{st: "rejected"})),
        referred=Count("pk", filter=Q(suggestion__referred_at__isnull=False)),
        replied=Count("pk", filter=Q(suggestion__replied_at__isnull=False)),
        done=Count("pk", filter=Q(suggestion__replied_at__isnull=False, suggestion__reply_result="solved")),
        rated=Count("pk", filter=~Q(suggestion__rating="")),
        satisfied=Count("pk", filter=Q(suggestion__rating__in=["satisfied", "basically_satisfied"])),
        key=Count("pk", filter=Q(suggestion__is_key=True)),
        closed=Count("pk", filter=Q(**{st: "closed"})),
    )
    rows = (
        Referral.objects.filter(
            role=Referral.Role.LEAD,
            suggestion_id__in=qs.values("suggestion_id"),
        )
        .exclude(status__in=["cancelled", "returned"])
        .values("unit_id", "unit__name")
        .annotate(
            referred=Count("suggestion_id", distinct=True),
            replied=Count("pk", filter=Q(status="replied")),
            done=Count("pk", filter=Q(status="replied", reply_result="solved")),
            on_time=Count("pk", filter=Q(status="replied", replied_on_time=True)),
        )
        .order_by("-referred", "unit__name")
    )
    by_unit = [
        {
            "unit": r["unit_id"],
            "name": r["unit__name"],
            "referred": r["referred"],
            "replied": r["replied"],
            "done_rate": _rate(r["done"], r["replied"]),
            "on_time": r["on_time"],
        }
        for r in rows
    ]
    return {
        **agg,
        "done_rate": _rate(agg["done"], agg["replied"]),
        "satisfaction_rate": _rate(agg["satisfied"], agg["rated"]),
        "by_unit": by_unit,
    }
