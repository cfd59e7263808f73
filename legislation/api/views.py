"""Legislative consultation API (API.md, 立法征询). Staff act on drafts of their area subtree (404 otherwise);
the public reads open and finished drafts and writes opinions (rate-limited); information officers record
opinions and forums of their own contact point. Every write calls one service function."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.api import AnonymousWriteThrottle
from liaison.errors import NotFound, ValidationFailed
from liaison.permissions import IsAreaStaff

from .. import selectors, stats
from ..diff import draft_diff
from ..exports import xlsx_response
from ..models import Draft, Opinion
from ..services import compilation, drafts
from ..services.opinions import ForumOpinion, forum_create, opinion_record, opinion_submit
from . import serializers as s


def _is_recorder(user) -> bool:
    """Staff of an area, or an information officer: may record opinions gathered at a contact point."""
    return bool(
        user
        and user.is_authenticated
        and (user.is_area_staff or user.is_superuser or getattr(user, "is_informant", False))
    )


class IsStaffOrInformant(BasePermission):
    message = _("仅限工作人员或立法信息员。")

    def has_permission(self, request, view):
        return _is_recorder(request.user)


class OpinionThrottle(AnonymousWriteThrottle):
    """The public's opinions are rate-limited; staff and officers entering a forum's opinions are not."""

    scope = "legislative_opinion"

    def allow_request(self, request, view):
        if _is_recorder(request.user):
            return True
        return super().allow_request(request, view)


def _valid(serializer_class, data):
    ser = serializer_class(data=data)
    ser.is_valid(raise_exception=True)
    return ser.validated_data


def _draft_for(request, pk) -> Draft:
    """A public draft, or — for staff of its area — one still being prepared."""
    user = request.user
    if user.is_authenticated and (user.is_area_staff or user.is_superuser):
        try:
            return selectors.staff_draft(user, pk)
        except NotFound:
            pass
    return selectors.public_draft(pk)


# --- drafts ------------------------------------------------------------------------------------------------
class DraftListCreateView(generics.ListAPIView):
    """GET: public list (`?status=open`). POST: staff paste a draft; its text is split into articles."""

    serializer_class = s.DraftOut

    def get_permissions(self):
        return [IsAreaStaff()] if self.request.method == "POST" else [AllowAny()]

    def get_queryset(self):
        wanted = self.request.query_params.get("status") or None
        if wanted is not None and wanted not in selectors.PUBLIC_STATUSES:
            raise ValidationFailed({"status": [_("状态不正确。")]})
        return selectors.public_drafts(wanted)

    def post(self, request):
        data = _valid(s.DraftIn, request.data)
        previous = None
        if data["previous"]:
            previous = selectors.staff_draft(request.user, data["previous"])
        draft = drafts.draft_create(
            user=request.user,
            title=data["title"],
            issuer=data["issuer"],
            stage=data["stage"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            text=data["text"],
            background=data["background"],
            previous=previous,
            station_ids=data["stations"],
            area_ids=data["areas"],
            deadline=data["deadline"],
        )
        body = s.DraftOut(draft).data
        body["articles"] = draft.articles.count()
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(responses=OpenApiTypes.OBJECT)
class DraftDetailView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, pk):
        draft = _draft_for(request, pk)
        counts = selectors.counts_by_article(draft)
        articles = [
            {
                "id": a.pk,
                "number": a.number,
                "sub": a.sub,
                "label": a.label,
                "chapter": a.chapter,
                "text": a.text,
                "opinions": counts.get(a.pk, selectors.Counts()).received,
            }
            for a in selectors.articles(draft)
        ]
        body = s.DraftOut(draft).data
        body.update(
            background=draft.background,
            preamble=draft.preamble,
            articles=articles,
            whole_draft_opinions=counts.get(None, selectors.Counts()).received,
        )
        return Response(body)


@extend_schema(request=None, responses=s.DraftOut)
class _DraftTransition(APIView):
    permission_classes = [IsAreaStaff]
    service = None

    def post(self, request, pk):
        draft = type(self).service(user=request.user, draft_id=pk)
        return Response(s.DraftOut(draft).data)


class DraftOpenView(_DraftTransition):
    service = staticmethod(drafts.draft_open)


class DraftCloseView(_DraftTransition):
    service = staticmethod(drafts.draft_close)


class DraftReportView(_DraftTransition):
    service = staticmethod(drafts.draft_report)

    def get(self, request, pk):
        """The compiled report: forwarded opinions by article with counts per source; `?file=xlsx`."""
        draft = selectors.staff_draft(request.user, pk)
        report = selectors.report(draft)
        if request.query_params.get("file") == "xlsx":
            return xlsx_response(draft, report)
        return Response(
            {
                "draft": s.DraftOut(draft).data,
                "sources": selectors.source_totals(report),
                "articles": [
                    {
                        "article": r.article.pk if r.article else None,
                        "label": r.article.label if r.article else None,
                        "by_source": r.by_source,
                        "opinions": [
                            {
                                "id": o.pk,
                                "content": o.content,
                                "source": o.source,
                                "station": o.station.name if o.station_id else "",
                                "merged": o.merged_count,
                                "outcome": o.outcome,
                            }
                            for o in r.opinions
                        ],
                    }
                    for r in report
                ],
            }
        )


class DraftPublishFeedbackView(_DraftTransition):
    service = staticmethod(compilation.draft_publish_feedback)


@extend_schema(request=s.ResplitIn, responses=s.DraftOut)
class DraftResplitView(APIView):
    permission_classes = [IsAreaStaff]

    def post(self, request, pk):
        data = _valid(s.ResplitIn, request.data)
        draft = drafts.draft_resplit(user=request.user, draft_id=pk, text=data["text"])
        body = s.DraftOut(draft).data
        body["articles"] = draft.articles.count()
        return Response(body)


@extend_schema(request=s.AssignIn, responses=OpenApiTypes.OBJECT)
class DraftAssignView(APIView):
    permission_classes = [IsAreaStaff]

    def post(self, request, pk):
        data = _valid(s.AssignIn, request.data)
        n = drafts.draft_assign(
            user=request.user,
            draft_id=pk,
            station_ids=data["stations"],
            area_ids=data["areas"],
            deadline=data["deadline"],
        )
        return Response({"assigned": n})


@extend_schema(responses=OpenApiTypes.OBJECT)
class DraftFeedbackView(APIView):
    """Per article: opinions received, forwarded and adopted — once the feedback is published."""

    permission_classes = [AllowAny]

    def get(self, request, pk):
        draft = selectors.public_draft(pk)
        if draft.status != Draft.Status.FEEDBACK_PUBLISHED:
            raise NotFound(_("采纳情况尚未公布。"))
        counts = selectors.counts_by_article(draft)
        zero = selectors.Counts()
        rows = [
            {"id": a.pk, "label": a.label, **vars(counts.get(a.pk, zero))} for a in selectors.articles(draft)
        ]
        whole = counts.get(None, zero)
        total = selectors.Counts(
            sum(c.received for c in counts.values()),
            sum(c.forwarded for c in counts.values()),
            sum(c.adopted for c in counts.values()),
        )
        return Response(
            {
                "draft": s.DraftOut(draft).data,
                "articles": rows,
                "whole_draft": vars(whole),
                "total": vars(total),
            }
        )


@extend_schema(responses=OpenApiTypes.OBJECT)
class DraftDiffView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, pk):
        draft = selectors.public_draft(pk)
        published = draft.previous is not None and draft.previous.status == Draft.Status.FEEDBACK_PUBLISHED
        rows = [
            {
                "number": d.key[0],
                "sub": d.key[1],
                "label": d.label,
                "change": d.change,
                "before": d.before,
                "after": d.after,
                "words": [{"op": op, "text": t} for op, t in d.words],
                "forwarded_opinions": [
                    {
                        "id": o.pk,
                        "content": o.content,
                        "source": o.source,
                        "outcome": o.outcome if published else "",
                    }
                    for o in d.forwarded_opinions
                ],
            }
            for d in draft_diff(draft)
        ]
        return Response({"draft": s.DraftOut(draft).data, "previous": draft.previous_id, "articles": rows})


@extend_schema(responses=OpenApiTypes.OBJECT)
class DraftCompilationView(APIView):
    """Staff: opinions per article with similar ones grouped."""

    permission_classes = [IsAreaStaff]

    def get(self, request, pk):
        draft = selectors.staff_draft(request.user, pk)
        return Response(
            {
                "draft": s.DraftOut(draft).data,
                "articles": [
                    {
                        "article": c.article.pk if c.article else None,
                        "label": c.article.label if c.article else None,
                        "groups": [s.StaffOpinionOut(g, many=True).data for g in c.groups],
                    }
                    for c in selectors.compilation(draft)
                ],
            }
        )


# --- opinions ----------------------------------------------------------------------------------------------
@extend_schema(request=s.LegislativeOpinionIn, responses=OpenApiTypes.OBJECT)
class DraftOpinionCreateView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [OpinionThrottle]

    def post(self, request, pk):
        data = _valid(s.LegislativeOpinionIn, request.data)
        if _is_recorder(request.user) and data["source"] != Opinion.Source.PUBLIC:
            opinion = opinion_record(
                user=request.user,
                draft_id=pk,
                content=data["content"],
                source=data["source"],
                station_id=data["station"],
                article_id=data["article"],
                expert_id=data["expert"],
                delegate_id=data["delegate"],
            )
        else:
            if data["source"] != Opinion.Source.PUBLIC:
                raise ValidationFailed({"source": [_("来源不正确。")]})
            opinion = opinion_submit(
                draft_id=pk,
                content=data["content"],
                article_id=data["article"],
                name=data["name"],
                phone=data["phone"],
                station_id=data["station"],
            )
        return Response({"tracking_code": opinion.tracking_code}, status=status.HTTP_201_CREATED)


@extend_schema(request=s.ForumIn, responses=OpenApiTypes.OBJECT)
class ForumCreateView(APIView):
    permission_classes = [IsStaffOrInformant]

    def post(self, request):
        data = _valid(s.ForumIn, request.data)
        forum = forum_create(
            user=request.user,
            draft_id=data["draft"],
            station_id=data["station"],
            held_on=data["held_on"],
            attendance=data["attendance"],
            place=data["place"],
            minutes=data["minutes"],
            opinions=[ForumOpinion(o["content"], o["article"]) for o in data["opinions"]],
        )
        return Response(
            {"id": forum.pk, "opinions": list(forum.opinions.values_list("id", flat=True))},
            status=status.HTTP_201_CREATED,
        )


@extend_schema(request=None, responses=s.StaffOpinionOut)
class OpinionForwardView(APIView):
    permission_classes = [IsAreaStaff]

    def post(self, request, pk):
        o = compilation.opinion_forward(user=request.user, opinion_id=pk)
        return Response(s.StaffOpinionOut(o).data)


@extend_schema(request=None, responses=s.StaffOpinionOut)
class OpinionUnforwardView(APIView):
    permission_classes = [IsAreaStaff]

    def post(self, request, pk):
        o = compilation.opinion_unforward(user=request.user, opinion_id=pk)
        return Response(s.StaffOpinionOut(o).data)


@extend_schema(request=s.MergeIn, responses=s.StaffOpinionOut)
class OpinionMergeView(APIView):
    permission_classes = [IsAreaStaff]

    def post(self, request, pk):
        data = _valid(s.MergeIn, request.data)
        o = compilation.opinion_merge(user=request.user, opinion_id=pk, into_id=data["into"])
        return Response(s.StaffOpinionOut(o).data)


@extend_schema(request=s.OutcomeIn, responses=s.StaffOpinionOut)
class OpinionOutcomeView(APIView):
    permission_classes = [IsAreaStaff]

    def post(self, request, pk):
        data = _valid(s.OutcomeIn, request.data)
        o = compilation.opinion_outcome(
            user=request.user, opinion_id=pk, outcome=data["outcome"], note=data["note"]
        )
        return Response(s.StaffOpinionOut(o).data)


@extend_schema(responses=OpenApiTypes.OBJECT)
class OpinionTrackView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, code):
        o = selectors.opinion_by_code(code)
        body = {
            "tracking_code": o.tracking_code,
            "draft": {"id": o.draft.pk, "title": o.draft.title, "stage": o.draft.stage},
            "article": o.article.label if o.article_id else None,
            "content": o.content,
            "created_at": o.created_at,
        }
        body.update(selectors.public_outcome(o))
        return Response(body)


@extend_schema(responses=OpenApiTypes.OBJECT)
class StatsView(APIView):
    """Staff: per contact point of their area and a year (`?year=`, default this year)."""

    permission_classes = [IsAreaStaff]

    def get(self, request):
        raw = request.query_params.get("year") or str(timezone.localdate().year)
        if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
            raise ValidationFailed({"year": [_("年度不正确。")]})
        rows = stats.point_stats(stats.legislative_points(request.user), int(raw))
        return Response({"year": int(raw), "points": [vars(r) for r in rows]})
