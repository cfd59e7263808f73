import django_filters

from stations.api.filters import Q_MAX, AreaCodeFilter, StrictFilterSet

from .. import search
from ..models import Referral, Suggestion, normalise_code


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
    ordering = django_filters.OrderingFilter(
        fields=(("created_at", "created_at"), ("reply_due", "reply_due"))
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
