"""The submitter's rating: asking for it, and what a rating does (close, reopen, or 督办)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import Conflict, InvalidTransition, NotPermitted, ValidationFailed
from liaison.notifications.recipients import handling_staff, supervising_staff
from liaison.satisfaction import Satisfaction

from ..models import Rating, Suggestion
from ._common import (
    K,
    S,
    _end_open_referrals,
    _event,
    _lock,
    _notify_staff,
    _notify_submitter,
    _save,
    _staff_step,
    _step,
    _text,
)


def rating_request_subject(s: Suggestion) -> str:
    return _("您的意见建议（查询码 %(code)s）已答复，请于 %(due)s 前评价") % {
        "code": s.tracking_code,
        "due": s.rating_due.isoformat() if s.rating_due else "",
    }


def _request_rating(s: Suggestion, *, now: dt.datetime | None = None) -> int:
    """Tell the submitter and the followers (submitters of merged duplicates) of the reply and ask them to
    rate (email if given, else SMS); marks the suggestion so a sweep skips it."""
    now = now or timezone.now()
    sent = _notify_submitter(
        s,
        kind="rating_request",
        key=f"rating-request:{s.pk}:{s.round}",
        subject=rating_request_subject(s),
    )
    s.rating_requested_at = now
    s.save(update_fields=["rating_requested_at"])  # saved, not updated: the suggestion's history records it
    return sent


@transaction.atomic
def suggestion_rate(
    *, suggestion_id: int, rating: str, comment: str = "", by_lead_delegate: bool = False
) -> Rating:
    """The submitter's rating. Satisfied / basically satisfied close it; unsatisfied reopens it for another
    round; an unsatisfied rating in a later round escalates to 督办 by the staff one tier up.

    A formal suggestion (channel `formal`) is rated only by its lead delegate, through the motions app
    (`by_lead_delegate`); it is re-handled once: an unsatisfied rating in a later round closes it."""
    if rating not in Satisfaction.values:
        raise ValidationFailed({"rating": [_("请选择满意、基本满意或不满意。")]})
    comment = _text(comment, field="comment", label=_("评价意见"), max_length=500, required=False)
    s = _lock(suggestion_id)
    formal = s.channel == Suggestion.Channel.FORMAL
    if formal and not by_lead_delegate:
        raise NotPermitted(_("代表建议由领衔代表在代表工作台评价。"))
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
    # The round is over: assisting referrals still open have nothing left to add.
    if rating != Satisfaction.UNSATISFIED or (formal and s.round >= 2):
        s.status, s.closed_at = S.CLOSED, now
        _step(s, None, None)
        _save(s, "status", "rating", "rating_due", "closed_at")
        _event(s, K.CLOSED, at=now)
        _end_open_referrals(s, why=_("意见建议已办结"), at=now)
        return r
    _end_open_referrals(s, why=_("本轮已答复并评价，另行交办"), at=now)
    escalate = s.round >= 2
    s.round += 1
    s.status, s.reply_due = (S.SUPERVISED if escalate else S.REOPENED), None
    _staff_step(s, timezone.localdate(now))
    _save(s, "status", "rating", "rating_due", "round", "reply_due")
    if escalate:
        _event(s, K.SUPERVISED, at=now)
        _notify_staff(
            s,
            supervising_staff(s.area),
            kind="suggestion_supervised",
            key=f"suggestion-supervised:{s.pk}:{s.round}",
            subject=_("督办：意见建议两次评价不满意（%(title)s）") % {"title": s.title[:40]},
        )
    elif formal:
        # The motions app refers it again at once, to the same units, due in a month.
        _event(s, K.REOPENED, data={"round": s.round}, at=now)
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
