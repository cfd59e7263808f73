"""Supervision (监督): topics the public helps choose, activities, questions, opinions, rectification and
the satisfaction vote (满意度测评) shared with the voting app's project evaluations.

No side effects here: every write goes through supervision.services.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bodies.models import Counting, CountMixin
from liaison.satisfaction import Satisfaction
from liaison.uploads import UploadTo


def validate_open_share(value) -> None:
    """A share strictly between 0 and 1 (0 or 1 would make the outcome fixed before anyone votes)."""
    if value is None or not 0 < value < 1:
        raise ValidationError(_("不满意比例必须在0和1之间。"), code="share_out_of_range")


class SupervisionPlan(models.Model):
    """年度监督计划: the topics selected for an area's supervision in a year, and the activities for each."""

    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="supervision_plans", verbose_name=_("区划")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "area__code"]
        verbose_name = _("年度监督计划")
        verbose_name_plural = _("年度监督计划")
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="plan_once_per_area_year")]
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return self.title or _("%(area)s%(year)s年度监督计划") % {"area": self.area.name, "year": self.year}


class CollectionWindow(models.Model):
    """议题征集: while a window is open, the public and delegates of its area subtree propose topics."""

    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="topic_windows", verbose_name=_("区划")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    opens = models.DateField(_("开始日期"))
    closes = models.DateField(_("截止日期"))
    title = models.CharField(_("名称"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens"]
        verbose_name = _("议题征集")
        verbose_name_plural = _("议题征集")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gte=models.F("opens")), name="window_closes_after_opens"
            )
        ]
        indexes = [models.Index(fields=["area", "opens", "closes"])]

    def __str__(self) -> str:
        return self.title or _("%(area)s%(year)s年度监督议题征集") % {
            "area": self.area.name,
            "year": self.year,
        }


