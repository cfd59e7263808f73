from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from liaison.privacy import mask_phone

from ..models import Body, BodyMember


class BodyIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Body.Kind.choices)
    area = serializers.CharField(max_length=12, help_text=_("区划代码"))
    term = serializers.IntegerField(min_value=1, max_value=99, required=False, allow_null=True)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class BodyOut(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code")
    area_name = serializers.CharField(source="area.name")
    member_count = serializers.SerializerMethodField()

    class Meta:
        model = Body
        fields = ["id", "name", "kind", "area", "area_name", "term", "is_active", "member_count"]

    def get_member_count(self, obj) -> int | None:
        """Current members (list and detail; None right after creation, when there are none to count)."""
        return getattr(obj, "member_count", None)


class MemberIn(serializers.Serializer):
    delegate = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    sector = serializers.ChoiceField(choices=BodyMember.Sector.choices, required=False, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    joined_on = serializers.DateField(required=False, allow_null=True)
    account = serializers.BooleanField(required=False, default=False)


class MemberOut(serializers.ModelSerializer):
    phone = serializers.SerializerMethodField()
    has_account = serializers.SerializerMethodField()

    class Meta:
        model = BodyMember
        fields = [
            "id",
            "name",
            "sector",
            "delegate",
            "phone",
            "has_account",
            "joined_on",
            "left_on",
            "left_reason",
        ]

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)

    def get_has_account(self, obj) -> bool:
        return obj.user_id is not None


class LeaveIn(serializers.Serializer):
    left_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
