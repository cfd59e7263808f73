#!/usr/bin/env python3
"""Formal-suggestion benchmark (issue 14): 20,000 formal suggestions over 10 sessions with referrals and replies.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench_motions .venv/bin/python bench/motions.py \
        [--count 20000] [--sessions 10] [--samples 40]

1. (re)creates the database (PostgreSQL: only names starting with liaison_bench; SQLite: a temporary file when
   DATABASE_URL is unset), migrates it, and bulk-fills: a county, 10 sessions, 30 delegates, 20 units, 20,000
   Suggestions of channel `formal` with their FormalSuggestion records, two confirmed co-signers each, a lead
   referral for every one past registration and a reply for every replied one (classes A/B/C, ratings);
2. in process (Django test client, DEBUG=False), one request at a time: the median and p90 latency and the
   query count of the staff register's first page (page and API), the statistics of one session (page and
   API) and the public list of one session (page and API).

Target: each under 50 ms at the median on PostgreSQL, with a fixed number of queries.
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

from bench.harness import log, manage, pad, recreate_database  # noqa: E402

TARGET_MS = 50.0


def fill(count: int, n_sessions: int) -> dict:
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from liaison.accounts.models import User
    from motions.models import Cosigner, FormalSuggestion, Session
    from stations.models import Area, Delegate, HandlingUnit
    from suggestions.models import QueueRank, Referral, Reply, Suggestion

    rng = random.Random(14)
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
            path=province.path + "611000000000/",
        )
        county = Area.objects.create(
            code="611002000000", name="商州区", tier="county", parent=city, path=city.path + "611002000000/"
        )
        today = timezone.localdate()
        sessions = [
            Session.objects.create(
                area=county,
                term=19,
                number=i + 1,
                name=f"第十九届人民代表大会第{i + 1}次会议",
                starts_on=today - dt.timedelta(days=365 * (n_sessions - i) // 2),
                ends_on=today - dt.timedelta(days=365 * (n_sessions - i) // 2 - 3),
            )
            for i in range(n_sessions)
        ]
        delegates = Delegate.objects.bulk_create(
            Delegate(name=f"代表{i}", level="county", term=19, area=county, code=f"b{i:07d}")
            for i in range(30)
        )
        units = HandlingUnit.objects.bulk_create(
            HandlingUnit(name=f"商州区第{i}局", area=county) for i in range(20)
        )
        staff = User.objects.create(username="bench_staff", role="staff", area=county)
        statuses = ["submitted", "accepted", "rejected", "referred", "replied", "closed", "closed", "closed"]
        now = timezone.now()
        sugg = []
        for i in range(count):
            st = statuses[i % len(statuses)]
            replied = st in ("replied", "closed")
            result = rng.choice(["solved", "solved", "in_progress", "cannot_solve"]) if replied else ""
            sugg.append(
                Suggestion(
                    tracking_code=f"B{i:09d}",
                    title=f"关于第{i}项民生工作的建议",
                    content="建议内容" * 20,
                    channel="formal",
                    area=county,
                    raised_by_delegate=delegates[i % 30],
                    status=st,
                    is_key=i % 10 == 0,
                    triage_due=today,
                    reply_due=today + dt.timedelta(days=60)
                    if st in ("referred", "replied", "closed")
                    else None,
                    step_from=today,
                    step_due=today + dt.timedelta(days=30),
                    queue_rank=QueueRank.DONE if st in ("closed", "rejected") else QueueRank.STAFF,
                    referred_at=now if st in ("referred", "replied", "closed") else None,
                    replied_at=now if replied else None,
                    reply_result=result,
                    rating=rng.choice(["satisfied", "basically_satisfied", "unsatisfied"])
                    if st == "closed"
                    else "",
                    created_at=now - dt.timedelta(minutes=i),
                )
            )
        sugg = Suggestion.objects.bulk_create(sugg, batch_size=2000)
        motions = FormalSuggestion.objects.bulk_create(
            [
                FormalSuggestion(
                    suggestion=s,
                    area=county,
                    session=sessions[i % n_sessions],
                    lead=s.raised_by_delegate,
                    title=s.title,
                    content=s.content,
                    submitted_at=s.created_at,
                    leader="副主任" if s.is_key else "",
                    reply_public=s.replied_at is not None and i % 3 != 0,
                )
                for i, s in enumerate(sugg)
            ],
            batch_size=2000,
        )
        Cosigner.objects.bulk_create(
            [
                Cosigner(motion=m, delegate=delegates[(i + k) % 30], confirmed_at=now)
                for i, m in enumerate(motions)
                for k in (1, 2)
            ],
            batch_size=5000,
        )
        refs = Referral.objects.bulk_create(
            [
                Referral(
                    suggestion=s,
                    area=county,
                    unit=units[i % 20],
                    role="lead",
                    status="replied" if s.replied_at else "accepted",
                    due=s.reply_due,
                    original_due=s.reply_due,
                    created_at=now,
                    replied_at=s.replied_at,
                    replied_on_time=True if s.replied_at else None,
                    reply_result=s.reply_result,
                )
                for i, s in enumerate(sugg)
                if s.referred_at
            ],
            batch_size=2000,
        )
        Reply.objects.bulk_create(
            [
                Reply(
                    referral=r,
                    suggestion_id=r.suggestion_id,
                    result=r.reply_result,
                    content="答复内容" * 30,
                    at=now,
                )
                for r in refs
                if r.replied_at
            ],
            batch_size=2000,
        )
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")  # as autovacuum would after a bulk load: the planner needs the row counts
    log(
        f"  filled {count} suggestions, {len(refs)} referrals, {sum(1 for r in refs if r.replied_at)} replies "
        f"in {time.perf_counter() - t:.1f} s"
    )
    return {"staff": staff.pk, "session": sessions[n_sessions // 2].pk}


class QueryCounter:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def measure(ids: dict, samples: int) -> list[tuple[str, float, float, int]]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from rest_framework.test import APIClient

    from liaison.accounts.models import User

    settings.ALLOWED_HOSTS = ["*"]
    staff = User.objects.get(pk=ids["staff"])
    page, api, anon = Client(), APIClient(), Client()
    page.force_login(staff)
    api.force_authenticate(staff)
    s = ids["session"]
    targets = [
        ("baseline: API /me/", api, "/api/v1/me/"),
        ("staff register page", page, "/workspace/motions/staff/"),
        ("staff register API", api, "/api/v1/motions/"),
        ("session statistics page", page, f"/workspace/motions/staff/stats/?session={s}"),
        ("session statistics API", api, f"/api/v1/motions/stats/?session={s}"),
        ("public list page", anon, f"/motions/?session={s}"),
        ("public list API", anon, f"/api/v1/motions/public/?session={s}"),
    ]
    out = []
    for name, client, url in targets:
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            client.get(url)
        times = []
        for _ in range(samples):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200
        times.sort()
        out.append((name, statistics.median(times), times[int(len(times) * 0.9) - 1], counter.n))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--measure-only", action="store_true", help="reuse the filled database of an earlier run")
    args = ap.parse_args()
    env = dict(
        os.environ, DEBUG="False", SECRET_KEY="bench-" + "x" * 50, DJANGO_SETTINGS_MODULE="bench.settings"
    )
    tmp = None
    url = os.environ.get("DATABASE_URL")
    if url:
        if not args.measure_only:
            recreate_database(url)
    else:
        tmp = tempfile.mkdtemp(prefix="bench-motions-")
        env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.update(env)
    log(f"database: {env['DATABASE_URL'].split('@')[-1]}")
    if not args.measure_only:
        manage(env, "migrate", "--noinput")
    import django

    django.setup()
    if args.measure_only:
        from liaison.accounts.models import User
        from motions.models import Session

        sessions = list(Session.objects.order_by("number").values_list("pk", flat=True))
        ids = {"staff": User.objects.get(username="bench_staff").pk, "session": sessions[len(sessions) // 2]}
    else:
        ids = fill(args.count, args.sessions)
    rows = measure(ids, args.samples)
    log(f"\n{pad('target', 28)}median ms   p90 ms   queries")
    for name, med, p90, q in rows:
        flag = "" if med < TARGET_MS else "  (over target)"
        log(f"{pad(name, 28)}{med:9.1f} {p90:8.1f} {q:9d}{flag}")


if __name__ == "__main__":
    main()
