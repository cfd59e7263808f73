"""Statistics: the figures and rates, scoped to the subtree and period."""

import datetime as dt

import pytest

from suggestions import services, tasks
from suggestions.stats import Period, dashboard, dashboard_cached

pytestmark = pytest.mark.django_db


def test_dashboard_counts_and_rates(make_suggestion, staff, unit, unit_user, other_station, tree):
    a, b, c = make_suggestion(), make_suggestion(category="transport"), make_suggestion()
    make_suggestion(station=other_station)  # another county: not counted for 商州区
    for s in (a, b):
        services.suggestion_accept(suggestion_id=s.pk, actor=staff)
        services.suggestion_refer(suggestion_id=s.pk, lead_unit=unit, actor=staff)
    services.suggestion_reject(suggestion_id=c.pk, reason="重复", actor=staff)
    ra, rb = (s.referrals.get() for s in (a, b))
    services.referral_reply(referral_id=ra.pk, result="solved", content="好", actor=unit_user)
    services.referral_reply(referral_id=rb.pk, result="cannot_solve", content="暂不能", actor=unit_user)
    services.suggestion_rate(suggestion_id=a.pk, rating="satisfied")
    services.suggestion_rate(suggestion_id=b.pk, rating="unsatisfied")

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


def test_warm_task_refreshes_cached_dashboards(make_suggestion, tree):
    make_suggestion()
    assert dashboard_cached(tree.county, Period.default())["totals"]["received"] == 1
    make_suggestion()
    assert dashboard_cached(tree.county, Period.default())["totals"]["received"] == 1  # cached
    assert tasks.warm_stats() == 3  # 陕西省, 商洛市, 商州区 have suggestions; 洛南县 none
    assert dashboard_cached(tree.county, Period.default())["totals"]["received"] == 2
