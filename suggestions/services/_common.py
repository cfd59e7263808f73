"""What every suggestion service shares: the row locks (suggestion, then referral: the one order), the
timeline event, text checks and the notices to units, staff and submitters."""

import calendar
import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.errors import NotFound, ValidationFailed
from liaison.notifications.services import Recipient, notify
from stations.models import HandlingUnit

from ..models import Referral, Suggestion, SuggestionEvent

S = Suggestion.Status


K = SuggestionEvent.Kind


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
        raise NotFound(_("意见建议不存在。")) from None


def _lock_referral(referral_id: int) -> tuple[Suggestion, Referral]:
    """Lock the suggestion, then the referral: the one order every service uses, so no deadlock."""
    suggestion_id = Referral.objects.filter(pk=referral_id).values_list("suggestion_id", flat=True).first()
    if suggestion_id is None:
        raise NotFound(_("转办记录不存在。"))
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
