"""A body and its members. A member is a delegate or (for a council) another person; membership is kept as
history — a member who leaves keeps their row with `left_on`, a member who comes back gets a new row — so the
roll of a vote is the members on the day it opens."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Body(models.Model):
    class Kind(models.TextChoices):
        CONGRESS = "congress", _("人民代表大会")
        STANDING_COMMITTEE = "standing_committee", _("人大常委会")
        STREET_COUNCIL = "street_council", _("街道议政代表会")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="bodies", verbose_name=_("区划")
    )
    term = models.PositiveSmallIntegerField(
        _("届次"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    description = models.TextField(_("简介"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("现任"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area__path", "kind", "-term", "id"]
        verbose_name = _("代表机构")
        verbose_name_plural = _("代表机构")
        indexes = [models.Index(fields=["area", "kind"]), models.Index(fields=["kind", "is_active"])]

    def __str__(self) -> str:
        return self.name


class BodyMember(models.Model):
    """One membership: a delegate, or a person who is not a delegate (name, sector, protected contact)."""

    class Sector(models.TextChoices):
        DELEGATE = "delegate", _("人大代表")
        RESIDENT = "resident", _("居民")
        ENTERPRISE = "enterprise", _("企业")
        SOCIAL_ORG = "social_org", _("社会组织")
        PUBLIC_SERVICE = "public_service", _("机关事业单位")
        OTHER = "other", _("其他")

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="members", verbose_name=_("机构"))
    delegate = models.ForeignKey(
        "stations.Delegate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="body_memberships",
        verbose_name=_("代表"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    sector = models.CharField(_("界别"), max_length=16, choices=Sector.choices, default=Sector.RESIDENT)
    # Personal data: never on public pages; masked for staff; excluded from history.
    phone = models.CharField(_("联系电话（不公开）"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="body_memberships",
        verbose_name=_("账号"),
    )
    joined_on = models.DateField(_("加入日期"), default=dt.date.today)
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    left_reason = models.CharField(_("退出原因"), max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["phone"])

    class Meta:
        ordering = ["body_id", "sector", "name", "id"]
        verbose_name = _("机构成员")
        verbose_name_plural = _("机构成员")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "delegate"],
                condition=Q(delegate__isnull=False, left_on__isnull=True),
                name="body_member_delegate_once_current",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="body_member_left_after_joined",
            ),
        ]
        indexes = [
            models.Index(fields=["body", "joined_on", "left_on"]),
            models.Index(fields=["user"]),
            models.Index(fields=["delegate"]),
        ]

    def __str__(self) -> str:
        return self.name

    def is_member_on(self, day: dt.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)


def members_on(body_id: int, day: dt.date):
    """The body's members on `day`: the roll of a vote that opens that day."""
    return BodyMember.objects.filter(body_id=body_id, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day)
    )


class Counting(models.TextChoices):
    """How a vote of a body is counted: online by the portal, or on paper / by a voting device and the count
    entered by one admin and confirmed by another."""

    ONLINE = "online", _("网上投票")
    PAPER = "paper", _("纸质选票")
    DEVICE = "device", _("表决器")


class CountMixin(models.Model):
    """The tally sheet of a vote counted on paper or by a device: entered by one admin, confirmed by another;
    it counts only once confirmed."""

    method = models.CharField(_("计票方式"), max_length=8, choices=Counting.choices, default=Counting.PAPER)
    present = models.PositiveIntegerField(_("实到人数"))
    papers_issued = models.PositiveIntegerField(_("发出选票"))
    papers_returned = models.PositiveIntegerField(_("收回选票"))
    valid = models.PositiveIntegerField(_("有效票"))
    invalid = models.PositiveIntegerField(_("无效票"), default=0)
    note = models.CharField(_("计票说明"), max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("核对确认人"),
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
