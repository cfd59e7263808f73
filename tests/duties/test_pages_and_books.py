"""Pages (record, annual report, league, coverage, review, public sections, rating) and the 五簿一档."""

import csv
import io

import pytest
from django.apps import apps
from django.utils import timezone
from openpyxl import load_workbook

from duties.models import DutyEntry, ReportBack, SelfReport
from duties.services.records import adjustment_create
from duties.services.report_backs import report_back_hold, report_back_schedule
from liaison.accounts.models import User
from stations.services import reception_log_create
from tests.factories import DelegateFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def logged(station, delegate):
    return reception_log_create(
        delegate=delegate,
        station=station,
        held_on=TODAY,
        visitors=6,
        summary="",
        items=["=HYPERLINK(1)", "停车难"],
    )


def test_public_delegate_page_shows_counts_never_points(client, delegate, logged, staff):
    adjustment_create(delegate_id=delegate.pk, points=50, reason="x", actor=staff)
    html = client.get(f"/delegates/{delegate.pk}/").content.decode()
    assert 'count-reception-days">1<' in html and 'count-people">6<' in html and 'count-opinions">2<' in html
    assert "积分" not in html and "56" not in html


def test_station_page_lists_scheduled_report_backs(client, staff, station, delegate):
    report_back_schedule(delegate_id=delegate.pk, station=station, scheduled_on=TODAY, actor=staff)
    html = client.get(f"/stations/{station.pk}/").content.decode()
    assert "代表述职安排" in html and delegate.name in html


def test_record_pages(client, delegate_user, staff, other_staff, delegate, logged):
    client.force_login(delegate_user)
    r = client.get("/workspace/duties/")
    assert r.status_code == 200 and "接待选民" in r.content.decode()
    assert client.get(f"/workspace/duties/report/{TODAY.year}/").status_code == 200
    assert client.get(f"/workspace/duties/delegates/{delegate.pk}/").status_code == 403
    client.force_login(staff)
    r = client.get(f"/workspace/duties/delegates/{delegate.pk}/")
    assert r.status_code == 200 and "/admin/stations/receptionlog/" in r.content.decode()
    assert client.get(f"/workspace/duties/delegates/{delegate.pk}/report/{TODAY.year}/").status_code == 200
    assert client.get("/workspace/duties/league/").status_code == 200
    assert client.get("/workspace/duties/coverage/").status_code == 200
    client.force_login(other_staff)
    assert client.get(f"/workspace/duties/delegates/{delegate.pk}/").status_code == 404


def test_league_page_queries_do_not_grow(client, staff, tree, station, django_assert_max_num_queries):
    client.force_login(staff)

    def add(n):
        for _ in range(n):
            d = DelegateFactory(area=tree.county)
            MembershipFactory(station=station, delegate=d)
            reception_log_create(
                delegate=d, station=station, held_on=TODAY, visitors=1, summary="", items=["x"]
            )

    add(2)
    with django_assert_max_num_queries(12) as small:
        client.get("/workspace/duties/league/")
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = client.get("/workspace/duties/league/")
    assert r.status_code == 200


def test_coverage_lists_who_has_not_reported_back_or_received(client, staff, delegate, tree, station, logged):
    idle = DelegateFactory(area=tree.county, name="王闲")
    client.force_login(staff)
    html = client.get("/workspace/duties/coverage/").content.decode()
    no_rb = html.split("no-report-back")[1].split("</ul>")[0]
    no_rec = html.split("no-reception")[1].split("</ul>")[0]
    assert delegate.name in no_rb and idle.name in no_rb
    assert idle.name in no_rec and delegate.name not in no_rec


def test_self_report_page_and_review(client, delegate_user, staff):
    client.force_login(delegate_user)
    r = client.post(
        "/workspace/duties/self-report/", {"kind": "award", "occurred_on": TODAY.isoformat(), "note": "表彰"}
    )
    assert r.status_code == 303
    bad = client.post("/workspace/duties/self-report/", {"kind": "award", "occurred_on": "", "note": ""})
    assert bad.status_code == 400 and SelfReport.objects.count() == 1
    client.force_login(staff)
    assert "表彰" in client.get("/workspace/duties/review/").content.decode()
    rid = SelfReport.objects.get().pk
    assert client.post(f"/workspace/duties/review/{rid}/approve/").status_code == 303
    assert DutyEntry.objects.get().kind == "award"


