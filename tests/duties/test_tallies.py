"""The tallies (DutyTally) follow the ledger through every writer, a rebuild gives the same table, and the
league table scored from them in SQL is the one the ledger gives: scores, ranks, ties, pages."""

import datetime as dt
import importlib
import io
from collections import defaultdict
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import F
from django.utils import timezone

from duties.ledger import entries_reverse
from duties.models import DutyEntry, DutyRule, DutyTally
from duties.points import league, rules_for_year
from duties.selectors import delegates_visible_to
from duties.services.records import adjustment_create
from duties.services.trainings import training_create
from duties.tally import tallies_rebuild
from liaison.acts import delegate_act
from stations.models import Delegate, ReceptionLog
from stations.services import reception_log_create
from tests.factories import DelegateFactory, MembershipFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LAST_YEAR = dt.date(TODAY.year - 1, 6, 15)


def _ledger_sums() -> dict:
    """What the tallies must be, summed here entry by entry (not with the code under test's query)."""
    out: dict = defaultdict(lambda: [0, 0])
    for e in DutyEntry.objects.all():
        row = out[(e.delegate_id, e.year, e.kind)]
        row[0] += e.sign
        if e.kind == "adjustment":
            row[1] += e.points
    return {k: tuple(v) for k, v in out.items()}


def _tallies() -> dict:
    return {(t.delegate_id, t.year, t.kind): (t.n, t.pts) for t in DutyTally.objects.all()}


def _member(tree, station, name):
    d = DelegateFactory(area=tree.county, name=name)
    MembershipFactory(station=station, delegate=d)
    return d


def _mixed_year(client_for, tree, station, delegate, delegate_user, staff):
    """Acts, repeats, adjustments (one back-dated), a self-report and withdrawals, through the services and
    the HTTP API. Returns the second delegate."""
    other = _member(tree, station, "王二")
    st = client_for(staff)
    reception_log_create(
        delegate=delegate, station=station, held_on=TODAY, visitors=4, summary="", items=["路灯", "停车"]
    )
    reception_log_create(delegate=other, station=station, held_on=TODAY, visitors=2, summary="", items=["x"])
    training = training_create(
        title="培训", held_on=TODAY, area=tree.county, attendees=[delegate.pk, other.pk], actor=staff
    )
    for body in (
        {"delegate": delegate.pk, "points": 3, "reason": "表现突出"},
        {"delegate": other.pk, "points": -2, "reason": "缺席"},
        {"delegate": other.pk, "points": 5, "reason": "去年", "occurred_on": LAST_YEAR.isoformat()},
    ):
        assert st.post("/api/v1/duty-adjustments/", body, format="json").status_code == 201
    r = client_for(delegate_user).post(
        "/api/v1/duty-self-reports/",
        {"kind": "award", "occurred_on": LAST_YEAR.isoformat(), "note": "优秀代表"},
        format="multipart",
    )
    assert r.status_code == 201, r.content
    assert st.post(f"/api/v1/duty-self-reports/{r.json()['id']}/approve/").status_code == 200
    # A repeat of an act is no entry, and no count.
    log = ReceptionLog.objects.get(delegate=delegate)
    delegate_act(delegate_id=delegate.pk, kind="reception_log", source=log)
    # Withdrawals: the log with its opinions (twice: the second writes nothing), one attendee of the training.
    delegate_act(delegate_id=delegate.pk, kind="reception_log", source=log, withdrawn=True)
    delegate_act(delegate_id=delegate.pk, kind="reception_log", source=log, withdrawn=True)
    assert entries_reverse(source=training, delegate_id=other.pk) == 1
    return other


def test_every_writer_keeps_the_tallies_equal_to_the_ledger(
    client_for, tree, station, delegate, delegate_user, staff
):
    other = _mixed_year(client_for, tree, station, delegate, delegate_user, staff)
    assert DutyEntry.objects.filter(sign=-1).count() == 4
    assert _tallies() == _ledger_sums()
    y = TODAY.year
    assert _tallies() == {
        (delegate.pk, y, "reception_day"): (0, 0),
        (delegate.pk, y, "opinion_recorded"): (0, 0),
        (delegate.pk, y, "training"): (1, 0),
        (delegate.pk, y, "adjustment"): (1, 3),
        (delegate.pk, y - 1, "award"): (1, 0),
        (other.pk, y, "reception_day"): (1, 0),
        (other.pk, y, "opinion_recorded"): (1, 0),
        (other.pk, y, "training"): (0, 0),
        (other.pk, y, "adjustment"): (1, -2),
        (other.pk, y - 1, "adjustment"): (1, 5),
    }
    # What the delegate and the staff read: withdrawn kinds are no count; last year keeps its own.
    mine = client_for(delegate_user)
    assert mine.get("/api/v1/duty-scores/mine/").json() == {
        "delegate": delegate.pk,
        "name": delegate.name,
        "score": 2 + 3,
        "rank": 0,
        "counts": {"adjustment": 1, "training": 1},
    }
    assert mine.get(f"/api/v1/duty-scores/mine/?year={y - 1}").json()["score"] == 3


