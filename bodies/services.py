"""Bodies and their membership: create a body, add a member (a delegate or another person, optionally with an
account to vote online), record a member leaving. Every write checks the caller's area scope."""

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.codes import new_code
from liaison.errors import NotFound, ValidationFailed, get_or_not_found
from liaison.scoping import path_contains, user_sees_area
from stations.models import Area, Delegate

from .models import Body, BodyMember

User = get_user_model()


def _scoped_area(area, actor) -> Area:
    if not isinstance(area, Area):
        area = get_or_not_found(Area.objects, pk=area)
    if actor is not None and not user_sees_area(actor, area):
        raise NotFound()
    return area


@transaction.atomic
def body_create(
    *, name: str, kind: str, area, term: int | None = None, description: str = "", actor=None
) -> Body:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("请填写机构名称。"))
    if kind not in Body.Kind.values:
        raise ValidationFailed(_("未知的机构类型：%(v)s") % {"v": kind})
    area = _scoped_area(area, actor)
    if kind == Body.Kind.STREET_COUNCIL and area.tier != Area.Tier.TOWNSHIP:
        raise ValidationFailed(_("街道议政代表会须设在乡镇（街道）级区划。"))
    return Body.objects.create(
        name=name[:100],
        kind=kind,
        area=area,
        term=term,
        description=(description or "").strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def body_for(actor, body_id) -> Body:
    """A body in the actor's area subtree (404 otherwise)."""
    body = get_or_not_found(Body.objects.select_related("area"), pk=body_id)
    if not user_sees_area(actor, body.area):
        raise NotFound()
    return body


def _account_for(member: BodyMember) -> tuple[object, str]:
    """A member account (role member) with a random first password, shown once to the admin who made it."""
    password = secrets.token_urlsafe(9)
    for _attempt in range(5):
        username = f"m{new_code(8).lower()}"
        try:
            with transaction.atomic():
                user = User(
                    username=username, role=User.Role.MEMBER, phone=member.phone, first_name=member.name
                )
                user.set_password(password)
                user.save()
            return user, password
        except IntegrityError:
            continue
    raise ValidationFailed(_("账号生成失败，请重试。"))


@transaction.atomic
def member_add(
    *,
    body: Body,
    delegate=None,
    name: str = "",
    sector: str = "",
    phone: str = "",
    joined_on: dt.date | None = None,
    account: bool = False,
    actor=None,
) -> tuple[BodyMember, str | None]:
    """Add a member. A delegate must belong to the body's area or to an area above or below it (not to a
    neighbouring area); a person who is not a delegate needs a name. With `account`, a member account is made
    and its first password returned (once). Returns (member, password or None)."""
    if actor is not None and not user_sees_area(actor, body.area):
        raise NotFound()
    joined_on = joined_on or timezone.localdate()
    phone = (phone or "").strip()
    if delegate is not None:
        if not isinstance(delegate, Delegate):
            delegate = Delegate.objects.select_related("area").filter(pk=delegate).first()
            if delegate is None:
                raise ValidationFailed(_("代表不存在。"))
        if not delegate.is_active:
            raise ValidationFailed(_("该代表已不在任。"))
        if not (path_contains(body.area.path, delegate.area) or path_contains(delegate.area.path, body.area)):
            raise ValidationFailed(_("该代表不属于本机构所在区划，不能加入其他区划的机构。"))
        name = delegate.name
        sector = BodyMember.Sector.DELEGATE
    else:
        name = (name or "").strip()
        if not name:
            raise ValidationFailed(_("请填写成员姓名，或选择一位代表。"))
        sector = sector or BodyMember.Sector.RESIDENT
        if sector not in BodyMember.Sector.values or sector == BodyMember.Sector.DELEGATE:
            raise ValidationFailed(_("请选择成员的界别。"))
    if phone and (not phone.replace("-", "").isdigit() or len(phone) > 20):
        raise ValidationFailed(_("联系电话格式不正确。"))
    member = BodyMember(
        body=body, delegate=delegate, name=name[:50], sector=sector, phone=phone, joined_on=joined_on
    )
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationFailed(_("该代表已是本机构的成员。")) from None
    password = None
    if account:
        if delegate is not None:
            user = getattr(delegate, "user", None)
            if user is None:
                raise ValidationFailed(_("代表的账号由代表信息管理开设，请先为该代表开设账号。"))
        else:
            user, password = _account_for(member)
        member.user = user
        member.save(update_fields=["user"])
    elif delegate is not None and getattr(delegate, "user", None) is not None:
        member.user = delegate.user
        member.save(update_fields=["user"])
    return member, password


@transaction.atomic
def member_leave(
    *, member_id: int, left_on: dt.date | None = None, reason: str = "", actor=None
) -> BodyMember:
    member = get_or_not_found(
        BodyMember.objects.select_for_update(of=("self",)).select_related("body__area"), pk=member_id
    )
    if actor is not None and not user_sees_area(actor, member.body.area):
        raise NotFound()
    if member.left_on is not None:
        raise ValidationFailed(_("该成员已于 %(d)s 退出。") % {"d": member.left_on})
    left_on = left_on or timezone.localdate()
    if left_on < member.joined_on:
        raise ValidationFailed(_("退出日期不能早于加入日期。"))
    member.left_on = left_on
    member.left_reason = (reason or "").strip()[:200]
    member.save(update_fields=["left_on", "left_reason"])
    if member.user_id and member.delegate_id is None:
        still = BodyMember.objects.filter(user_id=member.user_id, left_on__isnull=True).exists()
        if not still:
            User.objects.filter(pk=member.user_id, role=User.Role.MEMBER).update(is_active=False)
    return member
