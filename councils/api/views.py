"""Council meetings API (API.md "Bodies and councils"): staff of the body's area record a held meeting and read
its meetings; another area's body is a 404."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from bodies.services import body_for
from liaison.permissions import IsAreaStaff

from .. import selectors, services
from ..models import Meeting
from . import serializers as s


class MeetingListCreateView(generics.ListAPIView):
    """GET (staff): the body's meetings, newest first, with present member ids and the opinions' tracking codes.
    POST (staff): `{held_on, title?, place?, agenda, attendance: [member ids], minutes, opinions?: [{content,
    member?, category?}]}` → 201 with the meeting; each opinion is an accepted `council` suggestion."""

    serializer_class = s.MeetingOut
    permission_classes = [IsAreaStaff]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator: no body to scope to
            return Meeting.objects.none()
        return selectors.meetings_of(body_for(self.request.user, self.kwargs["pk"]))

    def list(self, request, *args, **kwargs):
        # Four queries a page (count, meetings, opinions with their suggestions, present ids) plus the body.
        page = self.paginate_queryset(self.get_queryset())
        ctx = {**self.get_serializer_context(), "present": selectors.present_ids(page)}
        return self.get_paginated_response(s.MeetingOut(page, many=True, context=ctx).data)

    @extend_schema(request=s.MeetingIn, responses={201: s.MeetingOut})
    def post(self, request, pk):
        body = body_for(request.user, pk)
        ser = s.MeetingIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        meeting = services.meeting_record(
            body=body,
            held_on=d["held_on"],
            title=d["title"],
            place=d["place"],
            agenda=d["agenda"],
            attendance=d["attendance"],
            minutes=d["minutes"],
            opinions=d["opinions"],
            actor=request.user,
        )
        meeting = selectors.meetings_of(body).get(pk=meeting.pk)
        out = s.MeetingOut(meeting, context={"present": selectors.present_ids([meeting])}).data
        return Response(out, status=status.HTTP_201_CREATED)
