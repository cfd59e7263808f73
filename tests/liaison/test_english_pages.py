"""English mode across the portal (issue 12, item 8): every main page, public and per role, read in English
has no Chinese punctuation next to English words and no Chinese date ("12月10日") — the data entered in
Chinese (names, titles, texts) stays Chinese, of course."""

# Fixtures imported from another test module are parameters of the tests below.
# ruff: noqa: F811

import html
import re

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.test_accessibility import portal  # noqa: F401  (a fixture: every kind of object)

pytestmark = pytest.mark.django_db

# A full-width mark right after or before an English word, or a date in a Chinese pattern.
MIXED = re.compile(r"[A-Za-z][，。：；（）、「」]|[，。：；（）、「」][A-Za-z]|\d+月\d+日|\d{4}年")


def _text(body: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _english_problems(user, paths) -> list[str]:
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    found = []
    for path in paths:
        r = c.get(path)
        assert r.status_code == 200, (path, r.status_code)
        for line in _text(r.content.decode()).splitlines():
            if MIXED.search(line):
                found.append(f"{path}: {' '.join(line.split())[:160]}")
    return found


def test_public_pages_in_english(portal, station, delegate):
    paths = [
        "/",
        f"/stations/{station.pk}/",
        f"/stations/{station.pk}/poster/",
        "/delegates/",
        f"/delegates/{delegate.pk}/",
        "/suggest/",
        f"/track/{portal['suggestion'].tracking_code}/",
        "/projects/",
        f"/projects/{portal['project'].pk}/",
        "/proposals/",
        "/ballots/",
        "/supervision/",
        f"/supervision/activities/{portal['activity'].pk}/",
    ]
    assert _english_problems(None, paths) == []


def test_workspace_pages_in_english(portal, staff, unit_user, delegate_user):
    s, project = portal["suggestion"], portal["project"]
    found = _english_problems(
        staff,
        [
            "/workspace/",
            "/workspace/suggestions/",
            f"/workspace/suggestions/{s.pk}/",
            "/workspace/suggestions/stats/",
            "/workspace/supervision/",
            f"/workspace/voting/projects/{project.pk}/",
        ],
    )
    found += _english_problems(
        unit_user, ["/workspace/referrals/", f"/workspace/referrals/{s.referrals.get().pk}/"]
    )
    found += _english_problems(delegate_user, ["/workspace/", "/workspace/duty/", "/workspace/appointments/"])
    assert found == []
