"""`python3 dev.py run` on a fresh clone: no tracebacks while seeding, no messages about the demo's own past, and
the accounts and the address are the last thing printed before the server's log."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper

from liaison.core.management.commands.run_portal import runserver_command
from liaison.notifications.models import Notification
from voting.models import Ballot

ROOT = Path(__file__).resolve().parents[2]


def test_a_task_queued_before_run_portal_finds_the_broker_folders(tmp_path):
    """seed_demo queues tasks before run_portal ever starts: the filesystem broker's folders must exist then."""
    var = tmp_path / "fresh-var"  # as in a fresh clone: nothing there yet
    env = {**os.environ, "DEBUG": "True", "REDIS_URL": "", "LIAISON_VAR_DIR": str(var)}
    env["DJANGO_SETTINGS_MODULE"] = "liaison.settings"
    code = (
        "import django; django.setup()\nfrom liaison.notifications.tasks import deliver\ndeliver.delay(0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "WARNING" not in done.stderr
    assert len(list((var / "celery-queue").iterdir())) == 1  # the task is waiting for the worker


@pytest.mark.django_db
def test_the_demo_sends_nothing_and_the_portal_ends_its_banner_with_accounts_and_address(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", scale=0.05, stdout=out)
    # The demo has a published ballot (and opened and closed it on the way), issued opinions, asked questions…
    assert Ballot.objects.filter(status=Ballot.Status.PUBLISHED).exists()
    # …and told nobody: no message waits in the outbox, no inbox holds an invitation to a finished vote; the
    # only inbox rows are the demo accounts' welcome messages (liaison/notifications/demo.py).
    assert not Notification.objects.exclude(channel=Notification.Channel.INBOX).exists()
    assert not Notification.objects.exclude(kind__startswith="demo_").exists()

    runserver = runserver_command()
    runserver.stdout = OutputWrapper(banner := io.StringIO())
    runserver.addr, runserver.protocol, runserver._raw_ipv6 = "127.0.0.1", "http", False
    runserver.on_bind(8123)
    lines = [line for line in banner.getvalue().splitlines() if line.strip()]
    assert lines[-1].endswith("http://127.0.0.1:8123/")
    assert lines[-2] == "密码 password: liaison-demo-2026"
    header = next(i for i, line in enumerate(lines) if line.startswith("用户名 username"))
    names = [line.split()[0] for line in lines[header + 1 : -2]]
    assert names[:4] == ["admin", "staff", "unit", "delegate01"]
    assert all(line.startswith(("admin", "staff", "unit", "delegate")) for line in lines[header + 1 : -2])
