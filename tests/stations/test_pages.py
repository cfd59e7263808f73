"""The station network's pages, driven as a constituent, a delegate and staff would use them."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stations.models import Appointment, ReceptionDuty, ReceptionLog
from stations.qr import qr_svg
from tests.conftest import PASSWORD
from tests.factories import (
    AppointmentFactory,
    DelegateFactory,
    MembershipFactory,
    ReceptionDayFactory,
    ScheduleFactory,
    StationFactory,
)

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _text(response) -> str:
    return response.content.decode()


# --- Station finder -----------------------------------------------------------------------------------------
def test_home_starts_at_the_root_of_the_area_tree(client, tree, station):
    r = client.get("/")
    assert r.status_code == 200
    body = _text(r)
    assert "陕西省" in body and f"?area={tree.province.code}" in body
    assert station.name in body  # every station is listed before any drill-down


def test_drilling_down_shows_children_breadcrumb_and_the_subtree_stations(
    client, tree, station, other_station
):
    r = client.get("/", {"area": tree.county.code})
    assert r.status_code == 200
    body = _text(r)
    assert "城关街道" in body and f"?area={tree.township.code}" in body  # the county's child
    assert "商洛市" in body and "陕西省" in body  # breadcrumb
    assert station.name in body
    assert other_station.name not in body  # 洛南县's station is beside, not below
    assert "<html" in body  # a plain link renders the whole page (works without JavaScript)


def test_htmx_drill_down_returns_only_the_finder(client, tree, station):
    r = client.get("/", {"area": tree.township.code}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    body = _text(r)
    assert "<html" not in body
    assert "东关社区" in body and station.name in body
    assert "HX-Request" in r["Vary"]


def test_search_by_station_name(client, tree, station, other_station):
    r = client.get("/", {"q": "城关镇"})
    body = _text(r)
    assert other_station.name in body and station.name not in body


def test_bad_finder_input_is_a_clear_4xx(client, tree):
    assert client.get("/", {"area": "999999999999"}).status_code == 404
    r = client.get("/", {"area": "abc"})
    assert r.status_code == 400 and "12位数字" in _text(r)
    r = client.get("/", {"q": "长" * 51})
    assert r.status_code == 400


def _stations_with_schedules(area, n):
    for i in range(n):
        s = StationFactory(name=f"测试站{i:02d}", area=area)
        ScheduleFactory(station=s)
        ReceptionDayFactory(station=s)


def _count_queries(client, url, params) -> int:
    cache.clear()  # count the queries of a full render, not of a cache hit (tests/stations/test_cache.py)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_finder_queries_do_not_grow_with_the_page(client, tree, django_assert_max_num_queries):
    _stations_with_schedules(tree.village, 2)
    few = _count_queries(client, "/", {"area": tree.township.code})
    _stations_with_schedules(tree.village, 30)  # a full page of 20
    # area, breadcrumb ancestors, children, count, page of stations, active schedules, next reception day
    with django_assert_max_num_queries(7):
        r = client.get("/", {"area": tree.township.code})
    assert len(r.context["page_obj"]) == 20
    assert _count_queries(client, "/", {"area": tree.township.code}) == few


# --- Station page and poster --------------------------------------------------------------------------------
def test_station_page_shows_schedule_delegates_and_a_moved_day(client, tree, station, delegate):
    ScheduleFactory(station=station, day_of_month=17)
    moved = ReceptionDayFactory(station=station, date=TOMORROW, planned_date=TOMORROW - dt.timedelta(days=2))
    ReceptionDuty.objects.create(day=moved, delegate=delegate)
    r = client.get(reverse("station-detail", args=[station.pk]))
    assert r.status_code == 200
    body = _text(r)
    assert station.address in body and "每月17日" in body
    assert delegate.name in body and "站长" in body
    planned = moved.planned_date
    assert f"原定{planned.month}月{planned.day}日，遇节假日顺延" in body
    assert reverse("station-poster", args=[station.pk]) in body
    assert delegate.mobile not in body  # the delegate's private mobile stays private


def test_inactive_or_unknown_station_is_404(client, tree):
    gone = StationFactory(area=tree.township, is_active=False)
    assert client.get(reverse("station-detail", args=[gone.pk])).status_code == 404
    assert client.get("/stations/999999/").status_code == 404


def test_poster_has_a_qr_code_for_the_station_page(client, tree, station, delegate):
    r = client.get(reverse("station-poster", args=[station.pk]))
    assert r.status_code == 200
    body = _text(r)
    assert re.search(r'<div class="qr"><svg[^>]*viewBox', body)
    url = f"http://testserver/stations/{station.pk}/"
    assert url in body
    assert qr_svg(url, title=station.name) in body  # the code encodes the absolute URL of the station page
    assert delegate.name in body and station.address in body


# --- Delegate directory and page ----------------------------------------------------------------------------
def test_delegate_directory_filters(client, tree, delegate, other_delegate):
    city = DelegateFactory(name="王市代表", level="city", area=tree.city)
    body = _text(client.get("/delegates/"))
    assert delegate.name in body and other_delegate.name in body and city.name in body
    body = _text(client.get("/delegates/", {"area": tree.county.code}))
    assert delegate.name in body and other_delegate.name not in body
    body = _text(client.get("/delegates/", {"level": "city"}))
    assert city.name in body and delegate.name not in body
    body = _text(client.get("/delegates/", {"q": "建国"}))
    assert other_delegate.name in body and delegate.name not in body
    assert client.get("/delegates/", {"level": "emperor"}).status_code == 400
    assert client.get("/delegates/", {"area": "999999999999"}).status_code == 400
    assert client.get("/delegates/", {"q": "x" * 51}).status_code == 400


def test_delegate_directory_queries_do_not_grow(client, tree, station, django_assert_max_num_queries):
    for i in range(25):
        MembershipFactory(station=station, delegate=DelegateFactory(name=f"代表{i:02d}", area=tree.county))
    # area filter lookup, its ancestors and children (the drill-down), count, page of delegates (with area),
    # memberships prefetch
    with django_assert_max_num_queries(6):
        r = client.get("/delegates/", {"area": tree.city.code})
    assert r.status_code == 200 and len(r.context["page_obj"]) == 20


def test_delegate_page_has_qr_and_both_buttons(client, tree, station, delegate):
    r = client.get(reverse("delegate-detail", args=[delegate.pk]))
    assert r.status_code == 200
    body = _text(r)
    assert re.search(r'<div class="qr"><svg', body)
    # The 代表码 encodes the absolute URL of this page, which links on to "write" and "appointment".
    assert qr_svg(f"http://testserver/delegates/{delegate.pk}/", title=delegate.name) in body
    assert delegate.code in body and station.name in body
    assert f"{reverse('suggestion-new')}?delegate={delegate.pk}" in body
    assert reverse("appointment-new", args=[delegate.pk]) in body
    assert delegate.mobile not in body


# --- Appointments -------------------------------------------------------------------------------------------
def _appointment_data(**kw):
    data = {"name": "王小明", "phone": "13812341234", "subject": "想反映小区停车难", "website": ""}
    data.update(kw)
    return data


def test_appointment_request_shows_the_code(client, tree, station, delegate):
    url = reverse("appointment-new", args=[delegate.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, _appointment_data(station=station.pk, preferred_date=TOMORROW.isoformat()))
    appt = Appointment.objects.get()
    assert (appt.delegate, appt.station, appt.phone) == (delegate, station, "13812341234")
    # post/redirect/get: the result page is a GET, so reloading it cannot book again
    assert r.status_code == 303 and r["Location"] == reverse("appointment-done", args=[appt.code])
    r = client.get(r["Location"])
    body = _text(r)
    assert appt.code in body
    assert reverse("appointment-status", args=[appt.code]) in body
    assert "13812341234" not in body and "王小明" not in body
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    "bad",
    [
        {"phone": "1381234123"},  # ten digits
        {"phone": "23812341234"},
        {"name": ""},
        {"subject": ""},
        {"preferred_date": "2001-01-01"},
        {"preferred_date": "not-a-date"},
    ],
)
def test_appointment_validation_changes_nothing(client, tree, station, delegate, bad):
    r = client.post(reverse("appointment-new", args=[delegate.pk]), _appointment_data(**bad))
    assert r.status_code == 400
    assert 'class="errorlist"' in _text(r)
    assert not Appointment.objects.exists()


def test_appointment_at_a_station_the_delegate_is_not_in_is_rejected(
    client, station, other_station, delegate
):
    r = client.post(
        reverse("appointment-new", args=[delegate.pk]), _appointment_data(station=other_station.pk)
    )
    assert r.status_code == 400
    assert not Appointment.objects.exists()


def test_honeypot_catches_bots(client, delegate):
    r = client.post(reverse("appointment-new", args=[delegate.pk]), _appointment_data(website="http://spam"))
    assert r.status_code == 400
    assert not Appointment.objects.exists()


def test_appointments_are_rate_limited_per_client(client, delegate, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "appointment": "2/h"}
    url = reverse("appointment-new", args=[delegate.pk])
    assert client.post(url, _appointment_data()).status_code == 303
    assert client.post(url, _appointment_data()).status_code == 303
    r = client.post(url, _appointment_data())
    assert r.status_code == 429
    assert "太频繁" in _text(r) and int(r["Retry-After"]) > 0
    assert Appointment.objects.count() == 2


def test_csrf_is_enforced_on_the_appointment_form(delegate):
    from django.test import Client

    r = Client(enforce_csrf_checks=True).post(
        reverse("appointment-new", args=[delegate.pk]), _appointment_data()
    )
    assert r.status_code == 403
    assert not Appointment.objects.exists()


def test_status_page_never_shows_the_requester(client, delegate):
    appt = AppointmentFactory(delegate=delegate, name="王小明", phone="13812341234")
    r = client.get(reverse("appointment-status", args=[appt.code]))
    assert r.status_code == 200
    body = _text(r)
    assert appt.code in body and delegate.name in body and "待答复" in body
    assert "王小明" not in body and "13812341234" not in body and "1234" not in body.split(appt.code)[-1]
    assert client.get("/appointments/NOSUCHCODE/").status_code == 404


def test_personal_data_never_on_public_pages(client, tree, station, delegate):
    appt = AppointmentFactory(delegate=delegate, station=station, name="王小明", phone="13812341234")
    for url in [
        "/",
        f"/?area={tree.township.code}",
        reverse("station-detail", args=[station.pk]),
        reverse("station-poster", args=[station.pk]),
        "/delegates/",
        reverse("delegate-detail", args=[delegate.pk]),
        reverse("appointment-status", args=[appt.code]),
    ]:
        body = _text(client.get(url))
        assert "王小明" not in body and "13812341234" not in body, url
        assert delegate.mobile not in body, url


# --- Delegate workspace -------------------------------------------------------------------------------------
def test_workspace_hub_collects_links_from_every_app(client, delegate_user, monkeypatch):
    config = apps.get_app_config("voting")
    monkeypatch.setattr(
        config, "workspace_links", lambda user: [("投票测试链接", "/ballots/")], raising=False
    )
    body = _text(_login(client, delegate_user).get("/workspace/"))
    for label in ["我的值班", "登记接待", "预约请求", "投票测试链接"]:
        assert label in body
    assert reverse("workspace-duty") in body


def test_workspace_hub_for_staff_links_to_the_back_office(client, staff):
    body = _text(_login(client, staff).get("/workspace/"))
    assert reverse("admin:stations_station_changelist") in body
    assert "我的值班" not in body


def test_workspace_requires_login(client):
    r = client.get("/workspace/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/workspace/duty/", "/workspace/reception-log/", "/workspace/appointments/"])
def test_delegate_pages_are_forbidden_to_non_delegates(client, staff, url):
    assert _login(client, staff).get(url).status_code == 403


def test_my_duty_days(client, station, delegate, delegate_user, other_station):
    mine = ReceptionDayFactory(station=station, date=TOMORROW, planned_date=TOMORROW)
    ReceptionDuty.objects.create(day=mine, delegate=delegate)
    not_mine = ReceptionDayFactory(station=other_station, date=TOMORROW, planned_date=TOMORROW)
    r = _login(client, delegate_user).get("/workspace/duty/")
    assert r.status_code == 200
    assert [d.pk for d in r.context["days"]] == [mine.pk]
    assert station.name in _text(r) and not_mine.station.name not in _text(r)


def test_delegate_logs_a_reception_day(client, station, delegate, delegate_user):
    today = timezone.localdate()
    client = _login(client, delegate_user)
    r = client.post(
        "/workspace/reception-log/",
        {
            "station": station.pk,
            "held_on": today.isoformat(),
            "visitors": 7,
            "summary": "接待群众7人",
            "items-TOTAL_FORMS": "3",
            "items-INITIAL_FORMS": "0",
            "items-0-content": "东关路灯不亮",
            "items-1-content": "",
            "items-2-content": "  小区停车难  ",
        },
    )
    assert r.status_code == 302
    log = ReceptionLog.objects.get()
    assert (log.station, log.delegate, log.visitors, log.held_on) == (station, delegate, 7, today)
    assert [i.content for i in log.items.all()] == ["东关路灯不亮", "小区停车难"]
    assert "接待7人，意见2条" in _text(client.get("/workspace/reception-log/"))


def test_reception_log_rejects_a_future_date_and_a_foreign_station(
    client, station, other_station, delegate_user
):
    client = _login(client, delegate_user)
    future = {
        "station": station.pk,
        "held_on": TOMORROW.isoformat(),
        "visitors": 1,
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
    }
    assert client.post("/workspace/reception-log/", future).status_code == 400
    foreign = {**future, "station": other_station.pk, "held_on": timezone.localdate().isoformat()}
    assert client.post("/workspace/reception-log/", foreign).status_code == 400
    assert not ReceptionLog.objects.exists()


def test_delegate_accepts_an_appointment_and_the_status_page_shows_it(client, delegate, delegate_user):
    appt = AppointmentFactory(delegate=delegate)
    client = _login(client, delegate_user)
    listing = _text(client.get("/workspace/appointments/"))
    assert appt.code in listing and appt.phone in listing  # the delegate who was asked may call back
    when = (timezone.localtime() + dt.timedelta(days=3)).replace(hour=15, minute=30, second=0, microsecond=0)
    r = client.post(
        reverse("workspace-appointment-action", args=[appt.pk, "accept"]),
        {"scheduled_at": when.strftime("%Y-%m-%dT%H:%M"), "place": "城关街道中心联络站二楼"},
    )
    assert r.status_code == 302
    appt.refresh_from_db()
    assert appt.status == "accepted" and appt.scheduled_at == when
    body = _text(client.get(reverse("appointment-status", args=[appt.code])))
    assert "已接受" in body and when.strftime("%Y-%m-%d %H:%M") in body and "城关街道中心联络站二楼" in body

    # Not before the agreed time: the page says so and nothing changes.
    r = client.post(reverse("workspace-appointment-action", args=[appt.pk, "held"]))
    assert r.status_code == 400 and "还没到" in _text(r)
    Appointment.objects.filter(pk=appt.pk).update(scheduled_at=timezone.now() - dt.timedelta(hours=1))
    r = client.post(reverse("workspace-appointment-action", args=[appt.pk, "held"]))
    assert r.status_code == 302
    appt.refresh_from_db()
    assert appt.status == "held"
    # Accepting a held appointment is an illegal transition: a 409 page with the reason, nothing changed.
    r = client.post(
        reverse("workspace-appointment-action", args=[appt.pk, "accept"]),
        {"scheduled_at": when.strftime("%Y-%m-%dT%H:%M"), "place": "x"},
    )
    assert r.status_code == 409 and "只有待答复的预约可以接受" in _text(r)


def test_delegate_declines_with_a_reason(client, delegate, delegate_user):
    appt = AppointmentFactory(delegate=delegate)
    client = _login(client, delegate_user)
    url = reverse("workspace-appointment-action", args=[appt.pk, "decline"])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "近期外出学习"}).status_code == 302
    body = _text(client.get(reverse("appointment-status", args=[appt.code])))
    assert "已婉拒" in body and "近期外出学习" in body


def test_accepting_in_the_past_is_refused(client, delegate, delegate_user):
    appt = AppointmentFactory(delegate=delegate)
    r = _login(client, delegate_user).post(
        reverse("workspace-appointment-action", args=[appt.pk, "accept"]),
        {"scheduled_at": "2001-01-01T10:00"},
    )
    assert r.status_code == 400
    appt.refresh_from_db()
    assert appt.status == "requested"


def test_a_delegate_never_sees_another_delegates_appointments(
    client, delegate, other_delegate, other_delegate_user
):
    appt = AppointmentFactory(delegate=delegate)
    client = _login(client, other_delegate_user)
    assert appt.code not in _text(client.get("/workspace/appointments/"))
    when = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    r = client.post(reverse("workspace-appointment-action", args=[appt.pk, "accept"]), {"scheduled_at": when})
    assert r.status_code == 404
    appt.refresh_from_db()
    assert appt.status == "requested"


# --- Login ----------------------------------------------------------------------------------------------------
def test_login_page_and_logout(client, delegate_user):
    r = client.get("/accounts/login/")
    assert r.status_code == 200 and "密码" in _text(r)
    r = client.post(
        "/accounts/login/", {"username": "delegate01", "password": PASSWORD, "next": "/workspace/"}
    )
    assert r.status_code == 302 and r["Location"] == "/workspace/"
    assert "我的值班" in _text(client.get("/workspace/"))
    assert client.get("/accounts/logout/").status_code == 405  # logout is POST only
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/workspace/").status_code == 302


def test_lockout_page(client, staff):
    for attempt in range(5):
        client.post("/accounts/login/", {"username": "staff_sz", "password": f"wrong-{attempt}"})
    r = client.post("/accounts/login/", {"username": "staff_sz", "password": PASSWORD})
    assert r.status_code == 429
    assert "账户已暂时锁定" in _text(r)
