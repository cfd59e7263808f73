from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from liaison.parsing import IdField, IdListField
from liaison.satisfaction import Satisfaction

from .. import selectors
from ..models import RESULT_TO_CLASS, Contact, FormalSuggestion, ReplyClass


class MotionInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    content = serializers.CharField(max_length=5000)
    kind = serializers.ChoiceField(choices=FormalSuggestion.Kind.choices, default="suggestion")
    session = IdField(required=False, allow_null=True)
    cosigners = IdListField(required=False, default=list, max_length=50)
    draft = serializers.BooleanField(default=False, help_text=_("只保存草稿，不提交"))


class MotionReferenceInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class MotionReferInSerializer(serializers.Serializer):
    lead_unit = IdField()
    cohandling_units = IdListField(required=False, default=list, max_length=20)
    key = serializers.BooleanField(default=False)
    leader = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class MotionContactInSerializer(serializers.Serializer):
    way = serializers.ChoiceField(choices=Contact.Way.choices)
    note = serializers.CharField(max_length=1000)


class MotionReplyInSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=5000)
    public = serializers.BooleanField(default=False)


# `class` is a Python keyword: the field is declared by name (API.md: `{class: A/B/C, content, public}`).
MotionReplyInSerializer._declared_fields["class"] = serializers.ChoiceField(
    choices=ReplyClass.choices, error_messages={"invalid_choice": _("请选择 A、B 或 C 类。")}
)


class MotionRatingInSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Satisfaction.choices)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class MotionAttachmentsInSerializer(serializers.Serializer):
    attachments = serializers.ListField(child=serializers.FileField(), max_length=5)


def _reply_class(m: FormalSuggestion) -> str:
    s = m.suggestion
    return RESULT_TO_CLASS.get(s.reply_result, "") if s is not None else ""


class MotionSerializer(serializers.ModelSerializer):
    code = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True)
    session = serializers.SerializerMethodField()
    lead = serializers.SerializerMethodField()
    key = serializers.SerializerMethodField()
    reply_class = serializers.SerializerMethodField()
    reply_due = serializers.SerializerMethodField()
    rating_due = serializers.SerializerMethodField()

    class Meta:
        model = FormalSuggestion
        fields = [
            "id",
            "code",
            "title",
            "kind",
            "status",
            "session",
            "lead",
            "key",
            "leader",
            "reply_class",
            "reply_public",
            "reply_due",
            "rating_due",
            "submitted_at",
        ]

    def get_code(self, m) -> str:
        return m.suggestion.tracking_code if m.suggestion_id else ""

    def get_session(self, m) -> int | None:
        return m.session_id

    def get_lead(self, m) -> dict:
        return {"id": m.lead_id, "name": m.lead.name}

    def get_key(self, m) -> bool:
        return bool(m.suggestion_id and m.suggestion.is_key)

    def get_reply_class(self, m) -> str:
        return _reply_class(m)

    def get_reply_due(self, m) -> str | None:
        return m.suggestion.reply_due.isoformat() if m.suggestion_id and m.suggestion.reply_due else None

    def get_rating_due(self, m) -> str | None:
        return m.suggestion.rating_due.isoformat() if m.suggestion_id and m.suggestion.rating_due else None


class MotionDetailSerializer(MotionSerializer):
    content = serializers.CharField()
    cosigners = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    class Meta(MotionSerializer.Meta):
        fields = [*MotionSerializer.Meta.fields, "content", "cosigners", "attachments"]

    def get_cosigners(self, m) -> list[dict]:
        return [
            {"id": c.delegate_id, "name": c.delegate.name, "confirmed": c.confirmed_at is not None}
            for c in m.cosigners.all()
        ]

    def get_attachments(self, m) -> list[dict]:
        return [{"id": a.pk, "ext": a.ext, "size": a.size, "url": a.file.url} for a in m.attachments.all()]


class PublicMotionSerializer(serializers.ModelSerializer):
    """Public: no contact data; delegates' names (they act in public), the unit, class and reply."""

    delegates = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    reply_class = serializers.SerializerMethodField()
    reply = serializers.SerializerMethodField()
    session = serializers.SerializerMethodField()
    key = serializers.SerializerMethodField()

    class Meta:
        model = FormalSuggestion
        fields = ["id", "title", "session", "delegates", "unit", "reply_class", "reply", "key", "leader"]

    def get_delegates(self, m) -> list[str]:
        return [m.lead.name, *[c.delegate.name for c in m.cosigners.all() if c.confirmed_at]]

    def get_unit(self, m) -> str:
        u = selectors.lead_unit(m)
        return u.name if u else ""

    def get_reply_class(self, m) -> str:
        return _reply_class(m)

    def get_reply(self, m) -> str:
        r = selectors.lead_reply(m)
        return r.content if r else ""

    def get_session(self, m) -> str:
        return m.session.name if m.session_id else str(_("闭会期间"))

    def get_key(self, m) -> bool:
        return m.suggestion.is_key
