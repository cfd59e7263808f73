#!/usr/bin/env python3
"""Duty record benchmark (issue 13): a city of 6,800 delegates with a year of activity.

    .venv/bin/python bench/duties.py [--entries 300000] [--samples 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_duties .venv/bin/python bench/duties.py

1. a fresh database (SQLite in a temporary directory, or a PostgreSQL database whose name starts with
   liaison_bench), migrated, with the demo network (`seed_demo --force --no-hooks`: 6,800 delegates);
2. in this process: reception logs with their opinions for a year (the source data a deployment that
   upgrades already has: ~60% of the entries), then `backfill()` times the ledger build from them (and the
   rebuild of its tallies); then the rest of a year's entries in realistic proportions (votes, activities,
   trainings, report-backs, adjustments) are bulk-inserted to reach --entries, their years' tallies rebuilt
   (`tallies_rebuild`, timed) and the database ANALYZEd;
3. measures, in process through the Django test client (middleware, templates, serialisers included), the
   median of --samples requests: the league table API for the whole city (`/api/v1/duty-scores/`, staff of
   the city), the league page, and the record page and entry list of the median delegate; and the queries
   each one runs. A second backfill (idempotent: inserts nothing) is timed too.

Targets (issue 13): league table and record page under 50 ms at the median on PostgreSQL; backfill over the
demo city under 60 s. Standard library plus the project's virtualenv.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import log, manage, recreate_database  # noqa: E402


def fill_sources(rng: random.Random, logs_target: int) -> int:
    """A year of reception logs (with 0–3 opinions each) by the city's delegates at their stations."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from stations.models import ReceptionLog, ReceptionLogItem, StationMembership

    members = list(StationMembership.objects.values_list("delegate_id", "station_id"))
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        while made < logs_target:
            batch = []
            for _ in range(min(5000, logs_target - made)):
                d, s = rng.choice(members)
                batch.append(
                    ReceptionLog(
                        station_id=s,
                        delegate_id=d,
                        held_on=today - dt.timedelta(days=rng.randrange(0, 330)),
                        visitors=rng.randrange(1, 15),
                    )
                )
            logs = ReceptionLog.objects.bulk_create(batch)
            items = [
                ReceptionLogItem(log=log, position=p, content="群众反映的问题")
                for log in logs
                for p in range(rng.choice((0, 1, 1, 2, 3)))
            ]
            ReceptionLogItem.objects.bulk_create(items, batch_size=5000)
            made += len(logs)
    return made


def fill_rest(rng: random.Random, target: int) -> tuple[int, set[int]]:
    """The other kinds, without sources (they stand for acts of apps this benchmark does not fill). Returns
    the number of entries and the years inserted into."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from duties.models import DutyEntry
    from stations.models import Delegate

    have = DutyEntry.objects.count()
    ids = list(Delegate.objects.values_list("pk", flat=True))
    kinds = ["ballot_voted"] * 30 + ["assessment_voted"] * 20 + ["activity_joined"] * 15 + ["training"] * 20
    kinds += ["appointment_held"] * 8 + ["suggestion_raised"] * 5 + ["report_back"] * 1 + ["clue_given"] * 1
    today = timezone.localdate()
    years: set[int] = set()
    with transaction.atomic():
        while have < target:
            rows = []
            for _ in range(min(10000, target - have)):
                kind = rng.choice(kinds)
                day = today - dt.timedelta(days=rng.randrange(0, 330))
                rows.append(DutyEntry(delegate_id=rng.choice(ids), kind=kind, occurred_on=day, year=day.year))
            DutyEntry.objects.bulk_create(rows, batch_size=5000)
            years.update(r.year for r in rows)
            have += len(rows)
    return have, years


def timed(client, path: str, samples: int) -> tuple[float, int]:
    from django.db import connection

    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code, r.content[:300])
    seen: list[str] = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper, not CaptureQueriesContext: request_started resets the connection's query log.
    with connection.execute_wrapper(count):
        client.get(path)
    times = []
    for _ in range(samples):
        t = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), len(seen)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--entries", type=int, default=300_000)
    p.add_argument("--samples", type=int, default=30)
    args = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-duties-"))
    env = {**os.environ, "DEBUG": "True", "DJANGO_SETTINGS_MODULE": "liaison.settings", "SECRET_KEY": "bench"}
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    if env["DATABASE_URL"].startswith("postgres"):
        recreate_database(env["DATABASE_URL"])
    os.environ.update(env)
    log(f"database: {env['DATABASE_URL'].split('@')[-1]}")
    manage(env, "migrate", "--no-input")
    manage(env, "seed_demo", "--force", "--no-hooks", "--password", "Bench-pass-2026")

    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    from django.db import connection

    from duties.backfill import backfill
    from duties.models import DutyEntry
    from duties.tally import tallies_rebuild
    from liaison.accounts.models import User
    from stations.models import Area, Delegate

    rng = random.Random(13)
    t = time.perf_counter()
    logs = fill_sources(rng, int(args.entries * 0.6 / 2.3))
    log(f"reception logs: {logs} in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    made = backfill()
    first = time.perf_counter() - t
    log(f"backfill: {sum(made.values())} entries in {first:.1f} s")
    t = time.perf_counter()
    again = backfill()
    second = time.perf_counter() - t
    log(f"backfill again: {sum(again.values())} new entries in {second:.1f} s")
    total, years = fill_rest(rng, args.entries)
    log(f"entries: {total}, delegates: {Delegate.objects.count()}")
    # The bulk insert bypasses the live path's counting: rebuild its years' tallies as the backfill does.
    t = time.perf_counter()
    tallies = tallies_rebuild(years)
    rebuild = time.perf_counter() - t
    log(f"tallies of {sorted(years)} rebuilt: {tallies} rows in {rebuild:.1f} s")
    with connection.cursor() as cur:  # planner statistics after the bulk load (autovacuum would, later)
        cur.execute("ANALYZE")

    city = Area.objects.filter(tier="city").order_by("code").first()
    staff, _ = User.objects.get_or_create(
        username="bench_city_staff", defaults={"role": User.Role.STAFF, "area": city, "is_staff": True}
    )
    counts = sorted(
        DutyEntry.objects.order_by().values_list("delegate_id").annotate(n=Count("id")),
        key=lambda r: r[1],
    )
    median_delegate = counts[len(counts) // 2][0]
    log(f"median delegate {median_delegate}: {counts[len(counts) // 2][1]} entries")
    c = Client()
    c.force_login(staff)
    rows = []
    for label, path in [
        ("league table API, whole city (page 1)", "/api/v1/duty-scores/"),
        ("league table page, whole city", "/workspace/duties/league/"),
        ("record page, median delegate", f"/workspace/duties/delegates/{median_delegate}/"),
        ("entry list API, median delegate", f"/api/v1/duty-entries/?delegate={median_delegate}"),
        ("public record API, median delegate", f"/api/v1/delegates/{median_delegate}/record/"),
    ]:
        ms, q = timed(c, path, args.samples)
        rows.append((label, ms, q))
    print()
    print(f"| request | median ms | queries |  ({DutyEntry.objects.count()} entries)")
    print("| --- | ---: | ---: |")
    for label, ms, q in rows:
        print(f"| {label} | {ms:.1f} | {q} |")
    print(f"| backfill (first run, {sum(made.values())} entries) | {first * 1000:.0f} | |")
    print(f"| backfill (second run, inserts {sum(again.values())}) | {second * 1000:.0f} | |")
    print(
        f"| tallies_rebuild({sorted(years)}) after the bulk insert ({tallies} rows) | {rebuild * 1000:.0f} | |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
