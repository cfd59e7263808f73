#!/usr/bin/env python3
"""Voting benchmark (issue 5), on PostgreSQL: 1,000 delegates vote at once on a ballot of 12 candidates.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_vote .venv/bin/python bench/voting.py \
        [--delegates 1000] [--candidates 12] [--concurrency 50] [--workers 4] [--duplicates 50] \
        [--body {none,delegates,members}]

1. (re)creates the database (only one whose name starts with `liaison_bench`), migrates it, and fills it in
   this process: an area, 1,000 county delegates each with an account and an API token, 12 shortlisted
   proposals, and a secret ballot (roll = the 1,000, 12 candidates, 5 seats) opened with `ballot_open`;
2. starts gunicorn (sync workers, DEBUG=False) and has 1,000 clients submit their ballot papers through
   `POST /api/v1/ballots/ID/votes/` with their tokens, `--concurrency` at a time, each paper a random choice
   per candidate (seeded); reports the wall time for all votes and the latency percentiles;
3. sends `--duplicates` second papers from delegates who already voted, all at once (each must get 409);
4. closes the ballot and times `ballot_tally` (the first, cold run and the median of 20);
With `--body delegates` the roll is taken from a body (a congress whose 1,000 members are the delegates) when the
ballot opens; with `--body members` the voters are a street council's 1,000 members who are not delegates, each
with a member account.
5. verifies: exactly 1,000 papers and 12,000 vote rows, no error response, and that the tally equals, per
   candidate and choice, what the clients sent.

Targets: all votes in under 30 s, tally under 1 s. Standard library plus the project's virtualenv.
"""

import argparse
import http.client
import json
import os
import queue
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402 - after the sys.path line above
    HOST,
    bench_env,
    gunicorn,
    log,
    machine,
    manage,
    pct,
    postgres_url,
    recreate_database,
)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/liaison_bench_vote"
VOTES_TARGET_S = 30.0
TALLY_TARGET_S = 1.0


def fill(n_delegates: int, n_candidates: int, seats: int, body_mode: str = "none") -> dict:
    """The roll with accounts and tokens, the candidates, and an open ballot. Returns ids and tokens."""
    import django

    django.setup()
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from bodies.models import Body, BodyMember
    from liaison.accounts.models import User
    from liaison.codes import new_code
    from stations.models import Area, Delegate
    from voting.models import ProjectProposal, ProposalWindow
    from voting.services.ballots import ballot_create, ballot_open

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
        delegates = Delegate.objects.bulk_create(
            Delegate(name=f"代表{i:04d}", level="county", term=19, area=county, code=f"b{i:07d}")
            for i in range(n_delegates)
        )
        body = None
        if body_mode == "members":
            # A council's members who are not delegates vote with member accounts.
            users = User.objects.bulk_create(
                User(username=f"bench{i:04d}", role="member", password="!") for i in range(n_delegates)
            )
        else:
            users = User.objects.bulk_create(
                User(username=f"bench{i:04d}", role="delegate", delegate=d, password="!")  # tokens only
                for i, d in enumerate(delegates)
            )
        if body_mode != "none":
            body = Body.objects.create(
                name="基准测试机构", kind="congress" if body_mode == "delegates" else "other", area=county
            )
            joined = timezone.localdate() - dt.timedelta(days=30)
            BodyMember.objects.bulk_create(
                BodyMember(
                    body=body,
                    delegate=d if body_mode == "delegates" else None,
                    user=u,
                    name=d.name,
                    sector="delegate" if body_mode == "delegates" else "resident",
                    joined_on=joined,
                )
                for d, u in zip(delegates, users, strict=True)
            )
        tokens = Token.objects.bulk_create(Token(key=secrets.token_hex(20), user=u) for u in users)
        admin = User.objects.create(
            username="bench-admin", role="admin", area=city, is_staff=True, password="!"
        )
        today = timezone.localdate()
        window = ProposalWindow.objects.create(
            area=county, year=today.year, opens_on=today, closes_on=today + dt.timedelta(days=30)
        )
        proposals = ProjectProposal.objects.bulk_create(
            ProjectProposal(
                code=new_code(8),
                window=window,
                title=f"候选民生实事项目{i + 1:02d}",
                description="内容",
                area=county,
                status=ProjectProposal.Status.SHORTLISTED,
            )
            for i in range(n_candidates)
        )
        ballot = ballot_create(
            title="基准测试：民生实事项目票决",
            area=county,
            seats=seats,
            roll=None if body else delegates,
            body=body,
            candidates=proposals,
            secret=True,
            actor=admin,
        )
        ballot_open(ballot_id=ballot.pk, actor=admin)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")  # fresh statistics, as a running database would have
    log(
        f"  filled {n_delegates} delegates with tokens, {n_candidates} candidates, an open ballot "
        f"in {time.perf_counter() - t:.1f} s"
    )
    return {
        "ballot": ballot.pk,
        "candidates": list(ballot.candidates.order_by("position").values_list("pk", flat=True)),
        "tokens": [tk.key for tk in tokens],
    }


