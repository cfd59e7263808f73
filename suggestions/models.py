"""意见建议: intake, referral, replies, ratings and the append-only timeline.

No side effects here: every write goes through suggestions.services.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from liaison.satisfaction import Satisfaction
from liaison.uploads import UploadTo

CODE_LENGTH = 10  # tracking codes come from liaison.codes (phone-safe alphabet)


OPEN_STATUSES = ("submitted", "accepted", "referred", "replied", "reopened", "supervised")
# Open states in which the next step is the staff's: triage (accept or reject) or referral (交办, 改派).
STAFF_STEP_STATUSES = ("submitted", "accepted", "reopened", "supervised")


class QueueRank(models.IntegerChoices):
    """Who must act next, as the staff queue sorts (what needs action first); stored, so an index serves it."""

    OVERDUE = 0, _("超期")
    STAFF = 1, _("待分办")
    UNIT = 2, _("待答复")
    CONSTITUENT = 3, _("待评价")
    DONE = 9, _("已结束")


def queue_rank(status: str, is_overdue: bool) -> int:
    if status not in OPEN_STATUSES:
        return QueueRank.DONE
    if is_overdue:
        return QueueRank.OVERDUE
    if status in STAFF_STEP_STATUSES:
        return QueueRank.STAFF
    return QueueRank.UNIT if status == "referred" else QueueRank.CONSTITUENT


class Suggestion(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待受理")
        ACCEPTED = "accepted", _("已受理")
        REJECTED = "rejected", _("不予受理")
        REFERRED = "referred", _("办理中")
        REPLIED = "replied", _("已答复")
        REOPENED = "reopened", _("重新办理")
        SUPERVISED = "supervised", _("督办中")
        CLOSED = "closed", _("已办结")
        MERGED = "merged", _("已合并")

    class Category(models.TextChoices):
        URBAN = "urban", _("城乡建设")
        TRANSPORT = "transport", _("交通出行")
        EDUCATION = "education", _("教育")
        HEALTH = "health", _("医疗卫生")
        SOCIAL = "social", _("社会保障")
        ENVIRONMENT = "environment", _("生态环境")
        AGRICULTURE = "agriculture", _("农业农村")
        ECONOMY = "economy", _("经济发展")
        SAFETY = "safety", _("公共安全")
        GOVERNANCE = "governance", _("基层治理")
        OTHER = "other", _("其他")

    class Channel(models.TextChoices):
        WEB = "web", _("网上提交")
        RECEPTION = "reception", _("接待日")
        DELEGATE = "delegate", _("代表提出")
        LETTER = "letter", _("来信")
        VISIT = "visit", _("来访")
        HOTLINE = "hotline", _("热线电话")
        # A delegate's formal suggestion (代表建议): filed and rated in the `motions` app, whose FormalSuggestion
        # record (one-to-one) holds its own fields; handled here like any other suggestion, with the deadline
        # and rating rules of its channel (suggestions.conf FORMAL_*).
        FORMAL = "formal", _("代表建议")
        OPEN311 = "open311", _("Open311 接口")
        # An opinion raised at a street council's meeting (councils app): handled like any other suggestion.
        COUNCIL = "council", _("议政代表会")

    # Open: still needs someone's work. Used by the work queue's default filter and its partial index.
    OPEN_STATUSES = OPEN_STATUSES
    # States from which staff may refer (again): after triage, after an unsatisfied rating, under 督办.
    REFERABLE_STATUSES = ("accepted", "reopened", "supervised")
    STAFF_STEP_STATUSES = STAFF_STEP_STATUSES

    # Unique through Meta.constraints, not unique=True: on PostgreSQL that would add a second,
    # varchar_pattern_ops index for LIKE lookups that nothing makes.
    tracking_code = models.CharField(_("查询码"), max_length=CODE_LENGTH, editable=False)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容"), max_length=5000)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.OTHER)
    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    # The four foreign keys below have no index of their own: each leads a composite index in Meta.indexes
    # (with created_at), which serves the same lookups. Every index is paid for by every write.
    area = models.ForeignKey(
        "stations.Area",
        on_delete=models.PROTECT,
        related_name="suggestions",
        verbose_name=_("所属区划"),
        db_index=False,
    )
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("联络站"),
        db_index=False,
    )
    delegate = models.ForeignKey(
        "stations.Delegate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="addressed_suggestions",
        verbose_name=_("收件代表"),
        db_index=False,
    )
    raised_by_delegate = models.ForeignKey(
        "stations.Delegate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="raised_suggestions",
        verbose_name=_("提出代表"),
        db_index=False,
    )
    reception_item = models.OneToOneField(
        "stations.ReceptionLogItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestion",
        verbose_name=_("接待意见"),
    )
    # Personal data (PIPL): never on public pages, masked in lists, excluded from history.
    submitter_name = models.CharField(_("反映人"), max_length=50, blank=True)
    submitter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    submitter_email = models.EmailField(_("电子邮箱"), blank=True)

    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    is_key = models.BooleanField(_("重点"), default=False)
    is_overdue = models.BooleanField(_("超期"), default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    reject_reason = models.CharField(_("不予受理理由"), max_length=500, blank=True)

    # Deadlines of the current step.
    triage_due = models.DateField(_("受理期限"))
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    rating_due = models.DateField(_("评价期限"), null=True, blank=True)
    # The current step of an open suggestion, whatever its status: when it began and when it is due (triage,
    # referral, the units' reply, the rating), for the 三色督办 lights and the overdue flag; and who acts next
    # (queue_rank), for the staff queue's order. Written by the services at every transition; None when done.
    step_from = models.DateField(_("本环节开始"), null=True, blank=True)
    step_due = models.DateField(_("本环节期限"), null=True, blank=True)
    queue_rank = models.PositiveSmallIntegerField(choices=QueueRank.choices, default=QueueRank.STAFF)

    # Facts the statistics count on one table (no joins, no per-row Python).
    triaged_at = models.DateTimeField(null=True, blank=True)
    responded_on_time = models.BooleanField(null=True, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_on_time = models.BooleanField(null=True, blank=True)
    reply_result = models.CharField(max_length=14, blank=True)
    rating = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    rating_requested_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # jieba-segmented title and content, space separated: searched with LIKE on SQLite and through a
    # GIN-indexed tsvector('simple') on PostgreSQL (see suggestions.search and migration 0002).
    search_text = models.TextField(blank=True, editable=False)

    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["submitter_name", "submitter_phone", "submitter_email", "search_text", "updated_at"],
        # The history is read per suggestion (by `id`) and by date; it needs no index on what it copies.
        no_db_index=["area", "station", "delegate", "raised_by_delegate", "reception_item", "merged_into"],
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        constraints = [models.UniqueConstraint(fields=["tracking_code"], name="sugg_tracking_code_unique")]
        indexes = [
            models.Index(fields=["created_at", "id"], name="sugg_created"),
            models.Index(fields=["area", "created_at"], name="sugg_area_created"),
            models.Index(fields=["status", "created_at"], name="sugg_status_created"),
            models.Index(fields=["station", "created_at"], name="sugg_station_created"),
            models.Index(fields=["category", "created_at"], name="sugg_category_created"),
            models.Index(fields=["channel", "created_at"], name="sugg_channel_created"),
            models.Index(
                fields=["created_at", "id"], condition=Q(is_overdue=True), name="sugg_overdue_created"
            ),
            models.Index(fields=["created_at", "id"], condition=Q(is_key=True), name="sugg_key_created"),
            # Carries area_id (PostgreSQL): counting a subtree's open suggestions is an index-only scan.
            models.Index(
                fields=["created_at", "id"],
                include=["area_id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="sugg_open_created_area",
            ),
            # The staff queue's default order (what needs action first) and the overdue sweep of staff steps.
            models.Index(
                fields=["queue_rank", "step_due", "id"],
                include=["area_id"],
                condition=Q(status__in=OPEN_STATUSES),
                name="sugg_open_rank_due",
            ),
            models.Index(fields=["status", "rating_due"], name="sugg_status_rating_due"),
            models.Index(fields=["status", "triage_due"], name="sugg_status_triage_due"),
            models.Index(fields=["raised_by_delegate", "created_at"], name="sugg_raisedby_created"),
            models.Index(fields=["delegate", "created_at"], name="sugg_delegate_created"),
            # What changed since the statistics were last folded in (suggestions.stats.refresh).
            models.Index(fields=["updated_at"], name="sugg_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def rank(self) -> int:
        return queue_rank(self.status, self.is_overdue)

    @property
    def step_label(self) -> str:
        """What the current step's deadline is called (the queue and detail pages)."""
        if self.status == "submitted":
            return _("受理期限")
        if self.status in self.REFERABLE_STATUSES:
            return _("交办期限")
        if self.status == "referred":
            return _("答复期限")
        if self.status == "replied":
            return _("评价期限")
        return ""


