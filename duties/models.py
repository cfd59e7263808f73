"""The duty record (履职档案): one append-only ledger of delegates' acts, the yearly point rules, self-reported
acts under staff review, trainings (学习培训) and report-backs (述职评议)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from liaison.satisfaction import Satisfaction, SatisfactionTally
from liaison.uploads import UploadTo


class Kind(models.TextChoices):
    RECEPTION_DAY = "reception_day", _("接待选民")
    OPINION_RECORDED = "opinion_recorded", _("记录群众意见")
    SUGGESTION_RAISED = "suggestion_raised", _("提出意见建议")
    MOTION_FILED = "motion_filed", _("领衔提出代表建议")
    MOTION_COSIGNED = "motion_cosigned", _("附议代表建议")
    MOTION_SATISFIED = "motion_satisfied", _("代表建议办理结果满意")
    APPOINTMENT_HELD = "appointment_held", _("预约见面")
    BALLOT_VOTED = "ballot_voted", _("参加项目票决")
    EVALUATION_VOTED = "evaluation_voted", _("参加项目满意度测评")
    ASSESSMENT_VOTED = "assessment_voted", _("参加满意度测评")
    ACTIVITY_JOINED = "activity_joined", _("参加监督活动")
    CLUE_GIVEN = "clue_given", _("提供监督线索")
    TRAINING = "training", _("参加学习培训")
    REPORT_BACK = "report_back", _("向选民述职")
    COUNCIL_MEETING = "council_meeting", _("参加议政会议")
    CONGRESS_SESSION = "congress_session", _("出席人代会")
    GROUP_ACTIVITY = "group_activity", _("代表小组活动")
    DEPARTMENT_ACTIVITY = "department_activity", _("参加部门组织的活动")
    AWARD = "award", _("获得表彰")
    ADJUSTMENT = "adjustment", _("积分调整")


# Acts the portal cannot see: the delegate reports them, staff of the delegate's area review them.
SELF_REPORTED_KINDS = (Kind.CONGRESS_SESSION, Kind.GROUP_ACTIVITY, Kind.DEPARTMENT_ACTIVITY, Kind.AWARD)

# DESIGN.md §4 (in the spirit of a 代表履职积分管理办法); a year's DutyRule rows override these.
DEFAULT_POINTS: dict[str, int] = {
    Kind.RECEPTION_DAY: 5,
    Kind.OPINION_RECORDED: 1,
    Kind.SUGGESTION_RAISED: 1,
    Kind.MOTION_FILED: 3,
    Kind.MOTION_COSIGNED: 1,
    Kind.MOTION_SATISFIED: 2,
    Kind.APPOINTMENT_HELD: 2,
    Kind.BALLOT_VOTED: 1,
    Kind.EVALUATION_VOTED: 1,
    Kind.ASSESSMENT_VOTED: 1,
    Kind.ACTIVITY_JOINED: 3,
    Kind.CLUE_GIVEN: 1,
    Kind.TRAINING: 2,
    Kind.REPORT_BACK: 10,
    Kind.COUNCIL_MEETING: 2,
    Kind.CONGRESS_SESSION: 5,
    Kind.GROUP_ACTIVITY: 2,
    Kind.DEPARTMENT_ACTIVITY: 2,
    Kind.AWARD: 3,
    Kind.ADJUSTMENT: 0,  # an adjustment carries its own points
}


class DutyRule(models.Model):
    """One line of a year's point table (履职积分规则): entry kind → points. Admin-editable."""

    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("履职类型"), max_length=24, choices=Kind.choices)
    points = models.SmallIntegerField(_("积分"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="duty_rule_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} {self.points}"


class DutyEntry(models.Model):
    """One act of one delegate (or the reversal of one). Append-only: never updated, never deleted.

    `sign` is +1 for an act and -1 for the entry that reverses it when its source is withdrawn; the unique
    constraint allows one act and one reversal per (delegate, kind, source), which is what makes recording
    and the backfill idempotent.
    """

    delegate = models.ForeignKey(
        "stations.Delegate", on_delete=models.PROTECT, related_name="duty_entries", verbose_name=_("代表")
    )
    kind = models.CharField(_("履职类型"), max_length=24, choices=Kind.choices)
    occurred_on = models.DateField(_("日期"))
    year = models.PositiveSmallIntegerField(_("年度"))
    sign = models.SmallIntegerField(default=1)
    reverses = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("冲销")
    )
    points = models.SmallIntegerField(_("积分（仅调整）"), null=True, blank=True)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    note = models.CharField(_("说明"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("履职记录")
        verbose_name_plural = _("履职记录")
        indexes = [
            models.Index(fields=["delegate", "year", "kind"]),
            models.Index(fields=["year", "delegate"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["delegate", "kind", "source_type", "source_id", "sign"],
                condition=Q(source_id__isnull=False),
                name="duty_entry_once_per_source",
            ),
            models.CheckConstraint(condition=Q(sign__in=[1, -1]), name="duty_entry_sign"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}"


class DutyTally(models.Model):
    """The ledger summed per delegate, year and kind, kept in the transaction of each entry (duties.tally).

    `n` is the net count (acts minus reversals), `pts` the sum of an adjustment's points (0 for other kinds).
    The league table scores and ranks these rows in SQL instead of grouping a year's entries per request;
    `tallies_rebuild()` recomputes them from the ledger, which stays the record.
    """

    delegate = models.ForeignKey(
        "stations.Delegate", on_delete=models.CASCADE, related_name="duty_tallies", verbose_name=_("代表")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("履职类型"), max_length=24, choices=Kind.choices)
    n = models.IntegerField(default=0)
    pts = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("履职计数")
        verbose_name_plural = _("履职计数")
        # Its index (delegate, year, kind) serves the league's join, one delegate's reads and the upsert.
        constraints = [models.UniqueConstraint(fields=["delegate", "year", "kind"], name="duty_tally_unique")]

    def __str__(self) -> str:
        return f"{self.delegate_id} {self.year} {self.kind} {self.n}"


class SelfReport(models.Model):
    """An act the portal cannot see, reported by the delegate; it enters the ledger once staff approve it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("审核通过")
        REJECTED = "rejected", _("不通过")

    delegate = models.ForeignKey(
        "stations.Delegate", on_delete=models.PROTECT, related_name="self_reports", verbose_name=_("代表")
    )
    kind = models.CharField(
        _("履职类型"), max_length=24, choices=[(k.value, k.label) for k in SELF_REPORTED_KINDS]
    )
    occurred_on = models.DateField(_("日期"))
    note = models.TextField(_("说明"), max_length=2000)
    evidence = models.FileField(_("佐证材料"), upload_to=UploadTo("duties/evidence"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reject_reason = models.CharField(_("不通过理由"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("自报履职")
        verbose_name_plural = _("自报履职")
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["delegate", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class Training(models.Model):
    """学习培训: a training held in an area, with the delegates who attended."""

    title = models.CharField(_("培训主题"), max_length=200)
    held_on = models.DateField(_("培训日期"))
    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("区划")
    )
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("联络站"),
    )
    content = models.TextField(_("培训内容"), blank=True)
    attendees = models.ManyToManyField(
        "stations.Delegate", related_name="trainings", verbose_name=_("参训代表")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("学习培训")
        verbose_name_plural = _("学习培训")
        indexes = [models.Index(fields=["area", "held_on"]), models.Index(fields=["station", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class ReportBack(models.Model):
    """述职评议: a delegate reports to the constituents of a station, who then rate the report.

    `scheduled → held → closed`. Online ratings (one per phone, confirmed by an SMS code) are taken while
    `rating_closes_at` lies ahead; the paper tally counts only once a second staff user confirmed it.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("已安排")
        HELD = "held", _("已述职（评议中）")
        CLOSED = "closed", _("评议结束")

    delegate = models.ForeignKey(
        "stations.Delegate", on_delete=models.PROTECT, related_name="report_backs", verbose_name=_("代表")
    )
    station = models.ForeignKey(
        "stations.Station", on_delete=models.PROTECT, related_name="report_backs", verbose_name=_("联络站")
    )
    scheduled_on = models.DateField(_("述职日期"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    report = models.TextField(_("述职报告"), blank=True)
    attendance = models.PositiveIntegerField(_("参会人数"), default=0)
    held_at = models.DateTimeField(_("述职时间"), null=True, blank=True)
    rating_closes_at = models.DateTimeField(_("评议截止"), null=True, blank=True)
    online_satisfied = models.PositiveIntegerField(default=0)
    online_basically_satisfied = models.PositiveIntegerField(default=0)
    online_unsatisfied = models.PositiveIntegerField(default=0)
    paper_satisfied = models.PositiveIntegerField(_("纸质：满意"), null=True, blank=True)
    paper_basically_satisfied = models.PositiveIntegerField(_("纸质：基本满意"), null=True, blank=True)
    paper_unsatisfied = models.PositiveIntegerField(_("纸质：不满意"), null=True, blank=True)
    paper_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paper_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    paper_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-scheduled_on", "-id"]
        verbose_name = _("述职评议")
        verbose_name_plural = _("述职评议")
        indexes = [
            models.Index(fields=["delegate", "scheduled_on"]),
            models.Index(fields=["station", "scheduled_on"]),
            models.Index(fields=["status", "rating_closes_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.scheduled_on} {self.delegate_id}@{self.station_id}"

    @property
    def paper_confirmed(self) -> bool:
        return self.paper_confirmed_at is not None

    def tally(self) -> SatisfactionTally:
        """Online ratings plus the paper tally once a second staff user confirmed it."""
        paper = self.paper_confirmed
        return SatisfactionTally(
            satisfied=self.online_satisfied + ((self.paper_satisfied or 0) if paper else 0),
            basically_satisfied=self.online_basically_satisfied
            + ((self.paper_basically_satisfied or 0) if paper else 0),
            unsatisfied=self.online_unsatisfied + ((self.paper_unsatisfied or 0) if paper else 0),
        )


class ReportBackRating(models.Model):
    """One online rating; the phone is kept only as a keyed hash, one rating per phone."""

    report_back = models.ForeignKey(ReportBack, on_delete=models.CASCADE, related_name="ratings")
    phone_hash = models.CharField(max_length=64)
    rating = models.CharField(max_length=20, choices=Satisfaction.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("述职评议评价")
        verbose_name_plural = _("述职评议评价")
        constraints = [
            models.UniqueConstraint(fields=["report_back", "phone_hash"], name="report_back_rating_once")
        ]

    def __str__(self) -> str:
        return f"{self.report_back_id}:{self.rating}"
