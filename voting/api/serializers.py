"""Input and output shapes of the livelihood-project API, kept apart. Public outputs carry no personal data."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bodies.models import Counting
from liaison.parsing import IdField, IdListField
from liaison.privacy import PHONE_MESSAGE, PHONE_RE, mask_name, mask_phone
from liaison.scoping import user_sees_area
from stations.models import Area
from supervision.api.serializers import TallySheetOut

from ..conf import conf
from ..models import (
    Ballot,
    BallotCount,
    LivelihoodProject,
    Milestone,
    ProgressReport,
    ProjectProposal,
    ProposalWindow,
    Site,
    Vote,
)


@extend_schema_field(OpenApiTypes.STR)
class AreaCodeField(serializers.Field):
    """An area by its 12-digit code; `scope_user` in the context limits it to that user's subtree."""

    default_error_messages = {"invalid": _("区划代码须为12位数字。")}

    def to_representation(self, value):
        return value.code

    def to_internal_value(self, data):
        code = str(data).strip()
        if not (len(code) == 12 and code.isdigit()):
            self.fail("invalid")
        area = Area.objects.filter(code=code).only("id", "code", "path", "name").first()
        user = self.context.get("scope_user")
        if user is not None and area is not None and not user_sees_area(user, area):
            area = None  # another area's code reads exactly like an unknown one
        if area is None:
            raise serializers.ValidationError(_("未知的区划代码：%(code)s") % {"code": code})
        return area


# --- proposals ------------------------------------------------------------------------------------------------
class ProposalWindowSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)

    class Meta:
        model = ProposalWindow
        fields = ["id", "area", "area_name", "year", "opens_on", "closes_on"]


class ProposalWindowCreateSerializer(serializers.Serializer):
    area = AreaCodeField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()


class ProposalCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=3000)
    area = AreaCodeField()
    rough_cost = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    phone = serializers.RegexField(
        PHONE_RE,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"invalid": PHONE_MESSAGE},
    )
    # Honeypot: people never see this field; a value means a bot, and nothing is saved.
    website = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)


class ProposalCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    status = serializers.CharField()


class ProposalPublicSerializer(serializers.ModelSerializer):
    """What anyone may read: never the proposer's name or phone."""

    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    proposer_kind_display = serializers.CharField(source="get_proposer_kind_display", read_only=True)
    merged_into_code = serializers.SerializerMethodField()

    class Meta:
        model = ProjectProposal
        fields = [
            "id",
            "code",
            "title",
            "description",
            "area",
            "area_name",
            "rough_cost",
            "proposer_kind",
            "proposer_kind_display",
            "status",
            "status_display",
            "decline_reason",
            "shortlist_note",
            "merged_into",
            "merged_into_code",
            "created_at",
        ]

    def get_merged_into_code(self, obj) -> str | None:
        return obj.merged_into.code if obj.merged_into_id else None


class ProposalStaffSerializer(ProposalPublicSerializer):
    """Staff view: the contact, masked (the full name and number are on the audited staff contact page)."""

    name = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    proposer_delegate = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(ProposalPublicSerializer.Meta):
        fields = ProposalPublicSerializer.Meta.fields + ["name", "phone", "proposer_delegate", "screened_at"]

    def get_name(self, obj) -> str:
        return mask_name(obj.name)

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone)


class ProposalNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ProposalReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ProposalMergeSerializer(serializers.Serializer):
    into = IdField()


class VotingStatusSerializer(serializers.Serializer):
    status = serializers.CharField()


# --- ballots --------------------------------------------------------------------------------------------------
class BallotCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    area = AreaCodeField()
    session_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    seats = serializers.IntegerField(min_value=1, max_value=1000)
    roll = IdListField(allow_empty=False, max_length=100000, required=False)
    body = IdField(required=False, help_text=_("表决机构：名单为开始表决当天该机构的成员（与 roll 二选一）。"))
    counting = serializers.ChoiceField(choices=Counting.choices, default=Counting.ONLINE)
    candidates = IdListField(max_length=500)
    threshold_basis = serializers.ChoiceField(choices=Ballot.ThresholdBasis.choices, default="roll")
    secret = serializers.BooleanField(default=True)
    allow_change = serializers.BooleanField(default=False)

    def validate(self, attrs):
        if ("roll" in attrs) == ("body" in attrs):
            raise serializers.ValidationError({"roll": [_("请提供表决名单（roll）或表决机构（body），二者选一。")]})
        return attrs


