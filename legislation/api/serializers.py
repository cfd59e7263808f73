"""Input and output kept apart. Public outputs carry no personal data (no name, phone, creator)."""

from rest_framework import serializers

from liaison.parsing import BoundedDateField, IdField, IdListField

from ..models import MAX_OPINION_CHARS, Draft, Opinion


class DraftIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    issuer = serializers.CharField(max_length=100)
    stage = serializers.CharField(max_length=30)
    opens_on = BoundedDateField()
    closes_on = BoundedDateField()
    text = serializers.CharField(max_length=300000)
    background = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    previous = IdField(required=False, allow_null=True, default=None)
    stations = IdListField(required=False, default=list, max_length=1000)
    areas = IdListField(required=False, default=list, max_length=100)
    deadline = BoundedDateField(required=False, allow_null=True, default=None)


class ResplitIn(serializers.Serializer):
    text = serializers.CharField(max_length=300000)


class AssignIn(serializers.Serializer):
    stations = IdListField(required=False, default=list, max_length=1000)
    areas = IdListField(required=False, default=list, max_length=100)
    deadline = BoundedDateField()


class DraftOut(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")

    class Meta:
        model = Draft
        fields = [
            "id",
            "title",
            "issuer",
            "stage",
            "status",
            "status_display",
            "opens_on",
            "closes_on",
            "area",
            "area_name",
            "previous_id",
        ]


class ArticleOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    sub = serializers.IntegerField()
    label = serializers.CharField()
    chapter = serializers.CharField()
    text = serializers.CharField()
    opinions = serializers.IntegerField()


class LegislativeOpinionIn(serializers.Serializer):
    article = IdField(required=False, allow_null=True, default=None)
    content = serializers.CharField(max_length=MAX_OPINION_CHARS)
    source = serializers.ChoiceField(
        choices=Opinion.Source.choices, required=False, default=Opinion.Source.PUBLIC
    )
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    station = IdField(required=False, allow_null=True, default=None)
    expert = IdField(required=False, allow_null=True, default=None)
    delegate = IdField(required=False, allow_null=True, default=None)


class ForumOpinionIn(serializers.Serializer):
    article = IdField(required=False, allow_null=True, default=None)
    content = serializers.CharField(max_length=MAX_OPINION_CHARS)


class ForumIn(serializers.Serializer):
    draft = IdField()
    station = IdField()
    held_on = BoundedDateField()
    attendance = serializers.IntegerField(min_value=1, max_value=100000)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    minutes = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    opinions = ForumOpinionIn(many=True, allow_empty=False, max_length=200)


class MergeIn(serializers.Serializer):
    into = IdField()


class OutcomeIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Opinion.Outcome.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class StaffOpinionOut(serializers.ModelSerializer):
    """For staff of the draft's area: still without name and phone (they are on the staff page, revealed)."""

    article = serializers.IntegerField(source="article_id", allow_null=True)
    station = serializers.IntegerField(source="station_id", allow_null=True)
    merged_into = serializers.IntegerField(source="merged_into_id", allow_null=True)

    class Meta:
        model = Opinion
        fields = [
            "id",
            "tracking_code",
            "article",
            "content",
            "source",
            "station",
            "status",
            "merged_into",
            "outcome",
        ]


class PublicOpinionOut(serializers.Serializer):
    id = serializers.IntegerField()
    content = serializers.CharField()
    source = serializers.CharField()
    outcome = serializers.CharField()
