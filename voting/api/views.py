"""API views: one per action. Every write goes through voting.services; reads through voting.selectors."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.api import AnonymousWriteThrottle
from liaison.errors import InvalidTransition, NotPermitted
from liaison.parsers import JSONObjectParser
from liaison.permissions import IsAreaStaff, IsPortalAdmin
from stations.models import HandlingUnit

from .. import selectors
from ..models import Ballot, Candidate, LivelihoodProject, Milestone, Site
from ..selectors import ballot_tally
from ..services.ballots import (
    ballot_cast,
    ballot_close,
    ballot_create,
    ballot_open,
    ballot_publish,
    ballot_record_attendance,
)
from ..services.projects import (
    milestone_add,
    milestone_complete,
    progress_report_create,
    project_create,
    project_set_leads,
    site_add,
    site_assign_leads,
    site_complete,
)
from ..services.proposals import (
    proposal_decline,
    proposal_merge,
    proposal_shortlist,
    proposal_submit,
    proposal_window_open,
)
from . import filters, serializers


class ProposalThrottle(AnonymousWriteThrottle):
    scope = "proposal"


# --- proposals ------------------------------------------------------------------------------------------------
class ProposalWindowListCreateView(generics.ListCreateAPIView):
    """Collection windows (项目征集) in the admin's area subtree; POST opens one."""

    permission_classes = [IsPortalAdmin]
    serializer_class = serializers.ProposalWindowSerializer

    def get_queryset(self):
        return selectors.windows_for(self.request.user).order_by("-year", "area__code", "id")

    @extend_schema(
        request=serializers.ProposalWindowCreateSerializer,
        responses={201: serializers.ProposalWindowSerializer},
    )
    def post(self, request, *args, **kwargs):
        ser = serializers.ProposalWindowCreateSerializer(
            data=request.data, context={"scope_user": request.user}
        )
        ser.is_valid(raise_exception=True)
        window = proposal_window_open(actor=request.user, **ser.validated_data)
        return Response(serializers.ProposalWindowSerializer(window).data, status=status.HTTP_201_CREATED)


class ProposalListCreateView(generics.ListCreateAPIView):
    """GET (public): proposals, `?area=CODE` for a subtree, no personal data. POST (public, rate-limited): propose."""

    permission_classes = [AllowAny]
    throttle_classes = [ProposalThrottle]
    serializer_class = serializers.ProposalPublicSerializer
    filterset_class = filters.ProposalFilter

    def get_queryset(self):
        return selectors.proposals_public().order_by("-created_at", "-id")

    @extend_schema(
        request=serializers.ProposalCreateSerializer, responses={201: serializers.ProposalCreatedSerializer}
    )
    def post(self, request, *args, **kwargs):
        ser = serializers.ProposalCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data.pop("website", "")  # the honeypot, refused by the throttle (liaison.guard) when filled
        user = request.user
        delegate = (
            user.delegate if user.is_authenticated and getattr(user, "is_delegate_user", False) else None
        )
        p = proposal_submit(delegate=delegate, **data)
        return Response({"id": p.pk, "code": p.code, "status": p.status}, status=status.HTTP_201_CREATED)


class ProposalByCodeView(generics.RetrieveAPIView):
    """GET (public): one proposal by its code — its status and, if declined, the reason."""

    permission_classes = [AllowAny]
    serializer_class = serializers.ProposalPublicSerializer

    def get_object(self):
        p = selectors.proposal_public_by_code(self.kwargs["code"])
        if p is None:
            raise Http404
        return p


class ProposalStaffDetailView(generics.RetrieveAPIView):
    """Staff: one proposal of their area subtree with the contact, masked (revealed only on the staff page)."""

    permission_classes = [IsAreaStaff]
    serializer_class = serializers.ProposalStaffSerializer

    def get_queryset(self):
        return selectors.proposals_for_staff(self.request.user)


class _ProposalAction(APIView):
    permission_classes = [IsAreaStaff]

    def proposal(self, request, pk):
        return get_object_or_404(selectors.proposals_for_staff(request.user), pk=pk)


class ProposalShortlistView(_ProposalAction):
    @extend_schema(request=serializers.ProposalNoteSerializer, responses=serializers.VotingStatusSerializer)
    def post(self, request, pk):
        p = self.proposal(request, pk)
        ser = serializers.ProposalNoteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        p = proposal_shortlist(proposal_id=p.pk, note=ser.validated_data["note"], actor=request.user)
        return Response({"status": p.status})


