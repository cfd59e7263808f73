"""What every suggestion service shares: the row locks (suggestion, then referral: the one order), the
timeline event, text checks and the notices to units, staff and submitters."""

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.errors import NotFound, ValidationFailed
from liaison.notifications.recipients import unit_recipients
from liaison.notifications.services import Recipient, notify
from liaison.workdays import add_workdays
from stations.models import HandlingUnit

from ..conf import conf
from ..models import Referral, Suggestion, SuggestionEvent

S = Suggestion.Status


K = SuggestionEvent.Kind


def _today() -> dt.date:
    return timezone.localdate()


def _lock(suggestion_id: int) -> Suggestion:
    try:
        return Suggestion.objects.select_for_update().get(pk=suggestion_id)
    except Suggestion.DoesNotExist:
        raise NotFound(_("意见建议不存在。")) from None


def _lock_referral(referral_id: int) -> tuple[Suggestion, Referral]:
    """Lock the suggestion, then the referral: the one order every service uses, so no deadlock."""
    suggestion_id = Referral.objects.filter(pk=referral_id).values_list("suggestion_id", flat=True).first()
    if suggestion_id is None:
        raise NotFound(_("转办记录不存在。"))
    s = _lock(suggestion_id)
    ref = Referral.objects.select_for_update().select_related("unit").get(pk=referral_id)
    return s, ref


# --- the current step (三色督办, overdue, the queue's order) --------------------------------------------------
def _step(s: Suggestion, start: dt.date | None, due: dt.date | None) -> None:
    """A new step begins (or, with None, the suggestion is done): its span, and no overdue flag yet."""
    s.step_from, s.step_due, s.is_overdue = start, due, False


def _staff_step(s: Suggestion, today: dt.date) -> None:
    """The staff must refer it (again): accepted, reopened by a rating, under 督办, or returned by its lead unit."""
    _step(s, today, add_workdays(today, conf.REFER_WORKDAYS))


def _save(s: Suggestion, *fields: str) -> None:
    """Save a transition: the given fields plus the step, the overdue flag and the queue rank derived from them
    (and `updated_at`, which the statistics fold by)."""
    s.queue_rank = s.rank()
    s.save(
        update_fields=list(
            dict.fromkeys([*fields, "step_from", "step_due", "is_overdue", "queue_rank", "updated_at"])
        )
    )


# --- the timeline --------------------------------------------------------------------------------------------
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


def _notify_staff(s: Suggestion, users: Iterable[User], *, kind: str, key: str, subject: str) -> int:
    return notify(
        [Recipient(user=u) for u in users],
        kind=kind,
        key=key,
        subject=subject,
        link=reverse("suggestions-staff-detail", args=[s.pk]),
    )


def _own_recipients(s: Suggestion) -> list[Recipient]:
    if s.raised_by_delegate_id:
        user = getattr(s.raised_by_delegate, "user", None)
        if user is not None:
            return [Recipient(user=user)]
    if s.submitter_email:
        return [Recipient(email=s.submitter_email)]
    if s.submitter_phone:
        return [Recipient(phone=s.submitter_phone)]
    return []


MAX_FOLLOWER_DEPTH = 5


def _submitter_recipients(s: Suggestion) -> list[Recipient]:
    """Who hears of a suggestion's progress: its submitter and the followers — the submitters of the
    duplicates merged into it (and of those merged into them), who are told as if it were their own. A query
    per level of merging; one for the usual single level."""
    out = _own_recipients(s)
    frontier = [s.pk]
    for _level in range(MAX_FOLLOWER_DEPTH):
        followers = list(
            Suggestion.objects.filter(merged_into__in=frontier, status=S.MERGED)
            .select_related("raised_by_delegate__user")
            .order_by("pk")
        )
        if not followers:
            break
        for d in followers:
            out += _own_recipients(d)
        frontier = [d.pk for d in followers]
    return list(dict.fromkeys(out))


def _notify_submitter(s: Suggestion, *, kind: str, key: str, subject: str) -> int:
    """A notice to the submitter and the followers, linking to this suggestion's tracking page (followers
    follow the original). The key names the occasion; each address gets it once. Never held for a digest: a
    constituent hears about their own opinion at once."""
    return notify(
        _submitter_recipients(s),
        kind=kind,
        key=key,
        subject=subject,
        link=reverse("suggestion-track", args=[s.tracking_code]),
        at_once=True,
    )


def _end_open_referrals(
    s: Suggestion, *, why: str, actor=None, at: dt.datetime | None = None
) -> list[Referral]:
    """End every referral of the suggestion still with a unit (pending, accepted, or with a return waiting for
    review), of whatever round: the suggestion has moved on — closed, rejected, merged, rated, referred again,
    or its lead unit's return was accepted. The one place that does it: each ended referral is saved (its
    history), gets an internal timeline event, and its unit is told it need not act any more. The caller holds
    the suggestion's lock."""
    now = at or timezone.now()
    refs = list(
        Referral.objects.select_for_update()
        .filter(suggestion=s, status__in=Referral.OPEN_STATUSES)
        .select_related("unit")
        .order_by("pk")
    )
    if not refs:
        return []
    units = {
        u.pk: u
        for u in HandlingUnit.objects.filter(pk__in={r.unit_id for r in refs}).prefetch_related("users")
    }
    for ref in refs:
        ref.status = Referral.Status.CANCELLED
        if ref.return_requested_at and ref.return_reviewed_at is None:
            ref.return_reviewed_at = now  # a return waiting for review is moot
        ref.save(update_fields=["status", "return_reviewed_at", "updated_at"])
        _event(
            s,
            K.REFERRAL_ENDED,
            actor=actor,
            referral=ref,
            public=False,
            data={"unit": ref.unit.name, "role": ref.role, "round": ref.round},
            note=why,
            at=now,
        )
        notify(
            unit_recipients(units[ref.unit_id]),
            kind="referral_ended",
            key=f"referral-ended:{ref.pk}",
            subject=_("转办件已终止，无需再办理（%(why)s）：%(title)s") % {"why": why, "title": s.title[:40]},
            link=reverse("suggestions-unit-detail", args=[ref.pk]),
        )
    return refs
