"""backfill_duties rebuilds the live ledger, idempotently; record and league reads run fixed query counts."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from duties.models import DutyEntry
from duties.services.records import adjustment_create
from duties.services.trainings import training_create
from stations.services import appointment_accept, appointment_mark_held, reception_log_create
from tests.factories import AppointmentFactory, DelegateFactory, MembershipFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _ledger():
    return sorted(
        DutyEntry.objects.filter(sign=1)
        .exclude(kind="adjustment")
        .values_list("delegate_id", "kind", "source_type_id", "source_id", "occurred_on")
    )


def _activity(delegates, staff, tree, station):
    for d in delegates:
        reception_log_create(
            delegate=d, station=station, held_on=TODAY, visitors=3, summary="", items=["意见一", "意见二"]
        )
    training_create(
        title="培训", held_on=TODAY, area=tree.county, attendees=[d.pk for d in delegates], actor=staff
    )


def test_backfill_rebuilds_the_same_ledger_twice(tree, station, delegate, staff):
    _activity([delegate], staff, tree, station)
    live = _ledger()
    assert len(live) == 4  # reception day, two opinions, training
    DutyEntry.objects.all().delete()  # a deployment that upgrades: no ledger yet
    out = io.StringIO()
    call_command("backfill_duties", stdout=out)
    assert _ledger() == live
    assert "reception_logs" in out.getvalue()
    call_command("backfill_duties", stdout=io.StringIO())
    assert _ledger() == live and DutyEntry.objects.count() == 4


def test_backfill_keeps_reversals_and_adds_nothing_to_a_live_ledger(tree, station, delegate, staff):
    _activity([delegate], staff, tree, station)
    from liaison.acts import delegate_act
    from stations.models import ReceptionLog

    log = ReceptionLog.objects.get()
    delegate_act(delegate_id=delegate.pk, kind="reception_log", source=log, withdrawn=True)
    before = DutyEntry.objects.count()
    call_command("backfill_duties", stdout=io.StringIO())
    assert DutyEntry.objects.count() == before == 7


def test_appointment_held_enters_the_ledger(delegate, staff):
    import datetime as dt

    appt = AppointmentFactory(delegate=delegate)
    appointment_accept(appointment_id=appt.pk, scheduled_at=timezone.now() + dt.timedelta(seconds=1))
    from stations.models import Appointment

    Appointment.objects.filter(pk=appt.pk).update(scheduled_at=timezone.now() - dt.timedelta(hours=1))
    appointment_mark_held(appointment_id=appt.pk)
    assert DutyEntry.objects.get().kind == "appointment_held"


def _many(n, tree, station, staff):
    ds = [DelegateFactory(area=tree.county) for _ in range(n)]
    for d in ds:
        MembershipFactory(station=station, delegate=d)
    _activity(ds, staff, tree, station)
    for d in ds:
        adjustment_create(delegate_id=d.pk, points=1, reason="x", actor=staff)
    return ds


def test_league_table_queries_do_not_grow(client_for, staff, tree, station, django_assert_max_num_queries):
    _many(2, tree, station, staff)
    c = client_for(staff)
    # (user's area,) rules, delegates counted (in scope, in all), the page scored and ranked from the tallies,
    # the page's counts by kind
    with django_assert_max_num_queries(5):
        small = c.get("/api/v1/duty-scores/")
    _many(12, tree, station, staff)
    with django_assert_max_num_queries(5):
        big = c.get("/api/v1/duty-scores/")
    assert small.json()["count"] == 2 and big.json()["count"] == 14


def test_entry_list_queries_do_not_grow(client_for, staff, tree, station, django_assert_max_num_queries):
    _many(1, tree, station, staff)
    c = client_for(staff)
    # user's area, count, page (with delegate and content type joined), rules of the year
    with django_assert_max_num_queries(6):
        small = c.get("/api/v1/duty-entries/?page_size=200")
    _many(10, tree, station, staff)
    with django_assert_max_num_queries(6):
        big = c.get("/api/v1/duty-entries/?page_size=200")
    assert small.json()["count"] == 5 and big.json()["count"] == 55


def test_record_page_queries_do_not_grow(
    client, staff, tree, station, delegate, django_assert_max_num_queries
):
    client.force_login(staff)

    def add(n):
        for _ in range(n):
            reception_log_create(
                delegate=delegate, station=station, held_on=TODAY, visitors=1, summary="", items=["x"]
            )

    add(1)
    with django_assert_max_num_queries(20) as small:
        client.get(f"/workspace/duties/delegates/{delegate.pk}/")
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = client.get(f"/workspace/duties/delegates/{delegate.pk}/")
    assert r.status_code == 200
