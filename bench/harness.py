"""What every benchmark shares: the environment, the database, the gunicorn server, the load generator, the
interleaved rounds with the workers' CPU time, latency statistics and the printing.

A benchmark script imports from here and keeps only what it measures (its data, its targets, its report).
Standard library only (psycopg2 for PostgreSQL databases), so it runs anywhere the project's virtualenv does.
"""

import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


# --- printing ------------------------------------------------------------------------------------------------
def log(msg: str = "") -> None:
    print(msg, flush=True)


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def machine() -> str:
    return f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}"


def pad(text: str, width: int) -> str:
    """Left-justify to a terminal width, counting a Chinese character as two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - shown)


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --- environment and database --------------------------------------------------------------------------------
def bench_env(database_url: str | None = None, *, var_dir: Path | None = None, **extra: str) -> dict:
    """The environment of the benchmark server and of manage.py: `bench.settings`, DEBUG off, a random secret
    key, local hosts only. `extra` adds or overrides variables (rate limits lifted, the log level …)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "False",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    if var_dir is not None:
        env["LIAISON_VAR_DIR"] = str(var_dir)
    env.update(extra)
    return env


def postgres_url(default: str) -> str:
    """DATABASE_URL or `default`; exits unless it is a PostgreSQL URL."""
    url = os.environ.get("DATABASE_URL") or default
    if not url.startswith("postgres"):
        sys.exit(
            f"This benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…/{urlparse(default).path[1:]}"
        )
    return url


def _admin_connection(url: str):
    import psycopg2

    u = urlparse(url)
    conn = psycopg2.connect(
        host=u.hostname, port=u.port or 5432, user=u.username, password=u.password, dbname="postgres"
    )
    conn.autocommit = True
    return conn, u.path.lstrip("/")


def recreate_database(url: str) -> None:
    """Drop and create a PostgreSQL benchmark database (only names starting with liaison_bench)."""
    ensure_database(url, fresh=True)


def ensure_database(url: str, fresh: bool) -> None:
    """Create the PostgreSQL database if missing; with `fresh`, drop it first (only liaison_bench* names)."""
    conn, name = _admin_connection(url)
    if fresh and not name.startswith("liaison_bench"):
        sys.exit(f"refusing to drop database {name!r}: the benchmark only recreates liaison_bench* databases")
    with conn.cursor() as cur:
        if fresh:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def manage(env: dict, *args: str) -> str:
    """Run `manage.py args` in a subprocess with `env`; exit on failure; return its output."""
    t = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"manage.py {' '.join(args)} failed")
    log(f"  manage.py {' '.join(args)}: {time.perf_counter() - t:.1f} s")
    return result.stdout


# --- the server ------------------------------------------------------------------------------------------------
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
        "--timeout",
        "120",  # a cold worker's first request on a loaded machine can outlive gunicorn's default 30 s
        "--log-level",
        "warning",
        "--chdir",
        str(ROOT),
    ]


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


@dataclass
class Server:
    port: int
    proc: subprocess.Popen

    @property
    def workers(self) -> list[int]:
        return worker_pids(self.proc.pid)


@contextmanager
def gunicorn(env: dict, workers: int, *, backlog: int = 256, timeout: float = 30) -> Iterator[Server]:
    """Serve the portal (`bench.settings`) with gunicorn while the block runs; stopped however it ends."""
    port = free_port()
    log(f"Starting gunicorn ({workers} sync workers) on {HOST}:{port}")
    proc = subprocess.Popen(
        gunicorn_command(port, workers, backlog=backlog), cwd=ROOT, env=env, start_new_session=True
    )
    try:
        wait_ready(port, proc, timeout)
        yield Server(port, proc)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


# --- requests and load -----------------------------------------------------------------------------------------
def request(port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None):
    """One request on a fresh connection: (status, body bytes)."""
    import json

    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        hdrs = {"Content-Type": "application/json", **(headers or {})} if payload else dict(headers or {})
        conn.request(method, path, body=payload, headers=hdrs)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def timed(port: int, method: str, path: str, headers: dict, body: bytes | None = None) -> tuple[int, float]:
    """One request on a fresh connection: (status, milliseconds, client side)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        t = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        return resp.status, (time.perf_counter() - t) * 1000
    finally:
        conn.close()


def latency(port: int, path_fn: Callable[[int], str], headers: dict, runs: int) -> tuple[float, float, int]:
    """`runs` sequential GETs of `path_fn(i)`: (median ms, p90 ms, responses other than 200)."""
    times, bad = [], 0
    for i in range(runs):
        status, ms = timed(port, "GET", path_fn(i), headers)
        bad += status != 200
        times.append(ms)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.9) - 1)], bad


# A request of the load generator: (method, path, body or None, headers); None from the source ends a worker.
Req = tuple[str, str, bytes | None, dict]


def drive(
    port: int,
    source: Callable[[], Req | None],
    duration: float,
    concurrency: int,
    ok: Callable[[int, Req], bool] = lambda status, _req: status in (200, 201),
    on_error: Callable[[int, Req], None] | None = None,
) -> tuple[int, int, float]:
    """`concurrency` threads, each on a keep-alive connection, send `source()` for `duration` seconds.

    Returns (ok responses, errors, elapsed seconds). gunicorn's sync workers close after each response; the
    client reconnects.
    """
    stop_at = time.perf_counter() + duration
    results = [(0, 0)] * concurrency

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        good = errors = 0
        while time.perf_counter() < stop_at:
            req = source()
            if req is None:
                break
            method, path, body, headers = req
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                if ok(resp.status, req):
                    good += 1
                else:
                    errors += 1
                    if on_error is not None:
                        on_error(resp.status, req)
                if resp.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
        conn.close()
        results[i] = (good, errors)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(r[0] for r in results), sum(r[1] for r in results), time.perf_counter() - started


def get(path: str, headers: dict | None = None) -> Callable[[], Req]:
    """A load source that GETs the same path."""
    req = ("GET", path, None, dict(headers or {}))
    return lambda: req


JSON = {"Content-Type": "application/json"}


@dataclass
class Total:
    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    cpu: float = 0.0  # the gunicorn workers' CPU seconds

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def cpu_ms(self, measured: bool = True) -> str:
        return f"{self.cpu * 1000 / self.ok:.2f}" if measured and self.ok else "n/a"


@dataclass
class Rounds:
    """Throughput of several targets in interleaved rounds, so that a change of background load hits every
    target alike; each target's requests, errors, time and the workers' CPU time are summed."""

    server: Server
    concurrency: int
    totals: dict[str, Total] = field(default_factory=dict)

    def warm(self, targets: list[tuple[str, Callable, ...]], seconds: float, **kw) -> None:
        for target in targets:
            drive(self.server.port, target[1], seconds, self.concurrency, **kw)

    def run(
        self, targets: list[tuple[str, Callable]], rounds: int, duration: float, **kw
    ) -> dict[str, Total]:
        """`targets`: (name, load source) pairs, each driven `duration / rounds` seconds per round."""
        workers = self.server.workers
        self.measured_cpu = bool(workers)
        for name, _src in targets:
            self.totals.setdefault(name, Total())
        for _round in range(rounds):
            for name, src in targets:
                before = cpu_seconds(workers)
                good, errors, seconds = drive(
                    self.server.port, src, duration / rounds, self.concurrency, **kw
                )
                total = self.totals[name]
                total.ok += good
                total.errors += errors
                total.seconds += seconds
                total.cpu += cpu_seconds(workers) - before
        return self.totals
