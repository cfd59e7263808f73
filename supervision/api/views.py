"""Supervision API (/api/v1/: rectifications, assessments, topics, activities, questions; schema at
/api/v1/schema/) plus the endpoints the pages need.

Scoping: staff and admins act only within their area subtree (404 otherwise), units only on their own unit's
items (404 otherwise). Every write calls one service function.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.api import AnonymousWriteThrottle
from liaison.errors import NotFound
from liaison.permissions import IsAreaStaff, IsDelegateUser, IsPortalAdmin, IsUnitUser
from liaison.scoping import user_sees_area

from .. import selectors
from ..models import Activity, Question, Rectification, Topic
from ..services.activities import (
    activity_create,
    activity_finish,
    activity_record_add,
    activity_start,
    clue_request_create,
    clue_submit,
)
from ..services.questions import opinion_issue, question_answer, question_ask
from ..services.rectifications import (
    rectification_accept,
    rectification_report,
    rectification_return,
    rectification_schedule_follow_up,
)
from ..services.sms_codes import sms_code_request
from ..services.topics import (
    collection_window_open,
    topic_decline,
    topic_from_suggestions,
    topic_propose,
    topic_select,
    topic_support,
)
from . import serializers as s

# --- permissions and throttles ---------------------------------------------------------------------------


class TopicThrottle(AnonymousWriteThrottle):
    scope = "topic"


class SmsCodeClientThrottle(AnonymousWriteThrottle):
    scope = "sms_code_client"


class SupportThrottle(AnonymousWriteThrottle):
    scope = "support"


def _require_area(user, area) -> None:
    if not user_sees_area(user, area):
        raise PermissionDenied(_("该区划不在您的管辖范围内。"))


def _require_units(user, units) -> None:
    for unit in units:
        if not user_sees_area(user, unit.area):
            raise ValidationError({"units": [_("单位 %(id)s 不在您的管辖范围内。") % {"id": unit.pk}]})


# --- topics ----------------------------------------------------------------------------------------------


class TopicFilter(django_filters.FilterSet):
    area = django_filters.CharFilter(method="filter_area", help_text="区划代码，含下级区划")
    status = django_filters.ChoiceFilter(choices=Topic.Status.choices)
    year = django_filters.NumberFilter()

    class Meta:
        model = Topic
        fields = ["area", "status", "year"]

    def filter_area(self, qs, name, value):
        q = selectors.area_subtree_q(value)
        return qs.filter(q) if q is not None else qs.none()


class TopicListCreateView(generics.ListAPIView):
    """GET: public list of topics, `?ordering=-supports`. POST: anyone proposes a topic (rate-limited)."""

    permission_classes = [AllowAny]
    serializer_class = s.TopicOut
    filterset_class = TopicFilter
    throttle_classes = [TopicThrottle]
    ORDERINGS = {
        "supports": "supports_count",
        "-supports": "-supports_count",
        "created": "created_at",
        "-created": "-created_at",
        "id": "id",
        "-id": "-id",
    }

    def get_queryset(self):
        qs = selectors.topic_list_public()
        if self.request.query_params.get("status") == Topic.Status.DECLINED:
            qs = Topic.objects.select_related("area", "plan")
        return qs

    def filter_queryset(self, queryset):
        # `supports` is the public name of the ordering; map it onto the column (and keep ids as tie-break).
        ordering = self.request.query_params.get("ordering", "")
        queryset = super().filter_queryset(queryset)
        if ordering:
            fields = [self.ORDERINGS[o] for o in ordering.split(",") if o in self.ORDERINGS]
            if not fields:
                raise ValidationError(
                    {"ordering": [_("可用的排序：supports、-supports、created、-created。")]}
                )
            return queryset.order_by(*fields, "-id")
        return queryset.order_by("-supports_count", "-id")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "ordering", str, description="supports / -supports / created / -created (默认 -supports)"
            )
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=s.TopicCreateIn, responses={201: s.TopicCreatedOut})
    def post(self, request):
        ser = s.TopicCreateIn(data=request.data)
        ser.is_valid(raise_exception=True)
        user = request.user
        kind, delegate = Topic.Proposer.PUBLIC, None
        if user.is_authenticated and user.is_area_staff:
            kind = Topic.Proposer.STAFF
        elif user.is_authenticated and user.is_delegate_user:
            kind, delegate = Topic.Proposer.DELEGATE, user.delegate
        topic = topic_propose(
            **ser.validated_data,
            proposer_kind=kind,
            delegate=delegate,
            actor=user if user.is_authenticated else None,
        )
        return Response({"id": topic.pk, "status": topic.status}, status=status.HTTP_201_CREATED)


class TopicFromSuggestionsView(APIView):
    """Staff raise a topic from a cluster of similar open suggestions in their subtree (the topic links them)."""

    permission_classes = [IsAreaStaff]

    @extend_schema(request=s.FromSuggestionsIn, responses={201: s.TopicCreatedOut})
    def post(self, request):
        ser = s.FromSuggestionsIn(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        topic = topic_from_suggestions(
            title=data["title"],
            description=data["description"],
            suggestion_ids=data["suggestions"],
            actor=request.user,
        )
        return Response({"id": topic.pk, "status": topic.status}, status=status.HTTP_201_CREATED)


class TopicDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.TopicDetailOut

    def get_queryset(self):
        return selectors.topic_detail_public()


class SmsCodeView(APIView):
    """Send a one-time code by SMS. Rate-limited per client here and per number in the service."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SmsCodeClientThrottle]

    @extend_schema(request=s.SmsCodeIn, responses={202: OpenApiResponse(description="验证码已发送")})
    def post(self, request):
        ser = s.SmsCodeIn(data=request.data)
        ser.is_valid(raise_exception=True)
        sms_code_request(**ser.validated_data)
        return Response({"detail": _("验证码已发送。")}, status=status.HTTP_202_ACCEPTED)


