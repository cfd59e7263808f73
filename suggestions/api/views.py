"""Suggestions API (/api/v1/suggestions/, referrals/, track/ …; schema at /api/v1/schema/). One view per action; every write goes through services.

Objects outside the caller's scope are 404 (staff: their area subtree; units: their own referrals).
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.api import AnonymousWriteThrottle
from liaison.codes import normalise_code
from liaison.errors import NotFound, NotPermitted
from liaison.parsing import parse_date_range, to_id
from liaison.permissions import IsAreaStaff, IsUnitUser
from liaison.scoping import user_sees_area
from stations.models import Area
from stations.selectors import home_area

from .. import exports, selectors, stats
from ..models import Referral, Suggestion
from ..services.intake import suggestion_submit
from ..services.ratings import suggestion_rate
from ..services.referrals import (
    extension_grant,
    extension_refuse,
    extension_request,
    referral_accept,
    referral_reply,
    referral_return,
    referral_return_accept,
    referral_return_refuse,
    referral_return_review,
    suggestion_refer,
)
from ..services.triage import suggestion_accept, suggestion_mark_key, suggestion_merge, suggestion_reject
from . import filters
from . import serializers as s_


class SuggestionThrottle(AnonymousWriteThrottle):
    scope = "suggestion"


class RatingThrottle(AnonymousWriteThrottle):
    scope = "rating"


def _status(s: Suggestion) -> Response:
    return Response({"status": s.status})


# --- public ------------------------------------------------------------------------------------------------
class SuggestionListCreateView(generics.ListAPIView):
    """GET: the staff work list for the caller's area subtree, oldest first (filters below).
    POST: anyone submits a suggestion (rate limit and honeypot: liaison.guard; multipart for photos)."""

    throttle_classes = [SuggestionThrottle]
    serializer_class = s_.SuggestionListSerializer
    filterset_class = filters.SuggestionFilter

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAreaStaff()]

    def get_queryset(self):
        return (
            selectors.suggestions_for_staff(self.request.user)
            .select_related("area", "station")
            .order_by("created_at", "id")
        )

    def list(self, request, *args, **kwargs):
        # Queries: count, the page (area and station joined); the lights' calendar is in memory. With no
        # filter but the area, the count comes from the statistics cells instead (three small queries).
        qs = self.filter_queryset(self.get_queryset())
        if set(request.query_params) <= {"page", "page_size", "ordering", "area"}:
            area = None
            if request.query_params.get("area"):  # valid by now: the filter set checked it
                area = Area.objects.filter(code=request.query_params["area"]).first()
            self.known_count = selectors.staff_queue_count(request.user, selectors.QueueFilters(area=area))
        page = self.paginate_queryset(qs)
        items = selectors.with_lights(page)
        return self.get_paginated_response(self.get_serializer(items, many=True).data)

    @extend_schema(request=s_.SubmitSerializer, responses={201: s_.SubmittedSerializer}, auth=[])
    def post(self, request, *args, **kwargs):
        ser = s_.SubmitSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        s = suggestion_submit(
            title=d["title"],
            content=d["content"],
            category=d.get("category") or Suggestion.Category.OTHER,
            area=d.get("area"),
            station=d.get("station"),
            delegate=d.get("delegate"),
            submitter_name=d.get("name", ""),
            submitter_phone=d.get("phone", ""),
            submitter_email=d.get("email", ""),
            photos=d.get("photos") or [],
        )
        return Response(
            {"tracking_code": s.tracking_code, "status": s.status}, status=status.HTTP_201_CREATED
        )


class TrackView(APIView):
    """The public tracking view: timeline and replies, never the submitter's name or contact."""

    permission_classes = [AllowAny]

    @extend_schema(responses=s_.TrackSerializer, auth=[])
    def get(self, request, code):
        s = selectors.tracking(code)
        if s is None:
            raise NotFound(_("查询码不存在。"))
        return Response(s_.TrackSerializer(s).data)