class ProposalDeclineView(_ProposalAction):
    @extend_schema(request=serializers.ProposalReasonSerializer, responses=serializers.VotingStatusSerializer)
    def post(self, request, pk):
        p = self.proposal(request, pk)
        ser = serializers.ProposalReasonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        p = proposal_decline(proposal_id=p.pk, reason=ser.validated_data["reason"], actor=request.user)
        return Response({"status": p.status})


class ProposalMergeView(_ProposalAction):
    @extend_schema(request=serializers.ProposalMergeSerializer, responses=serializers.VotingStatusSerializer)
    def post(self, request, pk):
        p = self.proposal(request, pk)
        ser = serializers.ProposalMergeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        target = selectors.proposals_for_staff(request.user).filter(pk=ser.validated_data["into"]).first()
        if target is None:
            raise ValidationError({"into": [_("要合并到的建议不存在。")]})
        p = proposal_merge(proposal_id=p.pk, into_id=target.pk, actor=request.user)
        return Response({"status": p.status, "merged_into": target.pk})


# --- ballots --------------------------------------------------------------------------------------------------
def _ballot_qs():
    return Ballot.objects.select_related("area", "count__entered_by", "count__confirmed_by").prefetch_related(
        Prefetch(
            "candidates", queryset=Candidate.objects.select_related("proposal").order_by("position", "id")
        )
    )


def _admin_ballot(request, pk) -> Ballot:
    return get_object_or_404(selectors.ballots_for_admin(request.user), pk=pk)


class BallotListCreateView(generics.ListCreateAPIView):
    """GET: an admin's ballots (area subtree) or a delegate's (on whose roll they are). POST (admin): a draft."""

    permission_classes = [IsAuthenticated]
    serializer_class = serializers.BallotSerializer

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):
            return Ballot.objects.none()
        if user.is_portal_admin:
            ids = selectors.ballots_for_admin(user).values("pk")
        elif user.is_delegate_user or user.is_body_member:
            ids = selectors.ballots_for_voter(user).values("pk")
        else:
            raise PermissionDenied(_("仅限管理员、人大代表和机构成员。"))
        return _ballot_qs().filter(pk__in=ids).order_by("-created_at", "-id")

    @extend_schema(request=serializers.BallotCreateSerializer, responses={201: serializers.BallotSerializer})
    def post(self, request, *args, **kwargs):
        if not request.user.is_portal_admin:
            raise PermissionDenied(_("仅限管理员。"))
        ser = serializers.BallotCreateSerializer(data=request.data, context={"scope_user": request.user})
        ser.is_valid(raise_exception=True)
        ballot = ballot_create(actor=request.user, **ser.validated_data)
        ballot = _ballot_qs().get(pk=ballot.pk)
        return Response(serializers.BallotSerializer(ballot).data, status=status.HTTP_201_CREATED)


class BallotDetailView(generics.RetrieveAPIView):
    """A ballot and its candidates: admins of its area, delegates on its roll, anyone once published."""

    permission_classes = [AllowAny]
    serializer_class = serializers.BallotSerializer

    def get_object(self):
        ballot = get_object_or_404(_ballot_qs(), pk=self.kwargs["pk"])
        user = self.request.user
        if ballot.status == Ballot.Status.PUBLISHED or _can_see(user, ballot):
            return ballot
        raise Http404


def _is_ballot_admin(user, ballot) -> bool:
    return selectors.ballots_for_admin(user).filter(pk=ballot.pk).exists()


def _can_see(user, ballot) -> bool:
    if not user.is_authenticated:
        return False
    return _is_ballot_admin(user, ballot) or selectors.on_roll(ballot, user)


class _BallotTransition(APIView):
    permission_classes = [IsPortalAdmin]
    transition = None

    @extend_schema(request=None, responses=serializers.VotingStatusSerializer)
    def post(self, request, pk):
        ballot = _admin_ballot(request, pk)
        ballot = type(self).transition(ballot_id=ballot.pk, actor=request.user)
        return Response({"status": ballot.status})


class BallotOpenView(_BallotTransition):
    transition = staticmethod(ballot_open)


class BallotCloseView(_BallotTransition):
    transition = staticmethod(ballot_close)


class BallotPublishView(_BallotTransition):
    transition = staticmethod(ballot_publish)


