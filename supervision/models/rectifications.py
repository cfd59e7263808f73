"""The one rectification loop (整改) and its timeline."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .activities import Opinion


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
