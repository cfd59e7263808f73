"""Back-office screens. Transitions are admin actions that call voting.services; votes are read-only and a
secret ballot's votes show nothing that links them to a delegate (there is nothing stored to show)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from liaison.admin_scope import AreaScopedAdmin, run_service_action
from liaison.privacy import mask_phone

from .models import (
    Ballot,
    BallotEvent,
    BallotPaper,
    Candidate,
    Evaluation,
    LivelihoodProject,
    Milestone,
    ProgressReport,
    ProjectProposal,
    ProposalWindow,
    Site,
    Vote,
)
from .services.ballots import ballot_close, ballot_open, ballot_publish
from .services.projects import project_progress_refresh
from .services.proposals import proposal_shortlist


@admin.register(ProposalWindow)
class ProposalWindowAdmin(AreaScopedAdmin):
    list_display = ["area", "year", "opens_on", "closes_on"]
    list_filter = ["year"]
    autocomplete_fields = ["area"]
    readonly_fields = ["created_by"]


@admin.register(ProjectProposal)
class ProjectProposalAdmin(AreaScopedAdmin):
    list_display = ["code", "title", "area", "status", "proposer_kind", "masked_phone", "created_at"]
    list_filter = ["status", "proposer_kind"]
    search_fields = ["code", "title"]
    readonly_fields = [
        "code",
        "status",
        "merged_into",
        "screened_by",
        "screened_at",
        "proposer_delegate",
        "window",
    ]
    exclude = ["phone"]  # personal data: shown masked here, in full only on the audited staff page
    actions = ["shortlist"]

    @admin.display(description=_("手机号码"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)

    @admin.action(description=_("列入候选"))
    def shortlist(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda p: proposal_shortlist(proposal_id=p.pk, actor=request.user),
            _("%(n)s 条建议已列入候选。"),
        )


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    fields = ["position", "proposal"]
    readonly_fields = ["position", "proposal"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class BallotEventInline(admin.TabularInline):
    model = BallotEvent
    extra = 0
    fields = ["at", "kind", "actor", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ballot)
class BallotAdmin(AreaScopedAdmin):
    list_display = ["title", "area", "seats", "secret", "status", "opened_at", "closed_at", "published_at"]
    list_filter = ["status", "secret"]
    search_fields = ["title"]
    readonly_fields = ["status", "opened_at", "closed_at", "published_at", "published_result", "created_by"]
    inlines = [CandidateInline, BallotEventInline]
    actions = ["open_ballots", "close_ballots", "publish_ballots"]

    def has_add_permission(self, request):
        return False  # built on the ballot page or through the API, which check the roll and candidates

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None and obj.status != Ballot.Status.DRAFT:
            fields += ["title", "area", "session_name", "seats", "threshold_basis", "secret", "allow_change"]
        return fields

    @admin.action(description=_("开始表决"))
    def open_ballots(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda b: ballot_open(ballot_id=b.pk, actor=request.user),
            _("%(n)s 个表决已开始。"),
        )

    @admin.action(description=_("结束表决"))
    def close_ballots(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda b: ballot_close(ballot_id=b.pk, actor=request.user),
            _("%(n)s 个表决已结束。"),
        )

    @admin.action(description=_("公布结果"))
    def publish_ballots(self, request, queryset):
        run_service_action(
            self,
            request,
            queryset,
            lambda b: ballot_publish(ballot_id=b.pk, actor=request.user),
            _("%(n)s 个表决已公布。"),
        )


class ReadOnlyAdmin(AreaScopedAdmin):
    """Records written only by services, read by the admins of the area (and superusers)."""

    staff_may_view = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BallotPaper)
class BallotPaperAdmin(ReadOnlyAdmin):
    """The turnout record: who handed in a paper, and when. It says nothing about the choices."""

    area_field = "ballot__area"
    list_display = ["ballot", "delegate", "receipt_code", "cast_at"]
    list_filter = ["ballot"]
    search_fields = ["delegate__name", "receipt_code"]
    fields = ["ballot", "delegate", "receipt_code", "cast_at", "changed_at"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    """Votes, for audits of the count. Never the paper (and so never the delegate), ordered by random id."""

    area_field = "ballot__area"
    list_display = ["id", "ballot", "candidate", "choice"]
    list_filter = ["ballot", "choice"]
    fields = ["id", "ballot", "candidate", "choice"]
    ordering = ["id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("ballot", "candidate__proposal")


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    readonly_fields = ["done_at"]  # marked done on the project page or through the API (dates checked there)


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    filter_horizontal = ["lead_delegates"]
    readonly_fields = ["done_on"]  # 销号 on the project page or through the API


@admin.register(LivelihoodProject)
class LivelihoodProjectAdmin(AreaScopedAdmin):
    list_display = ["title", "year", "area", "unit", "budget", "target_date", "percent", "status"]
    list_filter = ["year", "status"]
    search_fields = ["title"]
    readonly_fields = ["candidate", "percent", "status", "created_by"]
    autocomplete_fields = ["lead_delegates"]
    inlines = [MilestoneInline, SiteInline]

    def has_add_permission(self, request):
        return False  # from an elected candidate, on the projects page or through the API

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Sites or milestones added or removed here change the computed progress.
        project_progress_refresh(project_id=form.instance.pk)


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    area_field = "project__area"
    list_display = ["project", "percent", "created_at", "created_by"]
    fields = ["project", "percent", "text", "created_at", "created_by"]


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    area_field = "project__area"
    list_display = ["project", "assessment", "created_at"]
    fields = ["project", "assessment", "created_at", "created_by"]
