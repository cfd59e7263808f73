from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A portal account. Every staff, unit and admin user is scoped to an area subtree."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("管理员")
        STAFF = "staff", _("工作人员")
        UNIT = "unit", _("承办单位")
        DELEGATE = "delegate", _("人大代表")
        INFORMANT = "informant", _("立法信息员")
        MEMBER = "member", _("议政代表会成员")

    role = models.CharField(_("角色"), max_length=10, choices=Role.choices, blank=True)
    area = models.ForeignKey(
        "stations.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("管辖区划"),
    )
    unit = models.ForeignKey(
        "stations.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属承办单位"),
    )
    delegate = models.OneToOneField(
        "stations.Delegate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("对应代表"),
    )
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)

    class Digest(models.TextChoices):
        NONE = "none", _("每条消息即时发送")
        DAILY = "daily", _("每日汇总发送一次")

    digest = models.CharField(
        _("邮件短信提醒"),
        max_length=10,
        choices=Digest.choices,
        default=Digest.NONE,
        help_text=_("选择每日汇总时，站内消息仍即时显示，邮件或短信每天汇总发送一次。"),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def roles(self) -> list[str]:
        roles = [self.role] if self.role else []
        if self.delegate_id and self.role != self.Role.DELEGATE:
            roles.append(self.Role.DELEGATE.value)
        return roles

    @property
    def is_portal_admin(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == self.Role.ADMIN)

    @property
    def is_area_staff(self) -> bool:
        """Staff or admin with an area, or a superuser: may work on objects within `area_path`'s subtree.

        A superuser without an area is staff and admin at the root of the network (its `area_path` is "").
        """
        if not self.is_active:
            return False
        return self.is_superuser or (
            self.role in (self.Role.STAFF, self.Role.ADMIN) and self.area_id is not None
        )

    @property
    def is_unit_user(self) -> bool:
        return self.is_active and self.role == self.Role.UNIT and self.unit_id is not None

    @property
    def is_delegate_user(self) -> bool:
        return self.is_active and self.delegate_id is not None

    @property
    def may_choose_digest(self) -> bool:
        """Staff, admins, unit users and delegates may take their messages as a daily digest."""
        return self.is_active and bool(self.roles)

    @property
    def wants_digest(self) -> bool:
        return self.digest == self.Digest.DAILY and self.may_choose_digest

    @property
    def is_body_member(self) -> bool:
        """A member of a body who is not a delegate (e.g. a street council's resident member), voting online."""
        return self.is_active and self.role == self.Role.MEMBER

    @property
    def is_informant(self) -> bool:
        """A 立法信息员: attached to one contact point (legislation.Informant)."""
        return self.is_active and self.role == self.Role.INFORMANT

    @property
    def area_path(self) -> str | None:
        if self.is_superuser and not self.area_id:
            return ""  # a superuser without an area sees everything
        return self.area.path if self.area_id else None
