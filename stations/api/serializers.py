from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from liaison.privacy import PHONE_MESSAGE, PHONE_RE, mask_name, mask_phone

from ..models import Appointment, Area, Delegate, HandlingUnit, Station


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The translated label of a choices value, read with a dict lookup.

    `source="get_FOO_display"` costs far more per row: Model._get_FIELD_display() re-hashes the field's
    choices (lazy translations included) on every call, and DRF inspects the method's signature each time.
    On a 20-row list this was the largest single item of the serializer's time (see bench/README.md).
    """

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return str(self.labels.get(value, value))


class AreaSerializer(serializers.ModelSerializer):
    tier_display = ChoiceLabelField(Area.Tier.choices, source="tier")
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Area
        fields = ["code", "name", "tier", "tier_display", "parent"]

    def get_parent(self, obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


def reception_text(station) -> str:
    parts = []
    for s in getattr(station, "active_schedules", []):
        parts.append(f"{s.describe()} {s.start_time:%H:%M}-{s.end_time:%H:%M}")
    return pgettext("列表", "；").join(parts)


class NextReceptionSerializer(serializers.Serializer):
    date = serializers.DateField()
    planned_date = serializers.DateField()
    moved = serializers.BooleanField()
    previous_date = serializers.DateField(
        allow_null=True, help_text="The date announced before it was rescheduled."
    )


class StationSerializer(serializers.ModelSerializer):
    kind_display = ChoiceLabelField(Station.Kind.choices, source="kind")
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    reception = serializers.SerializerMethodField()
    next_reception_day = serializers.SerializerMethodField()

    class Meta:
        model = Station
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "area",
            "area_name",
            "address",
            "phone",
            "opening_hours",
            "reception",
            "next_reception_day",
        ]

    def get_reception(self, obj) -> str:
        return reception_text(obj)

    @extend_schema_field(NextReceptionSerializer(allow_null=True))
    def get_next_reception_day(self, obj):
        days = getattr(obj, "next_days", [])
        if not days:
            return None
        d = days[0]
        return {
            "date": d.date,
            "planned_date": d.planned_date,
            "moved": d.moved,
            "previous_date": d.previous_date,
        }


class DelegateSerializer(serializers.ModelSerializer):
    level_display = ChoiceLabelField(Delegate.Level.choices, source="level")
    area = serializers.CharField(source="area.code", read_only=True)
    stations = serializers.SerializerMethodField()

    class Meta:
        model = Delegate
        fields = [
            "id",
            "name",
            "level",
            "level_display",
            "term",
            "area",
            "constituency",
            "occupation",
            "public_phone",
            "public_email",
            "stations",
        ]

    def get_stations(self, obj) -> list[int]:
        return [m.station_id for m in obj.memberships.all()]


class HandlingUnitSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = HandlingUnit
        fields = ["id", "name", "area", "area_name"]


class AppointmentCreateSerializer(serializers.Serializer):
    delegate = serializers.PrimaryKeyRelatedField(queryset=Delegate.objects.filter(is_active=True))
    station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.filter(is_active=True), required=False, allow_null=True
    )
    name = serializers.CharField(max_length=50)
    phone = serializers.RegexField(PHONE_RE, error_messages={"invalid": PHONE_MESSAGE})
    subject = serializers.CharField(max_length=1000)
    preferred_date = serializers.DateField(required=False, allow_null=True)


class AppointmentCreatedSerializer(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()


class AppointmentSerializer(serializers.ModelSerializer):
    delegate_name = serializers.CharField(source="delegate.name", read_only=True)
    status_display = ChoiceLabelField(Appointment.Status.choices, source="status")
    name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "code",
            "delegate",
            "delegate_name",
            "station",
            "name",
            "phone",
            "subject",
            "preferred_date",
            "status",
            "status_display",
            "scheduled_at",
            "place",
            "decline_reason",
            "created_at",
        ]

    def _asked(self, obj) -> bool:
        # The delegate who was asked sees who to call back; everyone else (staff) sees the contact masked.
        request = self.context.get("request")
        return request is not None and getattr(request.user, "delegate_id", None) == obj.delegate_id

    def get_name(self, obj) -> str:
        return obj.name if self._asked(obj) else mask_name(obj.name)

    def get_phone(self, obj) -> str:
        return obj.phone if self._asked(obj) else mask_phone(obj.phone)


class AppointmentAcceptSerializer(serializers.Serializer):
    scheduled_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate_scheduled_at(self, value):
        if value < timezone.now():
            raise serializers.ValidationError(_("约定时间不能早于现在。"))
        return value


class AppointmentDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class NearestQuerySerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)


class NearbyStationSerializer(serializers.ModelSerializer):
    """A station near a point: no reception timetable (no prefetches), its coordinates and distance."""

    kind_display = ChoiceLabelField(Station.Kind.choices, source="kind")
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    latitude = serializers.FloatField(read_only=True)
    longitude = serializers.FloatField(read_only=True)
    distance_m = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Station
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "area",
            "area_name",
            "address",
            "phone",
            "opening_hours",
            "latitude",
            "longitude",
            "distance_m",
            "url",
        ]

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("station-detail", args=[obj.pk])


class NearbyListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = NearbyStationSerializer(many=True)
