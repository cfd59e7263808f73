"""Input and output kept apart. Public outputs carry no personal data."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bodies.models import Counting
from liaison.parsing import IdField, IdListField
from liaison.satisfaction import Satisfaction
from liaison.uploads.fields import SingleFileField
from stations.models import Area, Delegate, HandlingUnit

from ..models import (
    Activity,
    ActivityRecord,
    Assessment,
    ClueRequest,
    CollectionWindow,
    Opinion,
    Question,
    Rectification,
    RectificationEvent,
    SmsCode,
    Topic,
)


class AreaCodeField(serializers.SlugRelatedField):
    def __init__(self, **kw):
        super().__init__(slug_field="code", queryset=Area.objects.all(), **kw)

    default_error_messages = {
        "does_not_exist": _("区划代码 {value} 不存在。"),
        "invalid": _("区划代码不正确。"),
    }


# --- topics ----------------------------------------------------------------------------------------------


class TopicCreateIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    area = AreaCodeField()


class TopicCreatedOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class TopicOut(serializers.ModelSerializer):
    supports = serializers.IntegerField(source="supports_count")
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    status_display = serializers.CharField(source="get_status_display")
    plan_year = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = [
            "id",
            "title",
            "status",
            "status_display",
            "supports",
            "area",
            "area_name",
            "year",
            "proposer_kind",
            "plan_year",
        ]

    def get_plan_year(self, obj) -> int | None:
        return obj.plan.year if obj.plan_id else None


class ActivityBriefOut(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Activity
        fields = ["id", "title", "kind", "kind_display", "status", "starts_at", "place"]


class TopicDetailOut(TopicOut):
    activities = ActivityBriefOut(many=True, read_only=True)

    class Meta(TopicOut.Meta):
        fields = [*TopicOut.Meta.fields, "description", "decline_reason", "activities"]


class SmsCodeIn(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    purpose = serializers.ChoiceField(choices=SmsCode.Purpose.choices)


class SupportIn(serializers.Serializer):
    phone = serializers.CharField(max_length=20)
    code = serializers.CharField(max_length=10)


class SupportOut(serializers.Serializer):
    supports = serializers.IntegerField()


class SelectIn(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class StatusOut(serializers.Serializer):
    status = serializers.CharField()


class WindowIn(serializers.Serializer):
    area = AreaCodeField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    opens = serializers.DateField()
    closes = serializers.DateField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WindowOut(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")

    class Meta:
        model = CollectionWindow
        fields = ["id", "area", "area_name", "year", "opens", "closes", "title"]


class FromSuggestionsIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    suggestions = IdListField(min_length=1, max_length=200)


# --- rectifications --------------------------------------------------------------------------------------


class RectificationOut(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    area = serializers.CharField(source="area.code")
    status_display = serializers.CharField(source="get_status_display")
    source_display = serializers.CharField(source="get_source_display")

    class Meta:
        model = Rectification
        fields = [
            "id",
            "unit",
            "unit_name",
            "area",
            "source",
            "source_display",
            "status",
            "status_display",
            "due",
            "title",
            "opinion",
            "assessment",
            "follow_up_of",
            "reported_at",
            "accepted_at",
        ]


class RectificationEventOut(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = RectificationEvent
        fields = ["kind", "kind_display", "text", "at"]


class RectificationDetailOut(RectificationOut):
    events = RectificationEventOut(many=True, read_only=True)

    class Meta(RectificationOut.Meta):
        fields = [*RectificationOut.Meta.fields, "content", "report", "return_reason", "events"]


class ReportIn(serializers.Serializer):
    content = serializers.CharField(max_length=20000)


class FollowUpIn(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


# --- activities ------------------------------------------------------------------------------------------


class ActivityIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Activity.Kind.choices)
    title = serializers.CharField(max_length=200)
    area = AreaCodeField()
    topic = serializers.PrimaryKeyRelatedField(queryset=Topic.objects.all(), required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    starts_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    delegates = serializers.PrimaryKeyRelatedField(
        queryset=Delegate.objects.all(), many=True, required=False, default=list
    )
    units = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.select_related("area"), many=True, required=False, default=list
    )
    committee_members = serializers.CharField(required=False, allow_blank=True, default="")
    official_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    official_title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class UnitBriefOut(serializers.ModelSerializer):
    class Meta:
        model = HandlingUnit
        fields = ["id", "name"]


class DelegateBriefOut(serializers.ModelSerializer):
    class Meta:
        model = Delegate
        fields = ["id", "name", "level"]


class ActivityOut(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    plan_year = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "status",
            "area",
            "area_name",
            "plan",
            "plan_year",
            "topic",
            "starts_at",
            "ends_at",
            "place",
            "follow_up_of",
        ]

    def get_plan_year(self, obj) -> int | None:
        return obj.plan.year if obj.plan_id else None


class QuestionOut(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    answer_mode_display = serializers.CharField(source="get_answer_mode_display")

    class Meta:
        model = Question
        fields = [
            "id",
            "activity",
            "unit",
            "unit_name",
            "parent",
            "text",
            "asked_by_label",
            "status",
            "due",
            "answer",
            "answer_mode",
            "answer_mode_display",
            "answered_by_label",
            "answered_at",
        ]


class OpinionOut(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    rectifications = serializers.SerializerMethodField()

    class Meta:
        model = Opinion
        fields = ["id", "activity", "unit", "unit_name", "title", "content", "issued_at", "rectifications"]

    def get_rectifications(self, obj) -> list[dict]:
        return [
            {"id": r.id, "status": r.status, "status_display": r.get_status_display(), "due": r.due}
            for r in obj.rectifications.all()
        ]


class AssessmentResultOut(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    satisfied = serializers.IntegerField(source="satisfied_count")
    basically_satisfied = serializers.IntegerField(source="basically_satisfied_count")
    unsatisfied = serializers.IntegerField(source="unsatisfied_count")
    votes = serializers.IntegerField(source="votes_total")
    rectifications = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "title",
            "subject",
            "unit",
            "unit_name",
            "status",
            "satisfied",
            "basically_satisfied",
            "unsatisfied",
            "votes",
            "rate",
            "outcome",
            "closed_at",
            "rectifications",
            "counting",
        ]

    def get_rectifications(self, obj) -> list[dict]:
        return [{"id": r.id, "status": r.status, "due": r.due} for r in obj.rectifications.all()]


class ActivityRecordOut(serializers.ModelSerializer):
    class Meta:
        model = ActivityRecord
        fields = ["id", "text", "photo", "created_at"]


class ActivityDetailOut(ActivityOut):
    units = UnitBriefOut(many=True, read_only=True)
    delegates = DelegateBriefOut(many=True, read_only=True)
    questions = QuestionOut(many=True, read_only=True)
    opinions = OpinionOut(many=True, read_only=True)
    assessments = AssessmentResultOut(many=True, read_only=True, source="closed_assessments")
    records = ActivityRecordOut(many=True, read_only=True, source="public_records")

    class Meta(ActivityOut.Meta):
        fields = [
            *ActivityOut.Meta.fields,
            "description",
            "committee_members",
            "official_name",
            "official_title",
            "units",
            "delegates",
            "questions",
            "opinions",
            "assessments",
            "records",
        ]


class RecordIn(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")
    photo = SingleFileField(required=False, allow_null=True, default=None)  # checked by the service
    is_public = serializers.BooleanField(required=False, default=True)


class ClueRequestIn(serializers.Serializer):
    deadline = serializers.DateField()
    message = serializers.CharField(required=False, allow_blank=True, default="")


class ClueRequestOut(serializers.ModelSerializer):
    class Meta:
        model = ClueRequest
        fields = ["id", "activity", "deadline", "message"]


class ClueIn(serializers.Serializer):
    content = serializers.CharField(max_length=5000)


class QuestionIn(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=HandlingUnit.objects.select_related("area"))
    text = serializers.CharField(max_length=5000)
    asked_by = serializers.PrimaryKeyRelatedField(
        queryset=Delegate.objects.all(), required=False, allow_null=True, default=None
    )
    asked_by_label = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    parent = IdField(required=False, allow_null=True, default=None)
    due_workdays = serializers.IntegerField(
        min_value=1, max_value=120, required=False, allow_null=True, default=None
    )


class AnswerIn(serializers.Serializer):
    answer = serializers.CharField(max_length=20000)
    mode = serializers.ChoiceField(choices=Question.AnswerMode.choices, default=Question.AnswerMode.WRITTEN)
    answered_by_label = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class OpinionIn(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=HandlingUnit.objects.select_related("area"))
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=20000)
    due = serializers.DateField(required=False, allow_null=True, default=None)
    due_months = serializers.IntegerField(
        min_value=1, max_value=24, required=False, allow_null=True, default=None
    )
    due_workdays = serializers.IntegerField(
        min_value=1, max_value=250, required=False, allow_null=True, default=None
    )


# --- assessments -----------------------------------------------------------------------------------------


class AssessmentIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    area = AreaCodeField()
    unit = serializers.PrimaryKeyRelatedField(queryset=HandlingUnit.objects.select_related("area"))
    subject = serializers.ChoiceField(choices=Assessment.Subject.choices)
    # Exactly one of them: an explicit roll of delegates, or a body whose members on the opening day vote.
    roll = serializers.PrimaryKeyRelatedField(
        queryset=Delegate.objects.all(), many=True, allow_empty=False, required=False
    )
    body = serializers.IntegerField(min_value=1, required=False)
    counting = serializers.ChoiceField(choices=Counting.choices, default=Counting.ONLINE)
    activity = serializers.PrimaryKeyRelatedField(
        queryset=Activity.objects.select_related("area"), required=False, allow_null=True, default=None
    )
    rectification = serializers.PrimaryKeyRelatedField(
        queryset=Rectification.objects.select_related("area"), required=False, allow_null=True, default=None
    )
    unsatisfied_share = serializers.FloatField(min_value=0.01, max_value=0.99, default=0.5)

    def validate(self, attrs):
        if ("roll" in attrs) == ("body" in attrs):
            raise serializers.ValidationError({"body": [_("请选择测评机构或测评人员名单（二者选一）。")]})
        return attrs


class AssessmentOut(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    area = serializers.CharField(source="area.code")
    subject_display = serializers.CharField(source="get_subject_display")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "title",
            "area",
            "unit",
            "unit_name",
            "subject",
            "subject_display",
            "status",
            "activity",
            "rectification",
            "unsatisfied_share",
            "opened_at",
            "closed_at",
            "body",
            "counting",
        ]


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


class TallySheetOut(serializers.Serializer):
    """The tally sheet of a paper or device count: how it was counted, the numbers, who entered and confirmed."""

    method = serializers.CharField()
    method_display = serializers.CharField(source="get_method_display")
    present = serializers.IntegerField()
    papers_issued = serializers.IntegerField()
    papers_returned = serializers.IntegerField()
    valid = serializers.IntegerField()
    invalid = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    basically_satisfied = serializers.IntegerField()
    unsatisfied = serializers.IntegerField()
    note = serializers.CharField()
    entered_by = serializers.SerializerMethodField()
    entered_at = serializers.DateTimeField()
    confirmed = serializers.BooleanField(source="is_confirmed")
    confirmed_by = serializers.SerializerMethodField()
    confirmed_at = serializers.DateTimeField(allow_null=True)

    def get_entered_by(self, obj) -> str | None:
        return _person(obj.entered_by)

    def get_confirmed_by(self, obj) -> str | None:
        return _person(obj.confirmed_by)


class TallySheetIn(serializers.Serializer):
    """Counts are checked by the service (so that the page form and the API give the same messages)."""

    method = serializers.ChoiceField(choices=[Counting.PAPER, Counting.DEVICE], required=False)
    present = serializers.IntegerField(min_value=0, max_value=100_000)
    papers_issued = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    papers_returned = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    valid = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    invalid = serializers.IntegerField(min_value=0, max_value=100_000, required=False)
    satisfied = serializers.IntegerField(min_value=0, max_value=100_000)
    basically_satisfied = serializers.IntegerField(min_value=0, max_value=100_000)
    unsatisfied = serializers.IntegerField(min_value=0, max_value=100_000)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AssessmentDetailOut(AssessmentOut):
    """One assessment for staff and its voters: the roll's size, votes so far, and the tally sheet."""

    counting_display = serializers.CharField(source="get_counting_display")
    roll_size = serializers.IntegerField()
    voted = serializers.IntegerField()
    tally_sheet = TallySheetOut(allow_null=True, source="sheet")

    class Meta(AssessmentOut.Meta):
        fields = AssessmentOut.Meta.fields + ["counting_display", "roll_size", "voted", "tally_sheet"]


class VoteIn(serializers.Serializer):
    choice = serializers.ChoiceField(choices=Satisfaction.choices)


class VoteOut(serializers.Serializer):
    assessment = serializers.IntegerField(source="assessment_id")
    choice = serializers.CharField()
