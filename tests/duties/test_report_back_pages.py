"""Staff schedule a report-back from the record page, the delegate records the meeting, one staff user enters
the paper tally and another confirms it — through the pages."""

import pytest
from django.utils import timezone

from duties.models import DutyEntry, ReportBack

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_report_back_through_the_pages(client, staff, staff2, other_staff, delegate, delegate_user, station):
    client.force_login(staff)
    r = client.post(
        f"/workspace/duties/delegates/{delegate.pk}/report-backs/new/",
        {"station": station.pk, "scheduled_on": TODAY.isoformat()},
    )
    assert r.status_code == 303
    rb = ReportBack.objects.get()
    assert client.get("/workspace/duties/report-backs/").status_code == 200
    client.force_login(other_staff)
    assert client.get(f"/workspace/duties/report-backs/{rb.pk}/").status_code == 404
    assert (
        client.post(
            f"/workspace/duties/report-backs/{rb.pk}/held/", {"report": "x", "attendance": 1}
        ).status_code
        == 404
    )
    client.force_login(delegate_user)
    r = client.post(f"/workspace/duties/report-backs/{rb.pk}/held/", {"report": "一年来……", "attendance": 25})
    assert r.status_code == 303
    rb.refresh_from_db()
    assert rb.status == "held" and rb.attendance == 25
    assert DutyEntry.objects.filter(kind="report_back").count() == 1
    client.force_login(staff)
    client.post(
        f"/workspace/duties/report-backs/{rb.pk}/paper/",
        {"satisfied": 3, "basically_satisfied": 1, "unsatisfied": 0},
    )
    client.post(f"/workspace/duties/report-backs/{rb.pk}/confirm/")
    rb.refresh_from_db()
    assert rb.paper_satisfied == 3 and not rb.paper_confirmed
    client.force_login(staff2)
    assert "确认纸质评议票" in client.get(f"/workspace/duties/report-backs/{rb.pk}/").content.decode()
    client.post(f"/workspace/duties/report-backs/{rb.pk}/confirm/")
    rb.refresh_from_db()
    assert rb.paper_confirmed and rb.tally().total == 4


def test_scheduling_for_another_countys_delegate_is_404(client, other_staff, delegate, station):
    client.force_login(other_staff)
    r = client.post(
        f"/workspace/duties/delegates/{delegate.pk}/report-backs/new/",
        {"station": station.pk, "scheduled_on": TODAY.isoformat()},
    )
    assert r.status_code == 404 and not ReportBack.objects.exists()
