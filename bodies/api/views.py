"""Bodies and councils API (API.md): staff of an area read its bodies and members; admins create bodies, add
members (a delegate, or a person with an optional account) and record members leaving. Another area's body is
a 404."""

import datetime as dt

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.errors import NotFound, ValidationFailed
from liaison.permissions import IsAreaStaff, IsPortalAdmin
from stations.models import Area

from .. import selectors, services
from ..models import Body, BodyMember
from . import serializers as s


def _valid(serializer_class, data):
    ser = serializer_class(data=data)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


class BodyListCreateView(generics.ListAPIView):
    """GET (staff): the bodies of the caller's subtree, `?kind=`, `?area=CODE` (that area and below).
    POST (admin): `{name, kind, area, term?}`."""

    serializer_class = s.BodyOut

    def get_permissions(self):
        return [IsPortalAdmin()] if self.request.method == "POST" else [IsAreaStaff()]

    def get_queryset(self):
        qs = selectors.staff_bodies(self.request.user)
        kind = self.request.query_params.get("kind")
        if kind:
            if kind not in Body.Kind.values:
                raise ValidationFailed({"kind": [_("机构类型不正确。")]})
            qs = qs.filter(kind=kind)
        code = self.request.query_params.get("area")
        if code:
            area = Area.objects.filter(code=code).first()
            if area is None:
                raise ValidationFailed({"area": [_("区划代码不存在。")]})
            qs = qs.filter(area__path__startswith=area.path)
        return qs

    @extend_schema(request=s.BodyIn, responses={201: s.BodyOut})
    def post(self, request):
        data = _valid(s.BodyIn, request.data)
        area = Area.objects.filter(code=data["area"]).first()
        if area is None:
            raise ValidationFailed({"area": [_("区划代码不存在。")]})
        body = services.body_create(
            name=data["name"],
            kind=data["kind"],
            area=area,
            term=data.get("term"),
            description=data["description"],
            actor=request.user,
        )
        return Response(s.BodyOut(body).data, status=status.HTTP_201_CREATED)


class BodyDetailView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(responses=s.BodyOut)
    def get(self, request, pk):
        body = selectors.staff_bodies(request.user).filter(pk=pk).first()
        if body is None:
            raise NotFound()
        return Response(s.BodyOut(body).data)


class MemberListCreateView(generics.ListAPIView):
    """GET (staff): members on `?on=YYYY-MM-DD` (default today), or `?all=1` with those who left; phones
    masked. POST (admin): `{delegate}` or `{name, sector, phone?, account?}`; with `account` the response
    carries the new account's username and first password, once."""

    serializer_class = s.MemberOut

    def get_permissions(self):
        return [IsPortalAdmin()] if self.request.method == "POST" else [IsAreaStaff()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return BodyMember.objects.none()
        body = services.body_for(self.request.user, self.kwargs["pk"])
        raw = self.request.query_params.get("on")
        on = None
        if raw:
            try:
                on = dt.date.fromisoformat(raw)
            except ValueError:
                raise ValidationFailed({"on": [_("日期格式应为 YYYY-MM-DD。")]}) from None
        return selectors.member_list(body, on=on, include_left=self.request.query_params.get("all") == "1")

    @extend_schema(request=s.MemberIn, responses={201: s.MemberOut})
    def post(self, request, pk):
        body = services.body_for(request.user, pk)
        data = _valid(s.MemberIn, request.data)
        member, password = services.member_add(
            body=body,
            delegate=data.get("delegate"),
            name=data["name"],
            sector=data["sector"],
            phone=data["phone"],
            joined_on=data.get("joined_on"),
            account=data["account"],
            actor=request.user,
        )
        out = s.MemberOut(member).data
        if password is not None:
            out["account"] = {"username": member.user.username, "initial_password": password}
        return Response(out, status=status.HTTP_201_CREATED)


class MemberLeaveView(APIView):
    permission_classes = [IsPortalAdmin]

    @extend_schema(request=s.LeaveIn, responses=s.MemberOut)
    def post(self, request, pk, member_pk):
        body = services.body_for(request.user, pk)
        if not body.members.filter(pk=member_pk).exists():
            raise NotFound()
        data = _valid(s.LeaveIn, request.data)
        member = services.member_leave(
            member_id=member_pk, left_on=data.get("left_on"), reason=data["reason"], actor=request.user
        )
        return Response(s.MemberOut(member).data)
