"""Triage by staff: accept, reject (不予受理), mark key, merge duplicates; and the contact-view audit."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import InvalidTransition, ValidationFailed

from ..models import Suggestion
from ._common import K, S, _event, _lock, _notify_submitter, _reason


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


def suggestion_contact_viewed(*, suggestion: Suggestion, actor) -> None:
    """PIPL: every time staff see a submitter's full contact details, the timeline records who and when."""
    _event(suggestion, K.CONTACT_VIEWED, actor=actor, public=False)