class TopicSupportView(APIView):
    """Public, no account: the number and its one-time code are the credential, so no authentication runs."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [SupportThrottle]

    @extend_schema(request=s.SupportIn, responses={201: s.SupportOut})
    def post(self, request, pk):
        ser = s.SupportIn(data=request.data)
        ser.is_valid(raise_exception=True)
        supports = topic_support(topic_id=pk, **ser.validated_data)
        return Response({"supports": supports}, status=status.HTTP_201_CREATED)


class TopicSelectView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(request=s.SelectIn, responses=s.StatusOut)
    def post(self, request, pk):
        topic = get_object_or_404(selectors.topics_for_staff(request.user), pk=pk)
        ser = s.SelectIn(data=request.data)
        ser.is_valid(raise_exception=True)
        topic = topic_select(topic_id=topic.pk, year=ser.validated_data["year"], actor=request.user)
        return Response({"status": topic.status, "plan": topic.plan_id})


class TopicDeclineView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(request=s.ReasonIn, responses=s.StatusOut)
    def post(self, request, pk):
        topic = get_object_or_404(selectors.topics_for_staff(request.user), pk=pk)
        ser = s.ReasonIn(data=request.data)
        ser.is_valid(raise_exception=True)
        topic = topic_decline(topic_id=topic.pk, reason=ser.validated_data["reason"], actor=request.user)
        return Response({"status": topic.status})


class CollectionWindowListCreateView(generics.ListAPIView):
    """GET: collection windows open today (public). POST: an admin opens one for an area in their subtree."""

    permission_classes = [AllowAny]
    serializer_class = s.WindowOut
    pagination_class = None

    def get_queryset(self):
        return selectors.open_windows().order_by("area__code")

    def get_permissions(self):
        return [IsPortalAdmin()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(request=s.WindowIn, responses={201: s.WindowOut})
    def post(self, request):
        ser = s.WindowIn(data=request.data)
        ser.is_valid(raise_exception=True)
        _require_area(request.user, ser.validated_data["area"])
        w = collection_window_open(**ser.validated_data, actor=request.user)
        return Response(s.WindowOut(w).data, status=status.HTTP_201_CREATED)


# --- rectifications --------------------------------------------------------------------------------------


class RectificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Rectification.Status.choices)
    source = django_filters.ChoiceFilter(choices=Rectification.Source.choices)
    unit = django_filters.NumberFilter(field_name="unit_id")

    class Meta:
        model = Rectification
        fields = ["status", "source", "unit"]


class RectificationListView(generics.ListAPIView):
    """Units: their own. Staff: their area subtree. Due soonest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.RectificationOut
    filterset_class = RectificationFilter

    def get_queryset(self):
        return selectors.rectifications_for(self.request.user).order_by("due", "id")


