#!/usr/bin/env python3
"""Foundation benchmark: requests per second of the portal's hot reads against a trivial Django view.

    .venv/bin/python bench/foundation.py [--duration 10] [--rounds 5] [--concurrency 8] [--workers 2] [--strict]

1. creates a fresh SQLite database in a temporary directory (or uses DATABASE_URL when it is set),
   migrates it and seeds the demo city (`seed_demo --force --no-hooks`, scale 1: the station network the
   measured pages read; --with-app-data also runs the other apps' demo hooks);
2. starts gunicorn (sync workers, DEBUG=False, settings `bench.settings`) on 127.0.0.1;
3. warms every target up, then drives each for a fixed time with a bounded load generator (threads, one
   keep-alive http.client connection each), in interleaved rounds so that a change in background load
   hits every target alike, and prints req/s, the ratio to the trivial view, and the gunicorn workers'
   CPU time per request (from /proc; less sensitive to other work on the machine than req/s).

The target is a ratio of at least 0.5 for every page; --strict makes the script exit 1 when one is lower.
Standard library only, so it runs anywhere the project's virtualenv does.
"""

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import (  # noqa: E402 - after the sys.path line above
    Rounds,
    bench_env,
    get,
    gunicorn,
    loadavg,
    log,
    machine,
    manage,
    pad,
    request,
)

TARGET_RATIO = 0.5


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per target (10)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds over the targets (5)")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per target (2)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (2)")
    parser.add_argument("--scale", type=float, default=1.0, help="seed_demo --scale (1.0)")
    parser.add_argument(
        "--with-app-data", action="store_true", help="also run the apps' seed_demo hooks (suggestions, …)"
    )
    parser.add_argument(
        "--sqlite-conn-max-age",
        type=int,
        default=None,
        help="override the CONN_MAX_AGE=0 the settings force for SQLite (to measure persistent connections)",
    )
    parser.add_argument(
        "--token-lookup",
        choices=["prepared", "public"],
        default="prepared",
        help="token authentication's lookup: the prepared query (default) or the public ORM path",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio is below 0.5")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="liaison-bench-"))
    env = bench_env(var_dir=tmp / "var")
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    env["BENCH_TOKEN_LOOKUP"] = args.token_lookup
    if args.sqlite_conn_max_age is not None:
        env["BENCH_SQLITE_CONN_MAX_AGE"] = str(args.sqlite_conn_max_age)
    db = env["DATABASE_URL"].split("@")[-1]
    log(
        f"Database: {db}"
        + (f" (CONN_MAX_AGE={args.sqlite_conn_max_age})" if args.sqlite_conn_max_age else "")
    )
    log(f"Machine: {machine()}, load average {loadavg()}; token lookup: {args.token_lookup}")
    try:
        log("Preparing the database")
        manage(env, "migrate", "--no-input", "-v", "0")
        seed_started = time.perf_counter()
        hooks = [] if args.with_app_data else ["--no-hooks"]
        out = manage(env, "seed_demo", "--force", "--scale", str(args.scale), *hooks)
        seed_seconds = time.perf_counter() - seed_started
        done = [line for line in out.splitlines() if "Done in" in line]
        log(f"  seed_demo: {done[0].strip() if done else ''} (process {seed_seconds:.1f} s)")

        with gunicorn(env, args.workers) as server:
            return measure(server, args)
    finally:
        if args.keep:
            log(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def measure(server, args) -> int:
    port = server.port
    status, body = request(
        port,
        "POST",
        "/api/v1/auth/token/",
        body={"username": "delegate01", "password": "liaison-demo-2026"},
    )
    if status != 200:
        sys.exit(f"could not obtain a token: {status} {body[:200]!r}")
    token = json.loads(body)["token"]

    targets = [
        ("trivial view", "/bench/trivial/", {}),
        ("station finder /", "/", {}),
        ("station finder /?area=商州区", "/?area=611002000000", {}),
        ("delegate directory API", "/api/v1/delegates/", {}),
        ("GET /api/v1/me/ (token)", "/api/v1/me/", {"Authorization": f"Token {token}"}),
    ]
    for _name, path, headers in targets:
        status, body = request(port, "GET", path, headers=headers)
        if status != 200:
            sys.exit(f"{path} answered {status}: {body[:300]!r}")

    log(
        f"Measuring: {args.duration:.0f} s per target in {args.rounds} interleaved rounds, "
        f"{args.concurrency} client threads, keep-alive"
    )
    sources = [(name, get(path, headers)) for name, path, headers in targets]
    only_200 = {"ok": lambda status, _req: status == 200}
    rounds = Rounds(server, args.concurrency)
    rounds.warm(sources, args.warmup, **only_200)
    totals = rounds.run(sources, args.rounds, args.duration, **only_200)
    baseline = totals["trivial view"].rate
    log("")
    log(pad("target", 34) + f"{'req/s':>9}{'ratio':>8}{'errors':>8}{'server CPU ms/req':>20}")
    below = []
    for name, _path, _headers in targets:
        total = totals[name]
        ratio = total.rate / baseline if baseline else 0.0
        flag = "" if ratio >= TARGET_RATIO else "  < 0.5"
        if ratio < TARGET_RATIO:
            below.append(name)
        cpu = total.cpu_ms(rounds.measured_cpu)
        log(pad(name, 34) + f"{total.rate:>9.0f}{ratio:>8.2f}{total.errors:>8}{cpu:>20}{flag}")
    log(f"Load average after the run: {loadavg()} (other work on the machine skews req/s; see CPU ms/req)")
    log("")
    if below:
        log(f"Below the {TARGET_RATIO} target: {', '.join(below)}")
    else:
        log(f"Every target is at least {TARGET_RATIO} of the trivial view.")
    return 1 if (below and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
