from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from suggestions.models import Suggestion

from ..models import Meeting


class MeetingOpinionIn(serializers.Serializer):
    content = serializers.CharField(max_length=5000)
    member = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    category = serializers.ChoiceField(choices=Suggestion.Category.choices, required=False, default="other")


class MeetingIn(serializers.Serializer):
    held_on = serializers.DateField()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    agenda = serializers.CharField(max_length=4000, help_text=_("议程，每行一项"))
    attendance = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=5000, help_text=_("出席成员编号")
    )
    minutes = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    opinions = serializers.ListField(child=MeetingOpinionIn(), required=False, default=list, max_length=50)


class MeetingOpinionOut(serializers.Serializer):
    id = serializers.IntegerField()
    content = serializers.CharField()
    member = serializers.IntegerField(source="member_id", allow_null=True)
    suggestion = serializers.IntegerField(source="suggestion.id")
    tracking_code = serializers.CharField(source="suggestion.tracking_code")
    status = serializers.CharField(source="suggestion.status")


class MeetingOut(serializers.ModelSerializer):
    agenda_items = serializers.ListField(child=serializers.CharField())
    present = serializers.SerializerMethodField()
    present_count = serializers.SerializerMethodField()
    roll_count = serializers.SerializerMethodField()
    opinions = MeetingOpinionOut(many=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "body",
            "held_on",
            "title",
            "place",
            "agenda",
            "agenda_items",
            "minutes",
            "present",
            "present_count",
            "roll_count",
            "opinions",
            "created_at",
        ]

    def get_present(self, obj) -> list[int]:
        return self.context.get("present", {}).get(obj.pk, [])

    def get_present_count(self, obj) -> int:
        return getattr(obj, "present_count", len(self.get_present(obj)))

    def get_roll_count(self, obj) -> int | None:
        return getattr(obj, "roll_count", None)
