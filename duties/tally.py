"""履职计数: the ledger summed per (delegate, year, kind), kept exact in the transaction of each entry.

Every write of an entry (duties.ledger) adds its sign to one DutyTally row with an atomic upsert. Bulk writes
(the backfill, the benchmark's bulk insert, the migration that created the table) instead rebuild the years
they touched from the ledger in one INSERT … SELECT … GROUP BY. The ledger stays the record: a rebuild always
gives back what the live path keeps.
"""

from collections.abc import Iterable

from django.db import IntegrityError, connections, router, transaction
from django.db.models import F, Model, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from .models import DutyEntry, DutyTally, Kind

# The tally's columns, in the order grouped() selects them.
COLUMNS = ("delegate_id", "year", "kind", "n", "pts")


def tally_add(*, delegate_id: int, year: int, kind: str, n: int, pts: int = 0) -> None:
    """Add `n` (and `pts`) to the delegate's tally of that year and kind. Call it in the entry's transaction.

    UPDATE … SET n = n + %s first: writers of an existing row queue on its row lock and none loses a count.
    Without a row yet, insert it in a savepoint; if another writer inserted the same row meanwhile, the unique
    constraint refuses ours (on PostgreSQL after waiting for theirs to commit) and the UPDATE, run again,
    adds to theirs."""
    rows = DutyTally.objects.filter(delegate_id=delegate_id, year=year, kind=kind)
    change = {"n": F("n") + n, "pts": F("pts") + pts}
    if rows.update(**change):
        return
    try:
        with transaction.atomic():
            DutyTally.objects.create(delegate_id=delegate_id, year=year, kind=kind, n=n, pts=pts)
    except IntegrityError:
        if not rows.update(**change):
            raise


def entry_tally(entry: DutyEntry) -> None:
    """Count one entry just written (an act +1, a reversal -1; an adjustment's points too)."""
    tally_add(
        delegate_id=entry.delegate_id,
        year=entry.year,
        kind=entry.kind,
        n=entry.sign,
        pts=(entry.points or 0) if entry.kind == Kind.ADJUSTMENT else 0,
    )


def grouped(entries: QuerySet) -> QuerySet:
    """What the tallies of these entries must hold: rows of COLUMNS, one per (delegate, year, kind)."""
    return (
        entries.order_by()
        .values(*COLUMNS[:3])
        .annotate(n=Sum("sign"), pts=Coalesce(Sum("points", filter=Q(kind=Kind.ADJUSTMENT)), 0))
    )


def tallies_rebuild(
    years: Iterable[int] | None = None,
    *,
    entry_model: type[Model] = DutyEntry,
    tally_model: type[Model] = DutyTally,
    using: str | None = None,
) -> int:
    """Recompute the tallies of `years` (all years if None) from the ledger: one DELETE and one
    INSERT … SELECT … GROUP BY. Returns the number of tally rows written. The models are parameters so that
    the migration that created the table runs the same query with its historical models."""
    using = using or router.db_for_write(tally_model)
    conn = connections[using]
    qn = conn.ops.quote_name
    table = qn(tally_model._meta.db_table)
    tallies = tally_model._default_manager.using(using).all()
    entries = entry_model._default_manager.using(using).all()
    if years is not None:
        years = sorted(set(years))
        if not years:
            return 0
        tallies, entries = tallies.filter(year__in=years), entries.filter(year__in=years)
    with transaction.atomic(using=using):
        if conn.vendor == "postgresql":
            # Writers wait for the rebuild (readers do not): an entry committed before the lock is in the
            # SELECT below; one written meanwhile adds itself to the rebuilt row once the rebuild commits.
            # Without the lock a writer's new row could collide with the INSERT. SQLite locks the database.
            with conn.cursor() as c:
                c.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        tallies.delete()
        sql, params = grouped(entries).query.get_compiler(using=using).as_sql()
        with conn.cursor() as c:
            c.execute(f"INSERT INTO {table} ({', '.join(qn(col) for col in COLUMNS)}) {sql}", params)
            return c.rowcount