class TrackRatingView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [RatingThrottle]

    @extend_schema(request=s_.RatingInSerializer, responses={201: s_.StatusSerializer}, auth=[])
    def post(self, request, code):
        s = Suggestion.objects.filter(tracking_code=normalise_code(code)).only("id").first()
        if s is None:
            raise NotFound(_("查询码不存在。"))
        ser = s_.RatingInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        suggestion_rate(suggestion_id=s.pk, **ser.validated_data)
        s.refresh_from_db(fields=["status"])
        return Response({"status": s.status}, status=status.HTTP_201_CREATED)


# --- staff -------------------------------------------------------------------------------------------------
class _StaffSuggestionView(APIView):
    permission_classes = [IsAreaStaff]

    def get_suggestion(self, request, pk) -> Suggestion:
        return get_object_or_404(selectors.suggestions_for_staff(request.user).only("id", "area_id"), pk=pk)


class SuggestionDetailView(_StaffSuggestionView):
    @extend_schema(responses=s_.SuggestionDetailSerializer)
    def get(self, request, pk):
        s = get_object_or_404(
            selectors.suggestion_detail(selectors.suggestions_for_staff(request.user)), pk=pk
        )
        selectors.with_lights([s])
        return Response(s_.SuggestionDetailSerializer(s).data)


class SuggestionAcceptView(_StaffSuggestionView):
    @extend_schema(request=s_.AcceptSerializer, responses=s_.StatusSerializer)
    def post(self, request, pk):
        s = self.get_suggestion(request, pk)
        ser = s_.AcceptSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return _status(suggestion_accept(suggestion_id=s.pk, actor=request.user, **ser.validated_data))


class SuggestionRejectView(_StaffSuggestionView):
    @extend_schema(request=s_.ReasonSerializer, responses=s_.StatusSerializer)
    def post(self, request, pk):
        s = self.get_suggestion(request, pk)
        ser = s_.ReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        return _status(
            suggestion_reject(suggestion_id=s.pk, reason=ser.validated_data["reason"], actor=request.user)
        )


class SuggestionKeyView(_StaffSuggestionView):
    @extend_schema(request=s_.KeySerializer, responses=s_.StatusSerializer)
    def post(self, request, pk):
        s = self.get_suggestion(request, pk)
        ser = s_.KeySerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        s = suggestion_mark_key(suggestion_id=s.pk, is_key=ser.validated_data["is_key"], actor=request.user)
        return Response({"status": s.status, "is_key": s.is_key})


class SuggestionMergeView(_StaffSuggestionView):
    @extend_schema(request=s_.MergeSerializer, responses=s_.StatusSerializer)
    def post(self, request, pk):
        s = self.get_suggestion(request, pk)
        ser = s_.MergeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        raw = ser.validated_data["into"].strip()
        scoped = selectors.suggestions_for_staff(request.user)
        original = (
            scoped.filter(pk=to_id(raw)).first()
            if to_id(raw)
            else scoped.filter(tracking_code=normalise_code(raw)).first()
        )
        if original is None:
            raise ValidationError({"into": [_("找不到要合并到的意见建议。")]})
        s = suggestion_merge(suggestion_id=s.pk, into_id=original.pk, actor=request.user)
        return Response({"status": s.status, "merged_into": original.tracking_code})


class SuggestionReferView(_StaffSuggestionView):
    @extend_schema(request=s_.ReferSerializer, responses=s_.ReferStatusSerializer)
    def post(self, request, pk):
        s = self.get_suggestion(request, pk)
        ser = s_.ReferSerializer(data=request.data, units=selectors.units_for_staff(request.user))
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        s = suggestion_refer(
            suggestion_id=s.pk,
            lead_unit=d["lead_unit"],
            assisting_units=d.get("assisting_units", []),
            due_workdays=d.get("due_workdays"),
            actor=request.user,
        )
        refs = Referral.objects.filter(
            suggestion=s, round=s.round, status__in=Referral.OPEN_STATUSES
        ).order_by("role", "id")
        return Response(
            {
                "status": s.status,
                "referrals": [{"id": r.pk, "unit": r.unit_id, "role": r.role, "due": r.due} for r in refs],
            }
        )


