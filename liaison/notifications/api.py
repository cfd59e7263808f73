"""The inbox over the API: `notifications/`, `notifications/ID/read/`, `notifications/read-all/` and
`me/preferences/`. Every user reads only their own notifications; another user's id is a 404."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.errors import ValidationFailed

from . import selectors, services
from .models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.CharField(source="body")
    url = serializers.CharField(source="link")
    at = serializers.DateTimeField(source="created_at")
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "text", "url", "at", "read"]

    def get_read(self, n) -> bool:
        return n.read_at is not None


class PreferencesSerializer(serializers.Serializer):
    digest = serializers.ChoiceField(choices=["none", "daily"])


def _bool_param(raw: str | None, name: str) -> bool | None:
    if raw is None or raw == "":
        return None
    value = raw.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ValidationFailed({name: [_("只能是 true 或 false。")]})


class NotificationListView(generics.ListAPIView):
    """The caller's inbox, newest first; `?unread=true` for the unread ones only."""

    serializer_class = NotificationSerializer

    @extend_schema(parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, required=False)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        unread = _bool_param(self.request.query_params.get("unread"), "unread")
        return selectors.inbox_for(self.request.user, unread=unread)


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk: int):
        n = services.mark_one_read(user=request.user, notification_id=pk)
        return Response(NotificationSerializer(n).data)


class NotificationReadAllView(APIView):
    @extend_schema(
        request=None, responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()})
    )
    def post(self, request):
        return Response({"marked": services.mark_read(user=request.user)})


class PreferencesView(APIView):
    """How email/SMS messages reach the caller: each at once (`none`) or in a daily digest (`daily`)."""

    @extend_schema(responses=PreferencesSerializer)
    def get(self, request):
        return Response({"digest": request.user.digest})

    @extend_schema(request=PreferencesSerializer, responses=PreferencesSerializer)
    def put(self, request):
        ser = PreferencesSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        services.digest_preference_set(user=request.user, digest=ser.validated_data["digest"])
        return Response({"digest": request.user.digest})
