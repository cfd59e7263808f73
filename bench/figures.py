"""Benchmark of issue 17's public reads: `stations/nearest/` over 10,000 stations, and the figures of the city
for a year (API uncached and cached, and the page) over N suggestions.

    .venv/bin/python bench/figures.py                       # SQLite in a temporary directory, 100,000 suggestions
    DATABASE_URL=postgres://… .venv/bin/python bench/figures.py --count 1000000

In-process (Django's test client, every middleware, DEBUG off): it measures the server's work per request,
not the network. Prints the median and the 95th percentile in milliseconds.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import log  # noqa: E402 - after the sys.path line above


def timed(fn, runs: int) -> tuple[float, float, float]:
    """Median and 95th percentile of the wall time, and the median CPU time of this process (ms): on a busy
    machine the CPU time is the steadier number (it leaves out the time spent waiting for a core)."""
    samples, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)], statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000, help="suggestions (100,000)")
    parser.add_argument("--stations", type=int, default=10_000, help="stations in all (10,000)")
    parser.add_argument("--runs", type=int, default=200, help="requests per target (200)")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-figures-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["LIAISON_VAR_DIR"] = tmp
    os.environ["DEBUG"] = "False"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")  # plain static storage
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from stations.models import Area, Station
    from suggestions import demo, stats
    from suggestions.models import Rating, Referral, Reply, Suggestion, SuggestionEvent

    log(f"database: {os.environ['DATABASE_URL']}")
    call_command("migrate", verbosity=0)
    if not Station.objects.exists():
        call_command("seed_demo", "--force", "--no-hooks", verbosity=0)
    city = Area.objects.get(code="611000000000")
    have = Station.objects.count()
    if have < args.stations:
        rng = random.Random(17)
        townships = list(Area.objects.filter(tier="township").values_list("id", flat=True))
        Station.objects.bulk_create(
            (
                Station(
                    name=f"测速站{i}",
                    area_id=rng.choice(townships),
                    latitude=Decimal(f"{rng.uniform(33.2, 34.3):.6f}"),
                    longitude=Decimal(f"{rng.uniform(108.8, 111.1):.6f}"),
                )
                for i in range(args.stations - have)
            ),
            batch_size=2000,
        )
    log(
        f"stations: {Station.objects.count():,} ({Station.objects.filter(latitude__isnull=False).count():,} located)"
    )

    have = Suggestion.objects.count()
    if have < args.count:
        t = time.perf_counter()
        ctx = demo.Context.load()
        for batch in demo.generate(args.count - have, ctx=ctx, seed=17, days=730, batch_size=20_000):
            with transaction.atomic():
                for model, rows in (
                    (Suggestion, batch.suggestions),
                    (Referral, batch.referrals),
                    (Reply, batch.replies),
                    (Rating, batch.ratings),
                    (SuggestionEvent, batch.events),
                ):
                    model.objects.bulk_create(rows, batch_size=2000)
        log(f"suggestions: loaded {args.count - have:,} in {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    stats.refresh(full=True)
    log(f"statistics cells rebuilt in {time.perf_counter() - t:.1f} s")

    c = Client()
    rng = random.Random(3)

    def nearest():
        lat, lng = rng.uniform(33.2, 34.3), rng.uniform(108.8, 111.1)
        r = c.get("/api/v1/stations/nearest/", {"lat": f"{lat:.5f}", "lng": f"{lng:.5f}"})
        assert r.status_code == 200 and len(r.json()["results"]) == 10, r.content[:200]

    year = timezone.localdate().year - 1  # a whole year
    query = {"area": city.code, "year": year}

    def figures_uncached():
        cache.clear()
        assert c.get("/api/v1/figures/", query).status_code == 200

    def figures_cached():
        assert c.get("/api/v1/figures/", query).status_code == 200

    def page_uncached():
        cache.clear()
        assert c.get("/figures/", query).status_code == 200

    def page_cached():
        assert c.get("/figures/", query).status_code == 200

    def trivial():
        assert c.get("/bench/trivial/").status_code == 200

    for fn in (trivial, nearest, figures_uncached, page_cached):
        fn()  # warm up
    log(f"\n{'target':<48} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>8}")
    for name, fn, runs in [
        ("bench/trivial/ (baseline: HttpResponse('ok'))", trivial, args.runs),
        (f"stations/nearest/ ({Station.objects.count():,} stations)", nearest, args.runs),
        (f"api figures/ city {year}, uncached", figures_uncached, max(20, args.runs // 10)),
        (f"api figures/ city {year}, cached", figures_cached, args.runs),
        (f"page /figures/ city {year}, uncached", page_uncached, max(20, args.runs // 10)),
        (f"page /figures/ city {year}, cached", page_cached, args.runs),
    ]:
        med, p95, cpu = timed(fn, runs)
        log(f"{name:<48} {med:>10.1f} {p95:>8.1f} {cpu:>8.1f}")
    log(f"\n({Suggestion.objects.count():,} suggestions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