class SuggestionSimilarView(_StaffSuggestionView):
    """The five most similar open suggestions in the county subtree of the suggestion's area, among those
    the caller may see."""

    @extend_schema(responses=s_.SimilarSerializer(many=True))
    def get(self, request, pk):
        s = get_object_or_404(selectors.suggestions_for_staff(request.user).select_related("area"), pk=pk)
        rows = [
            {
                "id": c.pk,
                "tracking_code": c.tracking_code,
                "title": c.title,
                "status": c.status,
                "created_at": c.created_at,
                "score": round(score, 3),
            }
            for c, score in selectors.similar_open(s, user=request.user)
        ]
        return Response(s_.SimilarSerializer(rows, many=True).data)


def _parse_period(request) -> stats.Period:
    default = stats.Period.default()
    start, end = parse_date_range(
        request.query_params.get("from"), request.query_params.get("to"), default=(default.start, default.end)
    )
    if (end - start).days > 366 * 20:
        raise ValidationError({"to": [_("统计期间不能超过二十年。")]})
    return stats.Period(start, end)


def _parse_area(request):
    user = request.user
    code = request.query_params.get("area")
    if not code:
        area = home_area(user)
        if area is None:
            raise ValidationError({"area": [_("请指定区划代码。")]})
        return area
    area = Area.objects.filter(code=code).first()
    if area is None or not user_sees_area(user, area):
        raise NotFound()
    return area


PERIOD_PARAMS = [
    OpenApiParameter("area", OpenApiTypes.STR, description="Area code within the caller's subtree"),
    OpenApiParameter("from", OpenApiTypes.DATE),
    OpenApiParameter("to", OpenApiTypes.DATE),
]


