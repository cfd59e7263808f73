"""Compilation and feedback: merge duplicates, forward (采用上报), record outcomes per forwarded opinion, and
publish the feedback (the submitters who left a phone are told)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import InvalidTransition, ValidationFailed
from liaison.notifications.services import Recipient, notify

from ..models import Draft, Opinion
from ._common import locked_draft, locked_opinion, require_staff_of

COMPILING = (Draft.Status.OPEN, Draft.Status.CLOSED)


def _compiling_opinion(user, opinion_id: int) -> Opinion:
    opinion = locked_opinion(opinion_id)
    require_staff_of(user, opinion.draft)
    if opinion.draft.status not in COMPILING:
        raise InvalidTransition(_("草案已汇总上报，意见不能再修改。"))
    return opinion


@transaction.atomic
def opinion_forward(*, user, opinion_id: int) -> Opinion:
    opinion = _compiling_opinion(user, opinion_id)
    if opinion.status != Opinion.Status.RECEIVED:
        raise InvalidTransition(_("只有已收到的意见可以采用上报。"))
    opinion.status = Opinion.Status.FORWARDED
    opinion.forwarded_at = timezone.now()
    opinion.save(update_fields=["status", "forwarded_at"])
    return opinion


@transaction.atomic
def opinion_unforward(*, user, opinion_id: int) -> Opinion:
    opinion = _compiling_opinion(user, opinion_id)
    if opinion.status != Opinion.Status.FORWARDED:
        raise InvalidTransition(_("该意见未被采用上报。"))
    opinion.status = Opinion.Status.RECEIVED
    opinion.forwarded_at = None
    opinion.save(update_fields=["status", "forwarded_at"])
    return opinion


@transaction.atomic
def opinion_merge(*, user, opinion_id: int, into_id: int) -> Opinion:
    """Merge a duplicate into another opinion of the same draft: it is counted as received, and its submitter
    sees the outcome of the opinion it was merged into. Opinions merged into it follow it."""
    if int(opinion_id) == int(into_id):
        raise ValidationFailed({"into": [_("不能合并到自身。")]})
    opinion = _compiling_opinion(user, opinion_id)
    target = locked_opinion(into_id)
    if target.draft_id != opinion.draft_id:
        message = _("只能合并同一草案的意见。")
        raise ValidationFailed({"into": [message]})
    if target.status == Opinion.Status.MERGED:
        message = _("目标意见已被合并。")
        raise ValidationFailed({"into": [message]})
    if opinion.status == Opinion.Status.MERGED:
        raise InvalidTransition(_("该意见已合并。"))
    opinion.status = Opinion.Status.MERGED
    opinion.merged_into = target
    opinion.forwarded_at = None
    opinion.save(update_fields=["status", "merged_into", "forwarded_at"])
    Opinion.objects.filter(merged_into=opinion).update(merged_into=target)
    return opinion


@transaction.atomic
def opinion_outcome(*, user, opinion_id: int, outcome: str, note: str = "") -> Opinion:
    opinion = locked_opinion(opinion_id)
    require_staff_of(user, opinion.draft)
    if opinion.draft.status != Draft.Status.REPORTED:
        raise InvalidTransition(_("草案汇总上报后、公布采纳情况前才能登记采纳情况。"))
    if opinion.status != Opinion.Status.FORWARDED:
        message = _("只有采用上报的意见才能登记采纳情况。")
        raise ValidationFailed({"outcome": [message]})
    if outcome not in Opinion.Outcome.values:
        message = _("采纳情况须为采纳、部分采纳或未采纳。")
        raise ValidationFailed({"outcome": [message]})
    opinion.outcome = outcome
    opinion.outcome_note = (note or "").strip()[:2000]
    opinion.outcome_at = timezone.now()
    opinion.save(update_fields=["outcome", "outcome_note", "outcome_at"])
    return opinion


@transaction.atomic
def draft_publish_feedback(*, user, draft_id: int) -> Draft:
    draft = locked_draft(draft_id)
    require_staff_of(user, draft)
    if draft.status != Draft.Status.REPORTED:
        raise InvalidTransition(_("汇总上报后才能公布采纳情况。"))
    missing = draft.opinions.filter(status=Opinion.Status.FORWARDED, outcome="").count()
    if missing:
        raise InvalidTransition(_("还有%(n)d条上报意见未登记采纳情况。") % {"n": missing})
    draft.status = Draft.Status.FEEDBACK_PUBLISHED
    draft.feedback_published_at = timezone.now()
    draft.save(update_fields=["status", "feedback_published_at"])
    _notify_submitters(draft)
    return draft


def _notify_submitters(draft: Draft) -> int:
    """Tell every member of the public who left a phone that the outcome of their opinion is published."""
    sent = 0
    rows = (
        Opinion.objects.filter(draft=draft)
        .exclude(phone="")
        .only("id", "tracking_code", "phone")
        .order_by("id")
    )
    for o in rows.iterator(chunk_size=500):
        sent += notify(
            [Recipient(phone=o.phone)],
            kind="legislation_feedback",
            key=f"legislation-feedback:{o.pk}",
            subject=_("您对《%(title)s》提出的意见已有采纳情况，查询码%(code)s。")
            % {"title": draft.title[:60], "code": o.tracking_code},
            link=reverse("legislation:track", args=[o.tracking_code]),
        )
    return sent