class CountSheetSerializer(serializers.Serializer):
    """The tally sheet of a ballot counted on paper or by a device: how, what, by whom."""

    method = serializers.CharField()
    present = serializers.IntegerField()
    papers_issued = serializers.IntegerField()
    papers_returned = serializers.IntegerField()
    valid = serializers.IntegerField()
    invalid = serializers.IntegerField()
    note = serializers.CharField()
    entered_by = serializers.CharField(source="entered_by.username")
    entered_at = serializers.DateTimeField()
    confirmed_by = serializers.CharField(source="confirmed_by.username", allow_null=True, default=None)
    confirmed_at = serializers.DateTimeField(allow_null=True)


CountLineSerializer = type(
    "CountLineSerializer",
    (serializers.Serializer,),
    {
        "id": IdField(),
        "for": serializers.IntegerField(min_value=0, max_value=1_000_000, source="votes_for", default=0),
        "against": serializers.IntegerField(min_value=0, max_value=1_000_000, source="votes_against", default=0),
        "abstain": serializers.IntegerField(min_value=0, max_value=1_000_000, source="votes_abstain", default=0),
    },
)


class CountInSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=[Counting.PAPER, Counting.DEVICE], required=False)
    present = serializers.IntegerField(min_value=0, max_value=1_000_000)
    papers_issued = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)
    papers_returned = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)
    valid = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)
    invalid = serializers.IntegerField(min_value=0, max_value=1_000_000, required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    candidates = serializers.ListField(child=CountLineSerializer(), allow_empty=False, max_length=500)


class BallotCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    proposal = serializers.IntegerField(source="proposal_id")
    title = serializers.CharField(source="proposal.title")


class BallotSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    candidates = serializers.SerializerMethodField()
    count = serializers.SerializerMethodField()

    class Meta:
        model = Ballot
        fields = [
            "id",
            "title",
            "area",
            "session_name",
            "seats",
            "threshold_basis",
            "secret",
            "allow_change",
            "status",
            "status_display",
            "opened_at",
            "closed_at",
            "published_at",
            "candidates",
            "body",
            "counting",
            "count",
        ]

    @extend_schema_field(BallotCandidateSerializer(many=True))
    def get_candidates(self, obj):
        return BallotCandidateSerializer(obj.candidates.all(), many=True).data

    @extend_schema_field(CountSheetSerializer(allow_null=True))
    def get_count(self, obj):
        try:
            sheet = obj.count
        except BallotCount.DoesNotExist:
            return None
        return CountSheetSerializer(sheet).data


class BallotChoiceSerializer(serializers.Serializer):
    candidate = IdField()
    choice = serializers.CharField(max_length=20)  # checked by the service, so the message names the value


class CastSerializer(serializers.Serializer):
    choices = serializers.ListField(child=BallotChoiceSerializer(), allow_empty=False, max_length=500)


class ReceiptSerializer(serializers.Serializer):
    receipt_code = serializers.CharField()
    ballot = serializers.IntegerField()
    ballot_title = serializers.CharField()
    cast_at = serializers.DateTimeField()


class AttendanceSerializer(serializers.Serializer):
    present = IdListField(allow_empty=False)


class VotingPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text=_("代表 id（非代表的机构成员为 null）"))
    member = serializers.IntegerField(allow_null=True, help_text=_("机构成员 id（名单取自机构时）"))
    name = serializers.CharField()


class BallotTurnoutSerializer(serializers.Serializer):
    status = serializers.CharField()
    roll_size = serializers.IntegerField()
    present = serializers.IntegerField()
    voted = serializers.IntegerField()
    voters = VotingPersonSerializer(many=True)
    not_voted = VotingPersonSerializer(many=True)


# "for" is a Python keyword, so the class is built with type() to give the field its API name.
ResultCandidateSerializer = type(
    "ResultCandidateSerializer",
    (serializers.Serializer,),
    {
        "id": serializers.IntegerField(),
        "proposal": serializers.IntegerField(),
        "title": serializers.CharField(),
        "for": serializers.IntegerField(),
        "against": serializers.IntegerField(),
        "abstain": serializers.IntegerField(),
        "passed": serializers.BooleanField(),
        "elected": serializers.BooleanField(),
        "tied": serializers.BooleanField(),
    },
)


class BallotResultSerializer(serializers.Serializer):
    status = serializers.CharField()
    seats = serializers.IntegerField()
    threshold_basis = serializers.CharField()
    roll_size = serializers.IntegerField()
    present = serializers.IntegerField()
    voted = serializers.IntegerField()
    quorum_met = serializers.BooleanField()
    runoff_needed = serializers.BooleanField()
    candidates = ResultCandidateSerializer(many=True)


