#!/usr/bin/env python3
"""Legislation benchmark (issue 15): the public draft page and its feedback page with 200 articles and 20,000
opinions, and public opinions per second through the API against the plain-SQL floor.

    .venv/bin/python bench/legislation.py [--articles 200] [--opinions 20000] [--samples 40] [--posts 200]
    DATABASE_URL=postgres://… .venv/bin/python bench/legislation.py      # a liaison_bench* database

In process, through Django's test client (the full middleware stack, no network, DEBUG=False):
1. a fresh database (a temporary SQLite file unless DATABASE_URL is set), migrated; a draft of `--articles`
   articles, opened, and `--opinions` public opinions spread over its articles (bulk insert); the first 2,000
   forwarded with outcomes and the feedback published on a copy of the draft;
2. the query count and the median render time of the public draft page, its API, the feedback page and its
   API (`--samples` each, after a warm-up);
3. opinions per second, one client: `POST /api/v1/drafts/ID/opinions/` (the real endpoint: DRF, validation,
   the rate limit gate — raised out of the way —, the service, the tracking code, history) against
   `bench/floor/drafts/ID/opinions/` (the same two rows as plain SQL), in interleaved rounds.
Targets: pages under 50 ms at the median with a fixed number of queries; the API at least 0.6 of the floor.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--opinions", type=int, default=20000)
    ap.add_argument("--samples", type=int, default=40)
    ap.add_argument("--posts", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-legislation-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 50)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "legislative_opinion": "1000000/h"}
    if connection.vendor == "postgresql" and not connection.settings_dict["NAME"].startswith("liaison_bench"):
        sys.exit("use a database whose name starts with liaison_bench")
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - t:.1f} s ({connection.vendor})")

    from legislation.models import Draft, Opinion
    from legislation.services.drafts import draft_create, draft_open
    from liaison.accounts.models import User
    from liaison.codes import new_code
    from stations.models import Area
    from tests.legislation.texts import numbered_draft

    area = Area.objects.create(code="611002000000", name="商州区", tier="county", path="611002000000/")
    staff = User.objects.create(username="bench_staff", role="staff", area=area)
    today = timezone.localdate()

    def make_draft(stage):
        d = draft_create(
            user=staff,
            title="社区服务条例（草案）",
            issuer="法工委",
            stage=stage,
            opens_on=today,
            closes_on=today + timezone.timedelta(days=30),
            text=numbered_draft(args.articles, chapters=10),
        )
        draft_open(user=staff, draft_id=d.pk)
        return d

    t = time.perf_counter()
    open_draft, done_draft = make_draft("一审稿"), make_draft("二审稿")
    for d in (open_draft, done_draft):
        ids = list(d.articles.values_list("id", flat=True))
        now = timezone.now()
        rows = [
            Opinion(
                draft=d,
                article_id=ids[i % len(ids)] if i % 10 else None,
                content=f"关于本条的第{i}条意见：建议进一步明确职责和时限。",
                tracking_code=new_code(10),
                created_at=now,
                status="forwarded" if i < 2000 else "received",
                outcome=("adopted", "partly", "not_adopted")[i % 3] if i < 2000 else "",
            )
            for i in range(args.opinions)
        ]
        Opinion.objects.bulk_create(rows, batch_size=2000)
    Draft.objects.filter(pk=done_draft.pk).update(status=Draft.Status.FEEDBACK_PUBLISHED)
    print(
        f"filled {2 * args.opinions} opinions on 2 drafts of {args.articles} articles in {time.perf_counter() - t:.1f} s"
    )

    c = Client()
    targets = [
        ("page: draft /legislation/drafts/ID/", f"/legislation/drafts/{open_draft.pk}/"),
        ("API: GET drafts/ID/", f"/api/v1/drafts/{open_draft.pk}/"),
        ("page: feedback", f"/legislation/drafts/{done_draft.pk}/feedback/"),
        ("API: GET drafts/ID/feedback/", f"/api/v1/drafts/{done_draft.pk}/feedback/"),
    ]
    print(f"\n{'target':40} {'queries':>7} {'median ms':>10} {'p90 ms':>8} {'CPU ms':>7} {'KB':>6}")
    for name, url in targets:
        for _ in range(3):
            assert c.get(url).status_code == 200, url
        seen = []

        def count(execute, sql, params, many, context, seen=seen):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            r = c.get(url)
        times, cpu = [], []
        for _ in range(args.samples):
            s, p = time.perf_counter(), time.process_time()
            c.get(url)
            times.append((time.perf_counter() - s) * 1000)
            cpu.append((time.process_time() - p) * 1000)
        times.sort()
        print(
            f"{name:40} {len(seen):>7} {statistics.median(times):>10.1f} "
            f"{times[int(len(times) * 0.9)]:>8.1f} {statistics.median(cpu):>7.1f} {len(r.content) / 1024:>6.0f}"
        )

    article = open_draft.articles.first().pk
    api_url = f"/api/v1/drafts/{open_draft.pk}/opinions/"
    floor_url = f"/bench/floor/drafts/{open_draft.pk}/opinions/"
    body = {"article": article, "content": "建议第一条增加社区居民参与的规定，明确居委会的职责。"}
    totals = {"api": [0, 0.0], "floor": [0, 0.0]}
    cpu_totals = {"api": 0.0, "floor": 0.0}
    per_round = max(1, args.posts // args.rounds)
    for _round in range(args.rounds):
        for key, url in (("api", api_url), ("floor", floor_url)):
            s, p = time.perf_counter(), time.process_time()
            for _ in range(per_round):
                r = c.post(url, body, content_type="application/json")
                assert r.status_code == 201, (url, r.status_code, r.content[:200])
            totals[key][0] += per_round
            totals[key][1] += time.perf_counter() - s
            cpu_totals[key] += time.process_time() - p
    api_rate = totals["api"][0] / totals["api"][1]
    floor_rate = totals["floor"][0] / totals["floor"][1]
    print(f"\nPOST opinions (one client, {args.rounds} interleaved rounds of {per_round}):")
    print(f"  API   {api_rate:8.1f} /s")
    print(f"  floor {floor_rate:8.1f} /s")
    print(f"  ratio {api_rate / floor_rate:.2f} (target ≥ 0.6)")
    api_cpu = cpu_totals["api"] / totals["api"][0] * 1000
    floor_cpu = cpu_totals["floor"] / totals["floor"][0] * 1000
    print(f"  CPU ms per opinion: API {api_cpu:.1f}, floor {floor_cpu:.1f} (ratio {floor_cpu / api_cpu:.2f})")


if __name__ == "__main__":
    main()
