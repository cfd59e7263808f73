"""Triage by staff: accept, reject (不予受理), mark key, merge duplicates; and the contact-view audit."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import InvalidTransition, ValidationFailed
from liaison.notifications.services import notify

from ..models import Suggestion
from ._common import (
    K,
    S,
    _end_open_referrals,
    _event,
    _lock,
    _notify_submitter,
    _own_recipients,
    _reason,
    _save,
    _staff_step,
    _step,
)
from .ratings import rating_request_subject


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
    _staff_step(s, timezone.localdate(now))  # now it waits to be referred
    _save(s, "status", "triaged_at", "responded_on_time", "category")
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
    _step(s, None, None)
    _save(s, "status", "reject_reason", "closed_at", "triaged_at", "responded_on_time")
    _event(s, K.REJECTED, actor=actor, data={"reason": reason}, at=now)
    _end_open_referrals(s, why=_("意见建议不予受理"), actor=actor, at=now)
    _notify_submitter(
        s,
        kind="suggestion_rejected",
        key=f"suggestion-rejected:{s.pk}",
        subject=(
            _("您的代表建议已作为参阅件处理：%(title)s") % {"title": s.title[:40]}
            if s.channel == Suggestion.Channel.FORMAL
            else _("您的意见建议（查询码 %(code)s）不予受理") % {"code": s.tracking_code}
        ),
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
    _save(s, "is_key")
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
    _step(s, None, None)
    _save(s, "status", "merged_into", "closed_at", "triaged_at", "responded_on_time")
    _event(s, K.MERGED, actor=actor, data={"into": original.tracking_code}, at=now)
    _event(
        original, K.MERGED, actor=actor, public=False, note=_("合并了 %(code)s") % {"code": s.tracking_code}
    )
    _end_open_referrals(s, why=_("意见建议已合并"), actor=actor, at=now)
    # From now on its submitter follows the original and hears of it as its own (_submitter_recipients):
    # told of the merge now with the original's tracking link, and of the reply and rating request when they
    # come. Whoever rates first rates the round for all (one rating per round).
    notify(
        _own_recipients(s),
        kind="suggestion_merged",
        key=f"suggestion-merged:{s.pk}",
        subject=_(
            "您的意见建议（查询码 %(code)s）与 %(into)s 内容相同，合并办理，请凭查询码 %(into)s 查看进度"
        )
        % {"code": s.tracking_code, "into": original.tracking_code},
        link=reverse("suggestion-track", args=[original.tracking_code]),
    )
    if original.status == S.REPLIED and original.rating_requested_at is not None:
        # The original was answered already: the follower hears of it now, as its submitter did then.
        notify(
            _own_recipients(s),
            kind="rating_request",
            key=f"rating-request:{original.pk}:{original.round}",
            subject=rating_request_subject(original),
            link=reverse("suggestion-track", args=[original.tracking_code]),
        )
    return s


def suggestion_contact_viewed(*, suggestion: Suggestion, actor) -> None:
    """PIPL: every time staff see a submitter's full contact details, the timeline records who and when."""
    _event(suggestion, K.CONTACT_VIEWED, actor=actor, public=False)