def test_a_rebuild_gives_the_same_table(client_for, tree, station, delegate, delegate_user, staff):
    _mixed_year(client_for, tree, station, delegate, delegate_user, staff)
    live = _tallies()
    DutyTally.objects.update(n=F("n") + 7)
    DutyTally.objects.filter(year=TODAY.year, kind="training").delete()
    # Only the years asked for: last year comes right, this year stays as it was left.
    assert tallies_rebuild(years=[TODAY.year - 1]) == 2
    now = _tallies()
    assert {k: v for k, v in now.items() if k[1] == TODAY.year - 1} == {
        k: v for k, v in live.items() if k[1] == TODAY.year - 1
    }
    assert now != live
    assert tallies_rebuild() == len(live)
    assert _tallies() == live == _ledger_sums()
    assert tallies_rebuild(years=[]) == 0 and _tallies() == live


def test_the_command_rebuilds_every_tally(client_for, tree, station, delegate, delegate_user, staff):
    _mixed_year(client_for, tree, station, delegate, delegate_user, staff)
    DutyTally.objects.all().delete()
    out = io.StringIO()
    call_command("backfill_duties", "--rebuild-tallies", stdout=out)
    assert _tallies() == _ledger_sums() and f"{len(_ledger_sums())} tallies" in out.getvalue()


def test_the_backfill_counts_what_it_inserts(tree, station, delegate, staff):
    reception_log_create(
        delegate=delegate, station=station, held_on=TODAY, visitors=1, summary="", items=["a"]
    )
    training_create(title="培训", held_on=LAST_YEAR, area=tree.county, attendees=[delegate.pk], actor=staff)
    live = _tallies()
    # A deployment that upgrades: the other apps' data, no ledger and (the migration found none) no tallies.
    DutyEntry.objects.all().delete()
    DutyTally.objects.all().delete()
    call_command("backfill_duties", stdout=io.StringIO())
    assert _tallies() == live == _ledger_sums()
    assert len(live) == 3
    # A second run inserts nothing and leaves the tallies as they are.
    call_command("backfill_duties", stdout=io.StringIO())
    assert _tallies() == live


def test_the_migration_fills_the_tallies_from_the_existing_ledger(
    client_for, tree, station, delegate, delegate_user, staff
):
    _mixed_year(client_for, tree, station, delegate, delegate_user, staff)
    expected = _ledger_sums()
    DutyTally.objects.all().delete()
    migration = importlib.import_module("duties.migrations.0003_duty_tally")
    state = MigrationLoader(connection).project_state(("duties", "0003_duty_tally"))
    migration.fill(state.apps, SimpleNamespace(connection=connection))  # with the historical models
    assert _tallies() == expected


# --- the league table -------------------------------------------------------------------------------------


def _reference_league(delegates) -> list[tuple]:
    """The league table as the ledger gives it, computed here in Python: (id, name, score, rank, counts)."""
    rules = rules_for_year(TODAY.year)
    rows = []
    for d in delegates:
        score, counts = 0, defaultdict(int)
        for e in DutyEntry.objects.filter(delegate=d, year=TODAY.year):
            score += e.points if e.kind == "adjustment" else e.sign * rules.get(e.kind, 0)
            counts[e.kind] += e.sign
        rows.append([d.pk, d.name, score, 0, {k: n for k, n in counts.items() if n}])
    rows.sort(key=lambda r: (-r[2], r[1], r[0]))
    for i, r in enumerate(rows):
        r[3] = rows[i - 1][3] if i and rows[i - 1][2] == r[2] else i + 1
    return [tuple(r) for r in rows]


@pytest.fixture
def league_world(tree, station, staff):
    """Ties on 14 and on 0, a negative score, a delegate without any entry, an inactive one, and the year's
    own point for a reception day (7, not 5)."""
    DutyRule.objects.create(year=TODAY.year, kind="reception_day", points=7)
    a, b, c, d, e = (_member(tree, station, n) for n in ("甲一", "乙二", "丙三", "丁四", "戊五"))
    inactive = _member(tree, station, "己六")
    inactive.is_active = False
    inactive.save()

    def receive(who, n=1):
        for _ in range(n):
            reception_log_create(
                delegate=who, station=station, held_on=TODAY, visitors=1, summary="", items=[]
            )

    receive(a, 2)  # 14
    receive(b)  # 7 + 7 = 14, a tie with a (乙 U+4E59 sorts before 甲 U+7532)
    adjustment_create(delegate_id=b.pk, points=7, reason="x", actor=staff)
    adjustment_create(delegate_id=d.pk, points=-3, reason="x", actor=staff)  # below the zeros
    receive(e)  # withdrawn: 0, a tie with c, who has no entry at all
    delegate_act(
        delegate_id=e.pk, kind="reception_log", source=ReceptionLog.objects.get(delegate=e), withdrawn=True
    )
    receive(inactive, 3)
    return [a, b, c, d, e]


