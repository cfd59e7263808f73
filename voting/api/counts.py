"""Ballots counted on paper or by a voting device (API.md, Bodies and councils): one admin enters the count,
another confirms it; both are admins of the ballot's area (404 otherwise)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.permissions import IsPortalAdmin

from .. import selectors
from ..services.counts import count_confirm, count_enter
from . import serializers


def _sheet(ballot_id) -> dict:
    ballot = get_object_or_404(
        selectors.Ballot.objects.select_related("count__entered_by", "count__confirmed_by"), pk=ballot_id
    )
    return serializers.CountSheetSerializer(ballot.count).data


class BallotCountView(APIView):
    """POST `{method?, present, papers_issued?, papers_returned?, valid?, invalid?, note?,
    candidates: [{id, for, against, abstain}]}`: enter (or re-enter, until confirmed) the count."""

    permission_classes = [IsPortalAdmin]

    @extend_schema(request=serializers.CountInSerializer, responses={201: serializers.CountSheetSerializer})
    def post(self, request, pk):
        ballot = get_object_or_404(selectors.ballots_for_admin(request.user), pk=pk)
        ser = serializers.CountInSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        lines = [
            {"id": c["id"], "for": c["votes_for"], "against": c["votes_against"], "abstain": c["votes_abstain"]}
            for c in data.pop("candidates")
        ]
        count_enter(ballot_id=ballot.pk, candidates=lines, actor=request.user, **data)
        return Response(_sheet(ballot.pk), status=status.HTTP_201_CREATED)


class BallotCountConfirmView(APIView):
    """POST: a second admin confirms the count; from then on it is the ballot's result."""

    permission_classes = [IsPortalAdmin]

    @extend_schema(request=None, responses=serializers.CountSheetSerializer)
    def post(self, request, pk):
        ballot = get_object_or_404(selectors.ballots_for_admin(request.user), pk=pk)
        count_confirm(ballot_id=ballot.pk, actor=request.user)
        return Response(_sheet(ballot.pk))
