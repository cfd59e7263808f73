"""Run the whole portal on one machine: web server, Celery worker and the beat scheduler.

Without REDIS_URL the broker is kombu's filesystem transport under var/ (liaison.celery creates its folders), so
nothing else needs installing. The worker is started first and its start-up output shown before the web server
binds; the last thing printed before the server's log is what a newcomer needs: the apps' welcome lines (the demo
accounts, from each AppConfig's `portal_welcome()`) and the address to open.
"""

import signal
import subprocess
import sys
import threading

from django.apps import apps
from django.conf import settings
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import BaseCommand

WORKER_READY_TIMEOUT = 60  # seconds to wait for the worker's "ready." before starting the web server anyway


def welcome_lines() -> list[str]:
    lines: list[str] = []
    for config in apps.get_app_configs():
        hook = getattr(config, "portal_welcome", None)
        if callable(hook):
            lines += hook()
    return lines


def runserver_command():
    """The installed runserver (whitenoise's or Django's) that ends its banner with the welcome and the address."""
    base = type(load_command_class(get_commands()["runserver"], "runserver"))

    class Runserver(base):
        def on_bind(self, server_port):
            super().on_bind(server_port)
            addr = f"[{self.addr}]" if self._raw_ipv6 else ("0.0.0.0" if self.addr == "0" else self.addr)
            self.stdout.write("")
            for line in welcome_lines():
                self.stdout.write(line)
            self.stdout.write(self.style.SUCCESS(f"打开 Open: {self.protocol}://{addr}:{server_port}/"))
            self.stdout.flush()

    return Runserver()


class Command(BaseCommand):
    help = "Migrate, then run the web server with a task worker and scheduler beside it (Ctrl+C stops all)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="Run only the web server.")

    def handle(self, *args, addrport, no_worker, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        children = []
        if not no_worker:
            children.append(self._start_worker())
        # SIGTERM (a process manager stopping us) unwinds like Ctrl+C, so the worker is stopped too.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            call_command(runserver_command(), addrport, use_reloader=False)
        finally:
            for child in children:
                child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()

    def _start_worker(self) -> subprocess.Popen:
        # One worker with the beat scheduler embedded (-B): fine for one machine; production runs beat once,
        # separately (see README).
        cmd = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "liaison",
            "worker",
            "-B",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
            "--schedule",
            settings.CELERY_BEAT_SCHEDULE_FILENAME,
        ]
        self.stdout.write(self.style.NOTICE("Starting task worker and scheduler: " + " ".join(cmd[2:])))
        self.stdout.flush()
        child = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", bufsize=1
        )
        ready = threading.Event()

        def forward() -> None:
            # The worker's log goes on being shown (SMS codes of the logging backend appear there); its start-up
            # is waited for so that it does not scroll the welcome away.
            for line in child.stdout:
                sys.stdout.write(line)
                sys.stdout.flush()
                if " ready." in line:
                    ready.set()
            ready.set()  # the worker ended: do not wait for it

        threading.Thread(target=forward, name="worker-output", daemon=True).start()
        ready.wait(WORKER_READY_TIMEOUT)
        return child
