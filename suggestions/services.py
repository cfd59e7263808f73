"""Every write and state change of a suggestion: the state machine of DESIGN.md §4, written once.

Each transition locks the suggestion row (then its referral, always in that order), checks the state under
the lock, writes the change and its timeline event, and writes any message as an outbox row through
`notify()` in the same transaction. Pages, the API, admin actions and Celery tasks all call these functions.
"""

import calendar
import datetime as dt
import logging
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from liaison.notifications.services import Recipient, notify
from liaison.satisfaction import Satisfaction
from liaison.workdays import add_workdays
from stations.models import Area, Delegate, HandlingUnit, ReceptionLog, ReceptionLogItem, Station

from . import search
from .conf import conf
from .models import (
    ExtensionRequest,
    Rating,
    Referral,
    Reply,
    Suggestion,
    SuggestionEvent,
    SuggestionPhoto,
    new_tracking_code,
)
from .photos import CheckedPhoto, check_photos

logger = logging.getLogger(__name__)
S = Suggestion.Status
K = SuggestionEvent.Kind


# --- helpers -----------------------------------------------------------------------------------------------
def _today() -> dt.date:
    return timezone.localdate()


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _lock(suggestion_id: int) -> Suggestion:
    try:
        return Suggestion.objects.select_for_update().get(pk=suggestion_id)
    except Suggestion.DoesNotExist:
        raise ValidationFailed(_("意见建议不存在。"), code="not_found") from None


def _lock_referral(referral_id: int) -> tuple[Suggestion, Referral]:
    """Lock the suggestion, then the referral: the one order every service uses, so no deadlock."""
    suggestion_id = Referral.objects.filter(pk=referral_id).values_list("suggestion_id", flat=True).first()
    if suggestion_id is None:
        raise ValidationFailed(_("转办记录不存在。"), code="not_found")
    s = _lock(suggestion_id)
    ref = Referral.objects.select_for_update().select_related("unit").get(pk=referral_id)
    return s, ref


