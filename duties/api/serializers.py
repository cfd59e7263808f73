"""Input and output kept apart. Public outputs carry no points and no personal data."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from liaison.parsing import BoundedDateField, IdField, IdListField
from liaison.satisfaction import Satisfaction
from liaison.uploads.fields import SingleFileField
from stations.models import Area

from ..models import SELF_REPORTED_KINDS, DutyEntry, Kind


class AreaCodeField(serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": _("区划代码 {value} 不存在。"),
        "invalid": _("区划代码不正确。"),
    }

    def __init__(self, **kw):
        super().__init__(slug_field="code", queryset=Area.objects.all(), **kw)


class DelegateRecordReportBackOut(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    station = serializers.CharField()
    station_id = serializers.IntegerField()
    status = serializers.CharField()
    rating_open = serializers.BooleanField()
    satisfaction_rate = serializers.FloatField(allow_null=True)


class DelegateRecordOut(serializers.Serializer):
    delegate = serializers.IntegerField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())
    report_backs = DelegateRecordReportBackOut(many=True)


class DutyEntryOut(serializers.ModelSerializer):
    delegate = serializers.IntegerField(source="delegate_id")
    delegate_name = serializers.CharField(source="delegate.name")
    kind_display = serializers.CharField(source="get_kind_display")
    points = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)

    class Meta:
        model = DutyEntry
        fields = [
            "id",
            "delegate",
            "delegate_name",
            "kind",
            "kind_display",
            "occurred_on",
            "sign",
            "reverses",
            "points",
            "source",
            "note",
        ]

    def get_points(self, obj) -> int:
        rules = self.context["rules"].get(obj.year, {})
        return obj.points if obj.points is not None else obj.sign * rules.get(obj.kind, 0)

    def get_source(self, obj) -> dict | None:
        if obj.source_type_id is None:
            return None
        return {"type": f"{obj.source_type.app_label}.{obj.source_type.model}", "id": obj.source_id}


class DutyScoreOut(serializers.Serializer):
    delegate = serializers.IntegerField(source="delegate_id")
    name = serializers.CharField()
    score = serializers.IntegerField()
    rank = serializers.IntegerField()
    counts = serializers.DictField(child=serializers.IntegerField())


class DutyAdjustmentIn(serializers.Serializer):
    delegate = IdField()
    points = serializers.IntegerField(min_value=-100, max_value=100)
    reason = serializers.CharField(max_length=500)
    occurred_on = BoundedDateField(required=False)


class SelfReportIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in SELF_REPORTED_KINDS])
    occurred_on = BoundedDateField()
    note = serializers.CharField(max_length=2000)
    evidence = SingleFileField(required=False, allow_null=True)


class SelfReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    delegate = serializers.IntegerField(source="delegate_id")
    kind = serializers.CharField()
    occurred_on = serializers.DateField()
    note = serializers.CharField()
    status = serializers.CharField()
    reject_reason = serializers.CharField()
    has_evidence = serializers.SerializerMethodField()

    def get_has_evidence(self, obj) -> bool:
        return bool(obj.evidence)


class SelfReportRejectIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class TrainingIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    held_on = BoundedDateField()
    area = AreaCodeField()
    station = IdField(required=False, allow_null=True)
    content = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    attendees = IdListField(max_length=2000)


class TrainingOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    held_on = serializers.DateField()
    area = serializers.CharField(source="area.code")
    attendees = serializers.SerializerMethodField()

    def get_attendees(self, obj) -> list[int]:
        return sorted(d.pk for d in obj.attendees.all())


class ReportBackIn(serializers.Serializer):
    delegate = IdField()
    station = IdField()
    scheduled_on = BoundedDateField()


class ReportBackOut(serializers.Serializer):
    id = serializers.IntegerField()
    delegate = serializers.IntegerField(source="delegate_id")
    station = serializers.IntegerField(source="station_id")
    scheduled_on = serializers.DateField()
    status = serializers.CharField()
    attendance = serializers.IntegerField()
    rating_closes_at = serializers.DateTimeField(allow_null=True)


class ReportBackHeldIn(serializers.Serializer):
    report = serializers.CharField(max_length=20000)
    attendance = serializers.IntegerField(min_value=0, max_value=100000)


class ReportBackRatingIn(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    code = serializers.CharField(max_length=10)
    rating = serializers.ChoiceField(choices=Satisfaction.choices)


class ReportBackPaperTallyIn(serializers.Serializer):
    satisfied = serializers.IntegerField(min_value=0, max_value=100000)
    basically_satisfied = serializers.IntegerField(min_value=0, max_value=100000)
    unsatisfied = serializers.IntegerField(min_value=0, max_value=100000)


class ReportBackResultOut(serializers.Serializer):
    votes = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    basically_satisfied = serializers.IntegerField()
    unsatisfied = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField(allow_null=True)


KIND_CHOICES = Kind.choices
