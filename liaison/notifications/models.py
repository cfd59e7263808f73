from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message on one channel to one recipient: the user's inbox entry and the outbox row in one.

    Written in the same transaction as the change that causes it. `dedupe_key` is unique, so a task that runs
    twice (or a sweep racing a worker) can never create a second copy of the same reminder.
    """

    class Channel(models.TextChoices):
        INBOX = "inbox", _("站内消息")
        EMAIL = "email", _("邮件")
        SMS = "sms", _("短信")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        HELD = "held", _("待每日汇总")
        DIGESTED = "digested", _("已在每日汇总中发送")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    kind = models.CharField(_("类型"), max_length=50)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    address = models.CharField(
        _("地址"), max_length=254, blank=True, help_text=_("邮箱或手机号（渠道为邮件、短信时）")
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [
            models.Index(fields=["recipient", "channel", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["kind"]),
            # The unread count in every signed-in page's header: one COUNT answered from this index alone.
            models.Index(fields=["recipient", "channel", "read_at"], name="notif_unread"),
            # The daily digest job: the rows held back for it.
            models.Index(
                fields=["recipient", "created_at"], condition=models.Q(status="held"), name="notif_held"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.subject}"
