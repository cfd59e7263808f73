"""Run the whole portal on one machine: web server, Celery worker and the beat scheduler.

Without REDIS_URL the broker is kombu's filesystem transport under var/, so nothing else needs installing.
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, then run the web server with a task worker and scheduler beside it (Ctrl+C stops all)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="Run only the web server.")

    def handle(self, *args, addrport, no_worker, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        if not settings.REDIS_URL:
            for key in ("data_folder_in", "processed_folder", "control_folder"):
                os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)
        call_command("migrate", interactive=False, verbosity=1)
        children = []
        if not no_worker:
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
            children.append(subprocess.Popen(cmd))
        # SIGTERM (a process manager stopping us) unwinds like Ctrl+C, so the worker is stopped too.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            for child in children:
                child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
