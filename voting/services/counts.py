"""Ballots counted on paper or by a voting device: an admin enters the count per candidate once the vote has
closed (or while it is open, at the session), another admin confirms it, and only then does it count — the same
rules (quorum, majority, ties) then decide the result from the confirmed sheet (voting.selectors.ballot_tally)."""

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from bodies.counting import confirm_check, count_value, sheet_check, votes_check
from bodies.models import Counting
from liaison.errors import InvalidTransition, ValidationFailed, get_or_not_found
from liaison.parsing import to_id

from ..models import Ballot, BallotCount, BallotCountLine, BallotEvent, Candidate


def _lock(ballot_id) -> Ballot:
    return get_or_not_found(Ballot.objects.select_for_update(), pk=to_id(ballot_id) or 0)


def _lines(ballot: Ballot, candidates: Iterable, sheet) -> list[tuple[int, dict[str, int]]]:
    ids = dict(Candidate.objects.filter(ballot_id=ballot.pk).values_list("pk", "proposal__title"))
    out: dict[int, dict[str, int]] = {}
    for row in candidates or []:
        if not isinstance(row, Mapping):
            raise ValidationFailed(_("每个候选项目的计票应为 {id, for, against, abstain}。"))
        cid = to_id(row.get("id"))
        if cid not in ids:
            raise ValidationFailed(_("候选项目 %(c)s 不属于本次表决。") % {"c": row.get("id")})
        if cid in out:
            raise ValidationFailed(_("候选项目 %(c)s 重复出现。") % {"c": cid})
        counts = {}
        for key, label in (("for", _("赞成")), ("against", _("反对")), ("abstain", _("弃权"))):
            counts[key] = count_value(row.get(key, 0), label)
        votes_check(counts, sheet, ids[cid])
        out[cid] = counts
    missing = set(ids) - set(out)
    if missing:
        raise ValidationFailed(_("请录入每个候选项目的票数，还缺 %(n)s 项。") % {"n": len(missing)})
    return list(out.items())


@transaction.atomic
def count_enter(*, ballot_id, present, candidates, actor, **head) -> BallotCount:
    """Enter (or, before it is confirmed, re-enter) the count of a ballot counted on paper or by a device."""
    ballot = _lock(ballot_id)
    if ballot.counting == Counting.ONLINE:
        raise InvalidTransition(_("本次表决为网上投票，由系统计票，不能录入纸质计票结果。"))
    if ballot.status not in (Ballot.Status.OPEN, Ballot.Status.CLOSED):
        raise InvalidTransition(
            _("只有表决中或已结束的表决可以录入计票结果，该表决当前为“%(s)s”。") % {"s": ballot.get_status_display()}
        )
    head.setdefault("method", ballot.counting)
    sheet = sheet_check(roll_size=ballot.roll_entries.count(), present=present, **head)
    lines = _lines(ballot, candidates, sheet)
    old = BallotCount.objects.filter(ballot_id=ballot.pk).first()
    if old is not None:
        if old.confirmed_at is not None:
            raise InvalidTransition(_("计票结果已经确认，不能再修改。"))
        old.lines.all().delete()
        for field, value in sheet.as_fields().items():
            setattr(old, field, value)
        old.entered_by = actor
        old.save()
        count = old
    else:
        count = BallotCount.objects.create(ballot=ballot, entered_by=actor, **sheet.as_fields())
    bulk_create_with_history(
        [
            BallotCountLine(
                count=count, candidate_id=cid, votes_for=c["for"], votes_against=c["against"], votes_abstain=c["abstain"]
            )
            for cid, c in lines
        ],
        BallotCountLine,
        default_user=actor,
    )
    BallotEvent.objects.create(
        ballot=ballot, kind=BallotEvent.Kind.COUNT_ENTERED, actor=actor, note=f"{sheet.method} {sheet.present}"
    )
    return count


@transaction.atomic
def count_confirm(*, ballot_id, actor) -> BallotCount:
    ballot = _lock(ballot_id)
    count = BallotCount.objects.select_for_update().filter(ballot_id=ballot.pk).first()
    confirm_check(count, actor)
    count.save(update_fields=["confirmed_by", "confirmed_at"])
    BallotEvent.objects.create(ballot=ballot, kind=BallotEvent.Kind.COUNT_CONFIRMED, actor=actor)
    return count
