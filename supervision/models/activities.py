"""Supervision activities and what they produce: records, clue requests and clues, questions, opinions."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from liaison.uploads import UploadTo

from .topics import SupervisionPlan, Topic


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
