"""The assessment API (满意度测评): create (with an explicit roll or a body), open, vote (a delegate on the roll or
a body's member), close, result, and the tally sheet of a paper or device count (entered by one admin, confirmed
by another). Split from supervision.api.views along the sub-domain."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.errors import InvalidTransition, NotFound, NotPermitted
from liaison.permissions import IsAreaStaff, IsPortalAdmin
from liaison.scoping import user_sees_area

from .. import selectors
from ..models import Assessment
from ..services.assessment_counts import assessment_count_confirm, assessment_count_enter
from ..services.assessments import assessment_close, assessment_create, assessment_open, assessment_vote_by
from . import serializers as s
from .views import _require_area, _require_units


def voter_user(user) -> bool:
    """Who may vote online: a delegate, or a body's member who is not a delegate (role member)."""
    return bool(getattr(user, "is_delegate_user", False) or getattr(user, "is_body_member", False))


class AssessmentListCreateView(generics.ListAPIView):
    """GET: staff see their subtree's assessments, delegates and body members those they are on the roll of.
    POST: staff, with `roll` (delegate ids) or `body` (a body's id: its members on the opening day vote)."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.AssessmentOut

    def get_permissions(self):
        return [IsAreaStaff()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_queryset(self):
        return selectors.assessments_for(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=s.AssessmentIn, responses={201: s.AssessmentOut})
    def post(self, request):
        ser = s.AssessmentIn(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        _require_area(request.user, data["area"])
        _require_units(request.user, [data["unit"]])
        for key in ("activity", "rectification"):
            obj = data.get(key)
            if obj is not None and not user_sees_area(request.user, obj.area):
                raise ValidationError({key: [_("不在您的管辖范围内。")]})
        a = assessment_create(actor=request.user, **data)
        return Response(s.AssessmentOut(a).data, status=status.HTTP_201_CREATED)


def assessment_detail(a: Assessment) -> dict:
    """The detail of one assessment with the roll's size, votes so far and the tally sheet (a fixed number of
    queries: two counts, one vote count, one sheet read)."""
    a.roll_size = selectors.assessment_roll_size(a)
    a.voted = a.votes.count()
    a.sheet = selectors.assessment_sheet(a.pk)
    return s.AssessmentDetailOut(a).data


class AssessmentDetailView(APIView):
    """One assessment: staff of its area, and those on its roll (another area's, or one not on the roll: 404)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.AssessmentDetailOut)
    def get(self, request, pk):
        a = get_object_or_404(selectors.assessments_for(request.user), pk=pk)
        return Response(assessment_detail(a))


class _StaffAssessmentView(APIView):
    permission_classes = [IsAreaStaff]

    def assessment(self, request, pk) -> Assessment:
        return get_object_or_404(selectors.assessments_for(request.user), pk=pk)


class AssessmentOpenView(_StaffAssessmentView):
    @extend_schema(request=None, responses=s.StatusOut)
    def post(self, request, pk):
        a = assessment_open(assessment_id=self.assessment(request, pk).pk, actor=request.user)
        return Response({"status": a.status})


class AssessmentCloseView(_StaffAssessmentView):
    @extend_schema(request=None, responses=s.AssessmentResultOut)
    def post(self, request, pk):
        a = assessment_close(assessment_id=self.assessment(request, pk).pk, actor=request.user)
        a = Assessment.objects.select_related("unit").prefetch_related("rectifications").get(pk=a.pk)
        return Response(s.AssessmentResultOut(a).data)


class AssessmentVoteView(APIView):
    """A delegate on the roll, or a body's member on it, votes once: 403 off the roll (or a member who left the
    body before it opened), 409 for a second vote, when not open, or when counted on paper or by a device."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.VoteIn, responses={201: s.VoteOut})
    def post(self, request, pk):
        if not voter_user(request.user):
            raise NotPermitted(_("仅限人大代表或议政代表会成员参加测评。"))
        if not Assessment.objects.filter(pk=pk).exists():
            raise NotFound()
        ser = s.VoteIn(data=request.data)
        ser.is_valid(raise_exception=True)
        vote = assessment_vote_by(assessment_id=pk, user=request.user, choice=ser.validated_data["choice"])
        return Response(s.VoteOut(vote).data, status=status.HTTP_201_CREATED)


class AssessmentResultView(APIView):
    """Counts and satisfaction rate: public once closed, never while voting is open."""

    permission_classes = [AllowAny]

    @extend_schema(responses=s.AssessmentResultOut)
    def get(self, request, pk):
        a = get_object_or_404(
            Assessment.objects.select_related("unit").prefetch_related("rectifications"), pk=pk
        )
        if a.status != Assessment.Status.CLOSED:
            raise InvalidTransition(_("测评尚未结束，结果暂不公开。"))
        return Response(s.AssessmentResultOut(a).data)


# --- the tally sheet of a paper or device count -----------------------------------------------------------


def _sheet_out(assessment_id: int) -> dict:
    return s.TallySheetOut(selectors.assessment_sheet(assessment_id)).data


class AssessmentTallyView(APIView):
    """GET: the tally sheet (staff; 404 before one is entered). POST (admin): enter the count of an open
    assessment counted on paper or by a device; entering again before confirmation replaces the sheet."""

    def get_permissions(self):
        return [IsPortalAdmin()] if self.request.method == "POST" else [IsAreaStaff()]

    @extend_schema(responses=s.TallySheetOut)
    def get(self, request, pk):
        a = get_object_or_404(selectors.assessments_for(request.user), pk=pk)
        if selectors.assessment_sheet(a.pk) is None:
            raise NotFound()
        return Response(_sheet_out(a.pk))

    @extend_schema(request=s.TallySheetIn, responses={201: s.TallySheetOut})
    def post(self, request, pk):
        a = get_object_or_404(selectors.assessments_for(request.user), pk=pk)
        ser = s.TallySheetIn(data=request.data)
        ser.is_valid(raise_exception=True)
        assessment_count_enter(assessment_id=a.pk, actor=request.user, **ser.validated_data)
        return Response(_sheet_out(a.pk), status=status.HTTP_201_CREATED)


class AssessmentTallyConfirmView(APIView):
    """A second admin confirms the sheet; the admin who entered it gets 403 (code `second_user_required`)."""

    permission_classes = [IsPortalAdmin]

    @extend_schema(request=None, responses=s.TallySheetOut)
    def post(self, request, pk):
        a = get_object_or_404(selectors.assessments_for(request.user), pk=pk)
        assessment_count_confirm(assessment_id=a.pk, actor=request.user)
        return Response(_sheet_out(a.pk))
