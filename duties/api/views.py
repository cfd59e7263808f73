"""Duty record API (API.md, "Duty record"). Staff act within their area subtree (404 otherwise); a delegate
sees only their own entries; the public reads carry no points and no personal data."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.api import AnonymousWriteThrottle, Pagination
from liaison.errors import NotFound, ValidationFailed, get_or_not_found
from liaison.parsing import to_id
from liaison.permissions import IsAreaStaff, IsDelegateUser
from liaison.scoping import scope_to_area, user_sees_area
from stations.models import Area, Delegate, Station

from .. import books, points, selectors
from ..models import Kind, ReportBack, SelfReport
from ..services.records import adjustment_create, self_report_approve, self_report_reject, self_report_submit
from ..services.report_backs import (
    paper_tally_confirm,
    paper_tally_enter,
    report_back_close,
    report_back_hold,
    report_back_rate,
    report_back_schedule,
)
from ..services.trainings import training_create
from ..views_books import book_file, book_request
from . import serializers as s

YEAR = OpenApiParameter("year", int, description="年度（默认今年）")


def year_param(request) -> int:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return selectors.current_year()
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationFailed({"year": [_("年度不正确。")]})
    return year


def _id_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    value = to_id(raw)
    if value is None:
        raise ValidationFailed({name: [_("编号不正确。")]})
    return value


class PublicRecordView(APIView):
    """A delegate's public figures for a year: counts and report-backs; never points."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[YEAR], responses=s.DelegateRecordOut)
    def get(self, request, pk):
        d = get_or_not_found(Delegate.objects.filter(is_active=True), pk=pk)
        year = year_param(request)
        c = selectors.public_counts(delegate_id=d.pk, year=year)
        counts = {k: c[k] for k in ("reception_days", "people_received", "opinions_recorded")}
        counts["report_backs"] = len(c["report_backs"])
        body = {
            "delegate": d.pk,
            "name": d.name,
            "year": year,
            "counts": counts,
            "report_backs": c["report_backs"],
        }
        return Response(s.DelegateRecordOut(body).data)


class EntryListView(generics.ListAPIView):
    """Staff: entries of delegates in their subtree; a delegate: their own."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.DutyEntryOut

    def get_queryset(self):
        qs = selectors.entries_visible_to(self.request.user)
        delegate = _id_param(self.request, "delegate")
        if delegate is not None:
            qs = qs.filter(delegate_id=delegate)
        if self.request.query_params.get("year"):
            qs = qs.filter(year=year_param(self.request))
        kind = self.request.query_params.get("kind")
        if kind:
            if kind not in Kind.values:
                raise ValidationFailed({"kind": [_("未知的履职类型。")]})
            qs = qs.filter(kind=kind)
        return qs.order_by("-occurred_on", "-id")

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        ctx["rules"] = _RulesByYear()
        return ctx

    @extend_schema(
        parameters=[
            OpenApiParameter("delegate", int),
            YEAR,
            OpenApiParameter("kind", str, enum=Kind.values),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class _RulesByYear(dict):
    """The point tables of the years a page of entries touches, one query per year."""

    def get(self, year, default=None):
        if year not in self:
            self[year] = points.rules_for_year(year)
        return self[year]


def _area_for(request) -> Area | None:
    code = request.query_params.get("area")
    if not code:
        return None
    area = Area.objects.filter(code=code[:12]).first()
    if area is None or not user_sees_area(request.user, area):
        raise NotFound()
    return area


class ScoreListView(APIView):
    """The league table (staff): delegates of the caller's subtree (or `area`'s), ordered by score."""

    permission_classes = [IsAreaStaff]

    @extend_schema(
        parameters=[YEAR, OpenApiParameter("area", str, description="区划代码，含下级区划")],
        responses=s.DutyScoreOut(many=True),
    )
    def get(self, request):
        year = year_param(request)
        delegates = selectors.delegates_visible_to(request.user).filter(is_active=True)
        area = _area_for(request)
        if area is not None:
            delegates = delegates.filter(area__path__startswith=area.path)
        # Scored, ranked and paginated in the database: the rules, the count of delegates, the page, the
        # page's counts by kind.
        table = points.league(year=year, delegates=delegates)
        paginator = Pagination()
        page = points.scores_page(paginator.paginate_queryset(table, request, view=self), year=year)
        return paginator.get_paginated_response(s.DutyScoreOut(page, many=True).data)


class MyScoreView(APIView):
    """The delegate's own score and counts."""

    permission_classes = [IsDelegateUser]

    @extend_schema(parameters=[YEAR], responses=s.DutyScoreOut)
    def get(self, request):
        year = year_param(request)
        sc = points.delegate_score(delegate_id=request.user.delegate_id, year=year)
        sc.name = request.user.delegate.name
        return Response(s.DutyScoreOut(sc).data)