class RectificationDetailView(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = s.RectificationDetailOut

    def get_queryset(self):
        return selectors.rectifications_for(self.request.user).prefetch_related("events")


class RectificationReportView(APIView):
    permission_classes = [IsUnitUser]

    @extend_schema(request=s.ReportIn, responses=s.StatusOut)
    def post(self, request, pk):
        ser = s.ReportIn(data=request.data)
        ser.is_valid(raise_exception=True)
        r = rectification_report(
            rectification_id=pk,
            unit=request.user.unit,
            content=ser.validated_data["content"],
            actor=request.user,
        )
        return Response({"status": r.status})


class RectificationAcceptView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(request=None, responses=s.StatusOut)
    def post(self, request, pk):
        r = get_object_or_404(selectors.rectifications_for(request.user), pk=pk)
        r = rectification_accept(rectification_id=r.pk, actor=request.user)
        return Response({"status": r.status})


class RectificationReturnView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(request=s.ReasonIn, responses=s.StatusOut)
    def post(self, request, pk):
        r = get_object_or_404(selectors.rectifications_for(request.user), pk=pk)
        ser = s.ReasonIn(data=request.data)
        ser.is_valid(raise_exception=True)
        r = rectification_return(
            rectification_id=r.pk, reason=ser.validated_data["reason"], actor=request.user
        )
        return Response({"status": r.status})


class RectificationFollowUpView(APIView):
    """回头看: schedule a follow-up inspection of a rectification."""

    permission_classes = [IsAreaStaff]

    @extend_schema(request=s.FollowUpIn, responses={201: s.ActivityOut})
    def post(self, request, pk):
        r = get_object_or_404(selectors.rectifications_for(request.user), pk=pk)
        ser = s.FollowUpIn(data=request.data)
        ser.is_valid(raise_exception=True)
        a = rectification_schedule_follow_up(rectification_id=r.pk, actor=request.user, **ser.validated_data)
        return Response(s.ActivityOut(a).data, status=status.HTTP_201_CREATED)


# --- activities ------------------------------------------------------------------------------------------


class ActivityFilter(django_filters.FilterSet):
    area = django_filters.CharFilter(method="filter_area")
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices)
    status = django_filters.ChoiceFilter(choices=Activity.Status.choices)
    year = django_filters.NumberFilter(field_name="plan__year")

    class Meta:
        model = Activity
        fields = ["area", "kind", "status", "year"]

    def filter_area(self, qs, name, value):
        q = selectors.area_subtree_q(value)
        return qs.filter(q) if q is not None else qs.none()


