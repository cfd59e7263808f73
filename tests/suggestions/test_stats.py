"""Statistics: the figures and rates, scoped to the subtree and period."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from suggestions import stats, tasks
from suggestions.models import MonthlyStats, Referral, Suggestion
from suggestions.services.intake import suggestion_submit
from suggestions.services.ratings import suggestion_rate
from suggestions.services.referrals import referral_reply, suggestion_refer
from suggestions.services.triage import suggestion_accept, suggestion_reject
from suggestions.stats import Period, dashboard

pytestmark = pytest.mark.django_db


def test_dashboard_counts_and_rates(make_suggestion, staff, unit, unit_user, other_station, tree):
    a, b, c = make_suggestion(), make_suggestion(category="transport"), make_suggestion()
    make_suggestion(station=other_station)  # another county: not counted for 商州区
    for s in (a, b):
        suggestion_accept(suggestion_id=s.pk, actor=staff)
        suggestion_refer(suggestion_id=s.pk, lead_unit=unit, actor=staff)
    suggestion_reject(suggestion_id=c.pk, reason="重复", actor=staff)
    ra, rb = (s.referrals.get() for s in (a, b))
    referral_reply(referral_id=ra.pk, result="solved", content="好", actor=unit_user)
    referral_reply(referral_id=rb.pk, result="cannot_solve", content="暂不能", actor=unit_user)
    suggestion_rate(suggestion_id=a.pk, rating="satisfied")
    suggestion_rate(suggestion_id=b.pk, rating="unsatisfied")

    d = dashboard(tree.county, Period.default())
    t = d["totals"]
    assert (t["received"], t["accepted"], t["rejected"], t["referred"], t["replied"], t["closed"]) == (
        3,
        2,
        1,
        2,
        2,
        1,
    )
    assert t["response_rate"] == 1.0
    assert t["solution_rate"] == 0.5
    assert t["satisfaction_rate"] == 0.5
    assert t["on_time_rate"] == 1.0
    assert {r["category"]: r["received"] for r in d["by_category"]} == {"other": 2, "transport": 1}
    assert d["by_unit"][0]["unit__name"] == unit.name and d["by_unit"][0]["replied"] == 2
    assert dashboard(tree.city, Period.default())["totals"]["received"] == 4
    future = Period(dt.date.today() + dt.timedelta(days=10), dt.date.today() + dt.timedelta(days=20))
    assert dashboard(tree.county, future)["totals"]["received"] == 0


def test_stats_api_scope(client_for, staff, tree):
    c = client_for(staff)
    assert c.get(f"/api/v1/suggestions/stats/?area={tree.other_county.code}").status_code == 404
    assert c.get("/api/v1/suggestions/stats/?from=2026-13-01").status_code == 400
    assert c.get(f"/api/v1/suggestions/stats/?area={tree.township.code}").status_code == 200


def test_export_api(client_for, referred, staff):
    r = client_for(staff).get("/api/v1/suggestions/export/?file=csv")
    body = b"".join(r.streaming_content).decode("utf-8-sig")
    assert (
        r.status_code == 200 and referred.tracking_code in body and "商州区住房和城乡建设局（主办）" in body
    )
    assert client_for(staff).get("/api/v1/suggestions/export/?file=pdf").status_code == 400


def test_excel_register_holds_text_with_control_characters(client_for, make_suggestion, staff):
    """A control character typed into a suggestion is kept in the database; the worksheet cannot hold it."""
    import io

    from openpyxl import load_workbook

    s = make_suggestion(title="路灯\x01坏了", content="晚上\x0b很黑")
    r = client_for(staff).get("/api/v1/suggestions/export/?file=xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    row = next(row for row in sheet.iter_rows(values_only=True) if row[1] == s.tracking_code)
    assert (row[9], row[10]) == ("路灯坏了", "晚上很黑")


# --- monthly cells: whole months summed from them must equal counting the suggestions -----------------------
TODAY = timezone.localdate()
YEAR = Period(dt.date(TODAY.year - 1, 1, 1), TODAY)


def _move(s, day: dt.date) -> None:
    """Put a suggestion (and its referrals) on an earlier day, as if it had been made then."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 30)))
    now = timezone.now()
    Suggestion.objects.filter(pk=s.pk).update(created_at=at, updated_at=now)
    Referral.objects.filter(suggestion=s).update(created_at=at, updated_at=now)


def _live(area, period, today=TODAY) -> dict:
    d = stats._present(area, period, stats._live(area, period, today))
    d.pop("computed_at")
    return d


def _cells(area, period, today=TODAY) -> dict:
    d = dashboard(area, period, today=today)
    d.pop("computed_at")
    return d