class AdjustmentView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(request=s.DutyAdjustmentIn, responses={201: s.DutyEntryOut})
    def post(self, request):
        ser = s.DutyAdjustmentIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        entry = adjustment_create(
            delegate_id=d["delegate"],
            points=d["points"],
            reason=d["reason"],
            occurred_on=d.get("occurred_on"),
            actor=request.user,
        )
        return Response(
            s.DutyEntryOut(entry, context={"rules": _RulesByYear()}).data, status=status.HTTP_201_CREATED
        )


class SelfReportListCreateView(APIView):
    """POST: a delegate reports an act the portal cannot see. GET: own reports (delegate) or the subtree's
    (staff), `?status=pending` for the review queue."""

    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("status", str)], responses=s.SelfReportOut(many=True))
    def get(self, request):
        u = request.user
        qs = SelfReport.objects.order_by("-created_at", "-id")
        if u.is_area_staff or u.is_superuser:
            qs = scope_to_area(qs, u, "delegate__area")
        elif u.is_delegate_user:
            qs = qs.filter(delegate_id=u.delegate_id)
        else:
            qs = qs.none()
        st = request.query_params.get("status")
        if st:
            qs = qs.filter(status=st)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(s.SelfReportOut(page, many=True).data)

    @extend_schema(request=s.SelfReportIn, responses={201: s.SelfReportOut})
    def post(self, request):
        if not request.user.is_delegate_user:
            return Response({"detail": _("仅限人大代表。"), "code": "not_permitted"}, status=403)
        ser = s.SelfReportIn(data=request.data)
        ser.is_valid(raise_exception=True)
        report = self_report_submit(delegate=request.user.delegate, actor=request.user, **ser.validated_data)
        return Response(s.SelfReportOut(report).data, status=status.HTTP_201_CREATED)


class SelfReportApproveView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(request=None, responses=s.SelfReportOut)
    def post(self, request, pk):
        return Response(s.SelfReportOut(self_report_approve(report_id=pk, actor=request.user)).data)


class SelfReportRejectView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(request=s.SelfReportRejectIn, responses=s.SelfReportOut)
    def post(self, request, pk):
        ser = s.SelfReportRejectIn(data=request.data)
        ser.is_valid(raise_exception=True)
        report = self_report_reject(report_id=pk, reason=ser.validated_data["reason"], actor=request.user)
        return Response(s.SelfReportOut(report).data)


class TrainingCreateView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(request=s.TrainingIn, responses={201: s.TrainingOut})
    def post(self, request):
        ser = s.TrainingIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        station = None
        if d.get("station"):
            station = get_or_not_found(Station.objects.select_related("area"), pk=d["station"])
        t = training_create(
            title=d["title"],
            held_on=d["held_on"],
            area=d["area"],
            station=station,
            content=d["content"],
            attendees=d["attendees"],
            actor=request.user,
        )
        return Response(s.TrainingOut(t).data, status=status.HTTP_201_CREATED)


class ReportBackCreateView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(request=s.ReportBackIn, responses={201: s.ReportBackOut})
    def post(self, request):
        ser = s.ReportBackIn(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        station = get_or_not_found(Station.objects.select_related("area"), pk=d["station"])
        rb = report_back_schedule(
            delegate_id=d["delegate"], station=station, scheduled_on=d["scheduled_on"], actor=request.user
        )
        return Response(s.ReportBackOut(rb).data, status=status.HTTP_201_CREATED)


class ReportBackHeldView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.ReportBackHeldIn, responses=s.ReportBackOut)
    def post(self, request, pk):
        ser = s.ReportBackHeldIn(data=request.data)
        ser.is_valid(raise_exception=True)
        rb = report_back_hold(report_back_id=pk, actor=request.user, **ser.validated_data)
        return Response(s.ReportBackOut(rb).data)