def _rows(results) -> list[tuple]:
    return [(r["delegate"], r["name"], r["score"], r["rank"], r["counts"]) for r in results]


def test_the_league_api_scores_and_ranks_as_the_ledger_says(client_for, staff, league_world):
    expected = _reference_league(league_world)
    assert [r[2:4] for r in expected] == [(14, 1), (14, 1), (0, 3), (0, 3), (-3, 5)]
    c = client_for(staff)
    body = c.get("/api/v1/duty-scores/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5 and body["next"] is None and body["previous"] is None
    assert all(set(r) == {"delegate", "name", "score", "rank", "counts"} for r in body["results"])
    assert _rows(body["results"]) == expected
    # Pages of two: the database pages the ranked table, ranks stay the whole table's.
    seen, url = [], "/api/v1/duty-scores/?page_size=2"
    while url:
        page = c.get(url).json()
        assert page["count"] == 5 and len(page["results"]) <= 2
        seen += _rows(page["results"])
        url = page["next"]
    assert seen == expected
    assert c.get("/api/v1/duty-scores/?page=4&page_size=2").status_code == 404
    # Another year: everyone on 0, one shared rank, ordered by name.
    other = c.get(f"/api/v1/duty-scores/?year={TODAY.year - 1}").json()["results"]
    assert [(r["name"], r["score"], r["rank"]) for r in other] == [
        (n, 0, 1) for n in sorted(d.name for d in league_world)
    ]


def test_the_league_page_shows_the_same_table(client, staff, league_world):
    client.force_login(staff)
    html = client.get("/workspace/duties/league/").content.decode()
    names = [r[1] for r in _reference_league(league_world)]
    assert [html.index(n) for n in names] == sorted(html.index(n) for n in names)
    assert "己六" not in html
    # Each row: score, then the counts of reception days, opinions, report-backs and trainings.
    for _, name, score, _, counts in _reference_league(league_world):
        row = html.split(name)[1].split("</tr>")[0]
        cols = [score] + [
            counts.get(k, 0) for k in ("reception_day", "opinion_recorded", "report_back", "training")
        ]
        assert "".join(f"<td>{n}</td>" for n in cols) in row


def test_a_rule_changed_for_the_year_rescored_without_a_rebuild(client_for, staff, league_world):
    DutyRule.objects.filter(year=TODAY.year, kind="reception_day").update(points=1)
    body = client_for(staff).get("/api/v1/duty-scores/").json()
    assert _rows(body["results"]) == _reference_league(league_world)
    assert [r["score"] for r in body["results"]] == [8, 2, 0, 0, -3]


def test_a_county_league_among_a_larger_citys_delegates(
    client_for, staff, city_staff, tree, other_station, league_world
):
    """A county's staff on a database of more delegates: the sum reads only the county's tallies (the
    restricted query), the city's staff the city's (all of them); both tables are the ledger's."""
    others = [DelegateFactory(area=tree.other_county, name=f"洛南{i}") for i in range(8)]
    for i, d in enumerate(others):
        MembershipFactory(station=other_station, delegate=d)
        for _ in range(i % 3):
            reception_log_create(
                delegate=d, station=other_station, held_on=TODAY, visitors=1, summary="", items=["x"]
            )
    for user, expected, restricted in (
        (staff, _reference_league(league_world), True),
        (city_staff, _reference_league(league_world + others), False),
    ):
        delegates = delegates_visible_to(user).filter(is_active=True)
        assert league(year=TODAY.year, delegates=delegates)._scope_of() == (len(expected), restricted)
        body = client_for(user).get("/api/v1/duty-scores/?page_size=50").json()
        assert body["count"] == len(expected) and _rows(body["results"]) == expected


def test_an_empty_league_is_empty(league_world):
    for delegates in (Delegate.objects.none(), Delegate.objects.filter(name="没有这个人")):
        table = league(year=TODAY.year, delegates=delegates)
        assert table.count() == 0 and list(table) == [] and table[0:20] == []
    assert league(year=TODAY.year, delegates=Delegate.objects.all())[3:3] == []
