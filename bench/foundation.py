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
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
TARGET_RATIO = 0.5


def log(msg: str) -> None:
    print(msg, flush=True)


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def gunicorn_command(
    port: int, workers: int, app: str = "liaison.wsgi:application", backlog: int = 256
) -> list[str]:
    """The gunicorn command every benchmark serves the portal with: sync workers, quiet logs."""
    return [
        str(BIN / "gunicorn"),
        app,
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--backlog",
        str(backlog),
        "--log-level",
        "warning",
        "--chdir",
        str(ROOT),
    ]


def recreate_database(url: str) -> None:
    """Drop and create a PostgreSQL benchmark database (only names starting with liaison_bench)."""
    from urllib.parse import urlparse

    import psycopg2

    u = urlparse(url)
    name = u.path.lstrip("/")
    if not name.startswith("liaison_bench"):
        sys.exit(f"refusing to drop database {name!r}: the benchmark only recreates liaison_bench* databases")
    conn = psycopg2.connect(
        host=u.hostname, port=u.port or 5432, user=u.username, password=u.password, dbname="postgres"
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def manage(env: dict, *args: str) -> str:
    t = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"manage.py {' '.join(args)} failed")
    log(f"  manage.py {' '.join(args)}: {time.perf_counter() - t:.1f} s")
    return result.stdout


def request(port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        hdrs = {"Content-Type": "application/json", **(headers or {})} if payload else dict(headers or {})
        conn.request(method, path, body=payload, headers=hdrs)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def pad(text: str, width: int) -> str:
    """Left-justify to a terminal width, counting a Chinese character as two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - shown)


def worker_pids(master: int) -> list[int]:
    """gunicorn's worker processes (Linux /proc); empty where /proc is not available."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def cpu_seconds(pids: list[int]) -> float:
    """User+system CPU time of the given processes, from /proc/<pid>/stat."""
    ticks = os.sysconf("SC_CLK_TCK") if pids else 1
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit("gunicorn exited during start-up")
        try:
            if request(port, "GET", "/bench/trivial/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit("gunicorn did not answer in time")


def load(port: int, path: str, headers: dict, duration: float, concurrency: int) -> tuple[float, int, int]:
    """Drive `path` for `duration` seconds with `concurrency` threads; return (req/s, ok, errors)."""
    stop_at = time.perf_counter() + duration
    results = [(0, 0)] * concurrency

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        ok = errors = 0
        while time.perf_counter() < stop_at:
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status == 200:
                    ok += 1
                else:
                    errors += 1
                if resp.will_close:  # gunicorn's sync workers close after each response
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
    elapsed = time.perf_counter() - started
    ok = sum(r[0] for r in results)
    return ok / elapsed, ok, sum(r[1] for r in results)


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
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a ratio is below 0.5")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="liaison-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "False",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LIAISON_VAR_DIR": str(tmp / "var"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    if args.sqlite_conn_max_age is not None:
        env["BENCH_SQLITE_CONN_MAX_AGE"] = str(args.sqlite_conn_max_age)
    db = env["DATABASE_URL"].split("@")[-1]
    log(
        f"Database: {db}"
        + (f" (CONN_MAX_AGE={args.sqlite_conn_max_age})" if args.sqlite_conn_max_age else "")
    )
    log(f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average {loadavg()}")
    server = None
    try:
        log("Preparing the database")
        manage(env, "migrate", "--no-input", "-v", "0")
        seed_started = time.perf_counter()
        hooks = [] if args.with_app_data else ["--no-hooks"]
        out = manage(env, "seed_demo", "--force", "--scale", str(args.scale), *hooks)
        seed_seconds = time.perf_counter() - seed_started
        done = [line for line in out.splitlines() if "Done in" in line]
        log(f"  seed_demo: {done[0].strip() if done else ''} (process {seed_seconds:.1f} s)")

        port = free_port()
        cmd = gunicorn_command(port, args.workers)
        log(f"Starting gunicorn ({args.workers} sync workers) on {HOST}:{port}")
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
        wait_ready(port, server)

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
        for _name, path, headers in targets:
            load(port, path, headers, args.warmup, args.concurrency)
        workers = worker_pids(server.pid)
        totals = {path: [0, 0, 0.0, 0.0] for _n, path, _h in targets}  # ok, errors, seconds, server CPU
        for _round in range(args.rounds):
            for _name, path, headers in targets:
                cpu_before = cpu_seconds(workers)
                t = time.perf_counter()
                _rate, ok, errors = load(port, path, headers, args.duration / args.rounds, args.concurrency)
                total = totals[path]
                total[0] += ok
                total[1] += errors
                total[2] += time.perf_counter() - t
                total[3] += cpu_seconds(workers) - cpu_before
        rows = []
        for name, path, _headers in targets:
            ok, errors, seconds, cpu = totals[path]
            rows.append((name, path, ok / seconds, ok, errors, cpu * 1000 / ok if ok else 0.0))
        baseline = rows[0][2]
        log("")
        log(pad("target", 34) + f"{'req/s':>9}{'ratio':>8}{'errors':>8}{'server CPU ms/req':>20}")
        below = []
        for name, _path, rate, _ok, errors, cpu_ms in rows:
            ratio = rate / baseline if baseline else 0.0
            flag = "" if ratio >= TARGET_RATIO else "  < 0.5"
            if ratio < TARGET_RATIO:
                below.append(name)
            cpu = f"{cpu_ms:.2f}" if workers else "n/a"
            log(pad(name, 34) + f"{rate:>9.0f}{ratio:>8.2f}{errors:>8}{cpu:>20}{flag}")
        log(
            f"Load average after the run: {loadavg()} (other work on the machine skews req/s; see CPU ms/req)"
        )
        log("")
        if below:
            log(f"Below the {TARGET_RATIO} target: {', '.join(below)}")
        else:
            log(f"Every target is at least {TARGET_RATIO} of the trivial view.")
        return 1 if (below and args.strict) else 0
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        if args.keep:
            log(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