class RatingThrottle(AnonymousWriteThrottle):
    scope = "report_back_rating"
    honeypot = False


class ReportBackRatingView(APIView):
    """Public, no account: the phone and its one-time code (purpose `report_back`) are the credential."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [RatingThrottle]

    @extend_schema(request=s.ReportBackRatingIn, responses={201: OpenApiResponse(description="评价已记录")})
    def post(self, request, pk):
        ser = s.ReportBackRatingIn(data=request.data)
        ser.is_valid(raise_exception=True)
        report_back_rate(report_back_id=pk, **ser.validated_data)
        return Response({"detail": _("感谢您的评价。")}, status=status.HTTP_201_CREATED)


class PaperTallyView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(request=s.ReportBackPaperTallyIn, responses=s.ReportBackOut)
    def post(self, request, pk):
        ser = s.ReportBackPaperTallyIn(data=request.data)
        ser.is_valid(raise_exception=True)
        rb = paper_tally_enter(report_back_id=pk, actor=request.user, **ser.validated_data)
        return Response(s.ReportBackOut(rb).data)


class PaperTallyConfirmView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(request=None, responses=s.ReportBackOut)
    def post(self, request, pk):
        return Response(s.ReportBackOut(paper_tally_confirm(report_back_id=pk, actor=request.user)).data)


class ReportBackResultView(APIView):
    """Public once the rating window closed; staff of the station's area see it at any time."""

    permission_classes = [AllowAny]

    @extend_schema(responses=s.ReportBackResultOut)
    def get(self, request, pk):
        rb = get_or_not_found(ReportBack.objects.select_related("station__area"), pk=pk)
        if (
            rb.status == ReportBack.Status.HELD
            and rb.rating_closes_at
            and timezone.now() >= rb.rating_closes_at
        ):
            rb = report_back_close(report_back_id=rb.pk)
            rb = ReportBack.objects.select_related("station__area").get(pk=rb.pk)
        if rb.status != ReportBack.Status.CLOSED and not user_sees_area(request.user, rb.station.area):
            raise NotFound()
        t = rb.tally()
        return Response(
            s.ReportBackResultOut(
                {
                    "votes": t.total,
                    "satisfied": t.satisfied,
                    "basically_satisfied": t.basically_satisfied,
                    "unsatisfied": t.unsatisfied,
                    "satisfaction_rate": t.rate,
                }
            ).data
        )


class BookView(APIView):
    """五簿一档 of a station for a period: JSON, or `?file=xlsx` / `?file=csv`."""

    permission_classes = [IsAreaStaff]

    @extend_schema(
        parameters=[
            OpenApiParameter("station", int, required=True),
            OpenApiParameter("from", str, description="YYYY-MM-DD"),
            OpenApiParameter("to", str, description="YYYY-MM-DD"),
            OpenApiParameter("file", str, enum=["xlsx", "csv"]),
        ],
        responses={
            200: OpenApiResponse(description="{book, title, sheets: [{title, headers, rows}]} 或文件")
        },
    )
    def get(self, request, book):
        station, start, end = book_request(request, book)
        kind = request.query_params.get("file")
        if kind in ("csv", "xlsx"):
            return book_file(book, station, start, end, kind)
        if kind:
            raise ValidationFailed({"file": [_("file 只能是 xlsx 或 csv。")]})
        sheets = books.build(book, station, start, end)
        return Response(
            {
                "book": book,
                "title": str(books.BOOKS[book]),
                "station": station.pk,
                "from": start,
                "to": end,
                "sheets": [
                    {
                        "title": sh.title,
                        "headers": sh.headers,
                        "rows": [[_cell(v) for v in r] for r in sh.rows],
                    }
                    for sh in sheets
                ],
            }
        )


def _cell(v):
    return v.isoformat() if hasattr(v, "isoformat") else v
