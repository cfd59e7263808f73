"""Build the ledger from what the other apps already store, for deployments that upgrade (backfill_duties).

Idempotent: each source yields the entries the live path would have written, and the ledger's unique
constraint (one act per delegate, kind and source) makes a second run insert nothing. The bulk insert bypasses
the live path's counting, so the tallies of the years it inserted into are rebuilt at the end (duties.tally).
"""

import datetime as dt
from collections.abc import Callable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils import timezone

from .models import DutyEntry, Kind, ReportBack, SelfReport, Training
from .tally import tallies_rebuild

CHUNK = 2000


def _day(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value or timezone.localdate()


def _entry(delegate_id: int, kind: str, ct: ContentType, source_id: int, on) -> DutyEntry:
    day = _day(on)
    return DutyEntry(
        delegate_id=delegate_id,
        kind=kind,
        occurred_on=day,
        year=day.year,
        source_type=ct,
        source_id=source_id,
    )


def _ct(model: type[Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)


def _receptions() -> tuple[QuerySet, Callable[[Model], list[DutyEntry]]]:
    from stations.models import ReceptionLog, ReceptionLogItem

    log_ct, item_ct = _ct(ReceptionLog), _ct(ReceptionLogItem)

    def make(log) -> list[DutyEntry]:
        rows = [_entry(log.delegate_id, Kind.RECEPTION_DAY, log_ct, log.pk, log.held_on)]
        rows += [
            _entry(log.delegate_id, Kind.OPINION_RECORDED, item_ct, i.pk, log.held_on)
            for i in log.items.all()
        ]
        return rows

    return ReceptionLog.objects.order_by("pk").prefetch_related("items"), make


def _appointments():
    from stations.models import Appointment

    ct = _ct(Appointment)
    return (
        Appointment.objects.filter(status=Appointment.Status.HELD).order_by("pk"),
        lambda a: [_entry(a.delegate_id, Kind.APPOINTMENT_HELD, ct, a.pk, a.scheduled_at or a.updated_at)],
    )


def _suggestions():
    from suggestions.models import Suggestion

    ct = _ct(Suggestion)
    return (
        Suggestion.objects.filter(channel=Suggestion.Channel.DELEGATE, raised_by_delegate__isnull=False)
        .only("pk", "raised_by_delegate_id", "created_at")
        .order_by("pk"),
        lambda s: [_entry(s.raised_by_delegate_id, Kind.SUGGESTION_RAISED, ct, s.pk, s.created_at)],
    )


def _ballots():
    from voting.models import Ballot, BallotPaper

    ct = _ct(Ballot)  # the ballot, never a vote: the entry says a paper was handed in
    return (
        BallotPaper.objects.only("pk", "delegate_id", "ballot_id", "cast_at").order_by("pk"),
        lambda p: [_entry(p.delegate_id, Kind.BALLOT_VOTED, ct, p.ballot_id, p.cast_at)],
    )


def _assessments():
    from supervision.models import Assessment, AssessmentVote
    from voting.models import Evaluation

    ct = _ct(Assessment)
    evaluations = set(Evaluation.objects.values_list("assessment_id", flat=True))

    def make(v) -> list[DutyEntry]:
        kind = Kind.EVALUATION_VOTED if v.assessment_id in evaluations else Kind.ASSESSMENT_VOTED
        a = v.assessment
        return [_entry(v.delegate_id, kind, ct, v.assessment_id, a.opened_at or a.created_at)]

    # A body member who is not a delegate has no duty record: only delegates' votes.
    votes = AssessmentVote.objects.filter(delegate__isnull=False).select_related("assessment")
    return votes.order_by("pk"), make


def _activities():
    from supervision.models import Activity

    ct = _ct(Activity)
    return (
        Activity.objects.filter(status=Activity.Status.DONE).prefetch_related("delegates").order_by("pk"),
        lambda a: [
            _entry(d.pk, Kind.ACTIVITY_JOINED, ct, a.pk, a.ends_at or a.starts_at or a.created_at)
            for d in a.delegates.all()
        ],
    )


def _clues():
    from supervision.models import Clue

    ct = _ct(Clue)
    return (
        Clue.objects.only("pk", "delegate_id", "created_at").order_by("pk"),
        lambda c: [_entry(c.delegate_id, Kind.CLUE_GIVEN, ct, c.pk, c.created_at)],
    )


def _trainings():
    ct = _ct(Training)
    return (
        Training.objects.prefetch_related("attendees").order_by("pk"),
        lambda t: [_entry(d.pk, Kind.TRAINING, ct, t.pk, t.held_on) for d in t.attendees.all()],
    )


def _report_backs():
    ct = _ct(ReportBack)
    return (
        ReportBack.objects.exclude(status=ReportBack.Status.SCHEDULED).order_by("pk"),
        lambda r: [_entry(r.delegate_id, Kind.REPORT_BACK, ct, r.pk, r.held_at or r.scheduled_on)],
    )


def _self_reports():
    ct = _ct(SelfReport)
    return (
        SelfReport.objects.filter(status=SelfReport.Status.APPROVED).order_by("pk"),
        lambda r: [_entry(r.delegate_id, r.kind, ct, r.pk, r.occurred_on)],
    )


SOURCES = {
    "reception_logs": _receptions,
    "appointments": _appointments,
    "suggestions": _suggestions,
    "ballot_papers": _ballots,
    "assessment_votes": _assessments,
    "activities": _activities,
    "clues": _clues,
    "trainings": _trainings,
    "report_backs": _report_backs,
    "self_reports": _self_reports,
}


def backfill(*, progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Insert every missing entry, then rebuild the tallies of the years inserted into; returns
    {source: entries inserted}. `progress(source, done, total)`."""
    made: dict[str, int] = {}
    years: set[int] = set()
    for name, build in SOURCES.items():
        qs, make = build()
        total = qs.count()
        before = DutyEntry.objects.count()
        done = 0
        for batch in _chunks(qs, CHUNK):
            rows = _missing([e for obj in batch for e in make(obj)])
            # ignore_conflicts still: a live act recorded meanwhile wins, the unique constraint decides.
            DutyEntry.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
            years.update(r.year for r in rows)
            done += len(batch)
            if progress:
                progress(name, done, total)
        if progress and total == 0:
            progress(name, 0, 0)
        made[name] = DutyEntry.objects.count() - before
    tallies_rebuild(years)  # nothing inserted, nothing to rebuild
    return made


def _missing(rows: list[DutyEntry]) -> list[DutyEntry]:
    """The rows not in the ledger yet: one query per source type and chunk, so that a second run reads
    instead of attempting (and conflicting on) every insert again."""
    by_type: dict[int, list[DutyEntry]] = {}
    for r in rows:
        by_type.setdefault(r.source_type_id, []).append(r)
    keep: list[DutyEntry] = []
    for ct_id, group in by_type.items():
        have = set(
            DutyEntry.objects.filter(
                source_type_id=ct_id, source_id__in={r.source_id for r in group}, sign=1
            ).values_list("delegate_id", "kind", "source_id")
        )
        keep += [r for r in group if (r.delegate_id, r.kind, r.source_id) not in have]
    return keep


def _chunks(qs: QuerySet, size: int) -> Iterator[list]:
    """Keyset pages by pk, so prefetches run per page and memory stays flat."""
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last)[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk
