"""The livelihood-project cycle 群众提、代表决、政府办、人大评: proposals, the delegates' ballot, delivery, evaluation.

Secret ballots: `Vote` rows carry no delegate, no paper, no timestamp and a random UUID key, so nothing stored
links a vote to whoever cast it or orders votes by time. Who voted is recorded on `BallotPaper` (the turnout
record), whose unique constraint is what enforces one paper per delegate. `Vote` deliberately has no
HistoricalRecords: a history row would carry the time and the acting user.

Voters: a ballot's roll is either an explicit list of delegates or, when it has a `body`, that body's members on
the day it opens (bodies.members_on). A roll entry and a paper name the delegate, the member, or both (a member
who is a delegate): the partial unique constraints on (ballot, delegate) and (ballot, member) keep one entry and
one paper per voter either way, and a delegate's paper still enters the duty record.
A ballot counted on paper or by a device (`counting`) takes no papers online: its `BallotCount`, entered by one
admin and confirmed by another, is what the tally reads.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bodies.models import Counting, CountMixin
from liaison.uploads import UploadTo


# --- 群众提 ---------------------------------------------------------------------------------------------------
class ProposalWindow(models.Model):
    """A collection window: the public and delegates may propose projects for `area` between the two dates."""

    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="proposal_windows", verbose_name=_("区划")
    )
    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "area__code"]
        verbose_name = _("项目征集")
        verbose_name_plural = _("项目征集")
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="proposal_window_once_per_area_year"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="window_dates_order"
            ),
        ]
        indexes = [models.Index(fields=["opens_on", "closes_on"])]

    def __str__(self) -> str:
        return f"{self.area} {self.year}"

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class ProjectProposal(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待筛选")
        SHORTLISTED = "shortlisted", _("已列入候选")
        DECLINED = "declined", _("未采纳")
        MERGED = "merged", _("已合并")

    class ProposerKind(models.TextChoices):
        PUBLIC = "public", _("群众")
        DELEGATE = "delegate", _("人大代表")

    code = models.CharField(_("查询码"), max_length=12, unique=True, editable=False)
    window = models.ForeignKey(
        ProposalWindow, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    title = models.CharField(_("项目名称"), max_length=100)
    description = models.TextField(_("项目内容"), max_length=3000)
    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="project_proposals", verbose_name=_("区划")
    )
    rough_cost = models.DecimalField(
        _("估算金额（万元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    proposer_kind = models.CharField(
        _("提出人类型"), max_length=10, choices=ProposerKind.choices, default=ProposerKind.PUBLIC
    )
    proposer_delegate = models.ForeignKey(
        "stations.Delegate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_proposals",
    )
    # Personal data: never on public pages or public API responses; masked elsewhere.
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    decline_reason = models.CharField(_("未采纳理由"), max_length=500, blank=True)
    shortlist_note = models.CharField(_("筛选意见"), max_length=500, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("合并到"),
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    screened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["name", "phone"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("项目建议")
        verbose_name_plural = _("项目建议")
        indexes = [
            models.Index(fields=["area", "status", "-created_at"]),
            models.Index(fields=["status", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


# --- 代表决 ---------------------------------------------------------------------------------------------------
class Ballot(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("表决中")
        CLOSED = "closed", _("已结束")
        PUBLISHED = "published", _("已公布")

    class ThresholdBasis(models.TextChoices):
        ROLL = "roll", _("全体应到代表过半数")
        PRESENT = "present", _("实到代表过半数")

    title = models.CharField(_("表决名称"), max_length=200)
    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="ballots", verbose_name=_("区划")
    )
    session_name = models.CharField(_("会议名称"), max_length=200, blank=True)
    seats = models.PositiveSmallIntegerField(_("应选项目数"), validators=[MinValueValidator(1)])
    threshold_basis = models.CharField(
        _("当选基数"), max_length=10, choices=ThresholdBasis.choices, default=ThresholdBasis.ROLL
    )
    secret = models.BooleanField(_("无记名投票"), default=True)
    body = models.ForeignKey(
        "bodies.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballots",
        verbose_name=_("表决机构"),
        help_text=_("选择机构时，表决名单为开始表决当天该机构的成员。"),
    )
    counting = models.CharField(
        _("计票方式"), max_length=8, choices=Counting.choices, default=Counting.ONLINE
    )
    allow_change = models.BooleanField(
        _("表决期间允许改票"), default=False, help_text=_("仅适用于记名表决。")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    # The tally as published; `recount_ballot` recounts the stored votes and compares with it.
    published_result = models.JSONField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    roll = models.ManyToManyField("stations.Delegate", through="BallotRollEntry", related_name="ballots")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="ballot_seats_positive"),
            models.CheckConstraint(
                condition=Q(allow_change=False) | Q(secret=False), name="ballot_change_only_named"
            ),
        ]
        indexes = [models.Index(fields=["area", "status"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="candidates")
    proposal = models.ForeignKey(ProjectProposal, on_delete=models.PROTECT, related_name="candidacies")
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ballot_id", "position", "id"]
        verbose_name = _("候选项目")
        verbose_name_plural = _("候选项目")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "proposal"], name="candidate_once_per_ballot")
        ]

    def __str__(self) -> str:
        return self.proposal.title


class BallotRollEntry(models.Model):
    """A delegate on the ballot's roll (应到代表); `present` records attendance (实到)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="roll_entries")
    # A delegate, a body's member, or both (a member who is a delegate); see the module doc on voters.
    delegate = models.ForeignKey(
        "stations.Delegate", on_delete=models.PROTECT, null=True, blank=True, related_name="ballot_roll"
    )
    member = models.ForeignKey(
        "bodies.BodyMember", on_delete=models.PROTECT, null=True, blank=True, related_name="ballot_roll"
    )
    present = models.BooleanField(_("出席"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ballot_id", "id"]
        verbose_name = _("表决名单")
        verbose_name_plural = _("表决名单")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "delegate"], name="roll_once_per_ballot"),
            models.UniqueConstraint(
                fields=["ballot", "member"], condition=Q(member__isnull=False), name="roll_member_once_per_ballot"
            ),
            models.CheckConstraint(
                condition=Q(delegate__isnull=False) | Q(member__isnull=False), name="roll_entry_has_voter"
            ),
        ]
        indexes = [models.Index(fields=["delegate", "ballot"]), models.Index(fields=["member", "ballot"])]

    def __str__(self) -> str:
        return f"{self.ballot_id}:{self.delegate_id}"


class BallotPaper(models.Model):
    """The turnout record: this delegate handed in a paper. The unique constraint is the one-paper rule."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="papers")
    delegate = models.ForeignKey(
        "stations.Delegate", on_delete=models.PROTECT, null=True, blank=True, related_name="ballot_papers"
    )
    member = models.ForeignKey(
        "bodies.BodyMember", on_delete=models.PROTECT, null=True, blank=True, related_name="ballot_papers"
    )
    receipt_code = models.CharField(_("回执编号"), max_length=12, unique=True, editable=False)
    cast_at = models.DateTimeField(_("投票时间"))
    changed_at = models.DateTimeField(_("改票时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        # No ordering through joins: a SELECT … FOR UPDATE of a paper must lock that paper only, not its ballot.
        ordering = ["ballot_id", "id"]
        verbose_name = _("投票记录")
        verbose_name_plural = _("投票记录")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "delegate"], name="one_paper_per_delegate"),
            models.UniqueConstraint(
                fields=["ballot", "member"], condition=Q(member__isnull=False), name="one_paper_per_member"
            ),
            models.CheckConstraint(
                condition=Q(delegate__isnull=False) | Q(member__isnull=False), name="paper_has_voter"
            ),
        ]
        indexes = [models.Index(fields=["delegate", "ballot"]), models.Index(fields=["member", "ballot"])]

    def __str__(self) -> str:
        return self.receipt_code


class Vote(models.Model):
    """One choice on one candidate. Secret ballots: no paper, no delegate, no time, random key (see module doc)."""

    class Choice(models.TextChoices):
        FOR = "for", _("赞成")
        AGAINST = "against", _("反对")
        ABSTAIN = "abstain", _("弃权")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="votes")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("意见"), max_length=8, choices=Choice.choices)
    # Named ballots only; always NULL on a secret ballot.
    paper = models.ForeignKey(
        BallotPaper, on_delete=models.PROTECT, null=True, blank=True, related_name="votes"
    )

    class Meta:
        verbose_name = _("票")
        verbose_name_plural = _("票")
        constraints = [
            models.UniqueConstraint(
                fields=["paper", "candidate"], condition=Q(paper__isnull=False), name="named_vote_once"
            )
        ]
        indexes = [models.Index(fields=["ballot", "candidate", "choice"])]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.choice}"


class BallotCount(CountMixin):
    """The tally sheet of a ballot counted on paper or by a voting device (bodies.CountMixin)."""

    ballot = models.OneToOneField(Ballot, on_delete=models.PROTECT, related_name="count")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("计票结果")
        verbose_name_plural = _("计票结果")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid__lte=models.F("papers_returned")), name="ballot_count_valid_within_returned"
            ),
            models.CheckConstraint(
                condition=Q(papers_returned__lte=models.F("papers_issued")),
                name="ballot_count_returned_within_issued",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id} {self.get_method_display()}"


class BallotCountLine(models.Model):
    count = models.ForeignKey(BallotCount, on_delete=models.CASCADE, related_name="lines")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="count_lines")
    votes_for = models.PositiveIntegerField(_("赞成"))
    votes_against = models.PositiveIntegerField(_("反对"))
    votes_abstain = models.PositiveIntegerField(_("弃权"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["count_id", "candidate_id"]
        verbose_name = _("计票明细")
        verbose_name_plural = _("计票明细")
        constraints = [models.UniqueConstraint(fields=["count", "candidate"], name="count_line_once")]

    def __str__(self) -> str:
        return f"{self.candidate_id}: {self.votes_for}/{self.votes_against}/{self.votes_abstain}"


class BallotEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", _("创建")
        OPENED = "opened", _("开始表决")
        CLOSED = "closed", _("结束表决")
        PUBLISHED = "published", _("公布结果")
        ATTENDANCE = "attendance", _("登记出席")
        UPDATED = "updated", _("修改")
        COUNT_ENTERED = "count_entered", _("录入计票结果")
        COUNT_CONFIRMED = "count_confirmed", _("确认计票结果")

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["ballot_id", "at", "id"]
        verbose_name = _("表决记录")
        verbose_name_plural = _("表决记录")

    def __str__(self) -> str:
        return f"{self.ballot_id} {self.kind}"


# --- 政府办 ---------------------------------------------------------------------------------------------------
class LivelihoodProject(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("未开工")
        IN_PROGRESS = "in_progress", _("推进中")
        COMPLETED = "completed", _("已完成")

    candidate = models.OneToOneField(Candidate, on_delete=models.PROTECT, related_name="project")
    title = models.CharField(_("项目名称"), max_length=100)
    description = models.TextField(_("项目内容"), blank=True)
    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="livelihood_projects", verbose_name=_("区划")
    )
    unit = models.ForeignKey(
        "stations.HandlingUnit",
        on_delete=models.PROTECT,
        related_name="livelihood_projects",
        verbose_name=_("责任单位"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    budget = models.DecimalField(
        _("预算（万元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    target_date = models.DateField(_("计划完成日期"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    percent = models.PositiveSmallIntegerField(
        _("完成进度（%）"), default=0, validators=[MaxValueValidator(100)]
    )
    lead_delegates = models.ManyToManyField(
        "stations.Delegate", blank=True, related_name="led_projects", verbose_name=_("领办代表")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[lead_delegates])

    class Meta:
        ordering = ["-year", "area__code", "id"]
        verbose_name = _("民生实事项目")
        verbose_name_plural = _("民生实事项目")
        constraints = [models.CheckConstraint(condition=Q(percent__lte=100), name="project_percent_max_100")]
        indexes = [
            models.Index(fields=["year", "area"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    project = models.ForeignKey(LivelihoodProject, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due = models.DateField(_("计划日期"))
    done_at = models.DateField(_("完成日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "due", "id"]
        verbose_name = _("进度节点")
        verbose_name_plural = _("进度节点")
        indexes = [models.Index(fields=["done_at", "due"])]

    def __str__(self) -> str:
        return self.title


class Site(models.Model):
    """点位: one place the project is built at; ticked off (销号) when done."""

    project = models.ForeignKey(LivelihoodProject, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("点位名称"), max_length=200)
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    done_on = models.DateField(_("销号日期"), null=True, blank=True)
    lead_delegates = models.ManyToManyField(
        "stations.Delegate", blank=True, related_name="led_sites", verbose_name=_("领办代表")
    )
    history = HistoricalRecords(m2m_fields=[lead_delegates])

    class Meta:
        ordering = ["project_id", "id"]
        verbose_name = _("点位")
        verbose_name_plural = _("点位")

    def __str__(self) -> str:
        return self.name


class ProgressReport(models.Model):
    project = models.ForeignKey(LivelihoodProject, on_delete=models.CASCADE, related_name="reports")
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"), validators=[MaxValueValidator(100)])
    text = models.TextField(_("进展情况"), max_length=3000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "-created_at", "-id"]
        verbose_name = _("进度报告")
        verbose_name_plural = _("进度报告")
        indexes = [models.Index(fields=["project", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.percent}%"


class ProgressPhoto(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("照片"), upload_to=UploadTo("voting/progress"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["report_id", "id"]
        verbose_name = _("进度照片")
        verbose_name_plural = _("进度照片")

    def __str__(self) -> str:
        return self.image.name


# --- 人大评 ---------------------------------------------------------------------------------------------------
class Evaluation(models.Model):
    """Delegates' satisfaction vote on a delivered project: a thin link to the one supervision.Assessment."""

    project = models.ForeignKey(LivelihoodProject, on_delete=models.PROTECT, related_name="evaluations")
    assessment = models.OneToOneField(
        "supervision.Assessment", on_delete=models.PROTECT, related_name="evaluation"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")

    def __str__(self) -> str:
        return f"{self.project} {self.created_at:%Y}"