class StatsView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(parameters=PERIOD_PARAMS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(stats.dashboard(_parse_area(request), _parse_period(request)))


class ExportView(APIView):
    """选民反映问题转办反馈记录簿 as Excel (`?file=xlsx`, default) or CSV (`?file=csv`)."""

    permission_classes = [IsAreaStaff]

    @extend_schema(
        parameters=[*PERIOD_PARAMS, OpenApiParameter("file", OpenApiTypes.STR, enum=["xlsx", "csv"])],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request):
        kind = request.query_params.get("file", "xlsx")
        if kind not in ("xlsx", "csv"):
            raise ValidationError({"file": [_("只支持 xlsx 或 csv。")]})
        return exports.response(_parse_area(request), _parse_period(request), kind)


# --- referrals ---------------------------------------------------------------------------------------------
class ReferralListView(generics.ListAPIView):
    """Referrals: a unit user sees its own unit's; staff those in their subtree. Due soonest first."""

    permission_classes = [IsUnitUser | IsAreaStaff]
    serializer_class = s_.ReferralSerializer
    filterset_class = filters.ReferralFilter

    def get_queryset(self):
        # Queries: count and one page (suggestion and unit joined).
        return (
            selectors.referrals_for(self.request.user)
            .select_related("suggestion", "unit")
            .order_by("due", "id")
        )


class ReferralDetailView(APIView):
    permission_classes = [IsUnitUser | IsAreaStaff]

    @extend_schema(responses=s_.ReferralDetailSerializer)
    def get(self, request, pk):
        ref = get_object_or_404(
            selectors.referrals_for(request.user)
            .select_related("suggestion__area", "unit", "reply")
            .prefetch_related("extensions"),
            pk=pk,
        )
        return Response(s_.ReferralDetailSerializer(ref).data)


class _UnitReferralView(APIView):
    """Actions of the unit a referral is addressed to: 404 for another unit's, 403 for staff."""

    permission_classes = [IsUnitUser | IsAreaStaff]

    def get_referral(self, request, pk) -> Referral:
        ref = get_object_or_404(selectors.referrals_for(request.user).only("id", "unit_id"), pk=pk)
        if not request.user.is_unit_user or ref.unit_id != request.user.unit_id:
            raise NotPermitted(_("只有承办单位可以办理转办件。"))
        return ref


class ReferralAcceptView(_UnitReferralView):
    @extend_schema(request=None, responses=s_.StatusSerializer)
    def post(self, request, pk):
        ref = referral_accept(referral_id=self.get_referral(request, pk).pk, actor=request.user)
        return Response({"status": ref.status})


class ReferralReplyView(_UnitReferralView):
    @extend_schema(request=s_.ReplyInSerializer, responses=s_.StatusSerializer)
    def post(self, request, pk):
        ref = self.get_referral(request, pk)
        ser = s_.ReplyInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        referral_reply(referral_id=ref.pk, actor=request.user, **ser.validated_data)
        return Response({"status": Referral.Status.REPLIED})


class ReferralReturnView(_UnitReferralView):
    """The unit asks to return the referral (退单); staff review it (`return/accept/`, `return/refuse/`)."""

    @extend_schema(request=s_.ReasonSerializer, responses=s_.StatusSerializer)
    def post(self, request, pk):
        ref = self.get_referral(request, pk)
        ser = s_.ReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        ref = referral_return(referral_id=ref.pk, reason=ser.validated_data["reason"], actor=request.user)
        return Response({"status": ref.status})


class ReferralExtensionView(_UnitReferralView):
    @extend_schema(request=s_.ExtensionInSerializer, responses={201: s_.ExtensionSerializer})
    def post(self, request, pk):
        ref = self.get_referral(request, pk)
        ser = s_.ExtensionInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        ext = extension_request(referral_id=ref.pk, actor=request.user, **ser.validated_data)
        return Response(s_.ExtensionSerializer(ext).data, status=status.HTTP_201_CREATED)


class ReferralReviewView(APIView):
    """Staff acknowledge a return: one waiting for review is accepted (as `return/accept/`)."""

    permission_classes = [IsAreaStaff]

    @extend_schema(request=None, responses=s_.StatusSerializer)
    def post(self, request, pk):
        ref = get_object_or_404(selectors.referrals_for(request.user).only("id"), pk=pk)
        ref = referral_return_review(referral_id=ref.pk, actor=request.user)
        return Response({"status": ref.status})


class ReferralReturnAcceptView(APIView):
    """Staff accept a unit's return: the lead unit's sends the suggestion back to triage, an assisting unit's
    just ends that referral."""

    permission_classes = [IsAreaStaff]

    @extend_schema(request=None, responses=s_.StatusSerializer)
    def post(self, request, pk):
        ref = get_object_or_404(selectors.referrals_for(request.user).only("id"), pk=pk)
        ref = referral_return_accept(referral_id=ref.pk, actor=request.user)
        return Response({"status": ref.status})


class ReferralReturnRefuseView(APIView):
    """Staff refuse a unit's return with a reason: the referral stays with the unit, which is told why."""

    permission_classes = [IsAreaStaff]

    @extend_schema(request=s_.ReasonSerializer, responses=s_.StatusSerializer)
    def post(self, request, pk):
        ref = get_object_or_404(selectors.referrals_for(request.user).only("id"), pk=pk)
        ser = s_.ReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        ref = referral_return_refuse(
            referral_id=ref.pk, reason=ser.validated_data["reason"], actor=request.user
        )
        return Response({"status": ref.status})


class ExtensionListView(generics.ListAPIView):
    permission_classes = [IsAreaStaff]
    serializer_class = s_.ExtensionSerializer

    def get_queryset(self):
        # Queries: count and one page (referral, unit and suggestion joined).
        return selectors.pending_extensions(self.request.user)


class _ExtensionDecisionView(APIView):
    permission_classes = [IsAreaStaff]
    service = None

    @extend_schema(request=s_.DecisionSerializer, responses=s_.ExtensionSerializer)
    def post(self, request, pk):
        ext = get_object_or_404(selectors.extensions_for(request.user).only("id"), pk=pk)
        ser = s_.DecisionSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        ext = type(self).service(extension_id=ext.pk, actor=request.user, note=ser.validated_data["note"])
        return Response(s_.ExtensionSerializer(ext).data)


class ExtensionGrantView(_ExtensionDecisionView):
    service = staticmethod(extension_grant)


class ExtensionRefuseView(_ExtensionDecisionView):
    service = staticmethod(extension_refuse)
