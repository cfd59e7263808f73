"""基层立法联系点: drafts of laws split into articles, opinions on them from the public, forums, experts,
information officers and delegates, their compilation and forwarding, and the feedback on what was adopted.

No side effects here: every write goes through legislation.services.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MAX_OPINION_CHARS = 2000


class Draft(models.Model):
    """A draft law or regulation at one stage (一审稿, 二审稿 …), split into articles."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("征求意见中")
        CLOSED = "closed", _("征求意见结束")
        REPORTED = "reported", _("已汇总上报")
        FEEDBACK_PUBLISHED = "feedback_published", _("已公布采纳情况")

    title = models.CharField(_("草案名称"), max_length=200)
    issuer = models.CharField(_("征求意见单位"), max_length=100, help_text=_("如 全国人大常委会法工委"))
    stage = models.CharField(_("审议阶段"), max_length=30, help_text=_("如 一审稿、二审稿"))
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_stages",
        verbose_name=_("上一审议稿"),
    )
    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="drafts", verbose_name=_("组织区划")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField(_("征求意见开始日期"))
    closes_on = models.DateField(_("征求意见截止日期"))
    background = models.TextField(_("起草说明"), blank=True, max_length=20000)
    preamble = models.TextField(_("正文前内容"), blank=True, max_length=5000)
    source_text = models.TextField(_("草案原文"), max_length=300000)
    stations = models.ManyToManyField(
        "stations.Station", through="DraftAssignment", related_name="drafts", verbose_name=_("立法联系点")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    feedback_published_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["source_text"])

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("法规草案")
        verbose_name_plural = _("法规草案")
        indexes = [models.Index(fields=["status", "opens_on"]), models.Index(fields=["area", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="draft_closes_after_opens"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.stage}）"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class DraftAssignment(models.Model):
    """A draft sent to one contact point, with the date by which its opinions are due."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="assignments")
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="draft_assignments",
        verbose_name=_("联系点"),
    )
    deadline = models.DateField(_("报送截止日期"))

    class Meta:
        verbose_name = _("征求意见任务")
        verbose_name_plural = _("征求意见任务")
        constraints = [models.UniqueConstraint(fields=["draft", "station"], name="assignment_once")]
        indexes = [models.Index(fields=["station", "deadline"])]

    def __str__(self) -> str:
        return f"{self.draft} → {self.station}"


class Article(models.Model):
    """One article (第X条, 第X条之Y) of a draft, under its chapter heading."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveSmallIntegerField(_("条号"))
    sub = models.PositiveSmallIntegerField(_("之几"), default=0)
    label = models.CharField(_("条目"), max_length=30)
    chapter = models.CharField(_("章节"), max_length=200, blank=True)
    text = models.TextField(_("条文"), max_length=20000)
    position = models.PositiveIntegerField(_("顺序"))

    class Meta:
        ordering = ["draft_id", "position"]  # by the column: never a join to the draft
        verbose_name = _("条文")
        verbose_name_plural = _("条文")
        constraints = [
            models.UniqueConstraint(fields=["draft", "number", "sub"], name="article_number_once"),
        ]
        indexes = [models.Index(fields=["draft", "position"])]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> tuple[int, int]:
        return (self.number, self.sub)


class Expert(models.Model):
    """A member of a contact point's 立法智库 (an expert recorded at the point)."""

    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="legislative_experts",
        verbose_name=_("联系点"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    field = models.CharField(_("专业领域"), max_length=100, blank=True)
    organisation = models.CharField(_("工作单位"), max_length=100, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["station", "name"]
        verbose_name = _("立法智库专家")
        verbose_name_plural = _("立法智库专家")

    def __str__(self) -> str:
        return self.name


class Informant(models.Model):
    """A 立法信息员: a user account (role informant) attached to one contact point."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="informant", verbose_name=_("用户")
    )
    station = models.ForeignKey(
        "stations.Station", on_delete=models.PROTECT, related_name="informants", verbose_name=_("联系点")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("立法信息员")
        verbose_name_plural = _("立法信息员")

    def __str__(self) -> str:
        return f"{self.user} @ {self.station}"


class Forum(models.Model):
    """A 座谈会 held at a contact point on a draft: place, date, attendance and minutes."""

    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="forums", verbose_name=_("草案"))
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        related_name="legislative_forums",
        verbose_name=_("联系点"),
    )
    held_on = models.DateField(_("召开日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    attendance = models.PositiveIntegerField(_("参加人数"))
    minutes = models.TextField(_("会议纪要"), blank=True, max_length=20000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("立法座谈会")
        verbose_name_plural = _("立法座谈会")
        indexes = [models.Index(fields=["station", "held_on"]), models.Index(fields=["draft", "held_on"])]

    def __str__(self) -> str:
        return f"{self.station} {self.held_on}"


class Opinion(models.Model):
    """An opinion on one article or on the whole draft (`article` empty)."""

    class Source(models.TextChoices):
        PUBLIC = "public", _("群众网上提交")
        FORUM = "forum", _("座谈会")
        EXPERT = "expert", _("立法智库专家")
        DELEGATE = "delegate", _("人大代表")
        INFORMANT = "informant", _("立法信息员")

    class Status(models.TextChoices):
        RECEIVED = "received", _("已收到")
        FORWARDED = "forwarded", _("已采用上报")
        MERGED = "merged", _("已合并")

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("未采纳")

    draft = models.ForeignKey(
        Draft, on_delete=models.PROTECT, related_name="opinions", verbose_name=_("草案")
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("条文"),
        help_text=_("为空表示对草案整体的意见。"),
    )
    content = models.TextField(_("意见内容"), max_length=MAX_OPINION_CHARS)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.PUBLIC)
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legislative_opinions",
        verbose_name=_("联系点"),
    )
    forum = models.ForeignKey(
        Forum,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("座谈会"),
    )
    expert = models.ForeignKey(
        Expert,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("专家"),
    )
    delegate = models.ForeignKey(
        "stations.Delegate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legislative_opinions",
        verbose_name=_("代表"),
    )
    # Personal data of a member of the public: never on a public page, a public API response or the report.
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("合并到"),
    )
    outcome = models.CharField(_("采纳情况"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("采纳情况说明"), blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["name", "phone"])

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("立法意见")
        verbose_name_plural = _("立法意见")
        indexes = [
            # Covers the per-article counts of the public pages (received / forwarded / adopted): index-only.
            models.Index(fields=["draft", "article", "status", "outcome"], name="lo_draft_article_counts"),
            models.Index(fields=["draft", "status"]),
            models.Index(fields=["station", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(status="forwarded"), name="legislative_outcome_only_if_forwarded"
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def adopted(self) -> bool:
        return self.outcome in (self.Outcome.ADOPTED, self.Outcome.PARTLY)
