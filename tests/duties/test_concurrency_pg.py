"""PostgreSQL only: many writers count into the same tally at once — the first ones racing to create the
row — and no count is lost or doubled.

Run with DATABASE_URL=postgres://… (SQLite serialises writers, so there is no race to show there).
"""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from duties.ledger import entries_reverse, entry_record
from duties.models import DutyEntry, DutyTally, Training
from duties.tally import tallies_rebuild

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite runs one writer at a time")


def _run_all(jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(i, fn):
        try:
            barrier.wait()
            with transaction.atomic():  # as a service would: the entry and its count commit together
                results[i] = fn()
        except Exception as exc:  # reported below, never swallowed
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _tallies(delegate) -> dict:
    return {t.kind: (t.n, t.pts) for t in DutyTally.objects.filter(delegate=delegate)}


def test_concurrent_writers_lose_no_count(postgres_only, tree, delegate):
    today = timezone.localdate()
    trainings = [
        Training.objects.create(title=f"培训{i}", held_on=today, area=tree.county) for i in range(12)
    ]

    def attend(t):
        return lambda: entry_record(delegate_id=delegate.pk, kind="training", source=t, occurred_on=today)

    def adjust(points):
        return lambda: entry_record(
            delegate_id=delegate.pk,
            kind="adjustment",
            source=None,
            occurred_on=today,
            points=points,
            note="x",
        )

    # No tally row exists yet: every first writer of a kind races to insert it. Each training twice at the
    # same instant (the ledger keeps one), and twelve adjustments.
    jobs = [attend(t) for t in trainings] + [attend(t) for t in trainings] + [adjust(p) for p in range(1, 13)]
    results = _run_all(jobs)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert DutyEntry.objects.filter(kind="training").count() == 12
    assert _tallies(delegate) == {"training": (12, 0), "adjustment": (12, sum(range(1, 13)))}

    # Withdrawals racing new acts and each other (each training withdrawn twice at once).
    more = [Training.objects.create(title=f"再培训{i}", held_on=today, area=tree.county) for i in range(6)]
    jobs = [(lambda t=t: entries_reverse(source=t)) for t in trainings[:6] * 2] + [attend(t) for t in more]
    results = _run_all(jobs)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert DutyEntry.objects.filter(kind="training", sign=-1).count() == 6
    assert _tallies(delegate)["training"] == (12 - 6 + 6, 0)


def test_a_rebuild_racing_writers_leaves_the_ledgers_counts(postgres_only, tree, delegate):
    today = timezone.localdate()
    trainings = [
        Training.objects.create(title=f"培训{i}", held_on=today, area=tree.county) for i in range(16)
    ]
    for t in trainings[:8]:
        entry_record(delegate_id=delegate.pk, kind="training", source=t, occurred_on=today)
    jobs = [
        (lambda t=t: entry_record(delegate_id=delegate.pk, kind="training", source=t, occurred_on=today))
        for t in trainings[8:]
    ]
    # Adjustments have no tally row yet: their first writers' INSERT races the rebuild's.
    jobs += [
        (
            lambda p=p: entry_record(
                delegate_id=delegate.pk, kind="adjustment", source=None, occurred_on=today, points=p, note="x"
            )
        )
        for p in range(1, 7)
    ]
    jobs += [lambda: tallies_rebuild([today.year]), lambda: tallies_rebuild()]
    results = _run_all(jobs)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert _tallies(delegate) == {"training": (16, 0), "adjustment": (6, 21)}
