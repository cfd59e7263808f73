"""Production configuration: strict environment parsing and a clean `check --deploy`."""

import json
import os
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from liaison.env import env_bool, env_rate

ROOT = Path(__file__).resolve().parents[2]


def readme_production_env() -> dict[str, str]:
    """The variables of the README's `export DEBUG=False …` block, with a real key for `SECRET_KEY=...`."""
    lines = (ROOT / "README.md").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("export DEBUG=False"))
    block = []
    for line in lines[start:]:
        block.append(line.rstrip().removesuffix("\\"))
        if not line.rstrip().endswith("\\"):
            break
    words = shlex.split(" ".join(block))
    assert words[0] == "export"
    env = dict(word.split("=", 1) for word in words[1:])
    assert env["SECRET_KEY"] == "..."
    return {**env, "SECRET_KEY": secrets.token_urlsafe(50)}


PRODUCTION_ENV = readme_production_env()


def _manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "liaison.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_readme_production_variables():
    assert PRODUCTION_ENV["DEBUG"] == "False" and PRODUCTION_ENV["SECURE_HSTS_SECONDS"] == "31536000"
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout  # security.W021, see README
    assert "WARNINGS" not in result.stdout + result.stderr


def _serve(env, code="import liaison.wsgi"):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
            },
            **env,
        },
    )


@pytest.mark.parametrize(
    "key",
    [
        "change-me-to-50-random-chars",
        "change-me-to-50-random-chars-Jq7vX2mK9pL4wR8tY3nB6cD1",
        "Jq7vX2mK9pL4wR8tY3nB6cD1fG5hZ0sA",
        "ab" * 30,
    ],
    ids=["env-example-placeholder", "placeholder-padded-to-50", "random-but-32-chars", "two-distinct-chars"],
)
def test_a_placeholder_or_weak_secret_key_stops_the_web_process_and_fails_the_deploy_check(key):
    env = {**PRODUCTION_ENV, "SECRET_KEY": key}
    web = _serve(env)
    assert web.returncode != 0
    assert "SECRET_KEY is a placeholder or too weak" in web.stderr
    deploy = _manage("check", "--deploy", env=env)
    assert deploy.returncode != 0 and "liaison.E001" in deploy.stderr + deploy.stdout


def test_the_readme_variables_serve():
    assert _serve(PRODUCTION_ENV).returncode == 0


def test_the_language_cookie_is_secure_samesite_and_httponly_in_production():
    """/lang/en/ under the README's production variables, through the real middleware stack."""
    code = (
        "import json, django; django.setup(); from django.test import Client; "
        "r = Client().get('/lang/en/?next=/', secure=True); c = r.cookies['django_language']; "
        "print(json.dumps({'status': r.status_code, 'value': c.value, 'secure': bool(c['secure']), "
        "'samesite': c['samesite'], 'httponly': bool(c['httponly'])}))"
    )
    env = {**PRODUCTION_ENV, "ALLOWED_HOSTS": "testserver", "DJANGO_SETTINGS_MODULE": "liaison.settings"}
    result = _serve(env, code)
    assert result.returncode == 0, result.stderr
    cookie = json.loads(result.stdout.strip().splitlines()[-1])
    assert cookie == {"status": 302, "value": "en", "secure": True, "samesite": "Lax", "httponly": True}


def test_missing_secret_key_stops_the_web_process_and_fails_the_deploy_check():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    web = subprocess.run(
        [sys.executable, "-c", "import liaison.wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "SECRET_KEY")},
            **env,
        },
    )
    assert web.returncode != 0
    assert "SECRET_KEY must be set" in web.stderr
    deploy = _manage("check", "--deploy", env=env)
    assert deploy.returncode != 0 and "liaison.E001" in deploy.stderr + deploy.stdout


def test_maintenance_commands_run_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


@pytest.mark.parametrize(
    "raw,expected", [("False", False), ("false", False), ("0", False), ("True", True), ("1", True)]
)
def test_env_bool_reads_false_as_false(monkeypatch, raw, expected):
    monkeypatch.setenv("LIAISON_FLAG", raw)
    assert env_bool("LIAISON_FLAG") is expected


def test_env_bool_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("LIAISON_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("LIAISON_FLAG")


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("5/h", (5, 3600)),
        ("20/m", (20, 60)),
        (" 3 / hour ", (3, 3600)),
        ("100/d", (100, 86400)),
        ("1/s", (1, 1)),
    ],
)
def test_env_rate_reads_count_per_period(monkeypatch, raw, expected):
    monkeypatch.setenv("RATE_LIMIT_TEST", raw)
    assert tuple(env_rate("RATE_LIMIT_TEST", "1/h")) == expected


@pytest.mark.parametrize("raw", ["ten/h", "10", "10/week", "0/h", "-1/h", "10/", "/h"])
def test_env_rate_rejects_a_malformed_rate_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("RATE_LIMIT_TEST", raw)
    with pytest.raises(ImproperlyConfigured, match="RATE_LIMIT_TEST"):
        env_rate("RATE_LIMIT_TEST", "1/h")


def test_a_bad_rate_limit_stops_the_start_up_not_the_first_post():
    env = {**PRODUCTION_ENV, "RATE_LIMIT_SUGGESTION": "10 per hour"}
    web = subprocess.run(
        [sys.executable, "-c", "import liaison.wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}, **env},
    )
    assert web.returncode != 0
    assert "ImproperlyConfigured" in web.stderr and "RATE_LIMIT_SUGGESTION" in web.stderr
