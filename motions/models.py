"""代表建议 (delegates' formal suggestions, and 议案 when a motion has enough co-signers).

THE CHOICE (issue 14, item 4) — one machine, not a copy. A filed formal suggestion *is* a
`suggestions.Suggestion` of channel `formal`; `FormalSuggestion` is its one-to-one record of what only a formal
suggestion has: the session, the lead delegate and co-signers, the requested kind (motion or suggestion),
attachments, the key suggestion's leader, the unit's contacts with the delegate and the reply's public flag.

Why: registration (立案) is the suggestion's acceptance, 参阅件 its rejection with a reason, the referral to a
lead unit and co-handling units (会办 = assisting referrals), the units' sign-off, return, extension, reminders,
overdue flags, the 三色督办 lights, the rating window and its lapse are all the suggestions machinery, run by
the same services and Celery sweeps and shown in the same staff queue and unit workspace. What differs is a
rule of the channel, kept in suggestions where the rule is applied (suggestions.conf FORMAL_*):
  * the reply is due 3 months after referral, extendable to 6 (shared with the `delegate` channel);
  * after an unsatisfied rating it is re-handled once, due 1 month after; a second rating closes it;
  * the lead delegate rates within 30 days, and only the lead delegate (not the public tracking code);
  * the lead unit must record a contact with the delegate before replying (先沟通后答复) — a reply guard
    registered by this app in suggestions.hooks, so every path to a reply (this API, the unit pages of
    suggestions) enforces it.
Reply class A/B/C is the suggestion reply's result (已解决 / 正在解决 / 暂不能解决), so the statistics of both
apps count the same column. The alternative — generalising Referral to point at any object — would have
touched every query, statistic and sweep of suggestions for no gain.

A draft has no Suggestion yet (`suggestion` is null); submission creates it through suggestions' intake. The
motion's status is derived from the suggestion's (see `status_of` and `selectors.status_q`), never stored
twice, so no path can leave the two out of step.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from liaison.uploads import UploadTo


class Session(models.Model):
    """A congress session (届次、会次): 第十七届人民代表大会第三次会议, of the congress of one area."""

    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="congress_sessions", verbose_name=_("人大")
    )
    term = models.PositiveSmallIntegerField(_("届次"))
    number = models.PositiveSmallIntegerField(_("会次"))
    name = models.CharField(_("名称"), max_length=100)
    starts_on = models.DateField(_("开幕日期"))
    ends_on = models.DateField(_("闭幕日期"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        constraints = [
            models.UniqueConstraint(fields=["area", "term", "number"], name="motion_session_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="motion_session_dates"
            ),
        ]
        indexes = [models.Index(fields=["area", "starts_on"], name="motion_session_area_start")]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待立案")
    REGISTERED = "registered", _("已立案")
    REFERENCE = "reference", _("参阅件")
    REFERRED = "referred", _("办理中")
    REPLIED = "replied", _("已答复")
    REHANDLING = "rehandling", _("重新办理")
    CLOSED = "closed", _("已办结")


class ReplyClass(models.TextChoices):
    A = "A", _("A类（已解决或基本解决）")
    B = "B", _("B类（列入计划逐步解决）")
    C = "C", _("C类（因条件限制难以解决）")


# Reply class ↔ the suggestion reply's result (suggestions.Reply.Result).
CLASS_TO_RESULT = {"A": "solved", "B": "in_progress", "C": "cannot_solve"}
RESULT_TO_CLASS = {v: k for k, v in CLASS_TO_RESULT.items()}


def status_of(suggestion) -> str:
    """The motion status of a filed suggestion's status and round."""
    if suggestion is None:
        return Status.DRAFT
    st = suggestion.status
    if st == "submitted":
        return Status.SUBMITTED
    if st == "accepted":
        return Status.REGISTERED
    if st == "rejected":
        return Status.REFERENCE
    if st == "referred":
        return Status.REFERRED if suggestion.round <= 1 else Status.REHANDLING
    if st in ("reopened", "supervised"):
        return Status.REHANDLING
    if st == "replied":
        return Status.REPLIED
    return Status.CLOSED


class FormalSuggestion(models.Model):
    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("建议")
        MOTION = "motion", _("议案")

    suggestion = models.OneToOneField(
        "suggestions.Suggestion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="formal",
        verbose_name=_("办理记录"),
    )
    # The congress of the lead delegate (its area), copied for scoping drafts and statistics.
    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("人大"), db_index=False
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("会议"),
        help_text=_("空：闭会期间提出。"),
        db_index=False,
    )
    lead = models.ForeignKey(
        "stations.Delegate",
        on_delete=models.PROTECT,
        related_name="formal_suggestions",
        verbose_name=_("领衔代表"),
        db_index=False,
    )
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容"), max_length=5000)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.SUGGESTION)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # Staff: 参阅件 reason is the suggestion's reject_reason; the key flag is its is_key.
    leader = models.CharField(_("领衔督办领导"), max_length=50, blank=True)
    reply_public = models.BooleanField(_("答复公开"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        indexes = [
            # The registers' order (newest first): the first page of a subtree is an index scan, not a sort.
            models.Index(fields=["created_at", "id"], name="motion_created"),
            models.Index(fields=["area", "created_at"], name="motion_area_created"),
            models.Index(fields=["session", "created_at"], name="motion_session_created"),
            models.Index(fields=["lead", "created_at"], name="motion_lead_created"),
            models.Index(
                fields=["session", "created_at"], condition=Q(reply_public=True), name="motion_public"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def status(self) -> str:
        return status_of(self.suggestion)

    def get_status_display(self) -> str:
        return Status(self.status).label


class Cosigner(models.Model):
    """附议: a delegate of the same congress invited by the lead delegate; counts once confirmed."""

    motion = models.ForeignKey(FormalSuggestion, on_delete=models.CASCADE, related_name="cosigners")
    delegate = models.ForeignKey(
        "stations.Delegate", on_delete=models.PROTECT, related_name="cosigned_motions", verbose_name=_("代表")
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["motion", "id"]
        verbose_name = _("附议代表")
        verbose_name_plural = _("附议代表")
        constraints = [models.UniqueConstraint(fields=["motion", "delegate"], name="motion_cosigner_once")]
        indexes = [models.Index(fields=["delegate", "motion"], name="motion_cosigner_delegate")]

    def __str__(self) -> str:
        return f"{self.motion_id}+{self.delegate_id}"


class Attachment(models.Model):
    """A photo (JPEG/PNG) or a PDF, checked by content (liaison.uploads), at most 10 MB."""

    motion = models.ForeignKey(FormalSuggestion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("附件"), upload_to=UploadTo("motions"))
    ext = models.CharField(max_length=4, editable=False)
    size = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["motion", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.file.name


class Contact(models.Model):
    """先沟通后答复: the lead unit's contact with the lead delegate, in a round, before its reply."""

    class Way(models.TextChoices):
        VISIT = "visit", _("走访")
        PHONE = "phone", _("电话")
        MEETING = "meeting", _("座谈")

    motion = models.ForeignKey(FormalSuggestion, on_delete=models.CASCADE, related_name="contacts")
    unit = models.ForeignKey("stations.HandlingUnit", on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    way = models.CharField(_("沟通方式"), max_length=10, choices=Way.choices)
    note = models.CharField(_("沟通情况"), max_length=1000)
    at = models.DateTimeField(_("沟通时间"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("沟通记录")
        verbose_name_plural = _("沟通记录")
        indexes = [models.Index(fields=["motion", "unit", "round"], name="motion_contact_round")]

    def __str__(self) -> str:
        return f"{self.motion_id} {self.way}"
