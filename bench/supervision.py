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
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.foundation import (  # noqa: E402 - after the sys.path line above
    HOST,
    cpu_seconds,
    free_port,
    gunicorn_command,
    log,
    manage,
    pad,
    recreate_database,
    request,
    wait_ready,
    worker_pids,
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


def post_load(port: int, target, duration: float, concurrency: int) -> tuple[int, int, float]:
    """POST for `duration` seconds with `concurrency` threads; `target()` gives (path, body) per request."""
    import http.client
    import json

    stop_at = time.perf_counter() + duration
    results = [(0, 0)] * concurrency

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        ok = errors = 0
        while time.perf_counter() < stop_at:
            item = target()
            if item is None:
                break
            path, body = item
            try:
                conn.request(
                    "POST", path, body=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
                )
                resp = conn.getresponse()
                resp.read()
                if resp.status == 201:
                    ok += 1
                else:
                    errors += 1
                    if errors < 3:
                        log(f"    {path}: HTTP {resp.status}")
                if resp.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
        conn.close()
        results[i] = (ok, errors)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(r[0] for r in results), sum(r[1] for r in results), time.perf_counter() - started


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

    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    if not url.startswith("postgres"):
        sys.exit("This benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…/liaison_bench_sup")
    tmp = Path(tempfile.mkdtemp(prefix="liaison-bench-sup-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "False",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LIAISON_VAR_DIR": str(tmp / "var"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        # The bench client is one address: lift the per-client limits it would otherwise hit.
        "RATE_LIMIT_SUPPORT": "100000000/h",
    }
    os.environ.update(env)
    log(f"Database: {url.split('@')[-1]}")
    log(f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    server = None
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

        port = free_port()
        cmd = gunicorn_command(port, args.workers)
        log("")
        log(f"Starting gunicorn ({args.workers} sync workers) on {HOST}:{port}")
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
        wait_ready(port, server)

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

        def next_support():
            with lock:
                item = next(codes, None)
                tid = rng.choice(topic_ids)
            if item is None:
                return None
            phone, code = item
            return f"/api/v1/topics/{tid}/support/", {"phone": phone, "code": code}

        def trivial():
            return "/bench/trivial-post/", {"phone": "13800000000", "code": "123456"}

        def floor_insert():
            return "/bench/floor/insert/", {"phone": "13800000000", "code": "123456"}

        def floor_support():
            item = next_support()
            return None if item is None else (item[0].replace("/api/v1/", "/bench/floor/"), item[1])

        targets = [
            ("trivial POST view", trivial),
            ("floor: one-row INSERT", floor_insert),
            ("floor: support as plain SQL", floor_support),
            ("POST topics/ID/support/", next_support),
        ]
        for _name, fn in targets:
            post_load(port, fn, 1.0, args.concurrency)  # warm-up (uses some codes)
        workers = worker_pids(server.pid)
        totals = {name: [0, 0, 0.0, 0.0] for name, _fn in targets}
        for _ in range(args.rounds):
            for name, fn in targets:
                before = cpu_seconds(workers)
                ok, errors, seconds = post_load(port, fn, args.duration / args.rounds, args.concurrency)
                totals[name][0] += ok
                totals[name][1] += errors
                totals[name][2] += seconds
                totals[name][3] += cpu_seconds(workers) - before
        log("")
        log(
            f"Throughput: {args.duration:.0f} s per target in {args.rounds} interleaved rounds, {args.concurrency} threads"
        )
        log("  " + pad("target", 30) + f"{'req/s':>9}{'ratio':>8}{'errors':>8}{'server CPU ms/req':>20}")
        base = totals["trivial POST view"][0] / totals["trivial POST view"][2]
        rates = {}
        for name, _fn in targets:
            ok, errors, seconds, cpu = totals[name]
            rate = rates[name] = ok / seconds
            cpu_ms = f"{cpu * 1000 / ok:.2f}" if ok and workers else "n/a"
            log("  " + pad(name, 30) + f"{rate:>9.0f}{rate / base:>8.2f}{errors:>8}{cpu_ms:>20}")
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
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