def test_rating_page_with_an_sms_code(client, staff, station, delegate, caplog):
    rb = report_back_schedule(delegate_id=delegate.pk, station=station, scheduled_on=TODAY, actor=staff)
    report_back_hold(report_back_id=rb.pk, report="报告", attendance=3, actor=staff)
    url = f"/report-backs/{rb.pk}/"
    assert "获取验证码" in client.get(url).content.decode()
    import logging
    import re

    with caplog.at_level(logging.INFO):
        r = client.post(url + "rate/", {"action": "code", "phone": "13800000041"})
    assert r.status_code == 200
    code = re.search(r"验证码是(\d{6})", caplog.text).group(1)
    r = client.post(
        url + "rate/", {"action": "rate", "phone": "13800000041", "code": "111111", "rating": "satisfied"}
    )
    assert r.status_code == 400
    r = client.post(
        url + "rate/", {"action": "rate", "phone": "13800000041", "code": code, "rating": "satisfied"}
    )
    assert r.status_code == 303
    rb.refresh_from_db()
    assert rb.online_satisfied == 1


@pytest.mark.parametrize(
    "book", ["activities", "receptions", "trainings", "referrals", "report-backs", "records"]
)
def test_books_in_three_forms(client, client_for, staff, other_staff, station, logged, book):
    c = client_for(staff)
    base = f"/api/v1/books/{book}/?station={station.pk}"
    r = c.get(base)
    assert r.status_code == 200, r.content
    assert r.json()["sheets"]
    x = c.get(base + "&file=xlsx")
    wb = load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames
    s = c.get(base + "&file=csv")
    rows = list(csv.reader(io.StringIO(s.content.decode("utf-8-sig"))))
    assert rows
    client.force_login(staff)
    assert client.get(f"/workspace/duties/books/{book}/?station={station.pk}").status_code == 200
    assert client_for(other_staff).get(base).status_code == 404


def test_receptions_book_writes_formulas_as_text(client_for, staff, station, logged):
    x = client_for(staff).get(f"/api/v1/books/receptions/?station={station.pk}&file=xlsx")
    ws = load_workbook(io.BytesIO(x.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "'=HYPERLINK(1)" in values
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in values)


def test_records_book_has_a_sheet_per_delegate(client_for, staff, station, delegate, tree, logged):
    other = DelegateFactory(area=tree.county, name="周二")
    MembershipFactory(station=station, delegate=other)
    x = client_for(staff).get(f"/api/v1/books/records/?station={station.pk}&file=xlsx")
    assert sorted(load_workbook(io.BytesIO(x.content)).sheetnames) == sorted([delegate.name, other.name])


def test_bad_book_requests(client_for, staff, station):
    c = client_for(staff)
    assert c.get(f"/api/v1/books/nope/?station={station.pk}").status_code == 404
    assert c.get("/api/v1/books/activities/").status_code == 400
    assert c.get(f"/api/v1/books/activities/?station={station.pk}&from=2026-13-01").status_code == 400
    assert c.get(f"/api/v1/books/activities/?station={2**70}").status_code == 400


def test_seed_demo_is_idempotent(tree, station):
    staff = UserFactory(username="staff", role=User.Role.STAFF, area=tree.county, is_staff=True)
    UserFactory(username="admin", role=User.Role.ADMIN, area=tree.city, is_staff=True)
    for i in range(1, 4):
        d = DelegateFactory(area=tree.county)
        MembershipFactory(station=station, delegate=d)
        UserFactory(username=f"delegate{i:02d}", role=User.Role.DELEGATE, delegate=d)
    config = apps.get_app_config("duties")
    out = io.StringIO()
    config.seed_demo(out)
    n = DutyEntry.objects.count()
    config.seed_demo(out)
    assert DutyEntry.objects.count() == n > 20
    assert "demo data present" in out.getvalue()
    assert ReportBack.objects.filter(status="closed").get().tally().total == 17 + 26
    assert staff.pk