# --- projects -------------------------------------------------------------------------------------------------
class ProjectMilestoneSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = ["id", "title", "due", "done_at", "overdue"]

    def get_overdue(self, obj) -> bool:
        return obj.done_at is None and obj.due < timezone.localdate()


class ProjectSiteSerializer(serializers.ModelSerializer):
    lead_delegates = serializers.SerializerMethodField()

    class Meta:
        model = Site
        fields = ["id", "name", "latitude", "longitude", "done_on", "lead_delegates"]

    def get_lead_delegates(self, obj) -> list[int]:
        return [d.pk for d in obj.lead_delegates.all()]


class ProjectSerializer(serializers.ModelSerializer):
    area = serializers.CharField(source="area.code", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    milestones = ProjectMilestoneSerializer(many=True, read_only=True)
    sites_total = serializers.SerializerMethodField()
    sites_done = serializers.SerializerMethodField()
    lead_delegates = VotingPersonSerializer(many=True, read_only=True)

    class Meta:
        model = LivelihoodProject
        fields = [
            "id",
            "title",
            "area",
            "area_name",
            "unit",
            "unit_name",
            "year",
            "budget",
            "target_date",
            "status",
            "status_display",
            "percent",
            "candidate",
            "milestones",
            "sites_total",
            "sites_done",
            "lead_delegates",
        ]

    def get_sites_total(self, obj) -> int:
        return len(obj.sites.all())

    def get_sites_done(self, obj) -> int:
        return sum(1 for s in obj.sites.all() if s.done_on)


class ProgressReportOutSerializer(serializers.ModelSerializer):
    photos = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["id", "percent", "text", "created_at", "photos"]

    def get_photos(self, obj) -> list[str]:
        return [p.image.url for p in obj.photos.all()]


class ProjectDetailSerializer(ProjectSerializer):
    sites = ProjectSiteSerializer(many=True, read_only=True)
    reports = ProgressReportOutSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = ProjectSerializer.Meta.fields + ["description", "sites", "reports"]


class ProjectCreateSerializer(serializers.Serializer):
    candidate = IdField()
    unit = IdField()
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    target_date = serializers.DateField()
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    lead_delegates = IdListField(required=False, default=list)


class MilestoneCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due = serializers.DateField()


class SiteCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        allow_null=True,
        default=None,
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
        default=None,
    )
    lead_delegates = IdListField(required=False, default=list)


class VotingDelegatesSerializer(serializers.Serializer):
    delegates = IdListField(allow_empty=True)


class VotingDoneSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True, default=None)


class ProgressCreateSerializer(serializers.Serializer):
    percent = serializers.IntegerField(
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        default=None,
        help_text="Ignored, kept for older clients: progress is computed from sites ticked off and milestones "
        "reached.",
    )
    text = serializers.CharField(max_length=3000)
    # Documents the multipart field; the view hands the files to the service, which checks them.
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        default=list,
        max_length=conf.PHOTO_MAX_COUNT,
    )


VOTE_CHOICES = Vote.Choice.values


# --- evaluations ----------------------------------------------------------------------------------------------
class EvaluationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.IntegerField()
    project_title = serializers.CharField()
    assessment = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    body = serializers.IntegerField(allow_null=True)
    counting = serializers.CharField()


class EvaluationCreateSerializer(serializers.Serializer):
    project = IdField()
    roll = IdListField(required=False, allow_empty=False)
    # In place of `roll`: a body (e.g. the street council that voted the project); its members on the day the
    # evaluation opens vote.
    body = IdField(required=False)
    counting = serializers.ChoiceField(choices=Counting.choices, default=Counting.ONLINE)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def validate(self, attrs):
        if "roll" in attrs and "body" in attrs:
            raise serializers.ValidationError({"body": [_("请选择测评机构或测评人员名单（二者选一）。")]})
        return attrs


class EvaluationVoteSerializer(serializers.Serializer):
    choice = serializers.CharField(max_length=30)  # checked by the service, which names the allowed values


class EvaluationRectificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    due = serializers.DateField()


class EvaluationResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.IntegerField()
    status = serializers.CharField()
    roll_size = serializers.IntegerField()
    voted = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    basically_satisfied = serializers.IntegerField()
    unsatisfied = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    outcome = serializers.CharField(allow_null=True)
    rectification = EvaluationRectificationSerializer(allow_null=True)
    counting = serializers.CharField()
    tally_sheet = TallySheetOut(allow_null=True)
