#!/usr/bin/env python3
"""Supervision benchmark (issue 6), on PostgreSQL: 200 topics with 100,000 supports.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_sup .venv/bin/python bench/supervision.py \
        [--topics 200] [--supports 100000] [--samples 300] [--duration 10] [--rounds 5] [--concurrency 8] [--workers 4]

1. (re)creates the database (only one whose name starts with `liaison_bench`), migrates it, and fills it in
   this process: an area, 200 topics, 100,000 support rows (keyed phone hashes) spread over them with a
   long tail, and the denormalised counts;
2. in process: the query count of each measured page, and the public list sorted by supports two ways —
   the denormalised `supports_count` column vs counting the support rows (`annotate(Count)`, index-only);
3. starts gunicorn (sync workers, DEBUG=False) and measures, one request at a time, the median latency of
   the public topic list sorted by supports (API and page) and of a topic page (API and page);
4. throughput: supports per second through `POST /api/v1/topics/ID/support/` (each with a distinct phone
   and a valid one-time code, over random topics) against a trivial Django POST view, in interleaved rounds.

Targets: list and page under 50 ms at the median with a fixed number of queries; support throughput at
least 0.3 of the trivial view. Standard library plus the project's virtualenv.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402 - after the sys.path line above
    JSON,
    Rounds,
    bench_env,
    gunicorn,
    log,
    machine,
    manage,
    pad,
    postgres_url,
    recreate_database,
    request,
)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/liaison_bench_sup"
LATENCY_TARGET_MS = 50.0
RATIO_TARGET = 0.3


def fill(n_topics: int, n_supports: int, n_codes: int) -> dict:
    """Topics, supports and valid one-time codes for the throughput run. Returns ids and codes."""
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connection, transaction
    from django.db.models import Case, IntegerField, Value, When
    from django.utils import timezone

    from stations.models import Area
    from supervision.models import SmsCode, Topic, TopicSupport
    from supervision.services.sms_codes import _code_hash, phone_hash

    rng = random.Random(6)
    t = time.perf_counter()
    with transaction.atomic():
        province = Area.objects.create(
            code="610000000000", name="陕西省", tier="province", path="610000000000/"
        )
        city = Area.objects.create(
            code="611000000000",
            name="商洛市",
            tier="city",
            parent=province,
            path=f"{province.path}611000000000/",
        )
        county = Area.objects.create(
            code="611002000000", name="商州区", tier="county", parent=city, path=f"{city.path}611002000000/"
        )
        topics = Topic.objects.bulk_create(
            Topic(
                title=f"监督议题{i:03d}：老旧小区改造与加装电梯推进情况",
                description="群众反映的问题。" * 10,
                area=county,
                year=2026,
                proposer_kind="public",
            )
            for i in range(n_topics)
        )
        # A long tail: a few topics gather most supports, as in real collections.
        weights = [1 / (i + 1) ** 0.8 for i in range(n_topics)]
        rng.shuffle(weights)
        picks = rng.choices(range(n_topics), weights=weights, k=n_supports)
        counts = [0] * n_topics
        rows, seen = [], set()
        for n, ti in enumerate(picks):
            phone = f"13{n:09d}"
            key = (ti, phone)
            if key in seen:
                continue
            seen.add(key)
            counts[ti] += 1
            rows.append(TopicSupport(topic_id=topics[ti].pk, phone_hash=phone_hash(phone)))
        TopicSupport.objects.bulk_create(rows, batch_size=5000)
        Topic.objects.filter(pk__in=[x.pk for x in topics]).update(
            supports_count=Case(
                *[When(pk=x.pk, then=Value(counts[i])) for i, x in enumerate(topics)],
                output_field=IntegerField(),
            )
        )
        # Valid codes for the throughput run: distinct numbers that support nothing yet.
        expires = timezone.now() + timedelta(hours=2)
        codes = []
        sms_rows = []
        for i in range(n_codes):
            phone = f"15{i:09d}"
            code = f"{rng.randrange(10**6):06d}"
            p_hash = phone_hash(phone)
            sms_rows.append(
                SmsCode(
                    phone_hash=p_hash,
                    purpose="support",
                    code_hash=_code_hash(p_hash, code),
                    expires_at=expires,
                )
            )
            codes.append((phone, code))
        SmsCode.objects.bulk_create(sms_rows, batch_size=5000)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")  # fresh statistics, as a running database would have
    log(
        f"  filled {n_topics} topics, {len(rows)} supports, {n_codes} codes in {time.perf_counter() - t:.1f} s"
    )
    ordered = sorted(range(n_topics), key=lambda i: counts[i])
    median_topic = topics[ordered[n_topics // 2]].pk
    return {
        "topic_ids": [x.pk for x in topics],
        "median_topic": median_topic,
        "codes": codes,
        "total": len(rows),
    }


def in_process_checks(median_topic: int, samples: int) -> None:
    """Query counts of the measured pages and the denormalised count vs counting rows."""
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from supervision.models import Topic

    c = Client()
    log("")
    log("Queries per request (in process, anonymous):")
    for path in [
        "/api/v1/topics/?ordering=-supports",
        "/api/v1/topics/?ordering=-supports&page_size=200",
        "/supervision/",
        f"/api/v1/topics/{median_topic}/",
        f"/supervision/topics/{median_topic}/",
    ]:
        with CaptureQueriesContext(connection) as ctx:
            status = c.get(path, HTTP_HOST="127.0.0.1").status_code
        log(f"  {pad(path, 52)}{len(ctx.captured_queries):>3} queries  (HTTP {status})")

    def timed(fn) -> float:
        runs = []
        for _ in range(samples):
            t = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
        return statistics.median(runs) * 1000

    denormalised = timed(
        lambda: list(Topic.objects.order_by("-supports_count", "-id").values("id", "supports_count")[:20])
    )
    counted = timed(
        lambda: list(Topic.objects.annotate(n=Count("supports")).order_by("-n", "-id").values("id", "n")[:20])
    )
    log("")
    log("Top 20 by supports, median of the query alone:")
    log(f"  denormalised supports_count column: {denormalised:7.2f} ms")
    log(f"  COUNT(*) over the support rows:     {counted:7.2f} ms")


def latency(port: int, path: str, n: int) -> float:
    runs = []
    for _ in range(n):
        t = time.perf_counter()
        status, _body = request(port, "GET", path)
        runs.append(time.perf_counter() - t)
        if status != 200:
            sys.exit(f"{path} answered {status}")
    return statistics.median(runs) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--topics", type=int, default=200)
    parser.add_argument("--supports", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=300, help="sequential requests per latency target")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per throughput target")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--codes", type=int, default=60_000, help="one-time codes prepared for the support run"
    )
    args = parser.parse_args()

    url = postgres_url(DEFAULT_DB)
    tmp = Path(tempfile.mkdtemp(prefix="liaison-bench-sup-"))
    # The bench client is one address: lift the per-client limits it would otherwise hit.
    env = bench_env(url, var_dir=tmp / "var", RATE_LIMIT_SUPPORT="100000000/h")
    os.environ.update(env)
    log(f"Database: {url.split('@')[-1]}")
    log(f"Machine: {machine()}")
    try:
        log("Preparing the database")
        recreate_database(url)
        manage(env, "migrate", "--no-input", "-v", "0")
        data = fill(args.topics, args.supports, args.codes)
        from bench.urls import create_floor_table

        create_floor_table()
        in_process_checks(data["median_topic"], min(args.samples, 200))
        from django.db import connections

        connections.close_all()
        log("")
        with gunicorn(env, args.workers) as server:
            return measure(server, data, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def measure(server, data: dict, args) -> int:
    port = server.port
    median = data["median_topic"]
    reads = [
        ("topic list API ?ordering=-supports", "/api/v1/topics/?ordering=-supports"),
        ("topic list page /supervision/", "/supervision/"),
        ("topic API /api/v1/topics/ID/", f"/api/v1/topics/{median}/"),
        ("topic page /supervision/topics/ID/", f"/supervision/topics/{median}/"),
    ]
    for _name, path in reads:
        latency(port, path, 20)  # warm-up
    log("")
    log(f"Median latency, {args.samples} sequential requests each (client side, incl. HTTP):")
    slow = []
    for name, path in reads:
        ms = latency(port, path, args.samples)
        flag = "" if ms < LATENCY_TARGET_MS else f"  > {LATENCY_TARGET_MS:.0f} ms"
        if flag:
            slow.append(name)
        log(f"  {pad(name, 40)}{ms:7.2f} ms{flag}")

    codes = iter(data["codes"])
    lock = threading.Lock()
    topic_ids = data["topic_ids"]
    rng = random.Random(7)

    def post(path: str, body: dict):
        return "POST", path, json.dumps(body).encode(), JSON

    def next_support():
        with lock:
            item = next(codes, None)
            tid = rng.choice(topic_ids)
        if item is None:
            return None
        phone, code = item
        return post(f"/api/v1/topics/{tid}/support/", {"phone": phone, "code": code})

    def trivial():
        return post("/bench/trivial-post/", {"phone": "13800000000", "code": "123456"})

    def floor_insert():
        return post("/bench/floor/insert/", {"phone": "13800000000", "code": "123456"})

    def floor_support():
        req = next_support()
        return None if req is None else (req[0], req[1].replace("/api/v1/", "/bench/floor/"), *req[2:])

    reported = Counter()

    def report_error(status: int, req) -> None:
        reported[req[1]] += 1
        if reported[req[1]] < 3:
            log(f"    {req[1]}: HTTP {status}")

    targets = [
        ("trivial POST view", trivial),
        ("floor: one-row INSERT", floor_insert),
        ("floor: support as plain SQL", floor_support),
        ("POST topics/ID/support/", next_support),
    ]
    only_201 = {"ok": lambda status, _req: status == 201, "on_error": report_error}
    rounds = Rounds(server, args.concurrency)
    rounds.warm(targets, 1.0, **only_201)  # uses some codes
    totals = rounds.run(targets, args.rounds, args.duration, **only_201)
    log("")
    log(
        f"Throughput: {args.duration:.0f} s per target in {args.rounds} interleaved rounds, {args.concurrency} threads"
    )
    log("  " + pad("target", 30) + f"{'req/s':>9}{'ratio':>8}{'errors':>8}{'server CPU ms/req':>20}")
    base = totals["trivial POST view"].rate
    rates = {}
    for name, _fn in targets:
        total = totals[name]
        rate = rates[name] = total.rate
        cpu_ms = total.cpu_ms(rounds.measured_cpu)
        log("  " + pad(name, 30) + f"{rate:>9.0f}{rate / base:>8.2f}{total.errors:>8}{cpu_ms:>20}")
    ratio = rates["POST topics/ID/support/"] / base
    floor = rates["floor: support as plain SQL"]
    log(
        f"  the endpoint reaches {rates['POST topics/ID/support/'] / floor:.2f} of its plain-SQL floor; "
        f"the floor itself is {floor / base:.2f} of the trivial view"
    )

    # The counts stayed exact under concurrent supports.
    from django.db.models import Count, F

    from supervision.models import Topic

    drift = Topic.objects.annotate(n=Count("supports")).exclude(supports_count=F("n")).count()
    log("")
    log(f"Topics whose denormalised count differs from their support rows: {drift}")
    log(
        f"Targets: median under {LATENCY_TARGET_MS:.0f} ms — {'met' if not slow else 'MISSED: ' + ', '.join(slow)}; "
        f"support/trivial ratio ≥ {RATIO_TARGET} — {'met' if ratio >= RATIO_TARGET else 'MISSED'} ({ratio:.2f})"
    )
    return 0 if not slow and ratio >= RATIO_TARGET and drift == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
