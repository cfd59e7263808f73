"""Topics the public helps choose: yearly plans, collection windows, topics, public support and the SMS codes
that confirm it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
