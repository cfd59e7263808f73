from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.api import AnonymousWriteThrottle
from liaison.views import lockout_seconds


class AuthThrottle(AnonymousWriteThrottle):
    scope = "auth"
    honeypot = False  # API clients, no form


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class MeSerializer(serializers.Serializer):
    """The shape of `me/` for the schema; MeView builds the same dict directly (see me_data)."""

    username = serializers.CharField()
    name = serializers.SerializerMethodField()
    roles = serializers.ListField(child=serializers.CharField())
    area = serializers.SerializerMethodField()
    area_name = serializers.SerializerMethodField()
    delegate = serializers.IntegerField(source="delegate_id", allow_null=True)
    unit = serializers.IntegerField(source="unit_id", allow_null=True)

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username

    def get_area(self, user) -> str | None:
        return user.area.code if user.area_id else None

    def get_area_name(self, user) -> str | None:
        return user.area.name if user.area_id else None


class TokenView(APIView):
    """Exchange a username and password for an API token. Repeated failures lock the account (429)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AuthThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer("Token", {"token": serializers.CharField()}),
    )
    def post(self, request):
        ser = TokenRequestSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        django_request = request._request
        user = authenticate(django_request, **ser.validated_data)
        if getattr(django_request, "axes_locked_out", False):
            wait = lockout_seconds(django_request)
            return Response(
                {"detail": _("登录失败次数过多，账户已暂时锁定，请稍后再试。"), "code": "locked_out"},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(wait)} if wait else None,
            )
        if user is None or not user.is_active:
            return Response(
                {"detail": _("用户名或密码错误。"), "code": "bad_credentials"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        # A token exchange is a login: axes resets the failure count (AXES_RESET_ON_SUCCESS) and logs the access,
        # and Django records last_login. authenticate() alone sends no success signal.
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(me_data(request.user))


def me_data(user) -> dict:
    """What MeSerializer(user).data returns, without building serializer fields on every call.

    `me/` is the hottest authenticated read (apps call it on start); the area comes with the token's
    query (liaison.api.TokenAuthentication selects user__area).
    """
    area = user.area if user.area_id else None
    return {
        "username": user.username,
        "name": user.get_full_name() or user.username,
        "roles": [str(r) for r in user.roles],
        "area": area.code if area else None,
        "area_name": area.name if area else None,
        "delegate": user.delegate_id,
        "unit": user.unit_id,
    }
