"""The satisfaction vote (满意度测评): assessments, their votes, and the tally sheet of a paper or device count."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bodies.models import Counting, CountMixin
from liaison.satisfaction import Satisfaction

from .activities import Activity
from .rectifications import Rectification


def validate_open_share(value) -> None:
    """A share strictly between 0 and 1 (0 or 1 would make the outcome fixed before anyone votes)."""
    if value is None or not 0 < value < 1:
        raise ValidationError(_("不满意比例必须在0和1之间。"), code="share_out_of_range")


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
                condition=Q(delegate__isnull=False) | Q(member__isnull=False),
                name="assessment_vote_has_voter",
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