def _event(
    s: Suggestion,
    kind: str,
    *,
    actor=None,
    referral: Referral | None = None,
    public: bool = True,
    data: dict | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> SuggestionEvent:
    return SuggestionEvent.objects.create(
        suggestion=s,
        kind=kind,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        referral=referral,
        public=public,
        data=data or {},
        note=note,
    )


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed({field: [_("请填写%(label)s。") % {"label": label}]})
    if len(value) > max_length:
        raise ValidationFailed(
            {field: [_("%(label)s不能超过 %(n)s 个字。") % {"label": label, "n": max_length}]}
        )
    return value


def _reason(reason: str, label: str | None = None) -> str:
    return _text(reason, field="reason", label=label or _("理由"), max_length=500)


def _unit_recipients(unit: HandlingUnit) -> list[Recipient]:
    users = [u for u in unit.users.all() if u.is_active]
    if users:
        return [Recipient(user=u) for u in users]
    return [Recipient(email=unit.contact_email)] if unit.contact_email else []


def _staff_tiers(area: Area) -> list[list[User]]:
    """Active staff of `area` and its ancestors, grouped by area, deepest first (one query)."""
    codes = [c for c in area.path.split("/") if c]
    by_area: dict[str, list[User]] = {}
    for u in User.objects.filter(role=User.Role.STAFF, is_active=True, area__code__in=codes).select_related(
        "area"
    ):
        by_area.setdefault(u.area.path, []).append(u)
    return [by_area[p] for p in sorted(by_area, key=len, reverse=True)]


def handling_staff(area: Area) -> list[User]:
    """The staff who look after `area`: those of the nearest area at or above it that has any."""
    tiers = _staff_tiers(area)
    return tiers[0] if tiers else []


def supervising_staff(area: Area) -> list[User]:
    """Staff one tier above the handling staff (督办); the handling staff when there is no tier above."""
    tiers = _staff_tiers(area)
    return tiers[1] if len(tiers) > 1 else (tiers[0] if tiers else [])


def _notify_staff(s: Suggestion, users: Iterable[User], *, kind: str, key: str, subject: str) -> int:
    return notify(
        [Recipient(user=u) for u in users],
        kind=kind,
        key=key,
        subject=subject,
        link=reverse("suggestions-staff-detail", args=[s.pk]),
    )


def _submitter_recipients(s: Suggestion) -> list[Recipient]:
    if s.raised_by_delegate_id:
        user = getattr(s.raised_by_delegate, "user", None)
        if user is not None:
            return [Recipient(user=user)]
    if s.submitter_email:
        return [Recipient(email=s.submitter_email)]
    if s.submitter_phone:
        return [Recipient(phone=s.submitter_phone)]
    return []


def _notify_submitter(s: Suggestion, *, kind: str, key: str, subject: str) -> int:
    return notify(
        _submitter_recipients(s),
        kind=kind,
        key=key,
        subject=subject,
        link=reverse("suggestion-track", args=[s.tracking_code]),
    )


def _resolve_area(
    area: Area | None, station: Station | None, delegate: Delegate | None, raised_by: Delegate | None
) -> Area:
    if station is not None:
        if not station.is_active:
            raise ValidationFailed({"station": [_("该联络站已停用。")]})
        if area is not None and not station.area.path.startswith(area.path):
            raise ValidationFailed({"station": [_("所选联络站不在所选区划内。")]})
    if delegate is not None:
        if not delegate.is_active:
            raise ValidationFailed({"delegate": [_("该代表已不在任。")]})
        if station is not None and not station.memberships.filter(delegate=delegate).exists():
            raise ValidationFailed({"delegate": [_("该代表不在所选联络站。")]})
        if station is None and area is not None:
            dp, ap = delegate.area.path, area.path
            if not (dp.startswith(ap) or ap.startswith(dp)):
                raise ValidationFailed({"delegate": [_("该代表不属于所选区划。")]})
    if station is not None:
        return station.area
    if area is not None:
        return area
    if delegate is not None:
        return delegate.area
    if raised_by is not None:
        return raised_by.area
    raise ValidationFailed({"area": [_("请选择区划、联络站或代表。")]})


def _reply_due(s: Suggestion, today: dt.date, due_workdays: int | None) -> dt.date:
    if s.channel == Suggestion.Channel.DELEGATE:
        latest = add_months(today, conf.DELEGATE_REPLY_MAX_MONTHS)
        if due_workdays is None:
            return add_months(today, conf.DELEGATE_REPLY_MONTHS)
        return min(add_workdays(today, due_workdays), latest)
    return add_workdays(today, due_workdays or conf.REPLY_WORKDAYS)


# --- intake ------------------------------------------------------------------------------------------------
def _create(s: Suggestion) -> Suggestion:
    for _attempt in range(6):
        s.tracking_code = new_tracking_code()
        try:
            with transaction.atomic():  # a savepoint: a code collision retries with another code
                s.save(force_insert=True)
            return s
        except IntegrityError:
            if (
                s.reception_item_id
                and Suggestion.objects.filter(reception_item_id=s.reception_item_id).exists()
            ):
                raise
            continue
    raise Conflict(_("请稍后重试。"))  # pragma: no cover - 32^10 codes


@transaction.atomic
def suggestion_submit(
    *,
    title: str,
    content: str,
    channel: str = Suggestion.Channel.WEB,
    category: str = Suggestion.Category.OTHER,
    area: Area | None = None,
    station: Station | None = None,
    delegate: Delegate | None = None,
    raised_by_delegate: Delegate | None = None,
    submitter_name: str = "",
    submitter_phone: str = "",
    submitter_email: str = "",
    photos: Sequence = (),
    actor=None,
    reception_item: ReceptionLogItem | None = None,
) -> Suggestion:
    """Intake on every channel. Photos may be uploaded files (checked here) or already checked ones."""
    title = _text(title, field="title", label=_("标题"), max_length=conf.TITLE_MAX)
    content = _text(content, field="content", label=_("内容"), max_length=conf.CONTENT_MAX)
    if channel not in Suggestion.Channel.values:
        raise ValidationFailed({"channel": [_("未知的来源渠道。")]})
    if category not in Suggestion.Category.values:
        raise ValidationFailed({"category": [_("未知的类别。")]})
    if channel == Suggestion.Channel.DELEGATE and raised_by_delegate is None:
        raise ValidationFailed({"delegate": [_("代表提出的建议须注明代表。")]})
    checked = [p if isinstance(p, CheckedPhoto) else None for p in photos]
    if any(c is None for c in checked):
        checked = check_photos(photos)
    resolved = _resolve_area(area, station, delegate, raised_by_delegate)
    now = timezone.now()
    s = _create(
        Suggestion(
            title=title,
            content=content,
            channel=channel,
            category=category,
            area=resolved,
            station=station,
            delegate=delegate,
            raised_by_delegate=raised_by_delegate,
            reception_item=reception_item,
            submitter_name=(submitter_name or "").strip()[:50],
            submitter_phone=(submitter_phone or "").strip()[:20],
            submitter_email=(submitter_email or "").strip()[:254],
            triage_due=add_workdays(timezone.localdate(now), conf.TRIAGE_WORKDAYS),
            search_text=search.index_text(title, content),
            created_at=now,
        )
    )
    for p in checked:
        photo = SuggestionPhoto(suggestion=s, ext=p.ext, width=p.width, height=p.height, size=p.size)
        photo.image.save(f"photo.{p.ext}", p.file, save=False)
        photo.save()
    _event(s, K.SUBMITTED, actor=actor, data={"channel": channel}, at=now)
    if delegate is not None and channel == Suggestion.Channel.WEB:
        user = getattr(delegate, "user", None)
        if user is not None:
            notify(
                [Recipient(user=user)],
                kind="suggestion_to_delegate",
                key=f"suggestion-to-delegate:{s.pk}",
                subject=_("有群众给您提了意见建议：%(title)s") % {"title": s.title[:40]},
                link=reverse("suggestions-mine"),
            )
    return s


def suggestions_from_reception_log(*, log_id: int) -> list[Suggestion]:
    """Each opinion of a reception log becomes a suggestion (channel `reception`), once.

    Safe to run any number of times: the one-to-one link to the log item makes a second copy impossible,
    and a racing run's IntegrityError just skips that item.
    """
    log = ReceptionLog.objects.select_related("station__area", "delegate").filter(pk=log_id).first()
    if log is None:
        return []
    made = []
    for item in ReceptionLogItem.objects.filter(log=log, suggestion__isnull=True).order_by("position", "id"):
        content = item.content.strip()
        if not content:
            continue
        title = content.splitlines()[0][:40] or _("接待日意见")
        try:
            with transaction.atomic():
                made.append(
                    suggestion_submit(
                        title=title,
                        content=content[: conf.CONTENT_MAX],
                        channel=Suggestion.Channel.RECEPTION,
                        station=log.station,
                        delegate=log.delegate if log.delegate.is_active else None,
                        submitter_name=item.constituent_name,
                        submitter_phone=item.constituent_phone,
                        reception_item=item,
                        actor=log.created_by,
                    )
                )
        except IntegrityError:
            continue  # another run made it first
        except ValidationFailed:
            # An inactive station or a delegate no longer on it: keep the opinion, addressed to the area.
            with transaction.atomic():
                made.append(
                    suggestion_submit(
                        title=title,
                        content=content[: conf.CONTENT_MAX],
                        channel=Suggestion.Channel.RECEPTION,
                        area=log.station.area,
                        submitter_name=item.constituent_name,
                        submitter_phone=item.constituent_phone,
                        reception_item=item,
                        actor=log.created_by,
                    )
                )
    return made


# --- triage ------------------------------------------------------------------------------------------------
@transaction.atomic
def suggestion_accept(*, suggestion_id: int, actor=None, category: str | None = None) -> Suggestion:
    s = _lock(suggestion_id)
    if s.status == S.ACCEPTED:
        return s
    if s.status != S.SUBMITTED:
        raise InvalidTransition(
            _("该意见建议当前为“%(status)s”，只有待受理的可以受理。") % {"status": s.get_status_display()}
        )
    now = timezone.now()
    s.status, s.triaged_at = S.ACCEPTED, now
    s.responded_on_time = timezone.localdate(now) <= s.triage_due
    if category and category in Suggestion.Category.values:
        s.category = category
    s.save(update_fields=["status", "triaged_at", "responded_on_time", "category", "updated_at"])
    _event(s, K.ACCEPTED, actor=actor, at=now)
    return s


@transaction.atomic
def suggestion_reject(*, suggestion_id: int, reason: str, actor=None) -> Suggestion:
    reason = _reason(reason, _("不予受理理由"))
    s = _lock(suggestion_id)
    if s.status == S.REJECTED:
        return s
    if s.status not in (S.SUBMITTED, S.ACCEPTED):
        raise InvalidTransition(
            _("该意见建议当前为“%(status)s”，不能再不予受理。") % {"status": s.get_status_display()}
        )
    now = timezone.now()
    if s.triaged_at is None:
        s.triaged_at = now
        s.responded_on_time = timezone.localdate(now) <= s.triage_due
    s.status, s.reject_reason, s.closed_at = S.REJECTED, reason, now
    s.save(
        update_fields=[
            "status",
            "reject_reason",
            "closed_at",
            "triaged_at",
            "responded_on_time",
            "updated_at",
        ]
    )
    _event(s, K.REJECTED, actor=actor, data={"reason": reason}, at=now)
    _notify_submitter(
        s,
        kind="suggestion_rejected",
        key=f"suggestion-rejected:{s.pk}",
        subject=_("您的意见建议（查询码 %(code)s）不予受理") % {"code": s.tracking_code},
    )
    return s


@transaction.atomic
def suggestion_mark_key(*, suggestion_id: int, is_key: bool = True, actor=None) -> Suggestion:
    s = _lock(suggestion_id)
    if s.is_key == is_key:
        return s
    if s.status in (S.REJECTED, S.MERGED):
        raise InvalidTransition(_("不予受理或已合并的意见建议不能标记重点。"))
    s.is_key = is_key
    s.save(update_fields=["is_key", "updated_at"])
    _event(s, K.KEY, actor=actor, public=False, data={"is_key": is_key})
    return s


@transaction.atomic
def suggestion_merge(*, suggestion_id: int, into_id: int, actor=None) -> Suggestion:
    """Mark a duplicate: it points at the earlier original, whose tracking page its submitter follows."""
    if suggestion_id == into_id:
        raise ValidationFailed({"into": [_("不能合并到自身。")]})
    # Lock both rows in id order: two staff merging a pair in opposite directions cannot deadlock.
    locked = {
        x.pk: x
        for x in Suggestion.objects.select_for_update().filter(pk__in=[suggestion_id, into_id]).order_by("pk")
    }
    if suggestion_id not in locked or into_id not in locked:
        raise ValidationFailed({"into": [_("意见建议不存在。")]})
    s, original = locked[suggestion_id], locked[into_id]
    if s.status == S.MERGED and s.merged_into_id == into_id:
        return s
    if s.status not in (S.SUBMITTED, S.ACCEPTED):
        raise InvalidTransition(_("只有待受理或已受理（尚未转办）的意见建议可以合并。"))
    if (original.created_at, original.pk) >= (s.created_at, s.pk):
        raise ValidationFailed({"into": [_("只能合并到更早提交的意见建议。")]})
    if original.status in (S.MERGED, S.REJECTED):
        raise ValidationFailed({"into": [_("不能合并到已合并或不予受理的意见建议。")]})
    now = timezone.now()
    s.status, s.merged_into, s.closed_at = S.MERGED, original, now
    if s.triaged_at is None:
        s.triaged_at = now
        s.responded_on_time = timezone.localdate(now) <= s.triage_due
    s.save(
        update_fields=["status", "merged_into", "closed_at", "triaged_at", "responded_on_time", "updated_at"]
    )
    _event(s, K.MERGED, actor=actor, data={"into": original.tracking_code}, at=now)
    _event(
        original, K.MERGED, actor=actor, public=False, note=_("合并了 %(code)s") % {"code": s.tracking_code}
    )
    return s


# --- referral ----------------------------------------------------------------------------------------------
@transaction.atomic
def suggestion_refer(
    *,
    suggestion_id: int,
    lead_unit: HandlingUnit,
    assisting_units: Sequence[HandlingUnit] = (),
    due_workdays: int | None = None,
    actor=None,
) -> Suggestion:
    """Refer (or, after a return or an unsatisfied rating, refer again — 改派) to one lead unit and any
    assisting units; every referral of the round shares the due date, counted in working days."""
    if due_workdays is not None and not 1 <= due_workdays <= 120:
        raise ValidationFailed({"due_workdays": [_("办理期限应为 1 至 120 个工作日。")]})
    assisting = list({u.pk: u for u in assisting_units if u.pk != lead_unit.pk}.values())
    for u in [lead_unit, *assisting]:
        if not u.is_active:
            raise ValidationFailed({"lead_unit": [_("%(unit)s已停用。") % {"unit": u.name}]})
    s = _lock(suggestion_id)
    if s.status not in Suggestion.REFERABLE_STATUSES:
        raise InvalidTransition(
            _("该意见建议当前为“%(status)s”，只有已受理、重新办理或督办中的可以转办。")
            % {"status": s.get_status_display()}
        )
    now = timezone.now()
    today = timezone.localdate(now)
    due = _reply_due(s, today, due_workdays)
    # Leftovers of this round (assisting referrals still open after a lead's return) make way for the new ones.
    Referral.objects.filter(suggestion=s, round=s.round, status__in=Referral.OPEN_STATUSES).update(
        status=Referral.Status.CANCELLED, updated_at=now
    )
    # Re-referring is the staff's review of any return (退单审核).
    Referral.objects.filter(suggestion=s, status=Referral.Status.RETURNED, return_reviewed_at=None).update(
        return_reviewed_at=now, updated_at=now
    )
    common = {
        "suggestion": s,
        "area_id": s.area_id,
        "round": s.round,
        "due": due,
        "original_due": due,
        "created_at": now,
    }
    lead = Referral.objects.create(unit=lead_unit, role=Referral.Role.LEAD, referred_by=actor, **common)
    others = [
        Referral.objects.create(unit=u, role=Referral.Role.ASSISTING, referred_by=actor, **common)
        for u in assisting
    ]
    s.status, s.reply_due, s.referred_at, s.is_overdue = S.REFERRED, due, now, False
    s.save(update_fields=["status", "reply_due", "referred_at", "is_overdue", "updated_at"])
    _event(
        s,
        K.REFERRED,
        actor=actor,
        referral=lead,
        data={"lead": lead_unit.name, "assisting": [u.name for u in assisting], "due": due.isoformat()},
        at=now,
    )
    units = {
        u.pk: u
        for u in HandlingUnit.objects.filter(
            pk__in=[lead_unit.pk, *[u.pk for u in assisting]]
        ).prefetch_related("users")
    }
    for ref in [lead, *others]:
        notify(
            _unit_recipients(units[ref.unit_id]),
            kind="referral_new",
            key=f"referral-new:{ref.pk}",
            subject=_("新的转办件（%(role)s）：%(title)s，请于 %(due)s 前答复")
            % {"role": ref.get_role_display(), "title": s.title[:40], "due": due.isoformat()},
            link=reverse("suggestions-unit-detail", args=[ref.pk]),
        )
    return s


def _check_unit(actor, ref: Referral) -> None:
    if actor is not None and getattr(actor, "role", None) == User.Role.UNIT and actor.unit_id != ref.unit_id:
        raise NotPermitted(_("这不是发给本单位的转办件。"))


@transaction.atomic
def referral_accept(*, referral_id: int, actor=None) -> Referral:
    s, ref = _lock_referral(referral_id)
    _check_unit(actor, ref)
    if ref.status == Referral.Status.ACCEPTED:
        return ref
    if ref.status != Referral.Status.PENDING:
        raise InvalidTransition(_("只有待签收的转办件可以签收。"))
    now = timezone.now()
    ref.status, ref.accepted_at = Referral.Status.ACCEPTED, now
    ref.save(update_fields=["status", "accepted_at", "updated_at"])
    _event(s, K.REFERRAL_ACCEPTED, actor=actor, referral=ref, data={"unit": ref.unit.name}, at=now)
    return ref


def _triage_status_for_round(round_: int) -> str:
    # Round 1 came from triage; round 2 from an unsatisfied rating; later rounds from 督办.
    return S.ACCEPTED if round_ == 1 else (S.REOPENED if round_ == 2 else S.SUPERVISED)


@transaction.atomic
def referral_return(*, referral_id: int, reason: str, actor=None) -> Referral:
    """退单: a misrouted referral goes back to staff for review; nothing is re-referred automatically."""
    reason = _reason(reason, _("退回理由"))
    s, ref = _lock_referral(referral_id)
    _check_unit(actor, ref)
    if ref.status == Referral.Status.RETURNED:
        return ref
    if ref.status not in Referral.OPEN_STATUSES:
        raise InvalidTransition(_("只有待签收或办理中的转办件可以退回。"))
    now = timezone.now()
    ref.status, ref.return_reason = Referral.Status.RETURNED, reason
    ref.save(update_fields=["status", "return_reason", "updated_at"])
    if ref.role == Referral.Role.LEAD and s.status == S.REFERRED:
        Referral.objects.filter(suggestion=s, round=ref.round, status__in=Referral.OPEN_STATUSES).update(
            status=Referral.Status.CANCELLED, updated_at=now
        )
        s.status, s.reply_due, s.is_overdue = _triage_status_for_round(s.round), None, False
        s.save(update_fields=["status", "reply_due", "is_overdue", "updated_at"])
    _event(
        s,
        K.REFERRAL_RETURNED,
        actor=actor,
        referral=ref,
        data={"unit": ref.unit.name, "role": ref.role},
        note=reason,
        at=now,
    )
    _notify_staff(
        s,
        handling_staff(s.area),
        kind="referral_returned",
        key=f"referral-returned:{ref.pk}",
        subject=_("%(unit)s退回了转办件：%(title)s") % {"unit": ref.unit.name, "title": s.title[:40]},
    )
    return ref


@transaction.atomic
def referral_return_review(*, referral_id: int, actor=None) -> Referral:
    """Staff acknowledge a return without re-referring (e.g. an assisting unit's return)."""
    s, ref = _lock_referral(referral_id)
    if ref.status != Referral.Status.RETURNED:
        raise InvalidTransition(_("只有已退回的转办件需要审核。"))
    if ref.return_reviewed_at:
        return ref
    ref.return_reviewed_at = timezone.now()
    ref.save(update_fields=["return_reviewed_at", "updated_at"])
    _event(s, K.RETURN_REVIEWED, actor=actor, referral=ref, public=False, data={"unit": ref.unit.name})
    return ref


def _request_rating(s: Suggestion, *, now: dt.datetime | None = None) -> int:
    """Ask the submitter to rate (email if given, else SMS); marks the suggestion so a sweep skips it."""
    now = now or timezone.now()
    sent = _notify_submitter(
        s,
        kind="rating_request",
        key=f"rating-request:{s.pk}:{s.round}",
        subject=_("您的意见建议（查询码 %(code)s）已答复，请于 %(due)s 前评价")
        % {"code": s.tracking_code, "due": s.rating_due.isoformat() if s.rating_due else ""},
    )
    Suggestion.objects.filter(pk=s.pk).update(rating_requested_at=now)
    s.rating_requested_at = now
    return sent


@transaction.atomic
def referral_reply(*, referral_id: int, result: str, content: str, actor=None) -> Reply:
    """A unit's reply. The lead unit's reply moves the suggestion to `replied` and asks for a rating;
    an assisting unit's reply is attached."""
    if result not in Reply.Result.values:
        raise ValidationFailed({"result": [_("请选择办理结果。")]})
    content = _text(content, field="content", label=_("答复内容"), max_length=conf.CONTENT_MAX)
    s, ref = _lock_referral(referral_id)
    _check_unit(actor, ref)
    if ref.status == Referral.Status.REPLIED:
        raise InvalidTransition(_("该转办件已经答复过了。"))
    if ref.status not in Referral.OPEN_STATUSES:
        raise InvalidTransition(_("该转办件已退回或撤销，不能答复。"))
    if ref.role == Referral.Role.LEAD and s.status != S.REFERRED:
        raise InvalidTransition(_("该意见建议当前不在办理中。"))
    now = timezone.now()
    today = timezone.localdate(now)
    reply = Reply.objects.create(
        referral=ref, suggestion=s, result=result, content=content, at=now, author=actor
    )
    ref.status, ref.replied_at, ref.replied_on_time = Referral.Status.REPLIED, now, today <= ref.due
    ref.reply_result = result
    if ref.accepted_at is None:
        ref.accepted_at = now
    ref.save(
        update_fields=["status", "replied_at", "replied_on_time", "reply_result", "accepted_at", "updated_at"]
    )
    _event(
        s,
        K.REPLIED,
        actor=actor,
        referral=ref,
        data={"unit": ref.unit.name, "role": ref.role, "result": result},
        at=now,
    )
    if ref.role == Referral.Role.LEAD:
        s.status, s.replied_at, s.reply_result = S.REPLIED, now, result
        s.replied_on_time, s.is_overdue = ref.replied_on_time, False
        s.rating_due = today + dt.timedelta(days=conf.RATING_DAYS)
        s.save(
            update_fields=[
                "status",
                "replied_at",
                "reply_result",
                "replied_on_time",
                "is_overdue",
                "rating_due",
                "updated_at",
            ]
        )
        _event(s, K.RATING_REQUESTED, data={"due": s.rating_due.isoformat()}, at=now)
        _request_rating(s, now=now)
    return reply


# --- rating ------------------------------------------------------------------------------------------------
@transaction.atomic
def suggestion_rate(*, suggestion_id: int, rating: str, comment: str = "") -> Rating:
    """The submitter's rating. Satisfied / basically satisfied close it; unsatisfied reopens it for another
    round; an unsatisfied rating in a later round escalates to 督办 by the staff one tier up."""
    if rating not in Satisfaction.values:
        raise ValidationFailed({"rating": [_("请选择满意、基本满意或不满意。")]})
    comment = _text(comment, field="comment", label=_("评价意见"), max_length=500, required=False)
    s = _lock(suggestion_id)
    if s.status != S.REPLIED:
        raise InvalidTransition(_("只有已答复、待评价的意见建议可以评价。"))
    now = timezone.now()
    try:
        with transaction.atomic():
            r = Rating.objects.create(suggestion=s, round=s.round, rating=rating, comment=comment, at=now)
    except IntegrityError:
        raise Conflict(_("本轮已经评价过了。")) from None
    _event(s, K.RATED, data={"rating": rating}, note=comment, at=now)
    s.rating, s.rating_due = rating, None
    if rating != Satisfaction.UNSATISFIED:
        s.status, s.closed_at = S.CLOSED, now
        s.save(update_fields=["status", "rating", "rating_due", "closed_at", "updated_at"])
        _event(s, K.CLOSED, at=now)
        return r
    escalate = s.round >= 2
    s.round += 1
    s.status, s.reply_due = (S.SUPERVISED if escalate else S.REOPENED), None
    s.save(update_fields=["status", "rating", "rating_due", "round", "reply_due", "updated_at"])
    if escalate:
        _event(s, K.SUPERVISED, at=now)
        _notify_staff(
            s,
            supervising_staff(s.area),
            kind="suggestion_supervised",
            key=f"suggestion-supervised:{s.pk}:{s.round}",
            subject=_("督办：意见建议两次评价不满意（%(title)s）") % {"title": s.title[:40]},
        )
    else:
        _event(s, K.REOPENED, data={"round": s.round}, at=now)
        _notify_staff(
            s,
            handling_staff(s.area),
            kind="suggestion_reopened",
            key=f"suggestion-reopened:{s.pk}:{s.round}",
            subject=_("评价不满意，请重新交办：%(title)s") % {"title": s.title[:40]},
        )
    return r


def suggestion_close_expired(*, today: dt.date | None = None) -> int:
    """Close every replied suggestion whose rating window has lapsed. Each one in its own transaction."""
    today = today or _today()
    closed = 0
    ids = list(Suggestion.objects.filter(status=S.REPLIED, rating_due__lt=today).values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            s = _lock(pk)
            if s.status != S.REPLIED or s.rating_due is None or s.rating_due >= today:
                continue
            now = timezone.now()
            s.status, s.closed_at = S.CLOSED, now
            s.save(update_fields=["status", "closed_at", "updated_at"])
            _event(s, K.CLOSED, data={"expired": True}, at=now)
            closed += 1
    return closed


# --- extensions --------------------------------------------------------------------------------------------
def extension_limit(s: Suggestion, ref: Referral) -> dt.date:
    if s.channel == Suggestion.Channel.DELEGATE:
        return add_months(timezone.localdate(ref.created_at), conf.DELEGATE_REPLY_MAX_MONTHS)
    return add_workdays(ref.original_due, conf.EXTENSION_MAX_WORKDAYS)


@transaction.atomic
def extension_request(
    *, referral_id: int, requested_due: dt.date, reason: str, actor=None
) -> ExtensionRequest:
    reason = _reason(reason, _("延期理由"))
    s, ref = _lock_referral(referral_id)
    _check_unit(actor, ref)
    if ref.status not in Referral.OPEN_STATUSES:
        raise InvalidTransition(_("只有办理中的转办件可以申请延期。"))
    today = _today()
    if today > ref.due:
        raise InvalidTransition(_("已过答复期限，不能再申请延期。"))
    if requested_due <= ref.due:
        raise ValidationFailed(
            {"requested_due": [_("申请的期限应晚于当前期限 %(due)s。") % {"due": ref.due}]}
        )
    limit = extension_limit(s, ref)
    if requested_due > limit:
        raise ValidationFailed({"requested_due": [_("最多只能延至 %(limit)s。") % {"limit": limit}]})
    if ref.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
        raise Conflict(_("已有一份延期申请待审核。"))
    now = timezone.now()
    ext = ExtensionRequest.objects.create(
        referral=ref, requested_due=requested_due, reason=reason, created_at=now, requested_by=actor
    )
    _event(
        s,
        K.EXTENSION_REQUESTED,
        actor=actor,
        referral=ref,
        public=False,
        data={"unit": ref.unit.name, "due": requested_due.isoformat()},
        note=reason,
        at=now,
    )
    _notify_staff(
        s,
        handling_staff(s.area),
        kind="extension_requested",
        key=f"extension-requested:{ext.pk}",
        subject=_("%(unit)s申请延期至 %(due)s：%(title)s")
        % {"unit": ref.unit.name, "due": requested_due.isoformat(), "title": s.title[:40]},
    )
    return ext


def _lock_extension(extension_id: int) -> tuple[Suggestion, Referral, ExtensionRequest]:
    referral_id = (
        ExtensionRequest.objects.filter(pk=extension_id).values_list("referral_id", flat=True).first()
    )
    if referral_id is None:
        raise ValidationFailed(_("延期申请不存在。"), code="not_found")
    s, ref = _lock_referral(referral_id)
    return s, ref, ExtensionRequest.objects.select_for_update().get(pk=extension_id)


@transaction.atomic
def extension_grant(*, extension_id: int, actor=None, note: str = "") -> ExtensionRequest:
    s, ref, ext = _lock_extension(extension_id)
    if ext.status == ExtensionRequest.Status.GRANTED:
        return ext
    if ext.status != ExtensionRequest.Status.PENDING:
        raise InvalidTransition(_("该延期申请已经审核过了。"))
    now = timezone.now()
    ext.status, ext.decided_at, ext.decided_by, ext.decision_note = (
        ExtensionRequest.Status.GRANTED,
        now,
        actor,
        (note or "").strip()[:500],
    )
    ext.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    if ref.status in Referral.OPEN_STATUSES:
        ref.due = ext.requested_due
        if ref.overdue_at and ref.due >= timezone.localdate(now):
            ref.overdue_at = None
        ref.save(update_fields=["due", "overdue_at", "updated_at"])
        if ref.role == Referral.Role.LEAD and s.status == S.REFERRED:
            s.reply_due = ref.due
            s.is_overdue = ref.overdue_at is not None
            s.save(update_fields=["reply_due", "is_overdue", "updated_at"])
    _event(
        s,
        K.EXTENSION_GRANTED,
        actor=actor,
        referral=ref,
        data={"unit": ref.unit.name, "due": ext.requested_due.isoformat()},
        note=ext.decision_note,
        at=now,
    )
    notify(
        _unit_recipients(HandlingUnit.objects.prefetch_related("users").get(pk=ref.unit_id)),
        kind="extension_granted",
        key=f"extension-decided:{ext.pk}",
        subject=_("延期申请已同意，答复期限延至 %(due)s") % {"due": ext.requested_due.isoformat()},
        link=reverse("suggestions-unit-detail", args=[ref.pk]),
    )
    return ext


@transaction.atomic
def extension_refuse(*, extension_id: int, actor=None, note: str = "") -> ExtensionRequest:
    note = _reason(note, _("审核意见"))
    s, ref, ext = _lock_extension(extension_id)
    if ext.status == ExtensionRequest.Status.REFUSED:
        return ext
    if ext.status != ExtensionRequest.Status.PENDING:
        raise InvalidTransition(_("该延期申请已经审核过了。"))
    now = timezone.now()
    ext.status, ext.decided_at, ext.decided_by, ext.decision_note = (
        ExtensionRequest.Status.REFUSED,
        now,
        actor,
        note,
    )
    ext.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    _event(s, K.EXTENSION_REFUSED, actor=actor, referral=ref, public=False, note=note, at=now)
    notify(
        _unit_recipients(HandlingUnit.objects.prefetch_related("users").get(pk=ref.unit_id)),
        kind="extension_refused",
        key=f"extension-decided:{ext.pk}",
        subject=_("延期申请未同意，请按原期限 %(due)s 答复：%(note)s")
        % {"due": ref.due.isoformat(), "note": note},
        link=reverse("suggestions-unit-detail", args=[ref.pk]),
    )
    return ext


# --- audit -------------------------------------------------------------------------------------------------
def suggestion_contact_viewed(*, suggestion: Suggestion, actor) -> None:
    """PIPL: every time staff see a submitter's full contact details, the timeline records who and when."""
    _event(suggestion, K.CONTACT_VIEWED, actor=actor, public=False)


# --- deadlines (called by Celery beat; every one safe to run twice) ----------------------------------------
def referral_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind each unit once when an open referral's due date is REMINDER_WORKDAYS working days away (or
    less: a run missed during an outage is caught up by the next). The notify() key holds the due date, so
    an extended referral is reminded again before its new date."""
    today = today or _today()
    horizon = add_workdays(today, conf.REMINDER_WORKDAYS)
    refs = (
        Referral.objects.filter(status__in=Referral.OPEN_STATUSES, due__gte=today, due__lte=horizon)
        .select_related("suggestion", "unit")
        .prefetch_related("unit__users")
        .order_by("pk")
    )
    sent = 0
    for ref in refs.iterator(chunk_size=500):
        with transaction.atomic():
            sent += notify(
                _unit_recipients(ref.unit),
                kind="referral_reminder",
                key=f"referral-reminder:{ref.pk}:{ref.due.isoformat()}",
                subject=_("转办件将于 %(due)s 到期，请按时答复：%(title)s")
                % {"due": ref.due.isoformat(), "title": ref.suggestion.title[:40]},
                link=reverse("suggestions-unit-detail", args=[ref.pk]),
            )
    return sent


def referrals_overdue_mark(*, today: dt.date | None = None) -> int:
    """Flag referrals whose due date has passed unanswered and warn the staff (and the unit), once each."""
    today = today or _today()
    ids = list(
        Referral.objects.filter(
            status__in=Referral.OPEN_STATUSES, due__lt=today, overdue_at=None
        ).values_list("pk", flat=True)
    )
    marked = 0
    for pk in ids:
        with transaction.atomic():
            s, ref = _lock_referral(pk)
            if ref.status not in Referral.OPEN_STATUSES or ref.overdue_at or ref.due >= today:
                continue
            now = timezone.now()
            ref.overdue_at = now
            ref.save(update_fields=["overdue_at", "updated_at"])
            if ref.role == Referral.Role.LEAD and s.status == S.REFERRED:
                s.is_overdue = True
                s.save(update_fields=["is_overdue", "updated_at"])
            _event(
                s,
                K.OVERDUE,
                referral=ref,
                public=False,
                data={"unit": ref.unit.name, "due": ref.due.isoformat()},
                at=now,
            )
            _notify_staff(
                s,
                handling_staff(s.area),
                kind="referral_overdue",
                key=f"referral-overdue:{ref.pk}:{ref.due.isoformat()}",
                subject=_("超期未答复：%(unit)s，期限 %(due)s，%(title)s")
                % {"unit": ref.unit.name, "due": ref.due.isoformat(), "title": s.title[:40]},
            )
            notify(
                _unit_recipients(HandlingUnit.objects.prefetch_related("users").get(pk=ref.unit_id)),
                kind="referral_overdue_unit",
                key=f"referral-overdue-unit:{ref.pk}:{ref.due.isoformat()}",
                subject=_("转办件已超过答复期限 %(due)s，请尽快答复：%(title)s")
                % {"due": ref.due.isoformat(), "title": s.title[:40]},
                link=reverse("suggestions-unit-detail", args=[ref.pk]),
            )
            marked += 1
    return marked


def triage_overdue_warn(*, today: dt.date | None = None) -> int:
    """Warn the staff once about each suggestion left untriaged past its triage deadline."""
    today = today or _today()
    qs = (
        Suggestion.objects.filter(status=S.SUBMITTED, triage_due__lt=today)
        .select_related("area")
        .order_by("pk")
    )
    sent = 0
    for s in qs.iterator(chunk_size=500):
        with transaction.atomic():
            n = _notify_staff(
                s,
                handling_staff(s.area),
                kind="triage_overdue",
                key=f"triage-overdue:{s.pk}:{s.triage_due.isoformat()}",
                subject=_("超期未受理（期限 %(due)s）：%(title)s")
                % {"due": s.triage_due.isoformat(), "title": s.title[:40]},
            )
            if n:
                _event(s, K.TRIAGE_OVERDUE, public=False, data={"due": s.triage_due.isoformat()})
            sent += n
    return sent


def rating_requests_sweep() -> int:
    """Ask for the ratings a lost transaction or a bulk load never asked for."""
    done = 0
    for pk in Suggestion.objects.filter(status=S.REPLIED, rating_requested_at=None).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            s = _lock(pk)
            if s.status == S.REPLIED and s.rating_requested_at is None:
                _request_rating(s)
                done += 1
    return done


def reception_items_sweep(*, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Turn reception-log items into suggestions where the after-commit hook never ran (worker or process
    died between commit and hook)."""
    cutoff = timezone.now() - older_than
    log_ids = (
        ReceptionLogItem.objects.filter(suggestion__isnull=True, log__created_at__lte=cutoff)
        .exclude(content="")
        .values_list("log_id", flat=True)
        .distinct()
    )
    return sum(len(suggestions_from_reception_log(log_id=pk)) for pk in list(log_ids))


def daily_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """Everything the on-commit hooks and the hourly jobs should have done; each step is idempotent."""
    return {
        "reception_items": reception_items_sweep(),
        "rating_requests": rating_requests_sweep(),
        "reminders": referral_reminders_send(today=today),
        "overdue": referrals_overdue_mark(today=today),
        "triage_overdue": triage_overdue_warn(today=today),
        "closed_expired": suggestion_close_expired(today=today),
    }
