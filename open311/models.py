"""Open311 GeoReport v2: the clients that may file requests, and what each request adds to its suggestion.

A service request *is* a suggestion (channel `open311`); `ServiceRequest` only keeps what the Open311 client
sent beyond it (the point, the address, the client) and the token of the request.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from liaison.env import parse_rate

KEY_PREFIX_LENGTH = 8


def new_key() -> str:
    return secrets.token_urlsafe(32)


def hash_key(raw: str) -> str:
    """The stored form of a key: a 256-bit random key needs no slow hash, a SHA-256 is enough."""
    return hashlib.sha256(raw.encode()).hexdigest()


def validate_rate(value: str) -> None:
    try:
        parse_rate(value)
    except ValueError:
        raise ValidationError(_("请填写形如 60/h 的频率（次数/s、m、h 或 d）。")) from None


class ApiClient(models.Model):
    """A trusted system (e.g. a 12345 hotline) holding an api_key: issued by an admin, revocable."""

    name = models.CharField(_("客户端名称"), max_length=100)
    contact = models.CharField(_("对接联系人"), max_length=200, blank=True)
    area = models.ForeignKey(
        "stations.Area",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("所属区划"),
        help_text=_("该客户端提交的诉求只能落在这一区划内；未给出位置时归入这一区划。"),
    )
    key_prefix = models.CharField(_("密钥前缀"), max_length=KEY_PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    rate_limit = models.CharField(
        _("提交频率上限"), max_length=20, default="60/h", validators=[validate_rate]
    )
    is_active = models.BooleanField(_("有效"), default=True, editable=False)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords(excluded_fields=["key_hash"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("Open311 客户端")
        verbose_name_plural = _("Open311 客户端")
        constraints = [models.UniqueConstraint(fields=["key_hash"], name="open311_key_hash_unique")]

    def __str__(self) -> str:
        return self.name


class ServiceRequest(models.Model):
    suggestion = models.OneToOneField(
        "suggestions.Suggestion", on_delete=models.CASCADE, related_name="open311", verbose_name=_("意见建议")
    )
    client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, related_name="requests", verbose_name=_("客户端")
    )
    token = models.CharField(max_length=32, editable=False)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # Where the client said the problem is; may be a home address: never published.
    address_string = models.CharField(_("地址"), max_length=250, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("Open311 诉求")
        verbose_name_plural = _("Open311 诉求")
        constraints = [models.UniqueConstraint(fields=["token"], name="open311_token_unique")]

    def __str__(self) -> str:
        return self.token
