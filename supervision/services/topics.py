"""Supervision topics (议题由群众确定): collection windows, proposals from the public, delegates and staff
(also from a cluster of suggestions), public support confirmed by SMS code, selection into the year's plan."""

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from liaison.errors import Conflict, InvalidTransition, ValidationFailed
from liaison.privacy import normalise_phone
from stations.models import Area, Delegate

from ..conf import conf
from ..models import CollectionWindow, SmsCode, SupervisionPlan, Topic, TopicSupport
from ._common import NotFound, _locked_topic, _require
from .sms_codes import _code_hash, phone_hash


def _open_window(area: Area, today: dt.date) -> CollectionWindow | None:
    codes = [c for c in area.path.split("/") if c]
    return (
        CollectionWindow.objects.filter(area__code__in=codes, opens__lte=today, closes__gte=today)
        .order_by("-opens")
        .first()
    )


@transaction.atomic
def collection_window_open(
    *, area: Area, year: int, opens: dt.date, closes: dt.date, actor=None, title: str = ""
) -> CollectionWindow:
    if closes < opens:
        raise ValidationFailed(_("截止日期不能早于开始日期。"))
    return CollectionWindow.objects.create(
        area=area,
        year=year,
        opens=opens,
        closes=closes,
        title=title,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def topic_propose(
    *,
    title: str,
    description: str = "",
    area: Area,
    proposer_kind: str = Topic.Proposer.PUBLIC,
    delegate: Delegate | None = None,
    actor=None,
    today: dt.date | None = None,
) -> Topic:
    """A topic from the public or a delegate needs an open collection window; staff may raise one any time."""
    today = today or timezone.localdate()
    title = _require(title, _("请填写议题。"))
    if len(title) > 200:
        raise ValidationFailed(_("议题不能超过200字。"))
    window = _open_window(area, today)
    if proposer_kind != Topic.Proposer.STAFF and window is None:
        raise InvalidTransition(_("%(area)s目前没有开放的监督议题征集。") % {"area": area.name})
    return Topic.objects.create(
        title=title,
        description=(description or "").strip(),
        area=area,
        year=window.year if window else today.year,
        proposer_kind=proposer_kind,
        proposer_delegate=delegate,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def topic_from_suggestions(
    *, title: str, description: str = "", suggestion_ids: Iterable[int], actor, area: Area | None = None
) -> Topic:
    """Staff raise a topic from a cluster of similar open suggestions in their subtree; the topic links them.

    Raises NotFound when any id is unknown or outside the actor's subtree, ValidationFailed when one is closed.
    """
    from liaison.scoping import scope_to_area
    from suggestions.models import Suggestion

    ids = sorted(set(suggestion_ids))
    if not ids:
        raise ValidationFailed(_("请至少选择一条意见建议。"))
    found = list(scope_to_area(Suggestion.objects.filter(pk__in=ids).select_related("area"), actor))
    if len(found) != len(ids):
        raise NotFound()
    closed = [s for s in found if not s.is_open]
    if closed:
        raise ValidationFailed(
            _("意见建议 %(codes)s 已办结或不予受理，不能作为议题来源。")
            % {"codes": pgettext("列表", "、").join(s.tracking_code for s in closed)}
        )
    area = area or getattr(actor, "area", None)
    if area is None:  # a superuser without an area names the area
        raise ValidationFailed({"area": [_("请指定区划。")]})
    topic = topic_propose(
        title=title,
        description=description,
        area=area,
        proposer_kind=Topic.Proposer.STAFF,
        actor=actor,
    )
    topic.suggestions.set(found)
    return topic


class _CodeRefused(Exception):
    pass


class _TopicRefused(Exception):
    pass


def topic_support(*, topic_id: int, phone: str, code: str, now: dt.datetime | None = None) -> int:
    """One support per number per topic, confirmed by a one-time code. Returns the topic's new count.

    The happy path is three statements in one transaction, plain SQL (PostgreSQL and SQLite alike: the ORM
    was half the request's CPU): claim the code (a conditional UPDATE that only one request can win), add one
    to the topic's count (which also locks the topic row, checks its status and returns the count), insert
    the unique support row. Anything refused rolls the whole transaction back, so a
    duplicate support (409) leaves the code unused and the count untouched.
    """
    now = now or timezone.now()
    phone = normalise_phone(phone)
    code = str(code or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        raise ValidationFailed(_("验证码错误或已过期，请重新获取。"))
    p_hash = phone_hash(phone)
    c_hash = _code_hash(p_hash, code)
    sms_table, topic_table = SmsCode._meta.db_table, Topic._meta.db_table
    support_table = TopicSupport._meta.db_table
    db_now = connection.ops.adapt_datetimefield_value(now)  # the column's own representation on each backend
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Claim the live code: only the latest unused, unexpired code of this number, and only one request
            # can move its used_at from NULL (a racing second request finds it set and updates nothing).
            cursor.execute(
                f"UPDATE {sms_table} SET used_at = %s WHERE id = ("
                f"SELECT id FROM {sms_table} WHERE phone_hash = %s AND purpose = %s AND used_at IS NULL"
                " AND expires_at > %s ORDER BY created_at DESC LIMIT 1"
                ") AND used_at IS NULL AND code_hash = %s AND failed_attempts < %s",
                [db_now, p_hash, SmsCode.Purpose.SUPPORT, db_now, c_hash, conf.SMS_CODE_MAX_ATTEMPTS],
            )
            if cursor.rowcount != 1:
                raise _CodeRefused
            # Same transaction as the unique row: the count can never drift from the rows. The UPDATE locks the
            # topic row, checks its status and returns the new count (RETURNING: PostgreSQL, SQLite >= 3.35).
            cursor.execute(
                f"UPDATE {topic_table} SET supports_count = supports_count + 1"
                " WHERE id = %s AND status = %s RETURNING supports_count",
                [topic_id, Topic.Status.PROPOSED],
            )
            row = cursor.fetchone()
            if row is None:
                raise _TopicRefused
            cursor.execute(
                f"INSERT INTO {support_table} (topic_id, phone_hash, created_at) VALUES (%s, %s, %s)",
                [topic_id, p_hash, db_now],
            )
            return int(row[0])
    except _CodeRefused:
        # A wrong guess counts against the live code: five of them and it is dead.
        latest = (
            SmsCode.objects.filter(
                phone_hash=p_hash, purpose=SmsCode.Purpose.SUPPORT, used_at=None, expires_at__gt=now
            )
            .order_by("-created_at")
            .values("pk")[:1]
        )
        SmsCode.objects.filter(pk=Subquery(latest)).exclude(code_hash=c_hash).update(
            failed_attempts=F("failed_attempts") + 1
        )
        raise ValidationFailed(_("验证码错误或已过期，请重新获取。")) from None
    except _TopicRefused:
        if Topic.objects.filter(pk=topic_id).exists():
            raise InvalidTransition(_("该议题已结束征集，不能再支持。")) from None
        raise NotFound() from None
    except IntegrityError:
        raise Conflict(_("该手机号已经支持过这个议题。"), code="already_supported") from None


@transaction.atomic
def topic_select(*, topic_id: int, year: int, actor) -> Topic:
    if not 2000 <= int(year) <= 2100:
        raise ValidationFailed(_("年度不正确。"))
    t = _locked_topic(topic_id)
    if t.status == Topic.Status.SELECTED and t.plan and t.plan.year == year:
        return t
    if t.status != Topic.Status.PROPOSED:
        raise InvalidTransition(
            _("议题当前为“%(status)s”，不能列入计划。") % {"status": t.get_status_display()}
        )
    # No stored title: the plan's name (SupervisionPlan.__str__) is then said in each reader's language.
    plan, _created = SupervisionPlan.objects.get_or_create(area_id=t.area_id, year=year)
    t.status, t.plan, t.decided_at = Topic.Status.SELECTED, plan, timezone.now()
    t.save(update_fields=["status", "plan", "decided_at"])
    return t


@transaction.atomic
def topic_decline(*, topic_id: int, reason: str, actor) -> Topic:
    reason = _require(reason, _("请填写未采纳理由。"))
    t = _locked_topic(topic_id)
    if t.status == Topic.Status.DECLINED:
        return t
    if t.status != Topic.Status.PROPOSED:
        raise InvalidTransition(
            _("议题当前为“%(status)s”，不能标记为未采纳。") % {"status": t.get_status_display()}
        )
    t.status, t.decline_reason, t.decided_at = Topic.Status.DECLINED, reason[:500], timezone.now()
    t.save(update_fields=["status", "decline_reason", "decided_at"])
    return t
