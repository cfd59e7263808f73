from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.api import AnonymousWriteThrottle
from liaison.permissions import IsAreaStaff

from .. import selectors, services
from ..cache import TIMEOUT, public_key
from ..models import Station
from . import filters, serializers


class PublicCacheMixin:
    """Serve a public JSON GET from the cache (stations/cache.py), after DRF's authentication and negotiation.

    What is stored is the serialized `response.data` rendered to JSON (encoding 20 rows is the largest cost
    left on a hit), per media type (`application/json; indent=4` differs). The key is the absolute URL (the
    paginator's next/previous links carry scheme and host) with the query parameters sorted, plus the
    language, today's date and the network version, so any write to the network is visible at once.
    Only 200 answers are stored: an invalid filter, a bad page or an unknown id is computed (and refused)
    afresh every time. Other renderers (the browsable API, which shows the paginator's state) are not
    cached. Public data only: nothing in these responses depends on who asks.
    """

    def get(self, request, *args, **kwargs):
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        if not isinstance(renderer, JSONRenderer):
            return super().get(request, *args, **kwargs)
        query = sorted((k, v) for k, values in request.query_params.lists() for v in values)
        key = public_key("stations-api", request.scheme, request.get_host(), request.path, query, media_type)
        body = cache.get(key)
        if body is not None:
            # The Content-Type DRF's Response would set (renderer's media type; JSON has no charset).
            return HttpResponse(body, content_type=renderer.media_type)
        response = super().get(request, *args, **kwargs)
        if response.status_code == status.HTTP_200_OK:
            body = renderer.render(response.data, media_type, self.get_renderer_context())
            cache.set(key, body, TIMEOUT)
        return response


class AreaListView(PublicCacheMixin, generics.ListAPIView):
    """Areas, drilled down with `?parent=CODE`."""

    permission_classes = [AllowAny]
    serializer_class = serializers.AreaSerializer
    filterset_class = filters.AreaFilter

    def get_queryset(self):
        return selectors.area_list().order_by("code")


class StationListView(PublicCacheMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.StationSerializer
    filterset_class = filters.StationFilter

    def get_queryset(self):
        return selectors.station_list().order_by("area__code", "name", "id")


class StationDetailView(PublicCacheMixin, generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.StationSerializer

    def get_queryset(self):
        return selectors.station_list()


class NearestStationsView(APIView):
    """The 10 nearest active stations to `?lat=&lng=` (WGS-84 degrees), with `distance_m`; stations without
    coordinates are not listed. A latitude or longitude out of range is a 400."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[serializers.NearestQuerySerializer], responses=serializers.NearbyListSerializer, auth=[]
    )
    def get(self, request):
        query = serializers.NearestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = selectors.nearest_stations(query.validated_data["lat"], query.validated_data["lng"])
        # Plain dicts, in the shape of NearbyStationSerializer (the schema): no serializer per row on a hot path.
        kinds = dict(Station.Kind.choices)
        url = reverse("station-detail", args=[0])[: -len("0/")]
        results = [
            {
                "id": r["id"],
                "name": r["name"],
                "kind": r["kind"],
                "kind_display": str(kinds.get(r["kind"], r["kind"])),
                "area": r["area__code"],
                "area_name": r["area__name"],
                "address": r["address"],
                "phone": r["phone"],
                "opening_hours": r["opening_hours"],
                "latitude": r["latitude"],
                "longitude": r["longitude"],
                "distance_m": r["distance_m"],
                "url": f"{url}{r['id']}/",
            }
            for r in found
        ]
        return Response({"count": len(results), "results": results})


class DelegateListView(PublicCacheMixin, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.DelegateSerializer
    filterset_class = filters.DelegateFilter

    def get_queryset(self):
        return selectors.delegate_list().order_by("name", "id")


class DelegateDetailView(PublicCacheMixin, generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.DelegateSerializer

    def get_queryset(self):
        return selectors.delegate_list()


class HandlingUnitListView(generics.ListAPIView):
    """Handling units in the caller's area subtree (staff and admins)."""

    permission_classes = [IsAreaStaff]
    serializer_class = serializers.HandlingUnitSerializer
    filterset_class = filters.HandlingUnitFilter

    def get_queryset(self):
        return selectors.unit_list_for(self.request.user).order_by("area__code", "name")


class AppointmentThrottle(AnonymousWriteThrottle):
    scope = "appointment"


class AppointmentListCreateView(generics.ListCreateAPIView):
    """POST: a constituent asks a delegate to meet (public, rate-limited). GET: the caller's appointments."""

    throttle_classes = [AppointmentThrottle]
    serializer_class = serializers.AppointmentSerializer

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_queryset(self):
        return selectors.appointments_for(self.request.user).order_by("-created_at")

    @extend_schema(
        request=serializers.AppointmentCreateSerializer,
        responses={201: serializers.AppointmentCreatedSerializer},
    )
    def post(self, request, *args, **kwargs):
        ser = serializers.AppointmentCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        appt = services.appointment_request(**ser.validated_data)
        return Response({"code": appt.code, "status": appt.status}, status=status.HTTP_201_CREATED)


class _AppointmentAction(APIView):
    permission_classes = [IsAuthenticated]

    def get_appointment(self, request, pk):
        # appointments_for is the whole rule: the user's own delegate's, or staff of the delegate's or the
        # station's area subtree; anything else is a 404.
        return get_object_or_404(selectors.appointments_for(request.user), pk=pk)


class AppointmentAcceptView(_AppointmentAction):
    @extend_schema(
        request=serializers.AppointmentAcceptSerializer, responses=serializers.AppointmentSerializer
    )
    def post(self, request, pk):
        appt = self.get_appointment(request, pk)
        ser = serializers.AppointmentAcceptSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        appt = services.appointment_accept(appointment_id=appt.pk, actor=request.user, **ser.validated_data)
        return Response(serializers.AppointmentSerializer(appt, context={"request": request}).data)


class AppointmentDeclineView(_AppointmentAction):
    @extend_schema(
        request=serializers.AppointmentDeclineSerializer, responses=serializers.AppointmentSerializer
    )
    def post(self, request, pk):
        appt = self.get_appointment(request, pk)
        ser = serializers.AppointmentDeclineSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        appt = services.appointment_decline(
            appointment_id=appt.pk, reason=ser.validated_data["reason"], actor=request.user
        )
        return Response(serializers.AppointmentSerializer(appt, context={"request": request}).data)


class AppointmentHeldView(_AppointmentAction):
    @extend_schema(request=None, responses=serializers.AppointmentSerializer)
    def post(self, request, pk):
        appt = self.get_appointment(request, pk)
        appt = services.appointment_mark_held(appointment_id=appt.pk, actor=request.user)
        return Response(serializers.AppointmentSerializer(appt, context={"request": request}).data)