@pytest.fixture
def history(make_suggestion, staff, unit, other_unit, unit_user, other_station, tree):
    """Suggestions over the past year in both counties, at every stage of the loop."""
    made = []
    days = [dt.date(TODAY.year - 1, 3, 14), dt.date(TODAY.year - 1, 7, 1), dt.date(TODAY.year - 1, 7, 31)]
    days += [TODAY.replace(day=1) - dt.timedelta(days=1), TODAY]
    for i, day in enumerate(days):
        a = make_suggestion(category="transport" if i % 2 else "urban")
        b = make_suggestion(station=other_station, channel="letter")
        c = make_suggestion(area=tree.city, station=None)  # addressed to the city itself
        suggestion_accept(suggestion_id=a.pk, actor=staff)
        suggestion_refer(suggestion_id=a.pk, lead_unit=unit, assisting_units=[other_unit], actor=staff)
        if i % 2 == 0:
            ref = a.referrals.get(role="lead")
            referral_reply(referral_id=ref.pk, result="solved", content="已修", actor=unit_user)
            suggestion_rate(suggestion_id=a.pk, rating="satisfied")
        suggestion_reject(suggestion_id=b.pk, reason="不属于本级", actor=staff)
        for s in (a, b, c):
            _move(s, day)
        made += [a, b, c]
    return made


@pytest.mark.parametrize("where", ["province", "city", "county", "other_county", "township"])
def test_cells_give_the_same_figures_as_counting(history, tree, where):
    stats.refresh()
    area = getattr(tree, where)
    for period in (
        YEAR,
        Period(dt.date(TODAY.year - 1, 3, 15), dt.date(TODAY.year - 1, 7, 31)),
        Period.default(),
    ):
        assert _cells(area, period) == _live(area, period)
    assert _cells(tree.city, YEAR)["totals"]["received"] == len(history)


def _settle() -> None:
    """As if the history had been made long before the folds below (outside their look-back margin)."""
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    Suggestion.objects.update(updated_at=an_hour_ago)
    Referral.objects.update(updated_at=an_hour_ago)


def test_a_change_is_folded_into_its_month_and_only_that(history, tree, staff, unit):
    _settle()
    stats.refresh()
    march = Suggestion.objects.get(area=tree.city, created_at__month=3, status="submitted")
    suggestion_accept(suggestion_id=march.pk, actor=staff)
    assert stats.refresh() == 1  # one bucket: the city's own key, last March
    assert stats.refresh() == 1  # still within the look-back margin: folded again, the same result
    with override_settings(SUGGESTION_STATS_FOLD_SECONDS=0):
        assert _cells(tree.city, YEAR) == _live(tree.city, YEAR)
    assert (
        MonthlyStats.objects.filter(key=tree.city.path, dim="all")
        .get(month=dt.date(TODAY.year - 1, 3, 1))
        .accepted
        == 1
    )


def test_late_triage_counts_as_the_calendar_moves(make_suggestion, tree):
    s = make_suggestion()
    _move(s, dt.date(TODAY.year - 1, 5, 4))
    Suggestion.objects.filter(pk=s.pk).update(triage_due=dt.date(TODAY.year - 1, 5, 7))
    stats.refresh()
    period = Period(dt.date(TODAY.year - 1, 5, 1), dt.date(TODAY.year - 1, 5, 31))
    before = dt.date(TODAY.year - 1, 5, 6)
    # No row changes between these two days: the deadline passing alone makes the triage due (and late).
    assert _cells(tree.county, period, today=before)["totals"]["response_due"] == 0
    assert _cells(tree.county, period)["totals"]["response_due"] == 1
    assert _cells(tree.county, period)["totals"]["response_rate"] == 0.0
    assert _cells(tree.county, period) == _live(tree.county, period)


def test_the_tasks_fold_and_rebuild(history, tree):
    _settle()
    assert tasks.refresh_stats() > 0  # never built: everything
    MonthlyStats.objects.filter(key=tree.county.path).update(received=999)  # cells gone wrong somehow
    assert tasks.refresh_stats() == 0  # nothing changed since
    assert tasks.rebuild_stats() > 0
    assert _cells(tree.county, YEAR) == _live(tree.county, YEAR)


def test_stats_page_shows_the_year(history, staff, client_for):
    from django.test import Client

    c = Client()
    c.force_login(staff)
    r = c.get(f"/workspace/suggestions/stats/?start={TODAY.year - 1}-01-01&end={TODAY.isoformat()}")
    assert r.status_code == 200
    county_count = _live(staff.area, YEAR)["totals"]["received"]
    assert f'id="stat-received">{county_count}<' in r.content.decode()


def test_unfiltered_queue_count_comes_from_the_cells_and_is_exact(history, tree, city_staff, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(city_staff)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            body = c.get(url).json()
        sqls = " ".join(q["sql"] for q in ctx.captured_queries)
        return body["count"], "suggestions_monthlystats" in sqls

    in_city = Suggestion.objects.filter(area__path__startswith=tree.city.path)
    assert count("/api/v1/suggestions/") == (in_city.count(), False)  # never folded: counted
    _settle()
    stats.refresh()
    assert count("/api/v1/suggestions/") == (in_city.count(), True)
    assert count(f"/api/v1/suggestions/?area={tree.county.code}&page_size=5") == (
        in_city.filter(area__path__startswith=tree.county.path).count(),
        True,
    )
    assert count("/api/v1/suggestions/?status=submitted")[1] is False  # any other filter: counted
    # A new suggestion is in this month, counted live: no fold needed for the total to be right.
    suggestion_submit(title="新的意见", content="刚刚提交的意见建议。", area=tree.village)
    assert count("/api/v1/suggestions/") == (in_city.count(), True)
    # The page's "全部" view says the same.
    from django.test import Client

    page = Client()
    page.force_login(city_staff)
    html = page.get("/workspace/suggestions/?status=all").content.decode()
    assert f"共 {in_city.count()} 件" in html