class BallotAttendanceView(APIView):
    permission_classes = [IsPortalAdmin]

    @extend_schema(request=serializers.AttendanceSerializer, responses=serializers.BallotTurnoutSerializer)
    def post(self, request, pk):
        ballot = _admin_ballot(request, pk)
        ser = serializers.AttendanceSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        ballot_record_attendance(
            ballot_id=ballot.pk, present=ser.validated_data["present"], actor=request.user
        )
        return Response({"status": ballot.status, **selectors.ballot_turnout(ballot)})


class BallotVoteView(APIView):
    """A voter on the roll (a delegate, or a member of the body that votes) hands in their ballot paper: one
    choice for every candidate."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=serializers.CastSerializer, responses={201: serializers.ReceiptSerializer})
    def post(self, request, pk):
        user = request.user
        if not (getattr(user, "is_delegate_user", False) or getattr(user, "is_body_member", False)):
            raise NotPermitted(_("仅限表决名单上的人大代表或机构成员投票。"))
        ser = serializers.CastSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        paper = ballot_cast(ballot_id=pk, user=user, choices=ser.validated_data["choices"])
        return Response(
            {
                "receipt_code": paper.receipt_code,
                "ballot": paper.ballot_id,
                "ballot_title": paper.ballot.title,
                "cast_at": paper.cast_at,
            },
            status=status.HTTP_201_CREATED,
        )


class BallotTurnoutView(APIView):
    """Admins: who has voted and how many — never what anyone chose, never partial results."""

    permission_classes = [IsPortalAdmin]

    @extend_schema(responses=serializers.BallotTurnoutSerializer)
    def get(self, request, pk):
        ballot = _admin_ballot(request, pk)
        return Response({"status": ballot.status, **selectors.ballot_turnout(ballot)})


class BallotResultView(APIView):
    """Nobody reads results while the ballot is open; admins once it is closed; anyone once published."""

    permission_classes = [AllowAny]

    @extend_schema(responses=serializers.BallotResultSerializer)
    def get(self, request, pk):
        ballot = get_object_or_404(Ballot.objects.only("id", "status", "area_id"), pk=pk)
        if ballot.status != Ballot.Status.PUBLISHED:
            user = request.user
            if not _can_see(user, ballot):
                raise Http404
            if ballot.status in (Ballot.Status.DRAFT, Ballot.Status.OPEN):
                raise InvalidTransition(_("表决尚未结束，任何人都不能查看结果。"))
            if not _is_ballot_admin(user, ballot):
                raise NotPermitted(_("结果公布前仅管理员可以查看。"))
        return Response(ballot_tally(ballot_id=ballot.pk).as_dict())


# --- projects -------------------------------------------------------------------------------------------------
class ProjectListCreateView(generics.ListCreateAPIView):
    """GET (public, 幸福账单): projects with progress, `?year=&area=`. POST (admin): from an elected candidate."""

    permission_classes = [AllowAny]
    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.ProjectFilter

    def get_queryset(self):
        return selectors.projects_public().order_by("-year", "area__code", "id")

    @extend_schema(
        request=serializers.ProjectCreateSerializer, responses={201: serializers.ProjectDetailSerializer}
    )
    def post(self, request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_portal_admin):
            raise PermissionDenied(_("仅限管理员。"))
        ser = serializers.ProjectCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        cand = Candidate.objects.filter(
            pk=data.pop("candidate"), ballot__in=selectors.ballots_for_admin(user)
        ).first()
        if cand is None:
            raise ValidationError({"candidate": [_("候选项目不存在。")]})
        unit = selectors_units(user).filter(pk=data.pop("unit")).first()
        if unit is None:
            raise ValidationError({"unit": [_("承办单位不存在。")]})
        project = project_create(candidate_id=cand.pk, unit=unit, actor=user, **data)
        return Response(
            serializers.ProjectDetailSerializer(selectors.project_detail(project.pk)).data,
            status=status.HTTP_201_CREATED,
        )


def selectors_units(user):
    from stations.selectors import unit_list_for

    return unit_list_for(user) if user.is_area_staff else HandlingUnit.objects.none()


class ProjectDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.ProjectDetailSerializer

    def get_object(self):
        return selectors.project_detail(self.kwargs["pk"])


def _project_for(request, pk, *, staff_only=False) -> LivelihoodProject:
    project = get_object_or_404(selectors.projects_for(request.user), pk=pk)
    if staff_only and not request.user.is_area_staff:
        raise PermissionDenied(_("仅限工作人员。"))
    return project


class ProjectLeadsView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(
        request=serializers.VotingDelegatesSerializer, responses=serializers.ProjectDetailSerializer
    )
    def post(self, request, pk):
        project = _project_for(request, pk)
        ser = serializers.VotingDelegatesSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        project_set_leads(
            project_id=project.pk, delegates=ser.validated_data["delegates"], actor=request.user
        )
        return Response(serializers.ProjectDetailSerializer(selectors.project_detail(project.pk)).data)


class MilestoneCreateView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(
        request=serializers.MilestoneCreateSerializer, responses={201: serializers.ProjectMilestoneSerializer}
    )
    def post(self, request, pk):
        project = _project_for(request, pk)
        ser = serializers.MilestoneCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        m = milestone_add(project_id=project.pk, actor=request.user, **ser.validated_data)
        return Response(serializers.ProjectMilestoneSerializer(m).data, status=status.HTTP_201_CREATED)


class MilestoneDoneView(APIView):
    """Staff of the area or the owning unit mark a milestone reached."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=serializers.VotingDoneSerializer, responses=serializers.ProjectMilestoneSerializer)
    def post(self, request, pk):
        m = get_object_or_404(
            Milestone.objects.filter(project__in=selectors.projects_for(request.user)), pk=pk
        )
        if not (request.user.is_area_staff or request.user.is_unit_user):
            raise PermissionDenied()
        ser = serializers.VotingDoneSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        m = milestone_complete(milestone_id=m.pk, done_on=ser.validated_data["done_on"], actor=request.user)
        return Response(serializers.ProjectMilestoneSerializer(m).data)


