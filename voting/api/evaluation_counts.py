"""The tally sheet of an evaluation counted on paper or by a voting device: `evaluations/ID/paper-tally/` and
`…/confirm/`, delegating to the supervision assessment's count services (one admin enters, another confirms)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.errors import NotFound
from liaison.permissions import IsAreaStaff, IsPortalAdmin
from supervision.api.serializers import TallySheetIn, TallySheetOut
from supervision.selectors import assessment_sheet

from .. import selectors
from ..services.evaluations import evaluation_count_confirm, evaluation_count_enter


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
