"""One way to configure an app's rules: parsed once at start-up (liaison.env), listed in .env.example."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from liaison.env import AppConf, env_float, env_int, env_optional_int
from suggestions.conf import conf as suggestion_conf
from supervision.conf import conf as supervision_conf
from voting.conf import conf as voting_conf

ROOT = Path(__file__).resolve().parents[2]


def _settings_variables() -> set[str]:
    text = (ROOT / "liaison" / "settings.py").read_text()
    return set(re.findall(r'env_(?:bool|int|optional_int|float|list|str|rate)\(\s*"([A-Z0-9_]+)"', text))


def _example_variables() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z][A-Z0-9_]*=", line)}


def test_every_variable_the_settings_read_is_in_env_example():
    missing = _settings_variables() - _example_variables()
    assert not missing, f"not in .env.example: {sorted(missing)}"


@pytest.mark.parametrize("app_conf", [suggestion_conf, supervision_conf, voting_conf])
def test_every_app_rule_is_a_setting_parsed_from_the_environment(app_conf):
    parsed = _settings_variables()
    for name in dir(app_conf):
        assert app_conf._prefix + name in parsed
        getattr(app_conf, name)  # defined in settings


def test_apps_read_no_setting_with_a_default_of_their_own():
    """No `getattr(settings, NAME, default)` and no os.environ in the apps: defaults live in settings.py."""
    offenders = []
    for app in ("stations", "suggestions", "supervision", "voting", "liaison"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name in ("settings.py", "settings_test.py", "env.py"):
                continue
            text = path.read_text()
            if re.search(r"getattr\(settings, \"(?!SECRET_KEY_MISSING)", text) or "os.environ.get(" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


def test_a_rule_is_read_at_call_time_so_override_settings_works():
    with override_settings(SUPERVISION_QUESTION_WORKDAYS=7, VOTING_PHOTO_MAX_COUNT=1):
        assert supervision_conf.QUESTION_WORKDAYS == 7 and voting_conf.PHOTO_MAX_COUNT == 1
    assert supervision_conf.QUESTION_WORKDAYS == 10
    with pytest.raises(AttributeError):
        _ = suggestion_conf.NOT_A_RULE
    assert isinstance(AppConf("X_", ["A"]), AppConf)


@pytest.mark.parametrize(
    "value,message",
    [("three", "must be an integer"), ("0", "must be at least 1"), ("", None), ("12", None)],
)
def test_env_int_bounds(monkeypatch, value, message):
    monkeypatch.setenv("X_RULE", value)
    if message is None:
        assert env_int("X_RULE", 3, minimum=1) == (int(value) if value else 3)
    else:
        with pytest.raises(ImproperlyConfigured, match=f"X_RULE {message}"):
            env_int("X_RULE", 3, minimum=1)


def test_env_float_and_optional_int(monkeypatch):
    monkeypatch.setenv("X_SHARE", "1.5")
    with pytest.raises(ImproperlyConfigured, match="X_SHARE must be at least 0.01 and at most 0.99"):
        env_float("X_SHARE", 0.5, minimum=0.01, maximum=0.99)
    monkeypatch.setenv("X_SHARE", "nan")
    with pytest.raises(ImproperlyConfigured):
        env_float("X_SHARE", 0.5)
    monkeypatch.setenv("X_BYTES", "")
    assert env_optional_int("X_BYTES") is None
    monkeypatch.setenv("X_BYTES", "-1")
    with pytest.raises(ImproperlyConfigured):
        env_optional_int("X_BYTES")


@pytest.mark.parametrize(
    "variable,value",
    [
        ("SUGGESTION_REPLY_WORKDAYS", "fifteen"),
        ("SUPERVISION_SMS_CODE_MAX_ATTEMPTS", "0"),
        ("VOTING_EVALUATION_UNSATISFIED_SHARE", "1"),
        ("SUGGESTION_RED_AT", "0.3"),  # below SUGGESTION_YELLOW_AT
    ],
)
def test_a_bad_rule_stops_the_start_up_with_its_name(variable, value):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update({"DEBUG": "True", "DJANGO_SETTINGS_MODULE": "liaison.settings", variable: value})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and f"{variable} must be" in result.stderr