class ActivityListCreateView(generics.ListAPIView):
    """GET: public list of activities. POST: staff create one in their area subtree."""

    serializer_class = s.ActivityOut
    filterset_class = ActivityFilter

    def get_permissions(self):
        return [IsAreaStaff()] if self.request.method == "POST" else [AllowAny()]

    def get_queryset(self):
        return selectors.activity_list().order_by("-starts_at", "-id")

    @extend_schema(request=s.ActivityIn, responses={201: s.ActivityOut})
    def post(self, request):
        ser = s.ActivityIn(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        _require_area(request.user, data["area"])
        _require_units(request.user, data["units"])
        topic = data.pop("topic", None)
        if topic is not None and not user_sees_area(request.user, topic.area):
            raise ValidationError({"topic": [_("议题不在您的管辖范围内。")]})
        a = activity_create(**data, topic=topic, actor=request.user)
        return Response(s.ActivityOut(a).data, status=status.HTTP_201_CREATED)


class ActivityDetailView(APIView):
    """The activity's public record: questions and answers, opinions, rectification status, assessment results."""

    permission_classes = [AllowAny]

    @extend_schema(responses=s.ActivityDetailOut)
    def get(self, request, pk):
        a = selectors.activity_public_record(pk)
        if a is None:
            raise NotFound()
        return Response(s.ActivityDetailOut(a).data)


class _StaffActivityView(APIView):
    permission_classes = [IsAreaStaff]

    def activity(self, request, pk) -> Activity:
        return get_object_or_404(selectors.activities_for_staff(request.user), pk=pk)


class ActivityStartView(_StaffActivityView):
    @extend_schema(request=None, responses=s.StatusOut)
    def post(self, request, pk):
        a = activity_start(activity_id=self.activity(request, pk).pk, actor=request.user)
        return Response({"status": a.status})


class ActivityFinishView(_StaffActivityView):
    @extend_schema(request=None, responses=s.StatusOut)
    def post(self, request, pk):
        a = activity_finish(activity_id=self.activity(request, pk).pk, actor=request.user)
        return Response({"status": a.status})


class ActivityRecordView(_StaffActivityView):
    @extend_schema(request=s.RecordIn, responses={201: s.ActivityRecordOut})
    def post(self, request, pk):
        a = self.activity(request, pk)
        ser = s.RecordIn(data=request.data)
        ser.is_valid(raise_exception=True)
        rec = activity_record_add(activity_id=a.pk, actor=request.user, **ser.validated_data)
        return Response(s.ActivityRecordOut(rec).data, status=status.HTTP_201_CREATED)


class ClueRequestCreateView(_StaffActivityView):
    @extend_schema(request=s.ClueRequestIn, responses={201: s.ClueRequestOut})
    def post(self, request, pk):
        a = self.activity(request, pk)
        ser = s.ClueRequestIn(data=request.data)
        ser.is_valid(raise_exception=True)
        cr = clue_request_create(activity_id=a.pk, actor=request.user, **ser.validated_data)
        return Response(s.ClueRequestOut(cr).data, status=status.HTTP_201_CREATED)


class ClueSubmitView(APIView):
    permission_classes = [IsDelegateUser]

    @extend_schema(request=s.ClueIn, responses={201: OpenApiResponse(description="已提交")})
    def post(self, request, pk):
        ser = s.ClueIn(data=request.data)
        ser.is_valid(raise_exception=True)
        clue = clue_submit(request_id=pk, delegate=request.user.delegate, **ser.validated_data)
        return Response({"id": clue.pk}, status=status.HTTP_201_CREATED)


class QuestionCreateView(_StaffActivityView):
    @extend_schema(request=s.QuestionIn, responses={201: s.QuestionOut})
    def post(self, request, pk):
        a = self.activity(request, pk)
        ser = s.QuestionIn(data=request.data)
        ser.is_valid(raise_exception=True)
        data = ser.validated_data
        _require_units(request.user, [data["unit"]])
        q = question_ask(
            activity_id=a.pk,
            unit=data["unit"],
            text=data["text"],
            asked_by=data["asked_by"],
            asked_by_label=data["asked_by_label"],
            parent_id=data["parent"],
            due_workdays=data["due_workdays"],
            actor=request.user,
        )
        return Response(s.QuestionOut(q).data, status=status.HTTP_201_CREATED)


class OpinionCreateView(_StaffActivityView):
    @extend_schema(request=s.OpinionIn, responses={201: s.OpinionOut})
    def post(self, request, pk):
        a = self.activity(request, pk)
        ser = s.OpinionIn(data=request.data)
        ser.is_valid(raise_exception=True)
        _require_units(request.user, [ser.validated_data["unit"]])
        op = opinion_issue(activity_id=a.pk, actor=request.user, **ser.validated_data)
        return Response(s.OpinionOut(op).data, status=status.HTTP_201_CREATED)


class QuestionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Question.Status.choices)
    activity = django_filters.NumberFilter(field_name="activity_id")

    class Meta:
        model = Question
        fields = ["status", "activity"]


class QuestionListView(generics.ListAPIView):
    """Units: questions put to them, due soonest first. Staff: their area subtree."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.QuestionOut
    filterset_class = QuestionFilter

    def get_queryset(self):
        return selectors.questions_for(self.request.user).order_by("status", "due", "id")


class QuestionAnswerView(APIView):
    """The unit answers in writing; staff may record an answer given on the spot."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.AnswerIn, responses=s.QuestionOut)
    def post(self, request, pk):
        user = request.user
        ser = s.AnswerIn(data=request.data)
        ser.is_valid(raise_exception=True)
        if user.is_unit_user:
            unit = user.unit
        elif user.is_area_staff:
            unit = get_object_or_404(selectors.questions_for(user), pk=pk).unit
        else:
            raise PermissionDenied()
        q = question_answer(question_id=pk, unit=unit, actor=user, **ser.validated_data)
        return Response(s.QuestionOut(q).data)
