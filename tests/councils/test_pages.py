"""Workspace pages of bodies and councils: staff list and read bodies of their subtree (phones masked) and record
a meeting; admins create a body, add members — a new account's first password shown once — and record a
member leaving. Every successful POST redirects (303); bad input is a 400 page with nothing stored."""

import datetime as dt

import pytest
from django.utils import timezone

from bodies.models import Body, BodyMember
from councils.models import Meeting
from duties.models import DutyEntry
from liaison.accounts.models import User
from suggestions.models import Suggestion
from tests.html import parse

from .conftest import PHONE

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_staff_list_their_bodies_and_read_members_with_masked_phones(client, council, members, staff):
    _login(client, staff)
    r = client.get("/workspace/bodies/")
    assert r.status_code == 200 and council.name in r.content.decode()
    assert "/workspace/bodies/" in client.get("/workspace/").content.decode()  # linked from the workspace
    html = client.get(f"/workspace/bodies/{council.pk}/").content.decode()
    assert "王秀兰" in html and "137****5678" in html and PHONE not in html
    assert "添加成员" not in html  # staff read; admins add members


def test_another_county_and_other_roles_are_kept_out(client, council, other_staff, delegate_user):
    _login(client, other_staff)
    assert council.name not in client.get("/workspace/bodies/").content.decode()
    assert client.get(f"/workspace/bodies/{council.pk}/").status_code == 404
    assert client.get(f"/workspace/bodies/{council.pk}/meetings/new/").status_code == 404
    client.logout()
    _login(client, delegate_user)
    assert client.get("/workspace/bodies/").status_code == 403


def test_admin_creates_a_body(client, county_admin, tree):
    _login(client, county_admin)
    assert client.get("/workspace/bodies/new/").status_code == 200
    r = client.post(
        "/workspace/bodies/new/",
        {"name": "城关街道议政代表会", "kind": "street_council", "area": tree.township.pk, "term": 1},
    )
    assert r.status_code == 303
    body = Body.objects.get()
    assert r["Location"] == f"/workspace/bodies/{body.pk}/"
    # a council must sit on a street: 400, nothing stored
    r = client.post("/workspace/bodies/new/", {"name": "x", "kind": "street_council", "area": tree.county.pk})
    assert r.status_code == 400 and Body.objects.count() == 1


def test_staff_cannot_create_bodies_or_add_members(client, council, staff):
    _login(client, staff)
    assert client.get("/workspace/bodies/new/").status_code == 403
    r = client.post(f"/workspace/bodies/{council.pk}/members/", {"m-name": "某人", "m-sector": "resident"})
    assert r.status_code == 403 and not BodyMember.objects.exists()


def test_admin_adds_a_member_with_an_account_and_sees_the_password_once(client, council, county_admin):
    _login(client, county_admin)
    r = client.post(
        f"/workspace/bodies/{council.pk}/members/",
        {"m-name": "陈红梅", "m-sector": "social_org", "m-phone": "13911112222", "m-account": "on"},
    )
    assert r.status_code == 303 and r["Location"] == f"/workspace/bodies/{council.pk}/"
    member = BodyMember.objects.get(name="陈红梅")
    assert member.user.role == User.Role.MEMBER
    page = parse(client.get(r["Location"]))
    shown = page.find("[data-testid=new-account]").text
    assert member.user.username in shown
    password = shown.split("初始密码：")[1].split()[0]
    assert member.user.check_password(password)
    # once: a reload no longer shows it
    again = client.get(r["Location"]).content.decode()
    assert password not in again and 'data-testid="new-account"' not in again
    assert "139****2222" in again and "13911112222" not in again


def test_admin_adds_a_delegate_from_the_picker_and_bad_input_is_400(client, council, county_admin, delegate):
    _login(client, county_admin)
    html = client.get(f"/workspace/bodies/{council.pk}/", {"dq": delegate.name[:1]}).content.decode()
    assert delegate.name in html
    r = client.post(
        f"/workspace/bodies/{council.pk}/members/", {"m-delegate": delegate.pk, "m-sector": "resident"}
    )
    assert r.status_code == 303
    assert BodyMember.objects.get().delegate == delegate
    r = client.post(
        f"/workspace/bodies/{council.pk}/members/", {"m-delegate": delegate.pk, "m-sector": "resident"}
    )
    assert r.status_code == 400  # already a member
    r = client.post(f"/workspace/bodies/{council.pk}/members/", {"m-name": "", "m-sector": "resident"})
    assert r.status_code == 400
    assert BodyMember.objects.count() == 1


def test_a_delegate_of_another_county_is_not_in_the_picker(client, council, county_admin, other_delegate):
    _login(client, county_admin)
    assert other_delegate.name not in client.get(f"/workspace/bodies/{council.pk}/").content.decode()
    r = client.post(
        f"/workspace/bodies/{council.pk}/members/", {"m-delegate": other_delegate.pk, "m-sector": "resident"}
    )
    assert r.status_code == 400 and not BodyMember.objects.exists()


def test_admin_records_a_member_leaving(client, council, members, county_admin):
    _login(client, county_admin)
    url = f"/workspace/bodies/{council.pk}/members/{members.resident2.pk}/leave/"
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    r = client.post(url, {"l-reason": "迁出本街道", "l-left_on": yesterday.isoformat()})
    assert r.status_code == 303
    members.resident2.refresh_from_db()
    assert members.resident2.left_on == yesterday and members.resident2.left_reason == "迁出本街道"
    assert "张建华" not in parse(client.get(f"/workspace/bodies/{council.pk}/")).find("#members").text


def test_staff_record_a_meeting_through_the_page(client, council, members, staff, delegate):
    _login(client, staff)
    url = f"/workspace/bodies/{council.pk}/meetings/new/"
    page = parse(client.get(url))
    boxes = {i.attrs["value"] for i in page.find_all("input[name=attendance]")}
    assert boxes == {
        str(m.pk) for m in (members.delegate, members.resident, members.resident2, members.enterprise)
    }
    held_on = timezone.localdate() - dt.timedelta(days=1)
    r = client.post(
        url,
        {
            "held_on": held_on.isoformat(),
            "title": "第一次全体会议",
            "agenda": "通报街道工作\n协商停车难",
            "attendance": [members.delegate.pk, members.resident.pk],
            "minutes": "会议纪要。",
            "opinions": "菜市场周边增设停车位。\n\n东关社区路灯维修。\n",
        },
    )
    assert r.status_code == 303 and r["Location"] == f"/workspace/bodies/{council.pk}/"
    meeting = Meeting.objects.get()
    assert meeting.held_on == held_on
    assert Suggestion.objects.filter(channel="council", status="accepted").count() == 2
    assert DutyEntry.objects.filter(delegate=delegate).count() == 1
    html = client.get(r["Location"]).content.decode()
    for s in Suggestion.objects.all():
        assert s.tracking_code in html


def test_a_meeting_page_without_attendance_is_400_and_stores_nothing(client, council, members, staff):
    _login(client, staff)
    r = client.post(
        f"/workspace/bodies/{council.pk}/meetings/new/",
        {"held_on": timezone.localdate().isoformat(), "agenda": "议程", "attendance": []},
    )
    assert r.status_code == 400 and "请选择出席会议的成员" in r.content.decode()
    r = client.post(
        f"/workspace/bodies/{council.pk}/meetings/new/",
        {"held_on": timezone.localdate().isoformat(), "agenda": "议程", "attendance": ["99999"]},
    )
    assert r.status_code == 400
    assert not Meeting.objects.exists()
