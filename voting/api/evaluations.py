"""The evaluation API (人大评): create (the electing ballot's roll, an explicit roll, or a body), open, vote (a
delegate on the roll or a body's member), close, result — and the tally sheet of an evaluation counted on paper
or by a voting device (`evaluations/ID/paper-tally/` and `…/confirm/`), delegating to the supervision assessment's
count services (one admin enters, another confirms). Split from voting.api.views along the sub-domain."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.errors import InvalidTransition, NotFound, NotPermitted
from liaison.permissions import IsAreaStaff, IsPortalAdmin
from supervision.api.serializers import TallySheetIn, TallySheetOut
from supervision.selectors import assessment_sheet

from .. import selectors
from ..models import Evaluation
from ..selectors import evaluation_result
from ..services.evaluations import (
    evaluation_close,
    evaluation_count_confirm,
    evaluation_count_enter,
    evaluation_create,
    evaluation_open,
    evaluation_vote,
)
from . import serializers


def _evaluation_for(request, pk):
    return get_object_or_404(selectors.evaluations_for(request.user), pk=pk)


def _evaluation_out(ev) -> dict:
    a = ev.assessment
    return {
        "id": ev.pk,
        "project": ev.project_id,
        "project_title": ev.project.title,
        "assessment": a.pk,
        "title": a.title,
        "status": a.status,
        "opened_at": a.opened_at,
        "closed_at": a.closed_at,
        "body": a.body_id,
        "counting": a.counting,
    }


class EvaluationListCreateView(generics.GenericAPIView):
    """GET: evaluations of the caller's area (staff, admins) or on whose roll they are (delegates).
    POST (admin): `{project, roll?: [delegate ids], title?}`; the roll defaults to the electing ballot's roll."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.EvaluationSerializer
    queryset = Evaluation.objects.none()  # for the schema; get() reads through the selector

    @extend_schema(responses=serializers.EvaluationSerializer(many=True))
    def get(self, request):
        qs = selectors.evaluations_for(request.user).order_by("-created_at", "-id")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response([_evaluation_out(e) for e in page])

    @extend_schema(
        request=serializers.EvaluationCreateSerializer, responses={201: serializers.EvaluationSerializer}
    )
    def post(self, request):
        if not request.user.is_portal_admin:
            raise PermissionDenied(_("仅限管理员。"))
        ser = serializers.EvaluationCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        project = selectors.projects_for(request.user).filter(pk=ser.validated_data["project"]).first()
        if project is None:
            raise ValidationError({"project": [_("项目不存在。")]})
        ev = evaluation_create(
            project_id=project.pk,
            roll=ser.validated_data.get("roll"),
            title=ser.validated_data.get("title", ""),
            actor=request.user,
            body=ser.validated_data.get("body"),
            counting=ser.validated_data["counting"],
        )
        ev = selectors.evaluations_for(request.user).get(pk=ev.pk)
        return Response(_evaluation_out(ev), status=status.HTTP_201_CREATED)


class _EvaluationTransition(APIView):
    permission_classes = [IsPortalAdmin]
    transition = None

    @extend_schema(request=None, responses=serializers.EvaluationResultSerializer)
    def post(self, request, pk):
        ev = _evaluation_for(request, pk)
        type(self).transition(evaluation_id=ev.pk, actor=request.user)
        return Response(evaluation_result(evaluation_id=ev.pk))


class EvaluationOpenView(_EvaluationTransition):
    transition = staticmethod(evaluation_open)


class EvaluationCloseView(_EvaluationTransition):
    transition = staticmethod(evaluation_close)


class EvaluationVoteView(APIView):
    """A delegate on the roll, or a body's member on it, rates the delivery once: satisfied /
    basically_satisfied / unsatisfied (409 when counted on paper or by a device)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=serializers.EvaluationVoteSerializer, responses={201: serializers.EvaluationVoteSerializer}
    )
    def post(self, request, pk):
        user = request.user
        if not (getattr(user, "is_delegate_user", False) or getattr(user, "is_body_member", False)):
            raise NotPermitted(_("仅限人大代表或议政代表会成员参加测评。"))
        ev = get_object_or_404(Evaluation.objects.all(), pk=pk)
        ser = serializers.EvaluationVoteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        vote = evaluation_vote(evaluation_id=ev.pk, user=user, choice=ser.validated_data["choice"])
        return Response({"choice": vote.choice}, status=status.HTTP_201_CREATED)


class EvaluationResultView(APIView):
    """Counts and satisfaction rate: staff and admins of the area, and anyone once the evaluation is closed."""

    permission_classes = [AllowAny]

    @extend_schema(responses=serializers.EvaluationResultSerializer)
    def get(self, request, pk):
        ev = get_object_or_404(Evaluation.objects.select_related("assessment"), pk=pk)
        if ev.assessment.status != "closed":
            if not (
                request.user.is_authenticated
                and selectors.evaluations_for(request.user).filter(pk=pk).exists()
            ):
                raise Http404
            if not request.user.is_area_staff:
                raise InvalidTransition(_("测评尚未结束，结果不可查看。"))
        return Response(evaluation_result(evaluation_id=ev.pk))


# --- the tally sheet of a paper or device count ----------------------------------------------------------------
def _sheet_out(ev) -> dict:
    return TallySheetOut(assessment_sheet(ev.assessment_id)).data


class EvaluationTallyView(APIView):
    """GET (staff): the tally sheet, 404 before one is entered. POST (admin): enter the count; entering again
    before confirmation replaces it."""

    def get_permissions(self):
        return [IsPortalAdmin()] if self.request.method == "POST" else [IsAreaStaff()]

    @extend_schema(responses=TallySheetOut)
    def get(self, request, pk):
        ev = get_object_or_404(selectors.evaluations_for(request.user), pk=pk)
        if assessment_sheet(ev.assessment_id) is None:
            raise NotFound()
        return Response(_sheet_out(ev))

    @extend_schema(request=TallySheetIn, responses={201: TallySheetOut})
    def post(self, request, pk):
        ev = get_object_or_404(selectors.evaluations_for(request.user), pk=pk)
        ser = TallySheetIn(data=request.data)
        ser.is_valid(raise_exception=True)
        evaluation_count_enter(evaluation_id=ev.pk, actor=request.user, **ser.validated_data)
        return Response(_sheet_out(ev), status=status.HTTP_201_CREATED)


class EvaluationTallyConfirmView(APIView):
    """A second admin confirms; the admin who entered the count gets 403 (code `second_user_required`)."""

    permission_classes = [IsPortalAdmin]

    @extend_schema(request=None, responses=TallySheetOut)
    def post(self, request, pk):
        ev = get_object_or_404(selectors.evaluations_for(request.user), pk=pk)
        evaluation_count_confirm(evaluation_id=ev.pk, actor=request.user)
        return Response(_sheet_out(ev))
