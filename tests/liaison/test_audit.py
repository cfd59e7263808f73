"""Audit trail: who changed what, recorded by django-simple-history."""

import pytest
from django.test import Client

from stations.models import Station

pytestmark = pytest.mark.django_db


def test_changing_a_station_in_the_back_office_records_who_did_it(staff, station):
    client = Client()
    client.force_login(staff)
    url = f"/admin/stations/station/{station.pk}/change/"
    assert client.get(url).status_code == 200
    r = client.post(
        url,
        {
            "name": station.name,
            "kind": station.kind,
            "area": station.area_id,
            "address": "商州区北新街88号",
            "phone": "0914-2312345",
            "opening_hours": "",
            "description": "",
            "latitude": "",
            "longitude": "",
            "is_active": "on",
            # the rosters and schedules edited inline on the same page: none added here
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "schedules-TOTAL_FORMS": "0",
            "schedules-INITIAL_FORMS": "0",
            "_save": "保存",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    station.refresh_from_db()
    assert station.address == "商州区北新街88号"

    latest = station.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == staff
    assert latest.address == "商州区北新街88号"
    assert latest.prev_record.address == "商州区北新街1号"
    assert [c.field for c in latest.diff_against(latest.prev_record).changes] == ["address", "phone"]
    # The history page shows it to staff of the area.
    r = client.get(f"/admin/stations/station/{station.pk}/history/")
    assert r.status_code == 200 and "staff_sz" in r.content.decode()


def test_staff_of_another_county_cannot_see_the_history(other_staff, station):
    Station.objects.filter(pk=station.pk).update(address="x")
    client = Client()
    client.force_login(other_staff)
    assert client.get(f"/admin/stations/station/{station.pk}/history/").status_code == 404
    assert client.get(f"/admin/stations/station/{station.pk}/change/").status_code == 404
