"""Formal suggestions API (API.md "Formal suggestions"). Every write calls one service; reads are scoped by
role (motions.selectors): another area's, unit's or delegate's suggestion is a 404."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.errors import ValidationFailed, get_or_not_found
from liaison.permissions import IsAreaStaff, IsDelegateUser, IsUnitUser
from stations.models import HandlingUnit

from .. import selectors
from ..models import FormalSuggestion, Session, Status
from ..services.filing import motion_attach, motion_cosign, motion_save, motion_submit
from ..services.handling import (
    motion_contact,
    motion_rate,
    motion_refer,
    motion_reference,
    motion_register,
    motion_reply,
)
from ..stats import session_stats
from . import serializers as s_


def _out(m, code=status.HTTP_200_OK) -> Response:
    m = FormalSuggestion.objects.select_related("suggestion").get(pk=m.pk)
    code_ = m.suggestion.tracking_code if m.suggestion_id else ""
    return Response({"id": m.pk, "code": code_, "status": m.status}, status=code)


def _bool(value: str | None) -> bool | None:
    if value in (None, ""):
        return None
    return value.lower() in ("1", "true", "yes")


class MotionListCreateView(generics.ListAPIView):
    serializer_class = s_.MotionSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("session", int),
            OpenApiParameter("status", str, enum=Status.values),
            OpenApiParameter("key", bool),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.visible_to(self.request.user)
        p = self.request.query_params
        if p.get("session"):
            try:
                qs = qs.filter(session_id=int(p["session"]))
            except (ValueError, OverflowError):
                raise ValidationFailed({"session": [_("会议编号无效。")]}) from None
        if p.get("status"):
            if p["status"] not in Status.values:
                raise ValidationFailed({"status": [_("未知的状态。")]})
            qs = qs.filter(selectors.status_q(p["status"]))
        key = _bool(p.get("key"))
        if key is not None:
            qs = qs.filter(suggestion__is_key=key)
        return qs.order_by("-created_at", "-id")

    @extend_schema(request=s_.MotionInSerializer, responses={201: dict})
    def post(self, request):
        if not IsDelegateUser().has_permission(request, self):
            return Response({"detail": str(IsDelegateUser.message)}, status=status.HTTP_403_FORBIDDEN)
        ser = s_.MotionInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        session = None
        if d.get("session"):
            session = Session.objects.filter(pk=d["session"]).first()
            if session is None:
                raise ValidationFailed({"session": [_("会议不存在。")]})
        m = motion_save(
            lead=request.user.delegate,
            title=d["title"],
            content=d["content"],
            kind=d["kind"],
            session=session,
            cosigners=d["cosigners"],
            attachments=request.FILES.getlist("attachments"),
            submit=not d["draft"],
            actor=request.user,
        )
        return _out(m, status.HTTP_201_CREATED)


class MotionDetailView(APIView):
    @extend_schema(responses=s_.MotionDetailSerializer)
    def get(self, request, pk):
        qs = selectors.with_people(selectors.visible_to(request.user)).prefetch_related("attachments")
        m = get_or_not_found(qs, pk=pk)
        return Response(s_.MotionDetailSerializer(m).data)


def _mine(request, pk, qs):
    return get_or_not_found(qs, pk=pk)


class _Action(APIView):
    permission_classes = [IsAreaStaff]

    def scope(self, request):
        return selectors.for_staff(request.user)


class SubmitView(APIView):
    permission_classes = [IsDelegateUser]

    @extend_schema(request=None, responses={200: dict})
    def post(self, request, pk):
        m = _mine(
            request,
            pk,
            selectors.for_delegate(request.user.delegate_id).filter(lead=request.user.delegate_id),
        )
        return _out(motion_submit(motion_id=m.pk, lead=request.user.delegate, actor=request.user))


class AttachmentsView(APIView):
    permission_classes = [IsDelegateUser]

    @extend_schema(request=s_.MotionAttachmentsInSerializer, responses={201: dict})
    def post(self, request, pk):
        m = _mine(
            request,
            pk,
            selectors.for_delegate(request.user.delegate_id).filter(lead=request.user.delegate_id),
        )
        files = request.FILES.getlist("attachments")
        if not files:
            raise ValidationFailed({"attachments": [_("请选择附件。")]})
        motion_attach(motion_id=m.pk, lead=request.user.delegate, files=files)
        return _out(m, status.HTTP_201_CREATED)


class CosignView(APIView):
    permission_classes = [IsDelegateUser]

    @extend_schema(request=None, responses={200: dict})
    def post(self, request, pk):
        m = _mine(request, pk, selectors.for_delegate(request.user.delegate_id))
        motion_cosign(motion_id=m.pk, delegate=request.user.delegate)
        return _out(m)


class RegisterView(_Action):
    @extend_schema(request=None, responses={200: dict})
    def post(self, request, pk):
        m = _mine(request, pk, self.scope(request))
        return _out(motion_register(motion_id=m.pk, actor=request.user))


class ReferenceView(_Action):
    @extend_schema(request=s_.MotionReferenceInSerializer, responses={200: dict})
    def post(self, request, pk):
        m = _mine(request, pk, self.scope(request))
        ser = s_.MotionReferenceInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return _out(motion_reference(motion_id=m.pk, reason=ser.validated_data["reason"], actor=request.user))


def _units(request, ids) -> list[HandlingUnit]:
    units = {u.pk: u for u in HandlingUnit.objects.filter(pk__in=ids).select_related("area")}
    base = request.user.area_path
    out = []
    for pk in ids:
        u = units.get(pk)
        if u is None or base is None or not u.area.path.startswith(base):
            raise ValidationFailed(
                {"lead_unit": [_("承办单位 %(id)s 不存在或不在您的管辖范围内。") % {"id": pk}]}
            )
        out.append(u)
    return out


class ReferView(_Action):
    @extend_schema(request=s_.MotionReferInSerializer, responses={200: dict})
    def post(self, request, pk):
        m = _mine(request, pk, self.scope(request))
        ser = s_.MotionReferInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        lead, *others = _units(request, [d["lead_unit"], *d["cohandling_units"]])
        return _out(
            motion_refer(
                motion_id=m.pk,
                lead_unit=lead,
                cohandling_units=others,
                key=d["key"],
                leader=d["leader"],
                actor=request.user,
            )
        )


class ContactView(APIView):
    permission_classes = [IsUnitUser]

    @extend_schema(request=s_.MotionContactInSerializer, responses={201: dict})
    def post(self, request, pk):
        m = _mine(request, pk, selectors.for_unit(request.user))
        ser = s_.MotionContactInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        motion_contact(motion_id=m.pk, actor=request.user, **ser.validated_data)
        return _out(m, status.HTTP_201_CREATED)


class ReplyView(APIView):
    permission_classes = [IsUnitUser]

    @extend_schema(request=s_.MotionReplyInSerializer, responses={200: dict})
    def post(self, request, pk):
        m = _mine(request, pk, selectors.for_unit(request.user))
        ser = s_.MotionReplyInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        return _out(
            motion_reply(
                motion_id=m.pk,
                actor=request.user,
                reply_class=d["class"],
                content=d["content"],
                public=d["public"],
            )
        )


class RatingView(APIView):
    permission_classes = [IsDelegateUser]

    @extend_schema(request=s_.MotionRatingInSerializer, responses={200: dict})
    def post(self, request, pk):
        m = _mine(request, pk, selectors.for_delegate(request.user.delegate_id))
        ser = s_.MotionRatingInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return _out(motion_rate(motion_id=m.pk, delegate=request.user.delegate, **ser.validated_data))


class PublicListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s_.PublicMotionSerializer

    @extend_schema(parameters=[OpenApiParameter("session", int)], auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        raw = self.request.query_params.get("session")
        try:
            session_id = int(raw) if raw else None
        except ValueError:
            raise ValidationFailed({"session": [_("会议编号无效。")]}) from None
        return selectors.public_list(session_id)


class StatsView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(
        parameters=[OpenApiParameter("session", int), OpenApiParameter("area", str)], responses={200: dict}
    )
    def get(self, request):
        qs, _session = selectors.stats_scope(
            request.user, request.query_params.get("session"), request.query_params.get("area")
        )
        return Response(session_stats(qs))
