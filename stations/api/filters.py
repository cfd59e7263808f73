import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import Area, Delegate, HandlingUnit, Station

Q_MAX = 50


class AreaCodeFilter(django_filters.CharFilter):
    """`?area=CODE`: the area and its whole subtree. An unknown code is a 400, not an empty list."""

    def __init__(self, *args, subtree_field: str = "area", **kwargs):
        self.subtree_field = subtree_field
        kwargs.setdefault("max_length", 12)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        area = Area.objects.filter(code=value).only("path").first()
        if area is None:
            raise forms.ValidationError({self.field_name: _("未知的区划代码：%(code)s") % {"code": value}})
        return qs.filter(**{f"{self.subtree_field}__path__startswith": area.path})


class IdFilter(django_filters.NumberFilter):
    """A whole-number id: `?station=1.5` is a 400, not a lookup of station 1.5."""

    field_class = forms.IntegerField


class StrictFilterSet(django_filters.FilterSet):
    """Unknown values are errors: the filter backend turns form errors into a 400 with the field name."""

    def filter_queryset(self, queryset):
        try:
            return super().filter_queryset(queryset)
        except forms.ValidationError as exc:
            from rest_framework.exceptions import ValidationError

            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            ) from None


class AreaFilter(StrictFilterSet):
    parent = django_filters.CharFilter(method="filter_parent", max_length=12)
    tier = django_filters.ChoiceFilter(choices=Area.Tier.choices)
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", max_length=Q_MAX)

    class Meta:
        model = Area
        fields = ["parent", "tier", "q"]

    def filter_parent(self, qs, name, value):
        if not value:
            return qs
        parent = Area.objects.filter(code=value).only("id").first()
        if parent is None:
            raise forms.ValidationError({"parent": _("未知的区划代码：%(code)s") % {"code": value}})
        return qs.filter(parent=parent)


class StationFilter(StrictFilterSet):
    area = AreaCodeFilter()
    kind = django_filters.ChoiceFilter(choices=Station.Kind.choices)
    q = django_filters.CharFilter(method="filter_q", max_length=Q_MAX)

    class Meta:
        model = Station
        fields = ["area", "kind", "q"]

    def filter_q(self, qs, name, value):
        return qs.filter(Q(name__contains=value) | Q(address__contains=value)) if value else qs


class DelegateFilter(StrictFilterSet):
    station = IdFilter(method="filter_station", min_value=1, max_value=2**63 - 1)
    level = django_filters.ChoiceFilter(choices=Delegate.Level.choices)
    area = AreaCodeFilter()
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", max_length=Q_MAX)

    class Meta:
        model = Delegate
        fields = ["station", "level", "area", "q"]

    def filter_station(self, qs, name, value):
        if not Station.objects.filter(pk=value).exists():
            raise forms.ValidationError({"station": _("未知的联络站：%(id)s") % {"id": value}})
        return qs.filter(memberships__station_id=value)


class HandlingUnitFilter(StrictFilterSet):
    area = AreaCodeFilter()
    q = django_filters.CharFilter(field_name="name", lookup_expr="contains", max_length=Q_MAX)

    class Meta:
        model = HandlingUnit
        fields = ["area", "q"]
