"""Input and output serializers of the suggestions API, kept apart. Outputs never carry personal data
except as masked contact on staff endpoints."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from liaison.privacy import PHONE_MESSAGE, PHONE_RE
from liaison.satisfaction import Satisfaction
from stations.models import Area, Delegate, Station

from ..conf import conf
from ..hooks import tracking_topics
from ..models import ExtensionRequest, Referral, Reply, Suggestion
from ..privacy import masked_contact
from ..timeline import public_text


# --- input -------------------------------------------------------------------------------------------------
class SubmitSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=conf.TITLE_MAX)
    content = serializers.CharField(max_length=conf.CONTENT_MAX)
    area = serializers.SlugRelatedField(
        slug_field="code", queryset=Area.objects.all(), required=False, allow_null=True
    )
    station = serializers.PrimaryKeyRelatedField(
        queryset=Station.objects.select_related("area").filter(is_active=True),
        required=False,
        allow_null=True,
    )
    delegate = serializers.PrimaryKeyRelatedField(
        queryset=Delegate.objects.select_related("area").filter(is_active=True),
        required=False,
        allow_null=True,
    )
    category = serializers.ChoiceField(choices=Suggestion.Category.choices, required=False)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.RegexField(
        PHONE_RE,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid": PHONE_MESSAGE},
    )
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=conf.PHOTOS_MAX, default=list
    )
    # Honeypot: invisible to people; a bot that fills it in is refused.
    website = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs):
        if not (attrs.get("area") or attrs.get("station") or attrs.get("delegate")):
            raise serializers.ValidationError({"area": [_("请选择区划、联络站或代表中的至少一项。")]})
        return attrs


class SubmittedSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    status = serializers.CharField()


class RatingInSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Satisfaction.choices)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class StatusSerializer(serializers.Serializer):
    status = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class AcceptSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Suggestion.Category.choices, required=False)


class KeySerializer(serializers.Serializer):
    is_key = serializers.BooleanField(default=True)


class MergeSerializer(serializers.Serializer):
    into = serializers.CharField(max_length=20, help_text="The original's id or tracking code.")


class ReferSerializer(serializers.Serializer):
    """Units must be in the caller's area subtree (the view passes that queryset as `units`)."""

    lead_unit = serializers.PrimaryKeyRelatedField(queryset=Area.objects.none())
    assisting_units = serializers.ListField(
        child=serializers.PrimaryKeyRelatedField(queryset=Area.objects.none()),
        required=False,
        default=list,
        max_length=10,
    )
    due_workdays = serializers.IntegerField(min_value=1, max_value=120, required=False, allow_null=True)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["lead_unit"].queryset = units
            self.fields["assisting_units"].child.queryset = units

    def validate(self, attrs):
        lead = attrs["lead_unit"]
        if any(u.pk == lead.pk for u in attrs.get("assisting_units", [])):
            raise serializers.ValidationError({"assisting_units": [_("主办单位不能同时是协办单位。")]})
        return attrs


class ReplyInSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=Reply.Result.choices)
    content = serializers.CharField(max_length=conf.CONTENT_MAX)


class ExtensionInSerializer(serializers.Serializer):
    requested_due = serializers.DateField()
    reason = serializers.CharField(max_length=500)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


# --- public output -----------------------------------------------------------------------------------------
class TrackEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    at = serializers.DateTimeField()
    text = serializers.CharField()


class TrackReplySerializer(serializers.Serializer):
    result = serializers.CharField()
    result_display = serializers.CharField(source="get_result_display")
    content = serializers.CharField()
    at = serializers.DateTimeField()
    unit = serializers.CharField(source="referral.unit.name")
    role = serializers.CharField(source="referral.role")


class TrackTopicSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)


class TrackSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    category = serializers.CharField()
    created_at = serializers.DateTimeField()
    rating_due = serializers.DateField(allow_null=True)
    can_rate = serializers.SerializerMethodField()
    merged_into = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    replies = TrackReplySerializer(many=True)
    topics = serializers.SerializerMethodField()

    @extend_schema_field(TrackTopicSerializer(many=True))
    def get_topics(self, obj):
        """Supervision topics this opinion fed (议题由群众确定): public fields only."""
        return TrackTopicSerializer(tracking_topics(obj.pk), many=True).data

    def get_can_rate(self, obj) -> bool:
        return obj.status == Suggestion.Status.REPLIED

    def get_merged_into(self, obj) -> str | None:
        return obj.merged_into.tracking_code if obj.merged_into_id else None

    @extend_schema_field(TrackEventSerializer(many=True))
    def get_events(self, obj):
        out = []
        for e in obj.events.all():
            text = public_text(e)
            if text:
                out.append({"kind": e.kind, "at": e.at, "text": text})
        return TrackEventSerializer(out, many=True).data


# --- staff output ------------------------------------------------------------------------------------------
class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()


class SuggestionListSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    station_name = serializers.SerializerMethodField()
    light = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "tracking_code",
            "title",
            "status",
            "status_display",
            "category",
            "category_display",
            "channel",
            "channel_display",
            "area",
            "area_name",
            "station",
            "station_name",
            "is_key",
            "is_overdue",
            "round",
            "created_at",
            "triage_due",
            "reply_due",
            "rating_due",
            "step_due",
            "light",
            "contact",
        ]

    def get_station_name(self, obj) -> str | None:
        return obj.station.name if obj.station_id else None

    def get_light(self, obj) -> str:
        """三色督办: green / yellow / red by the share of the working-day deadline used ("" if none runs)."""
        return getattr(obj, "light", "")

    @extend_schema_field(ContactSerializer)
    def get_contact(self, obj):
        return masked_contact(obj)


class ReplyOutSerializer(serializers.ModelSerializer):
    result_display = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = Reply
        fields = ["id", "result", "result_display", "content", "at"]


class ReferralSerializer(serializers.ModelSerializer):
    """`{id, suggestion, unit, role, status, due}` (the public contract of a referral), plus display fields."""

    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    tracking_code = serializers.CharField(source="suggestion.tracking_code", read_only=True)
    title = serializers.CharField(source="suggestion.title", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "suggestion",
            "tracking_code",
            "title",
            "unit",
            "unit_name",
            "role",
            "role_display",
            "status",
            "status_display",
            "round",
            "due",
            "created_at",
            "replied_at",
            "return_reason",
            "return_requested_at",
            "return_refusal",
            "is_overdue",
        ]

    def get_is_overdue(self, obj) -> bool:
        return obj.overdue_at is not None


class ReferralInSuggestionSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    reply = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "unit",
            "unit_name",
            "role",
            "status",
            "round",
            "due",
            "created_at",
            "return_reason",
            "return_refusal",
            "reply",
        ]

    @extend_schema_field(ReplyOutSerializer(allow_null=True))
    def get_reply(self, obj):
        # Replies are prefetched on the suggestion; no query per referral.
        for r in self.context.get("replies", []):
            if r.referral_id == obj.pk:
                return ReplyOutSerializer(r).data
        return None


class EventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    at = serializers.DateTimeField()
    public = serializers.BooleanField()
    text = serializers.SerializerMethodField()
    note = serializers.CharField()
    actor = serializers.SerializerMethodField()

    def get_text(self, obj) -> str:
        return public_text(obj)

    def get_actor(self, obj) -> str | None:
        return (obj.actor.get_full_name() or obj.actor.username) if obj.actor_id else None


class SuggestionDetailSerializer(SuggestionListSerializer):
    referrals = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)
    photos = serializers.SerializerMethodField()
    merged_into = serializers.SerializerMethodField()
    delegate_name = serializers.SerializerMethodField()

    class Meta(SuggestionListSerializer.Meta):
        fields = SuggestionListSerializer.Meta.fields + [
            "content",
            "reject_reason",
            "rating",
            "delegate",
            "delegate_name",
            "raised_by_delegate",
            "merged_into",
            "referrals",
            "events",
            "photos",
        ]

    @extend_schema_field(ReferralInSuggestionSerializer(many=True))
    def get_referrals(self, obj):
        return ReferralInSuggestionSerializer(
            obj.referrals.all(), many=True, context={"replies": list(obj.replies.all())}
        ).data

    def get_photos(self, obj) -> list[str]:
        return [p.image.url for p in obj.photos.all()]

    def get_merged_into(self, obj) -> str | None:
        return obj.merged_into.tracking_code if obj.merged_into_id else None

    def get_delegate_name(self, obj) -> str | None:
        return obj.delegate.name if obj.delegate_id else None


class ReferStatusSerializer(serializers.Serializer):
    status = serializers.CharField()
    referrals = serializers.ListField(child=serializers.DictField())


class ReferralDetailSerializer(ReferralSerializer):
    """What a unit needs to handle a referral: the suggestion's text and photos, masked contact."""

    content = serializers.CharField(source="suggestion.content", read_only=True)
    category = serializers.CharField(source="suggestion.category", read_only=True)
    area_name = serializers.CharField(source="suggestion.area.name", read_only=True)
    contact = serializers.SerializerMethodField()
    reply = ReplyOutSerializer(read_only=True, allow_null=True)
    extensions = serializers.SerializerMethodField()

    class Meta(ReferralSerializer.Meta):
        fields = ReferralSerializer.Meta.fields + [
            "content",
            "category",
            "area_name",
            "contact",
            "reply",
            "extensions",
        ]

    @extend_schema_field(ContactSerializer)
    def get_contact(self, obj):
        return masked_contact(obj.suggestion)

    def get_extensions(self, obj) -> list[dict]:
        return [
            {"id": e.pk, "requested_due": e.requested_due, "status": e.status, "reason": e.reason}
            for e in obj.extensions.all()
        ]


class ExtensionSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="referral.unit.name", read_only=True)
    suggestion = serializers.IntegerField(source="referral.suggestion_id", read_only=True)
    title = serializers.CharField(source="referral.suggestion.title", read_only=True)
    current_due = serializers.DateField(source="referral.due", read_only=True)

    class Meta:
        model = ExtensionRequest
        fields = [
            "id",
            "referral",
            "suggestion",
            "title",
            "unit_name",
            "current_due",
            "requested_due",
            "reason",
            "status",
            "decision_note",
            "created_at",
        ]


class SimilarSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tracking_code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    score = serializers.FloatField()