class Topic(models.Model):
    """A supervision topic (监督议题): proposed, supported by the public, selected into a yearly plan."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("征集中")
        SELECTED = "selected", _("已列入计划")
        DECLINED = "declined", _("未采纳")
        DONE = "done", _("已完成")

    class Proposer(models.TextChoices):
        PUBLIC = "public", _("群众")
        DELEGATE = "delegate", _("代表")
        STAFF = "staff", _("工作人员")

    title = models.CharField(_("议题"), max_length=200)
    description = models.TextField(_("说明"), max_length=5000, blank=True)
    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="topics", verbose_name=_("区划")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    proposer_kind = models.CharField(_("提出方"), max_length=10, choices=Proposer.choices)
    proposer_delegate = models.ForeignKey(
        "stations.Delegate", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    # Denormalised: updated with F() in the same transaction as the unique support row (see topic_support).
    supports_count = models.PositiveIntegerField(_("支持数"), default=0)
    plan = models.ForeignKey(
        SupervisionPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="topics"
    )
    decline_reason = models.CharField(_("未采纳理由"), max_length=500, blank=True)
    # Raised from a cluster of similar opinions: their tracking pages show that they fed this topic.
    suggestions = models.ManyToManyField(
        "suggestions.Suggestion",
        blank=True,
        related_name="supervision_topics",
        verbose_name=_("来源意见建议"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["supports_count"])

    class Meta:
        ordering = ["-supports_count", "-id"]
        verbose_name = _("监督议题")
        verbose_name_plural = _("监督议题")
        indexes = [
            # the public list: by status, most supported first
            models.Index(fields=["status", "-supports_count", "-id"], name="topic_status_supports"),
            models.Index(fields=["area", "status"]),
            models.Index(fields=["year", "status"]),
        ]

    def __str__(self) -> str:
        return self.title


class TopicSupport(models.Model):
    """One phone number's support of one topic. The number is kept only as a keyed hash (HMAC).

    Append-only and never edited, so no history table (which would only copy the hash).
    """

    # No index of its own: the unique (topic, phone_hash) constraint's index serves lookups by topic.
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="supports", db_index=False)
    phone_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("议题支持")
        verbose_name_plural = _("议题支持")
        constraints = [models.UniqueConstraint(fields=["topic", "phone_hash"], name="support_once_per_phone")]

    def __str__(self) -> str:
        return f"{self.topic_id}#{self.pk}"


class SmsCode(models.Model):
    """A one-time SMS code: stored hashed, expires, single use. Transient rows, so no history."""

    class Purpose(models.TextChoices):
        SUPPORT = "support", _("支持议题")
        REPORT_BACK = "report_back", _("述职评议")

    phone_hash = models.CharField(max_length=64)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            models.Index(fields=["phone_hash", "purpose", "-created_at"]),
            models.Index(fields=["expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.purpose}#{self.pk}"


class Activity(models.Model):
    """A supervision activity: inspection, research, special inquiry, interpellation, law-enforcement check,
    or work evaluation (of a department or of an appointed official's performance)."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("视察")
        RESEARCH = "research", _("调研")
        SPECIAL_INQUIRY = "special_inquiry", _("专题询问")
        INTERPELLATION = "interpellation", _("质询")
        LAW_ENFORCEMENT_CHECK = "law_enforcement_check", _("执法检查")
        WORK_EVALUATION = "work_evaluation", _("工作评议")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        IN_PROGRESS = "in_progress", _("进行中")
        DONE = "done", _("已完成")

    kind = models.CharField(_("形式"), max_length=25, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    area = models.ForeignKey(
        "stations.Area",
        on_delete=models.PROTECT,
        related_name="supervision_activities",
        verbose_name=_("区划"),
    )
    plan = models.ForeignKey(
        SupervisionPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    starts_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    delegates = models.ManyToManyField(
        "stations.Delegate", blank=True, related_name="supervision_activities", verbose_name=_("参加代表")
    )
    committee_members = models.TextField(
        _("参加的常委会组成人员"), blank=True, help_text=_("每行一位，姓名及职务。")
    )
    units = models.ManyToManyField(
        "stations.HandlingUnit", blank=True, related_name="supervision_activities", verbose_name=_("相关单位")
    )
    # 工作评议 of an appointed official: the official acting in their role (public by nature).
    official_name = models.CharField(_("被评议人员"), max_length=50, blank=True)
    official_title = models.CharField(_("职务"), max_length=100, blank=True)
    # 回头看: a follow-up inspection scheduled from a rectification.
    follow_up_of = models.ForeignKey(
        "Rectification", on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_up_activities"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("监督活动")
        verbose_name_plural = _("监督活动")
        indexes = [
            models.Index(fields=["area", "status"]),
            models.Index(fields=["plan", "starts_at"]),
            models.Index(fields=["kind"]),
        ]

    def __str__(self) -> str:
        return self.title


class ActivityRecord(models.Model):
    """A record (文字记录) or photo of an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="records")
    text = models.TextField(_("记录"), blank=True)
    photo = models.ImageField(_("照片"), upload_to=UploadTo("supervision"), blank=True)
    is_public = models.BooleanField(_("公开"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("活动记录")
        verbose_name_plural = _("活动记录")
        indexes = [models.Index(fields=["activity", "created_at"])]

    def __str__(self) -> str:
        return self.text[:30] or self.photo.name


class ClueRequest(models.Model):
    """督前征集: before an activity, the area's delegates are asked for clues and opinions by a deadline."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="clue_requests")
    message = models.TextField(_("征集说明"), blank=True)
    deadline = models.DateField(_("截止日期"))
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-deadline"]
        verbose_name = _("线索征集")
        verbose_name_plural = _("线索征集")
        indexes = [models.Index(fields=["deadline"])]

    def __str__(self) -> str:
        return f"{self.activity} · {self.deadline}"


class Clue(models.Model):
    request = models.ForeignKey(ClueRequest, on_delete=models.CASCADE, related_name="clues")
    delegate = models.ForeignKey("stations.Delegate", on_delete=models.PROTECT, related_name="+")
    content = models.TextField(_("线索或意见"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("线索")
        verbose_name_plural = _("线索")
        indexes = [models.Index(fields=["request", "delegate"])]

    def __str__(self) -> str:
        return self.content[:30]


class Question(models.Model):
    """A question put to a unit during an activity (询问/质询); `parent` makes it a follow-up (追问)."""

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        ANSWERED = "answered", _("已答复")

    class AnswerMode(models.TextChoices):
        WRITTEN = "written", _("书面答复")
        ON_SITE = "on_site", _("现场答复")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="questions")
    unit = models.ForeignKey(
        "stations.HandlingUnit", on_delete=models.PROTECT, related_name="supervision_questions"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    text = models.TextField(_("问题"), max_length=5000)
    asked_by = models.ForeignKey(
        "stations.Delegate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提问代表"),
    )
    asked_by_label = models.CharField(_("提问人"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    due = models.DateField(_("答复期限"), null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    answer_mode = models.CharField(_("答复方式"), max_length=10, choices=AnswerMode.choices, blank=True)
    answered_by_label = models.CharField(_("答复人（职务）"), max_length=100, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("询问")
        verbose_name_plural = _("询问")
        indexes = [
            models.Index(fields=["activity", "created_at"]),
            models.Index(fields=["unit", "status", "due"]),
        ]

    def __str__(self) -> str:
        return self.text[:40]


class Opinion(models.Model):
    """审议意见: addressed to a unit after an activity; issuing it opens a rectification."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="opinions")
    unit = models.ForeignKey(
        "stations.HandlingUnit", on_delete=models.PROTECT, related_name="supervision_opinions"
    )
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("审议意见"), max_length=20000)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("审议意见")
        verbose_name_plural = _("审议意见")
        indexes = [models.Index(fields=["unit", "issued_at"]), models.Index(fields=["activity"])]

    def __str__(self) -> str:
        return self.title


class Rectification(models.Model):
    """整改: the one rectification loop for every source — a deliberation opinion, an unsatisfied supervision
    assessment, or an unsatisfied livelihood-project evaluation (voting app)."""

    class Source(models.TextChoices):
        OPINION = "opinion", _("审议意见")
        ASSESSMENT = "assessment", _("满意度测评")
        EVALUATION = "evaluation", _("民生实事项目测评")

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        REPORTED = "reported", _("已报告")
        ACCEPTED = "accepted", _("已验收")
        OVERDUE = "overdue", _("已逾期")

    unit = models.ForeignKey(
        "stations.HandlingUnit",
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name=_("整改单位"),
    )
    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("区划")
    )
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("整改要求"), blank=True)
    due = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    report = models.TextField(_("整改报告"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The due date the unit was last reminded of: claimed with a conditional update, so one reminder per due.
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    return_reason = models.CharField(_("退回理由"), max_length=1000, blank=True)
    opinion = models.ForeignKey(
        Opinion, on_delete=models.PROTECT, null=True, blank=True, related_name="rectifications"
    )
    assessment = models.ForeignKey(
        "Assessment", on_delete=models.PROTECT, null=True, blank=True, related_name="rectifications"
    )
    follow_up_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("整改")
        verbose_name_plural = _("整改")
        indexes = [
            models.Index(fields=["unit", "status", "due"]),
            models.Index(fields=["area", "status", "due"]),
            models.Index(fields=["status", "due"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.ACCEPTED


class RectificationEvent(models.Model):
    """The rectification's timeline: opened, reported, returned, accepted, reminded, overdue."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("下达整改")
        REPORTED = "reported", _("报送整改报告")
        RETURNED = "returned", _("退回重新整改")
        ACCEPTED = "accepted", _("验收通过")
        REMINDED = "reminded", _("到期提醒")
        OVERDUE = "overdue", _("逾期")
        FOLLOW_UP = "follow_up", _("安排回头看")

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        indexes = [models.Index(fields=["rectification", "at"])]

    def __str__(self) -> str:
        return self.get_kind_display()


class Assessment(models.Model):
    """满意度测评: the one satisfaction vote — on a unit's answers, a rectification report, a department's work,
    or (voting app) a livelihood project's delivery. An unsatisfied outcome opens a rectification."""

    class Subject(models.TextChoices):
        ANSWER = "answer", _("答复")
        RECTIFICATION = "rectification", _("整改报告")
        DEPARTMENT = "department", _("部门工作")
        PROJECT = "project", _("民生实事项目")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("投票中")
        CLOSED = "closed", _("已结束")

    class Outcome(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    title = models.CharField(_("名称"), max_length=200)
    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("区划")
    )
    unit = models.ForeignKey(
        "stations.HandlingUnit",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("被测评单位"),
    )
    subject = models.CharField(_("测评对象"), max_length=15, choices=Subject.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    roll = models.ManyToManyField("stations.Delegate", related_name="assessments", verbose_name=_("测评人员"))
    body = models.ForeignKey(
        "bodies.Body",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("测评机构"),
        help_text=_("选择机构时，测评人员为开始测评当天该机构的成员。"),
    )
    # A body's members on the day it opens who are not delegates (delegates go on `roll`).
    members = models.ManyToManyField(
        "bodies.BodyMember", blank=True, related_name="assessment_rolls", verbose_name=_("测评成员")
    )
    counting = models.CharField(
        _("计票方式"), max_length=8, choices=Counting.choices, default=Counting.ONLINE
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessments"
    )
    rectification = models.ForeignKey(
        Rectification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        help_text=_("测评整改报告时填写。"),
    )
    unsatisfied_share = models.FloatField(
        _("不满意票超过此比例为不满意"), default=0.5, validators=[validate_open_share]
    )
    rectification_months = models.PositiveSmallIntegerField(
        _("整改期限（月）"), default=3, validators=[MinValueValidator(1)]
    )
    # Filled at close.
    satisfied_count = models.PositiveIntegerField(default=0)
    basically_satisfied_count = models.PositiveIntegerField(default=0)
    unsatisfied_count = models.PositiveIntegerField(default=0)
    rate = models.FloatField(_("满意率"), null=True, blank=True)
    outcome = models.CharField(_("结果"), max_length=12, choices=Outcome.choices, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        constraints = [
            models.CheckConstraint(
                condition=Q(unsatisfied_share__gt=0) & Q(unsatisfied_share__lt=1),
                name="assessment_unsatisfied_share_open_interval",
            ),
            models.CheckConstraint(
                condition=Q(rectification_months__gte=1), name="assessment_rectification_months_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["area", "status"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["activity"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def votes_total(self) -> int:
        return self.satisfied_count + self.basically_satisfied_count + self.unsatisfied_count


class AssessmentVote(models.Model):
    """One delegate's vote in an assessment. One each, enforced by the database; never edited, no timestamps."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="votes")
    delegate = models.ForeignKey(
        "stations.Delegate", on_delete=models.PROTECT, null=True, blank=True, related_name="assessment_votes"
    )
    member = models.ForeignKey(
        "bodies.BodyMember", on_delete=models.PROTECT, null=True, blank=True, related_name="assessment_votes"
    )
    choice = models.CharField(_("评价"), max_length=20, choices=Satisfaction.choices)

    class Meta:
        verbose_name = _("测评票")
        verbose_name_plural = _("测评票")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "delegate"], name="assessment_vote_once"),
            models.UniqueConstraint(
                fields=["assessment", "member"],
                condition=Q(member__isnull=False),
                name="assessment_member_vote_once",
            ),
            models.CheckConstraint(
                condition=Q(delegate__isnull=False) | Q(member__isnull=False), name="assessment_vote_has_voter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.get_choice_display()}"


class AssessmentCount(CountMixin):
    """The tally sheet of an assessment counted on paper or by a device (bodies.CountMixin)."""

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="count")
    satisfied = models.PositiveIntegerField(_("满意"))
    basically_satisfied = models.PositiveIntegerField(_("基本满意"))
    unsatisfied = models.PositiveIntegerField(_("不满意"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("测评计票结果")
        verbose_name_plural = _("测评计票结果")
        constraints = [
            models.CheckConstraint(
                condition=Q(papers_returned__lte=models.F("papers_issued")),
                name="assessment_count_returned_within_issued",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.get_method_display()}"
