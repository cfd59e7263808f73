"""Referral to handling units (交办, 改派), the units' sign-off, return (退单) and reply, and extensions of
the reply deadline."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.errors import Conflict, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from liaison.notifications.recipients import handling_staff, unit_recipients
from liaison.notifications.services import notify
from liaison.workdays import add_months, add_workdays
from stations.models import HandlingUnit

from ..conf import conf
from ..hooks import before_reply
from ..models import ExtensionRequest, Referral, Reply, Suggestion
from ._common import (
    K,
    S,
    _end_open_referrals,
    _event,
    _lock,
    _lock_referral,
    _notify_staff,
    _reason,
    _save,
    _staff_step,
    _step,
    _text,
    _today,
)
from .ratings import _request_rating

# Channels whose reply is due in calendar months (3, at most 6) rather than working days: delegates'.
MONTHLY_CHANNELS = (Suggestion.Channel.DELEGATE, Suggestion.Channel.FORMAL)


def _reply_due(s: Suggestion, today: dt.date, due_workdays: int | None) -> dt.date:
    if s.channel == Suggestion.Channel.FORMAL and s.round >= 2 and due_workdays is None:
        return add_months(today, conf.FORMAL_REHANDLE_MONTHS)  # re-handled after an unsatisfied rating
    if s.channel in MONTHLY_CHANNELS:
        latest = add_months(today, conf.DELEGATE_REPLY_MAX_MONTHS)
        if due_workdays is None:
            return add_months(today, conf.DELEGATE_REPLY_MONTHS)
        return min(add_workdays(today, due_workdays), latest)
    return add_workdays(today, due_workdays or conf.REPLY_WORKDAYS)


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
    # Whatever is still with a unit, of this round or an earlier one, makes way for the new referrals.
    _end_open_referrals(s, why=_("已重新交办"), actor=actor, at=now)
    # Re-referring is the staff's review of any return they had not acknowledged (退单审核).
    for returned in Referral.objects.select_for_update().filter(
        suggestion=s, status=Referral.Status.RETURNED, return_reviewed_at=None
    ):
        returned.return_reviewed_at = now
        returned.save(update_fields=["return_reviewed_at", "updated_at"])
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
    s.status, s.reply_due, s.referred_at = S.REFERRED, due, now
    _step(s, today, due)
    _save(s, "status", "reply_due", "referred_at")
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
            unit_recipients(units[ref.unit_id]),
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


def _notify_unit(ref: Referral, *, kind: str, key: str, subject: str) -> int:
    return notify(
        unit_recipients(HandlingUnit.objects.prefetch_related("users").get(pk=ref.unit_id)),
        kind=kind,
        key=key,
        subject=subject,
        link=reverse("suggestions-unit-detail", args=[ref.pk]),
    )


@transaction.atomic
def referral_return(*, referral_id: int, reason: str, actor=None) -> Referral:
    """退单: the unit asks to return a referral it thinks is not its own. Nothing changes for the suggestion
    yet: staff review the request (referral_return_accept / referral_return_refuse); until then the
    referral stays with the unit (its deadline runs) and the unit cannot reply."""
    reason = _reason(reason, _("退回理由"))
    s, ref = _lock_referral(referral_id)
    _check_unit(actor, ref)
    if ref.status == Referral.Status.RETURN_REQUESTED:
        return ref
    if ref.status not in Referral.ACTIONABLE_STATUSES:
        raise InvalidTransition(_("只有待签收或办理中的转办件可以申请退回。"))
    now = timezone.now()
    ref.status, ref.return_reason, ref.return_requested_at = Referral.Status.RETURN_REQUESTED, reason, now
    ref.return_reviewed_at, ref.return_refusal = None, ""
    ref.save(
        update_fields=[
            "status",
            "return_reason",
            "return_requested_at",
            "return_reviewed_at",
            "return_refusal",
            "updated_at",
        ]
    )
    _event(
        s,
        K.RETURN_REQUESTED,
        actor=actor,
        referral=ref,
        public=False,
        data={"unit": ref.unit.name, "role": ref.role},
        note=reason,
        at=now,
    )
    _notify_staff(
        s,
        handling_staff(s.area),
        kind="referral_returned",
        key=f"referral-returned:{ref.pk}:{now.isoformat()}",
        subject=_("%(unit)s申请退回转办件，请审核：%(title)s")
        % {"unit": ref.unit.name, "title": s.title[:40]},
    )
    return ref


@transaction.atomic
def referral_return_accept(*, referral_id: int, actor=None) -> Referral:
    """Staff accept a return. The lead unit's return sends the suggestion back to triage (the round's other
    referrals end; the public timeline says it is being re-routed); an assisting unit's return just ends that
    referral."""
    s, ref = _lock_referral(referral_id)
    if ref.status == Referral.Status.RETURNED:
        return ref
    if ref.status != Referral.Status.RETURN_REQUESTED:
        raise InvalidTransition(_("只有申请退回的转办件可以审核退回。"))
    now = timezone.now()
    ref.status, ref.return_reviewed_at = Referral.Status.RETURNED, now
    ref.save(update_fields=["status", "return_reviewed_at", "updated_at"])
    back_to_triage = ref.role == Referral.Role.LEAD and s.status == S.REFERRED and ref.round == s.round
    _event(
        s,
        K.REFERRAL_RETURNED,
        actor=actor,
        referral=ref,
        public=back_to_triage,
        data={"unit": ref.unit.name, "role": ref.role},
        note=ref.return_reason,
        at=now,
    )
    if back_to_triage:
        _end_open_referrals(s, why=_("主办单位退回，重新分办"), actor=actor, at=now)
        s.status, s.reply_due = _triage_status_for_round(s.round), None
        _staff_step(s, timezone.localdate(now))
        _save(s, "status", "reply_due")
    _notify_unit(
        ref,
        kind="return_accepted",
        key=f"return-accepted:{ref.pk}",
        subject=_("退回申请已同意，该转办件无需再办理：%(title)s") % {"title": s.title[:40]},
    )
    return ref


@transaction.atomic
def referral_return_refuse(*, referral_id: int, reason: str, actor=None) -> Referral:
    """Staff refuse a return, with a reason: the referral stays with the unit, which must handle it."""
    reason = _reason(reason, _("不同意退回的理由"))
    s, ref = _lock_referral(referral_id)
    if ref.status in Referral.ACTIONABLE_STATUSES and ref.return_reviewed_at and ref.return_refusal:
        return ref  # refused already
    if ref.status != Referral.Status.RETURN_REQUESTED:
        raise InvalidTransition(_("只有申请退回的转办件可以审核退回。"))
    now = timezone.now()
    ref.status = Referral.Status.ACCEPTED if ref.accepted_at else Referral.Status.PENDING
    ref.return_reviewed_at, ref.return_refusal = now, reason
    ref.save(update_fields=["status", "return_reviewed_at", "return_refusal", "updated_at"])
    _event(
        s,
        K.RETURN_REFUSED,
        actor=actor,
        referral=ref,
        public=False,
        data={"unit": ref.unit.name, "role": ref.role},
        note=reason,
        at=now,
    )
    _notify_unit(
        ref,
        kind="return_refused",
        key=f"return-refused:{ref.pk}:{ref.return_requested_at.isoformat()}",
        subject=_("退回申请未同意，请按期办理（%(reason)s）：%(title)s")
        % {"reason": reason, "title": s.title[:40]},
    )
    return ref


@transaction.atomic
def referral_return_review(*, referral_id: int, actor=None) -> Referral:
    """Staff acknowledge a return: a return waiting for review is accepted (referral_return_accept); a return
    made effective at once (before returns were reviewed) is marked as seen."""
    s, ref = _lock_referral(referral_id)
    if ref.status == Referral.Status.RETURN_REQUESTED:
        return referral_return_accept(referral_id=ref.pk, actor=actor)
    if ref.status != Referral.Status.RETURNED:
        raise InvalidTransition(_("只有已退回的转办件需要审核。"))
    if ref.return_reviewed_at:
        return ref
    ref.return_reviewed_at = timezone.now()
    ref.save(update_fields=["return_reviewed_at", "updated_at"])
    _event(s, K.RETURN_REVIEWED, actor=actor, referral=ref, public=False, data={"unit": ref.unit.name})
    return ref


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
    if ref.status == Referral.Status.RETURN_REQUESTED:
        raise InvalidTransition(_("已申请退回，等待工作人员审核，暂不能答复。"))
    if ref.status not in Referral.ACTIONABLE_STATUSES:
        raise InvalidTransition(_("该转办件已退回或撤销，不能答复。"))
    if ref.role == Referral.Role.LEAD and s.status != S.REFERRED:
        raise InvalidTransition(_("该意见建议当前不在办理中。"))
    before_reply(s, ref)  # the rules of higher apps (motions: 先沟通后答复), on every path to a reply
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
        s.replied_on_time = ref.replied_on_time
        rating_days = conf.FORMAL_RATING_DAYS if s.channel == Suggestion.Channel.FORMAL else conf.RATING_DAYS
        s.rating_due = today + dt.timedelta(days=rating_days)
        _step(s, today, s.rating_due)  # now the constituent's: the rating window
        _save(s, "status", "replied_at", "reply_result", "replied_on_time", "rating_due")
        _event(s, K.RATING_REQUESTED, data={"due": s.rating_due.isoformat()}, at=now)
        _request_rating(s, now=now)
    return reply


def extension_limit(s: Suggestion, ref: Referral) -> dt.date:
    if s.channel in MONTHLY_CHANNELS:
        return add_months(timezone.localdate(ref.created_at), conf.DELEGATE_REPLY_MAX_MONTHS)
    return add_workdays(ref.original_due, conf.EXTENSION_MAX_WORKDAYS)


@transaction.atomic
def extension_request(
    *, referral_id: int, requested_due: dt.date, reason: str, actor=None
) -> ExtensionRequest:
    reason = _reason(reason, _("延期理由"))
    s, ref = _lock_referral(referral_id)
    _check_unit(actor, ref)
    if ref.status not in Referral.ACTIONABLE_STATUSES:
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
        raise NotFound(_("延期申请不存在。"))
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
            s.reply_due = s.step_due = ref.due
            s.is_overdue = ref.overdue_at is not None
            _save(s, "reply_due")
    _event(
        s,
        K.EXTENSION_GRANTED,
        actor=actor,
        referral=ref,
        data={"unit": ref.unit.name, "due": ext.requested_due.isoformat()},
        note=ext.decision_note,
        at=now,
    )
    _notify_unit(
        ref,
        kind="extension_granted",
        key=f"extension-decided:{ext.pk}",
        subject=_("延期申请已同意，答复期限延至 %(due)s") % {"due": ext.requested_due.isoformat()},
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
    _notify_unit(
        ref,
        kind="extension_refused",
        key=f"extension-decided:{ext.pk}",
        subject=_("延期申请未同意，请按原期限 %(due)s 答复：%(note)s")
        % {"due": ref.due.isoformat(), "note": note},
    )
    return ext