def _photo_path(instance, filename: str) -> str:
    """The upload_to of migration 0001 (names are UploadTo's now)."""
    return f"suggestions/{instance.suggestion.created_at:%Y/%m}/{secrets.token_hex(8)}.{instance.ext}"


class SuggestionPhoto(models.Model):
    """Up to three photos per suggestion; JPEG or PNG, checked on content (suggestions.photos)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("图片"), upload_to=UploadTo("suggestions"))
    ext = models.CharField(max_length=4, editable=False)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["suggestion", "id"]
        verbose_name = _("图片")
        verbose_name_plural = _("图片")

    def __str__(self) -> str:
        return self.image.name


class Referral(models.Model):
    """转办: a suggestion referred to one handling unit, as lead (主办) or assisting (协办), in one round."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        ASSISTING = "assisting", _("协办")

    class Status(models.TextChoices):
        PENDING = "pending", _("待签收")
        ACCEPTED = "accepted", _("办理中")
        REPLIED = "replied", _("已答复")
        # 退单: the unit asked to return it; staff accept (→ returned) or refuse (→ back to the unit).
        RETURN_REQUESTED = "return_requested", _("申请退回")
        RETURNED = "returned", _("已退回")
        CANCELLED = "cancelled", _("已撤销")

    # Still with the unit: it may be reminded, flagged overdue, and is ended when the suggestion moves on.
    OPEN_STATUSES = ("pending", "accepted", "return_requested")
    # The unit may act on it (sign, reply, ask for an extension or to return it).
    ACTIONABLE_STATUSES = ("pending", "accepted")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="referrals")
    # The suggestion's area (which never changes), copied so that the statistics scope referrals to an area
    # subtree without joining suggestions.
    area = models.ForeignKey(
        "stations.Area", on_delete=models.PROTECT, related_name="+", db_index=False, editable=False
    )
    unit = models.ForeignKey(
        "stations.HandlingUnit",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("承办单位"),
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    due = models.DateField(_("答复期限"))
    original_due = models.DateField(_("原定期限"))
    created_at = models.DateTimeField(_("转办时间"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_on_time = models.BooleanField(null=True, blank=True)
    # The reply's result class, copied here so that the statistics count referrals without joining replies.
    reply_result = models.CharField(max_length=14, blank=True)
    return_reason = models.CharField(_("退回理由"), max_length=500, blank=True)
    return_requested_at = models.DateTimeField(_("申请退回时间"), null=True, blank=True)
    return_reviewed_at = models.DateTimeField(null=True, blank=True)
    # Why staff refused the return: the unit reads it and keeps the referral.
    return_refusal = models.CharField(_("不同意退回的理由"), max_length=500, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Every save lists it in update_fields, and every queryset update() sets it: the statistics fold in
    # what changed since they last looked (suggestions.stats.refresh).
    updated_at = models.DateTimeField(auto_now=True)
    # The copies above are not history: the suggestion and the reply have it.
    history = HistoricalRecords(excluded_fields=["updated_at", "area", "reply_result"])

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("转办")
        verbose_name_plural = _("转办")
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "unit", "round"],
                condition=Q(status__in=["pending", "accepted", "return_requested"]),
                name="referral_one_live_per_unit_round",
            ),
            models.UniqueConstraint(
                fields=["suggestion", "round"],
                condition=Q(role="lead", status__in=["pending", "accepted", "return_requested", "replied"]),
                name="referral_one_live_lead_per_round",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due"], name="ref_unit_status_due"),
            models.Index(fields=["status", "due"], name="ref_status_due"),
            models.Index(fields=["suggestion", "round"], name="ref_suggestion_round"),
            # Returns waiting for the staff's review.
            models.Index(
                fields=["return_requested_at", "id"],
                condition=Q(status="return_requested"),
                name="ref_return_requested",
            ),
            models.Index(fields=["created_at"], name="ref_created"),
            models.Index(fields=["updated_at"], name="ref_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id}→{self.unit_id} ({self.role})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Reply(models.Model):
    class Result(models.TextChoices):
        SOLVED = "solved", _("已解决")
        IN_PROGRESS = "in_progress", _("正在解决")
        CANNOT_SOLVE = "cannot_solve", _("暂不能解决")

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="reply")
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    result = models.CharField(_("办理结果"), max_length=14, choices=Result.choices)
    content = models.TextField(_("答复内容"), max_length=5000)
    at = models.DateTimeField(_("答复时间"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        indexes = [models.Index(fields=["suggestion", "at"], name="reply_suggestion_at")]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.result}"


class Rating(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField(_("轮次"))
    rating = models.CharField(_("评价"), max_length=20, choices=Satisfaction.choices)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    at = models.DateTimeField(_("评价时间"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [models.UniqueConstraint(fields=["suggestion", "round"], name="rating_once_per_round")]

    def __str__(self) -> str:
        return f"{self.suggestion_id}#{self.round} {self.rating}"


class ExtensionRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        GRANTED = "granted", _("已同意")
        REFUSED = "refused", _("未同意")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="extensions")
    requested_due = models.DateField(_("申请延至"))
    reason = models.CharField(_("延期理由"), max_length=500)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decision_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["referral"], condition=Q(status="pending"), name="extension_one_pending"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="ext_status_created")]

    def __str__(self) -> str:
        return f"{self.referral_id} → {self.requested_due}"


class SuggestionEvent(models.Model):
    """The append-only timeline. `data` holds only public parameters (unit names, dates, results); `note`
    holds internal text (reasons for staff, audit remarks). Public text is rendered at display time, in the
    reader's language, from `kind` and `data` (see suggestions.timeline)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("提交")
        ACCEPTED = "accepted", _("受理")
        REJECTED = "rejected", _("不予受理")
        KEY = "key", _("标记重点")
        MERGED = "merged", _("合并")
        REFERRED = "referred", _("转办")
        REFERRAL_ACCEPTED = "referral_accepted", _("签收")
        RETURN_REQUESTED = "return_requested", _("申请退回")
        REFERRAL_RETURNED = "referral_returned", _("退回")
        RETURN_REFUSED = "return_refused", _("不同意退回")
        RETURN_REVIEWED = "return_reviewed", _("审核退回")
        REFERRAL_ENDED = "referral_ended", _("转办件终止")
        REPLIED = "replied", _("答复")
        RATING_REQUESTED = "rating_requested", _("邀请评价")
        RATED = "rated", _("评价")
        REOPENED = "reopened", _("重新办理")
        SUPERVISED = "supervised", _("督办")
        CLOSED = "closed", _("办结")
        OVERDUE = "overdue", _("超期")
        TRIAGE_OVERDUE = "triage_overdue", _("受理超期")
        REFER_OVERDUE = "refer_overdue", _("交办超期")
        EXTENSION_REQUESTED = "extension_requested", _("申请延期")
        EXTENSION_GRANTED = "extension_granted", _("同意延期")
        EXTENSION_REFUSED = "extension_refused", _("不同意延期")
        CONTACT_VIEWED = "contact_viewed", _("查看联系方式")

    # No index of its own: event_suggestion_at (suggestion, at, id) serves every lookup by suggestion.
    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    public = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)

    # No HistoricalRecords: the timeline is append-only (never updated), so it is its own history.

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        indexes = [models.Index(fields=["suggestion", "at", "id"], name="event_suggestion_at")]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.kind}"


# --- statistics cells (suggestions.stats) -------------------------------------------------------------------
# Derived data, rebuilt from the tables above at any time (`manage.py rebuild_stats`): no history.
class StatsKeyed(models.Model):
    """A month of statistics for one *key*: the path of a county-level (or higher) area. A suggestion's key
    is its area's path cut to STATS_KEY_DEPTH levels, so the keys under an area's path partition its
    subtree and a city's year is a few thousand cells instead of ~10^5 suggestions."""

    key = models.CharField(max_length=80)
    month = models.DateField()  # the first day of the month (Asia/Shanghai)

    class Meta:
        abstract = True


class MonthlyStats(StatsKeyed):
    class Dim(models.TextChoices):
        ALL = "all", "all"
        CATEGORY = "category", "category"
        CHANNEL = "channel", "channel"
        STATION = "station", "station"

    COUNTERS = (
        "received",
        "accepted",
        "rejected",
        "referred",
        "replied",
        "closed",
        "overdue",
        "triaged",
        "responded_on_time",
        "solved",
        "replied_on_time",
        "rated",
        "satisfied",
    )

    dim = models.CharField(max_length=10, choices=Dim.choices)
    value = models.CharField(max_length=20, blank=True)  # category, channel, station id; "" for all/none
    received = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    referred = models.PositiveIntegerField(default=0)
    replied = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    triaged = models.PositiveIntegerField(default=0)
    responded_on_time = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    replied_on_time = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "month", "dim", "value"], name="monthly_stats_cell")
        ]
        indexes = [models.Index(fields=["dim", "month", "key"], name="monthly_stats_dim_month")]

    def __str__(self) -> str:
        return f"{self.key} {self.month:%Y-%m} {self.dim}={self.value}"


class MonthlyUnitStats(StatsKeyed):
    COUNTERS = ("referrals", "lead", "replied", "replied_on_time", "returned", "overdue", "solved")

    unit = models.ForeignKey("stations.HandlingUnit", on_delete=models.CASCADE, related_name="+")
    referrals = models.PositiveIntegerField(default=0)
    lead = models.PositiveIntegerField(default=0)
    replied = models.PositiveIntegerField(default=0)
    replied_on_time = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "month", "unit"], name="monthly_unit_stats_cell")
        ]
        indexes = [models.Index(fields=["month", "key"], name="monthly_unit_stats_month")]

    def __str__(self) -> str:
        return f"{self.key} {self.month:%Y-%m} unit {self.unit_id}"


class StatsState(models.Model):
    """One row: the time up to which changes are folded into the cells (None: never built)."""

    folded_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"statistics folded until {self.folded_until}"