def vote_all(port: int, ballot_id: int, jobs: list[tuple[str, dict]], concurrency: int):
    """POST every (token, payload) job with `concurrency` client threads. Returns statuses and latencies."""
    work: queue.Queue = queue.Queue()
    for job in jobs:
        work.put(job)
    statuses: list[int] = []
    latencies: list[float] = []
    lock = threading.Lock()
    path = f"/api/v1/ballots/{ballot_id}/votes/"

    def worker() -> None:
        while True:
            try:
                token, payload = work.get_nowait()
            except queue.Empty:
                return
            t = time.perf_counter()
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
            try:
                conn.request(
                    "POST",
                    path,
                    body=json.dumps(payload).encode(),
                    headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
                )
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException) as exc:
                log(f"    connection error: {exc!r}")
                status = 0
            finally:
                conn.close()
            with lock:
                statuses.append(status)
                latencies.append(time.perf_counter() - t)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return statuses, latencies, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--delegates", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=12)
    parser.add_argument("--seats", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument(
        "--duplicates", type=int, default=50, help="second papers sent after the run (409 each)"
    )
    parser.add_argument(
        "--body",
        choices=["none", "delegates", "members"],
        default="none",
        help="take the roll from a body: its members are the delegates, or people with member accounts",
    )
    args = parser.parse_args()

    url = postgres_url(DEFAULT_DB)
    tmp = Path(tempfile.mkdtemp(prefix="liaison-bench-vote-"))
    # LOG_LEVEL: the 409s of the duplicate round are expected; don't log each one.
    env = bench_env(url, var_dir=tmp / "var", LOG_LEVEL="ERROR")
    os.environ.update(env)
    log(f"Database: {url.split('@')[-1]}")
    log(f"Machine: {machine()}")
    try:
        log("Preparing the database")
        recreate_database(url)
        manage(env, "migrate", "--no-input", "-v", "0")
        log(f"Roll: {'explicit list of delegates' if args.body == 'none' else 'a body of ' + args.body}")
        data = fill(args.delegates, args.candidates, args.seats, args.body)
        from django.db import connections

        connections.close_all()
        log("")
        with gunicorn(env, args.workers, backlog=2048) as server:
            return measure(server.port, data, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def measure(port: int, data: dict, args) -> int:
    rng = random.Random(5)
    choices = ["for", "against", "abstain"]
    sent = Counter()
    jobs = []
    for token in data["tokens"]:
        paper = [(c, rng.choices(choices, weights=[6, 3, 1])[0]) for c in data["candidates"]]
        sent.update(paper)
        jobs.append((token, {"choices": [{"candidate": c, "choice": ch} for c, ch in paper]}))

    log("")
    log(f"{len(jobs)} delegates vote through the API, {args.concurrency} at a time")
    statuses, latencies, wall = vote_all(port, data["ballot"], jobs, args.concurrency)
    counts = Counter(statuses)
    log(f"  all votes taken in {wall:.2f} s  ({len(jobs) / wall:.0f} papers/s)")
    log(
        f"  latency per paper: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {pct(latencies, 95) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    log(f"  responses: {dict(sorted(counts.items()))}")

    dup_counts: Counter = Counter()
    if args.duplicates:
        dups = rng.sample(jobs, min(args.duplicates, len(jobs)))
        dup_statuses, _lat, _wall = vote_all(port, data["ballot"], dups, min(args.concurrency, len(dups)))
        dup_counts = Counter(dup_statuses)
        log(f"  {len(dups)} second papers at once: {dict(sorted(dup_counts.items()))} (each must be 409)")

    import django

    django.setup()
    from voting.models import BallotPaper, Vote
    from voting.selectors import ballot_tally
    from voting.services.ballots import ballot_close

    ballot_close(ballot_id=data["ballot"])
    t = time.perf_counter()
    tally = ballot_tally(ballot_id=data["ballot"])
    cold = time.perf_counter() - t
    runs = []
    for _ in range(20):
        t = time.perf_counter()
        ballot_tally(ballot_id=data["ballot"])
        runs.append(time.perf_counter() - t)
    warm = statistics.median(runs)
    log("")
    log(
        f"Tally ({len(tally.candidates)} candidates): first run {cold * 1000:.1f} ms, median of 20 {warm * 1000:.1f} ms"
    )
    papers = BallotPaper.objects.filter(ballot_id=data["ballot"]).count()
    votes = Vote.objects.filter(ballot_id=data["ballot"]).count()
    log(
        f"  papers: {papers}  vote rows: {votes}  quorum_met={tally.quorum_met}  runoff_needed={tally.runoff_needed}"
    )
    log(f"  elected: {[c.title for c in tally.candidates if c.elected]}")

    mismatches = [
        c.id
        for c in tally.candidates
        if (c.for_votes, c.against, c.abstain)
        != (sent[(c.id, "for")], sent[(c.id, "against")], sent[(c.id, "abstain")])
    ]
    errors = len(jobs) - counts.get(201, 0)
    dup_wrong = sum(n for s, n in dup_counts.items() if s != 409)
    checks = {
        f"exactly {args.delegates} papers": papers == args.delegates,
        f"exactly {args.delegates * args.candidates} vote rows": votes == args.delegates * args.candidates,
        "no error responses": errors == 0,
        "every second paper refused with 409": dup_wrong == 0,
        "tally equals what the clients sent": not mismatches,
        f"all votes under {VOTES_TARGET_S:.0f} s": wall < VOTES_TARGET_S,
        f"tally under {TALLY_TARGET_S:.0f} s": cold < TALLY_TARGET_S,
    }
    log("")
    for name, ok in checks.items():
        log(f"  [{'ok' if ok else 'FAIL'}] {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
