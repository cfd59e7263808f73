"""Lists run a fixed number of queries whatever their size."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suggestions.services.referrals import referral_reply, suggestion_refer
from suggestions.services.triage import suggestion_accept

pytestmark = pytest.mark.django_db


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = fn()
        assert r.status_code == 200
    return len(ctx.captured_queries)


def _many(make_suggestion, staff, unit, other_unit, n):
    out = []
    for i in range(n):
        s = make_suggestion(title=f"路灯不亮{i}")
        suggestion_accept(suggestion_id=s.pk, actor=staff)
        suggestion_refer(suggestion_id=s.pk, lead_unit=unit, assisting_units=[other_unit], actor=staff)
        out.append(s)
    return out


def test_staff_list_is_constant(
    make_suggestion, staff, unit, other_unit, client_for, django_assert_max_num_queries
):
    c = client_for(staff)
    _many(make_suggestion, staff, unit, other_unit, 2)
    filtered = "/api/v1/suggestions/?page_size=50&overdue=false&q=路灯"
    small = _count(lambda: c.get(filtered))
    _many(make_suggestion, staff, unit, other_unit, 12)
    # The statistics' fold state, then the count (from the cells: their sum and this month's live count,
    # or a plain COUNT while they have never been folded), the page (area and station joined); the 三色
    # lights read the calendar overrides from the process's copy, not from the database.
    with django_assert_max_num_queries(4):
        r = c.get("/api/v1/suggestions/?page_size=50")
    assert r.json()["count"] == 14
    assert _count(lambda: c.get(filtered)) == small


def test_referral_list_is_constant(
    make_suggestion, staff, unit, other_unit, unit_user, client_for, django_assert_max_num_queries
):
    _many(make_suggestion, staff, unit, other_unit, 3)
    small_unit = _count(lambda: client_for(unit_user).get("/api/v1/referrals/"))
    _many(make_suggestion, staff, unit, other_unit, 10)
    # count and one page with suggestion and unit joined.
    with django_assert_max_num_queries(2):
        assert client_for(unit_user).get("/api/v1/referrals/?page_size=100").json()["count"] == 13
    with django_assert_max_num_queries(2):
        assert client_for(staff).get("/api/v1/referrals/?page_size=100").json()["count"] == 26
    assert small_unit == 2


def test_tracking_is_four_queries(referred, unit_user, api, django_assert_num_queries):
    for ref in referred.referrals.all():
        referral_reply(referral_id=ref.pk, result="solved", content="已修", actor=None)
    # the suggestion (merged_into joined), its public events, its replies (referral and unit joined),
    # the supervision topics it fed.
    with django_assert_num_queries(4):
        r = api.get(f"/api/v1/track/{referred.tracking_code}/")
    assert len(r.json()["replies"]) == 2
    client = Client()
    with django_assert_num_queries(4):
        assert client.get(f"/track/{referred.tracking_code}/").status_code == 200


def test_staff_detail_is_constant(referred, staff, client_for, django_assert_max_num_queries):
    # suggestion (+area, station, delegates, merged_into), referrals(+unit), replies(+referral, unit),
    # events(+actor), photos, ratings (the calendar overrides are the process's copy).
    with django_assert_max_num_queries(6):
        assert client_for(staff).get(f"/api/v1/suggestions/{referred.pk}/").status_code == 200


def test_staff_queue_page_is_constant(make_suggestion, staff, unit, other_unit):
    c = Client()
    c.force_login(staff)
    _many(make_suggestion, staff, unit, other_unit, 2)
    small = _count(lambda: c.get("/workspace/suggestions/"))
    _many(make_suggestion, staff, unit, other_unit, 15)
    assert _count(lambda: c.get("/workspace/suggestions/")) == small


def test_unit_queue_page_is_constant(make_suggestion, staff, unit, other_unit, unit_user):
    c = Client()
    c.force_login(unit_user)
    _many(make_suggestion, staff, unit, other_unit, 2)
    small = _count(lambda: c.get("/workspace/referrals/"))
    _many(make_suggestion, staff, unit, other_unit, 15)
    assert _count(lambda: c.get("/workspace/referrals/")) == small


def test_stats_query_count_is_fixed(make_suggestion, staff, unit, other_unit, client_for):
    from suggestions import stats

    c = client_for(staff)
    _many(make_suggestion, staff, unit, other_unit, 5)
    stats.refresh()  # what the beat task does every minute
    small = _count(lambda: c.get("/api/v1/suggestions/stats/"))
    _many(make_suggestion, staff, unit, other_unit, 15)
    stats.refresh()
    # The fold state; the whole months' cells (by month, by dimension, by unit) and late triage; the
    # current month counted live (totals, month, category, channel, station, unit); station and unit names.
    assert _count(lambda: c.get("/api/v1/suggestions/stats/")) == small <= 13
    body = c.get("/api/v1/suggestions/stats/").json()
    assert body["totals"]["received"] == 20 and body["totals"]["referred"] == 20
    assert body["by_unit"][0]["referrals"] == 20
