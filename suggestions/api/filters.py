import django_filters

from liaison.codes import normalise_code
from stations.api.filters import Q_MAX, AreaCodeFilter, StrictFilterSet

from .. import search
from ..models import Referral, Suggestion
from ..selectors import ORDERINGS


class PriorityOrderingFilter(django_filters.OrderingFilter):
    """`ordering=priority`: what needs action first, as the staff queue page lists it (selectors.ORDERINGS)."""

    def filter(self, qs, value):
        if value and "priority" in value:
            return qs.order_by(*ORDERINGS["priority"])
        return super().filter(qs, value)


class SuggestionFilter(StrictFilterSet):
    """Filters of the staff list. `area` narrows within the caller's subtree; it never widens it."""

    status = django_filters.ChoiceFilter(choices=Suggestion.Status.choices)
    area = AreaCodeFilter()
    station = django_filters.NumberFilter(field_name="station_id", min_value=1)
    category = django_filters.ChoiceFilter(choices=Suggestion.Category.choices)
    channel = django_filters.ChoiceFilter(choices=Suggestion.Channel.choices)
    overdue = django_filters.BooleanFilter(field_name="is_overdue")
    key = django_filters.BooleanFilter(field_name="is_key")
    open = django_filters.BooleanFilter(method="filter_open", label="only open ones")
    q = django_filters.CharFilter(method="filter_q", max_length=Q_MAX)
    ordering = PriorityOrderingFilter(
        fields=(("created_at", "created_at"), ("reply_due", "reply_due"), ("queue_rank", "priority"))
    )

    class Meta:
        model = Suggestion
        fields = ["status", "area", "station", "category", "channel", "overdue", "key", "open", "q"]

    def filter_open(self, qs, name, value):
        if value is None:
            return qs
        return (
            qs.filter(status__in=Suggestion.OPEN_STATUSES)
            if value
            else qs.exclude(status__in=Suggestion.OPEN_STATUSES)
        )

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        code = normalise_code(value)
        if len(code) == 10 and code == value.upper():
            return qs.filter(tracking_code=code)
        return search.filter_text(qs, value)


class ReferralFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=Referral.Status.choices)
    role = django_filters.ChoiceFilter(choices=Referral.Role.choices)
    overdue = django_filters.BooleanFilter(field_name="overdue_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Referral
        fields = ["status", "role", "overdue"]
