"""English mode (issue 12, item 8): dates in the language's own formats, error titles and API messages in
English, and an English catalogue without Chinese punctuation. Chinese stays as it was."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import ReceptionDayFactory

pytestmark = pytest.mark.django_db

PO = Path(settings.BASE_DIR) / "locale/en/LC_MESSAGES/django.po"
# Full-width punctuation and ideographs that have no place in English text. Curly quotes “” are English too.
FULL_WIDTH = re.compile(r"[，。：；（）「」『』、！？《》【】〔〕　\u4e00-\u9fff]")


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _next_week():
    return timezone.localdate() + dt.timedelta(days=7)


# --- dates ------------------------------------------------------------------------------------------------------
def test_a_station_page_prints_reception_days_in_english_formats(client, station):
    day = ReceptionDayFactory(station=station, date=_next_week())
    moved = ReceptionDayFactory(station=station, date=_next_week() + dt.timedelta(days=3))
    moved.planned_date = moved.date - dt.timedelta(days=1)
    moved.save()
    html = _english(client).get(f"/stations/{station.pk}/").content.decode()
    d = day.date
    assert f"{d.day} {d:%B} {d.year} ({d:%A})" in html  # 10 December 2026 (Thursday)
    p = moved.planned_date
    assert f"{p:%b}. {p.day}" in html or f"{p:%B} {p.day}" in html  # Dec. 10 / May 10 (short month names)
    assert "年" not in html.split("<main", 1)[1].split("</main>")[0]
    assert "月" not in re.sub(r"<[^>]+>", "", html.split("<main", 1)[1].split("</main>")[0])


def test_chinese_dates_stay_as_they_were(client, station):
    day = ReceptionDayFactory(station=station, date=_next_week())
    html = client.get(f"/stations/{station.pk}/").content.decode()
    weekday = "一二三四五六日"[day.date.weekday()]
    assert f"{day.date.year}年{day.date.month}月{day.date.day}日（星期{weekday}）" in html


def test_a_schedule_is_described_in_english(client, station):
    from stations.models import ReceptionSchedule

    schedule = ReceptionSchedule(station=station, frequency=ReceptionSchedule.Frequency.WEEKLY, weekday=3)
    from django.utils import translation

    with translation.override("en"):
        assert str(schedule.describe()) == "Every Thursday"
    with translation.override("zh-hans"):
        assert str(schedule.describe()) == "每周四"


# --- error pages and API messages -------------------------------------------------------------------------------
def test_an_error_page_has_an_english_title(client):
    r = _english(client).get("/no-such-page/")
    assert r.status_code == 404
    html = r.content.decode()
    assert "<title>Page not found ·" in html
    assert "404 · Page not found" in html
    assert "页面不存在" not in html


def test_an_api_error_is_english_with_accept_language():
    api = APIClient()
    r = api.get("/api/v1/no-such-endpoint/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 404
    assert r.json() == {"detail": "Page not found", "code": "not_found"}
    r = api.get("/api/v1/no-such-endpoint/")
    assert r.json()["detail"] == "页面不存在"


def test_an_api_permission_message_is_english_with_the_language_cookie(client_for, staff):
    api = client_for(staff)
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = api.get("/api/v1/ballots/")
    assert r.status_code == 403
    assert r.json()["detail"] == "Administrators, delegates and body members only."


def test_api_validation_messages_are_english(api, tree):
    r = api.get("/api/v1/stations/", {"area": "999999999999"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert r.json()["detail"] == "Unknown area code: 999999999999"
    r = api.post("/api/v1/suggestions/", {"area": tree.county.code}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert r.json()["detail"] == "This field is required."


def test_a_bad_page_size_is_english(client_for, staff):
    r = client_for(staff).get("/api/v1/suggestions/", {"page_size": "many"}, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert r.json()["detail"] == "page_size must be a positive integer."


def test_a_rate_limit_is_english(staff, settings):
    from tests.conftest import PASSWORD

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "auth": "1/m"}
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    body = {"username": staff.username, "password": PASSWORD}
    assert api.post("/api/v1/auth/token/", body, format="json").status_code == 200
    r = api.post("/api/v1/auth/token/", body, format="json")
    assert r.status_code == 429
    assert r.json() == {"detail": "Too many requests; please try again later.", "code": "rate_limited"}


# --- the catalogue ----------------------------------------------------------------------------------------------
def _msgstrs(text: str):
    for block in re.split(r"\n\s*\n", text):
        if block.lstrip().startswith("#~"):
            continue
        m_id = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not m_id or not "".join(re.findall(r'"(.*)"', m_id.group(1))):
            continue
        for m in re.finditer(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M):
            yield "".join(re.findall(r'"(.*)"', m_id.group(1))), "".join(re.findall(r'"(.*)"', m.group(1)))


def test_no_english_translation_has_full_width_punctuation_or_chinese():
    bad = [(k, v) for k, v in _msgstrs(PO.read_text(encoding="utf-8")) if FULL_WIDTH.search(v)]
    assert bad == []


# --- templates --------------------------------------------------------------------------------------------------
_TRANSLATED = re.compile(
    r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}"  # a translated block
    r"|\{%\s*trans(?:late)?\s[^%]*%\}"  # a translated string
    r"|\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",  # comments
    re.S,
)


def test_templates_put_no_chinese_text_or_punctuation_outside_translated_strings():
    """Chinese punctuation around a translated part (`（{{ role }}）`, `{% translate '理由' %}：`) stays in the
    English page; it belongs inside the translated string (or a translated separator, context 列表/标签)."""
    found = []
    for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        text = _TRANSLATED.sub("§", path.read_text(encoding="utf-8"))
        for line in text.splitlines():
            if FULL_WIDTH.search(line) and 'lang="zh-CN"' not in line:  # the switch to Chinese is Chinese
                found.append(f"{path.name}: {line.strip()[:120]}")
    assert found == []


def test_a_station_page_separates_schedules_the_english_way(client, station):
    from tests.factories import ScheduleFactory

    ScheduleFactory(station=station, frequency="weekly", weekday=0, day_of_month=None)
    ScheduleFactory(station=station, frequency="weekly", weekday=3, day_of_month=None)
    html = _english(client).get(f"/stations/{station.pk}/").content.decode()
    assert re.search(r"Every Monday [\d:–]+; Every Thursday", html)
    from django.test import Client

    html = Client().get(f"/stations/{station.pk}/").content.decode()  # Chinese, as before
    assert re.search(r"每周一 [\d:–]+；每周四", html)
