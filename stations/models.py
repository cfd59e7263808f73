from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from liaison.codes import new_code
from liaison.scoping import path_contains

code_validator = RegexValidator(r"^\d{12}$", _("区划代码必须是12位数字。"))


class Area(models.Model):
    """An administrative area, keyed by its 12-digit code.

    `path` is the materialised path of codes from the root ("110000000000/110100000000/…/"), so
    "this area and everything below" is one indexed prefix query: `path__startswith=area.path`.
    """

    class Tier(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县（区）级")
        TOWNSHIP = "township", _("乡镇（街道）级")
        VILLAGE = "village", _("村（社区）级")

    code = models.CharField(_("区划代码"), max_length=12, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    tier = models.CharField(_("层级"), max_length=10, choices=Tier.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级区划"),
    )
    path = models.CharField(max_length=80, db_index=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        indexes = [models.Index(fields=["parent", "code"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def make_path(code: str, parent: "Area | None") -> str:
        return f"{parent.path if parent else ''}{code}/"

    def contains(self, other: "Area | str | None") -> bool:
        """Whether `other` (an Area or a materialised path) is this area or lies below it.

        Fails closed: False when this area or `other` has no path (liaison.scoping.path_contains).
        """
        return bool(self.path) and path_contains(self.path, other)


class HandlingUnit(models.Model):
    """A government department (承办单位) in an area that handles referred opinions."""

    name = models.CharField(_("单位名称"), max_length=100)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="units", verbose_name=_("所属区划"))
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area__code", "name"]
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="unit_unique_name_in_area")]

    def __str__(self) -> str:
        return self.name


class Station(models.Model):
    class Kind(models.TextChoices):
        HOME = "home", _("代表之家")
        CENTRE = "centre", _("中心联络站")
        STATION = "station", _("联络站")
        POINT = "point", _("联络点（室/窗/岗）")
        PROFESSIONAL = "professional", _("专业联络站")
        MOBILE = "mobile", _("流动联络站")
        INDUSTRY = "industry", _("产业联络站")
        LEGISLATIVE = "legislative", _("基层立法联系点")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.STATION)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="stations", verbose_name=_("所属区划")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True)
    description = models.TextField(_("简介"), blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    delegates = models.ManyToManyField("Delegate", through="StationMembership", related_name="stations")
    history = HistoricalRecords()

    class Meta:
        ordering = ["area__code", "name"]
        verbose_name = _("联络站")
        verbose_name_plural = _("联络站")
        indexes = [
            models.Index(fields=["kind"]),
            models.Index(fields=["name"]),
            models.Index(fields=["area", "name"]),
            # The nearest-station search (stations.nearest): a bounding box on the coordinates.
            models.Index(
                fields=["latitude", "longitude"], condition=Q(latitude__isnull=False), name="station_latlng"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Delegate(models.Model):
    class Level(models.TextChoices):
        NATIONAL = "national", _("全国人大代表")
        PROVINCIAL = "provincial", _("省人大代表")
        CITY = "city", _("市人大代表")
        COUNTY = "county", _("县（区）人大代表")
        TOWNSHIP = "township", _("乡镇人大代表")

    name = models.CharField(_("姓名"), max_length=50)
    level = models.CharField(_("代表层级"), max_length=12, choices=Level.choices)
    term = models.PositiveSmallIntegerField(
        _("届次"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="delegates",
        verbose_name=_("所属人大"),
        help_text=_("选举产生该代表的人大所在区划。"),
    )
    constituency = models.CharField(_("选区/选举单位"), max_length=100, blank=True)
    occupation = models.CharField(_("职务/职业"), max_length=100, blank=True)
    public_phone = models.CharField(_("公开联系电话"), max_length=30, blank=True)
    public_email = models.EmailField(_("公开邮箱"), blank=True)
    mobile = models.CharField(_("手机（不公开，用于通知）"), max_length=20, blank=True)
    is_active = models.BooleanField(_("在任"), default=True)
    code = models.CharField(_("代表码"), max_length=12, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["mobile"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("人大代表")
        verbose_name_plural = _("人大代表")
        indexes = [
            models.Index(fields=["level", "name"]),
            models.Index(fields=["name"]),
            models.Index(fields=["area", "level"]),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_level_display()}）"

    @staticmethod
    def new_code() -> str:
        return new_code(8)


class StationMembership(models.Model):
    """编组进站: a delegate grouped into a station."""

    class Role(models.TextChoices):
        HEAD = "head", _("站长")
        LIAISON = "liaison", _("联络员")
        MEMBER = "member", _("进站代表")

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("联络站")
    )
    delegate = models.ForeignKey(
        Delegate, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("代表")
    )
    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("进站日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["station", "role", "delegate__name"]
        verbose_name = _("进站代表")
        verbose_name_plural = _("进站代表")
        constraints = [models.UniqueConstraint(fields=["station", "delegate"], name="membership_unique")]
        indexes = [models.Index(fields=["delegate", "station"])]

    def __str__(self) -> str:
        return f"{self.delegate.name} @ {self.station.name}"


class ReceptionSchedule(models.Model):
    """A standing reception rule, e.g. monthly on the 17th, or weekly on Wednesdays."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("每月")
        WEEKLY = "weekly", _("每周")

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="schedules", verbose_name=_("联络站")
    )
    frequency = models.CharField(
        _("频次"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("每月几日"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    weekday = models.PositiveSmallIntegerField(
        _("星期几"), null=True, blank=True, validators=[MaxValueValidator(6)], help_text=_("0=周一 … 6=周日")
    )
    start_time = models.TimeField(_("开始时间"), default="09:00")
    end_time = models.TimeField(_("结束时间"), default="11:30")
    duty_delegates = models.ManyToManyField(
        Delegate, blank=True, related_name="duty_schedules", verbose_name=_("值班代表")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("接待日安排")
        verbose_name_plural = _("接待日安排")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(frequency="monthly", day_of_month__isnull=False)
                    | Q(frequency="weekly", weekday__isnull=False)
                ),
                name="schedule_has_its_day",
            )
        ]

    def __str__(self) -> str:
        return self.describe()

    WEEKDAYS = [
        pgettext_lazy("每周", "一"),
        pgettext_lazy("每周", "二"),
        pgettext_lazy("每周", "三"),
        pgettext_lazy("每周", "四"),
        pgettext_lazy("每周", "五"),
        pgettext_lazy("每周", "六"),
        pgettext_lazy("每周", "日"),
    ]

    def describe(self) -> str:
        if self.frequency == self.Frequency.MONTHLY:
            return _("每月%(day)s日") % {"day": self.day_of_month}
        return _("每周%(weekday)s") % {"weekday": self.WEEKDAYS[self.weekday or 0]}


class ReceptionDay(models.Model):
    """A dated reception session, generated ahead from a schedule (or added by hand)."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="reception_days", verbose_name=_("联络站")
    )
    schedule = models.ForeignKey(
        ReceptionSchedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="days",
        verbose_name=_("接待日安排"),
    )
    date = models.DateField(_("接待日期"))
    planned_date = models.DateField(_("原定日期"), help_text=_("遇节假日顺延前的日期。"))
    previous_date = models.DateField(
        _("调整前日期"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("接待日因节假日调整、接待日安排变化而改期时，改期前公布的日期。"),
    )
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    cancelled = models.BooleanField(_("已取消"), default=False)
    duty_delegates = models.ManyToManyField(Delegate, through="ReceptionDuty", related_name="duty_days")
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("接待日")
        verbose_name_plural = _("接待日")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "planned_date"], name="reception_day_once_per_schedule"
            )
        ]
        indexes = [models.Index(fields=["station", "date"]), models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.station.name} {self.date}"

    @property
    def moved(self) -> bool:
        return self.date != self.planned_date


class ReceptionDuty(models.Model):
    day = models.ForeignKey(
        ReceptionDay, on_delete=models.CASCADE, related_name="duties", verbose_name=_("接待日")
    )
    delegate = models.ForeignKey(
        Delegate, on_delete=models.CASCADE, related_name="duties", verbose_name=_("代表")
    )

    class Meta:
        verbose_name = _("值班代表")
        verbose_name_plural = _("值班代表")
        constraints = [models.UniqueConstraint(fields=["day", "delegate"], name="duty_unique")]
        indexes = [models.Index(fields=["delegate", "day"])]

    def __str__(self) -> str:
        return f"{self.delegate_id}@{self.day_id}"


class ReceptionLog(models.Model):
    """What a delegate recorded of a held reception day (接待登记)."""

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="reception_logs", verbose_name=_("联络站")
    )
    reception_day = models.ForeignKey(
        ReceptionDay,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="logs",
        verbose_name=_("接待日"),
    )
    delegate = models.ForeignKey(
        Delegate, on_delete=models.PROTECT, related_name="reception_logs", verbose_name=_("代表")
    )
    held_on = models.DateField(_("接待日期"))
    visitors = models.PositiveIntegerField(_("接待人数"), default=0)
    summary = models.TextField(_("接待情况"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("录入人")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("接待记录")
        verbose_name_plural = _("接待记录")
        indexes = [models.Index(fields=["delegate", "held_on"]), models.Index(fields=["station", "held_on"])]

    def __str__(self) -> str:
        return f"{self.station.name} {self.held_on} {self.delegate.name}"


class ReceptionLogItem(models.Model):
    """One opinion raised at a reception day; the suggestions app turns each into a tracked suggestion."""

    log = models.ForeignKey(
        ReceptionLog, on_delete=models.CASCADE, related_name="items", verbose_name=_("接待记录")
    )
    position = models.PositiveSmallIntegerField(default=0)
    content = models.TextField(_("意见内容"), max_length=2000)
    constituent_name = models.CharField(_("反映人"), max_length=50, blank=True)
    constituent_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    history = HistoricalRecords(excluded_fields=["constituent_phone"])

    class Meta:
        ordering = ["log", "position", "id"]
        verbose_name = _("接待意见")
        verbose_name_plural = _("接待意见")

    def __str__(self) -> str:
        return self.content[:30]


# Appointment codes: "A" + 7 characters of liaison.codes' phone-safe alphabet. Older codes ("A" + hex digits)
# keep working: lookups only normalise (upper case, separators dropped) and never reject other letters.
APPOINTMENT_CODE_PREFIX = "A"
APPOINTMENT_CODE_LENGTH = 7


class Appointment(models.Model):
    """A constituent asks a chosen delegate to meet (预约代表)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("待答复")
        ACCEPTED = "accepted", _("已接受")
        DECLINED = "declined", _("已婉拒")
        HELD = "held", _("已见面")

    code = models.CharField(_("预约编号"), max_length=12, unique=True, editable=False)
    delegate = models.ForeignKey(
        Delegate, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("代表")
    )
    station = models.ForeignKey(
        Station,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
        verbose_name=_("联络站"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("手机号码"), max_length=20)
    subject = models.TextField(_("想谈的事"), max_length=1000)
    preferred_date = models.DateField(_("希望日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    scheduled_at = models.DateTimeField(_("约定时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    decline_reason = models.CharField(_("婉拒理由"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["phone"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        indexes = [models.Index(fields=["delegate", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.code} → {self.delegate.name}"
