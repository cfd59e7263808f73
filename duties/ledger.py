"""Writing the ledger: an act becomes an entry, a withdrawn act a reversing entry, each at most once.

Every write here runs inside the transaction of the act (liaison.acts.delegate_act calls
DutiesConfig.on_delegate_act there), so the entry exists exactly when the act does; and each entry is counted
in its tally (duties.tally) in the same transaction, so the league table's counts are the ledger's.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from .models import DutyEntry, Kind
from .tally import entry_tally

# The names the apps announce (liaison.acts) → the ledger's entry kinds. Unknown names that are entry kinds
# themselves are taken as they are.
ACT_KINDS = {
    "reception_log": Kind.RECEPTION_DAY,
    "reception_opinion": Kind.OPINION_RECORDED,
    "appointment_held": Kind.APPOINTMENT_HELD,
    "suggestion_raised": Kind.SUGGESTION_RAISED,
    "ballot_paper": Kind.BALLOT_VOTED,
    "assessment_vote": Kind.ASSESSMENT_VOTED,
    "evaluation_vote": Kind.EVALUATION_VOTED,
    "activity_joined": Kind.ACTIVITY_JOINED,
    "clue_given": Kind.CLUE_GIVEN,
    # The motions app: a formal suggestion filed (lead), co-signed, and its reply rated satisfied by the lead.
    "formal_suggestion_filed": Kind.MOTION_FILED,
    "formal_suggestion_cosigned": Kind.MOTION_COSIGNED,
    "formal_suggestion_satisfied": Kind.MOTION_SATISFIED,
    # The councils app: a delegate who is a member of a street council attended one of its meetings.
    "council_meeting_attended": Kind.COUNCIL_MEETING,
}


def _day(happened_at: dt.datetime | dt.date | None) -> dt.date:
    if happened_at is None:
        return timezone.localdate()
    if isinstance(happened_at, dt.datetime):
        return timezone.localdate(happened_at) if timezone.is_aware(happened_at) else happened_at.date()
    return happened_at


def entry_record(
    *,
    delegate_id: int,
    kind: str,
    source: Model | None,
    occurred_on: dt.date,
    note: str = "",
    points: int | None = None,
    actor=None,
) -> DutyEntry | None:
    """Append one entry. With a source: at most one per (delegate, kind, source) — a repeat is a no-op that
    returns None (the unique constraint decides, so a race cannot double it)."""
    entry = DutyEntry(
        delegate_id=delegate_id,
        kind=kind,
        occurred_on=occurred_on,
        year=occurred_on.year,
        points=points,
        note=(note or "")[:500],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if source is None:
        with transaction.atomic():  # the entry and its count, together even when called outside a transaction
            entry.save()
            entry_tally(entry)
        return entry
    entry.source_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    entry.source_id = source.pk
    if DutyEntry.objects.filter(
        delegate_id=delegate_id, kind=kind, source_type=entry.source_type, source_id=source.pk
    ).exists():
        return None  # recorded already (or recorded and reversed: a withdrawn source does not come back)
    try:
        with transaction.atomic():
            entry.save()
            entry_tally(entry)
    except IntegrityError:
        return None  # the entry was refused (recorded by a concurrent writer): nothing was counted either
    return entry


def entries_reverse(*, source: Model, delegate_id: int | None = None, note: str = "", actor=None) -> int:
    """Write a reversing entry for each live entry of `source` (optionally of one delegate). Idempotent."""
    ct = ContentType.objects.get_for_model(source, for_concrete_model=True)
    live = DutyEntry.objects.filter(source_type=ct, source_id=source.pk, sign=1)
    if delegate_id is not None:
        live = live.filter(delegate_id=delegate_id)
    reversed_ids = set(
        DutyEntry.objects.filter(source_type=ct, source_id=source.pk, sign=-1).values_list(
            "reverses_id", flat=True
        )
    )
    made = 0
    for e in live.exclude(pk__in=reversed_ids):
        try:
            with transaction.atomic():
                reversal = DutyEntry.objects.create(
                    delegate_id=e.delegate_id,
                    kind=e.kind,
                    occurred_on=e.occurred_on,
                    year=e.year,
                    sign=-1,
                    reverses=e,
                    points=-e.points if e.points is not None else None,
                    source_type=ct,
                    source_id=source.pk,
                    note=(note or "")[:500],
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
                entry_tally(reversal)
                made += 1
        except IntegrityError:
            continue
    return made


def _reception_items(log):
    return list(log.items.all()) if hasattr(log, "items") else []


def act_record(
    *,
    delegate_id: int,
    kind: str,
    source: Model,
    happened_at=None,
    withdrawn: bool = False,
    note: str = "",
) -> None:
    """DutiesConfig.on_delegate_act: one announced act (or its withdrawal) into the ledger."""
    if kind == "reception_log":
        # One act per log: the reception day itself, and an opinion recorded per item raised at it.
        items = _reception_items(source)
        if withdrawn:
            for target in [source, *items]:
                entries_reverse(source=target, delegate_id=delegate_id, note=note)
            return
        day = getattr(source, "held_on", None) or _day(happened_at)
        entry_record(
            delegate_id=delegate_id, kind=Kind.RECEPTION_DAY, source=source, occurred_on=day, note=note
        )
        for item in items:
            entry_record(delegate_id=delegate_id, kind=Kind.OPINION_RECORDED, source=item, occurred_on=day)
        return
    if kind == "assessment_vote" and _is_evaluation(source):
        kind = "evaluation_vote"
    entry_kind = ACT_KINDS.get(kind, kind)
    if entry_kind not in Kind.values:
        raise ValueError(f"unknown delegate act {kind!r}")
    if withdrawn:
        entries_reverse(source=source, delegate_id=delegate_id, note=note)
        return
    entry_record(
        delegate_id=delegate_id, kind=entry_kind, source=source, occurred_on=_day(happened_at), note=note
    )


def _is_evaluation(assessment) -> bool:
    """A supervision assessment that is a livelihood project's evaluation (voting.Evaluation)."""
    from voting.models import Evaluation

    return Evaluation.objects.filter(assessment_id=assessment.pk).exists()