class SiteCreateView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(
        request=serializers.SiteCreateSerializer, responses={201: serializers.ProjectSiteSerializer}
    )
    def post(self, request, pk):
        project = _project_for(request, pk)
        ser = serializers.SiteCreateSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        site = site_add(project_id=project.pk, actor=request.user, **ser.validated_data)
        return Response(serializers.ProjectSiteSerializer(site).data, status=status.HTTP_201_CREATED)


class SiteLeadsView(APIView):
    permission_classes = [IsAreaStaff]

    @extend_schema(request=serializers.VotingDelegatesSerializer, responses=serializers.ProjectSiteSerializer)
    def post(self, request, pk):
        site = get_object_or_404(Site.objects.filter(project__in=selectors.projects_for(request.user)), pk=pk)
        ser = serializers.VotingDelegatesSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        site = site_assign_leads(
            site_id=site.pk, delegates=ser.validated_data["delegates"], actor=request.user
        )
        return Response(serializers.ProjectSiteSerializer(site).data)


class SiteDoneView(APIView):
    """销号: staff of the area or the owning unit tick a site off."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=serializers.VotingDoneSerializer, responses=serializers.ProjectSiteSerializer)
    def post(self, request, pk):
        site = get_object_or_404(Site.objects.filter(project__in=selectors.projects_for(request.user)), pk=pk)
        if not (request.user.is_area_staff or request.user.is_unit_user):
            raise PermissionDenied()
        ser = serializers.VotingDoneSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        site = site_complete(site_id=site.pk, done_on=ser.validated_data["done_on"], actor=request.user)
        return Response(serializers.ProjectSiteSerializer(site).data)


class ProgressReportView(APIView):
    """The owning unit reports progress: text and up to three JPEG/PNG photos (multipart). The report carries
    the progress computed from the project's sites and milestones; a typed `percent` is ignored."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONObjectParser]

    @extend_schema(
        request=serializers.ProgressCreateSerializer, responses={201: serializers.ProgressReportOutSerializer}
    )
    def post(self, request, pk):
        if not request.user.is_unit_user:
            raise PermissionDenied(_("仅限承办单位报送进展。"))
        project = _project_for(request, pk)
        # Read the fields, never copy request.data: a copy deep-copies the uploaded files, and one spooled to
        # disk (over 2.5 MB) cannot be copied ("cannot pickle '_io.BufferedRandom'").
        photos = request.FILES.getlist("photos") if request.FILES else []
        ser = serializers.ProgressCreateSerializer(
            data={"percent": request.data.get("percent"), "text": request.data.get("text")}
        )
        ser.is_valid(raise_exception=True)
        report = progress_report_create(
            project_id=project.pk,
            actor=request.user,
            photos=photos,
            text=ser.validated_data["text"],
        )
        return Response(serializers.ProgressReportOutSerializer(report).data, status=status.HTTP_201_CREATED)
