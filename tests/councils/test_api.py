"""Council meetings through the API: staff of the street's county record a meeting; each attending delegate
gets one duty-record entry (other members none); each opinion becomes an accepted suggestion of channel
`council`, referred through the ordinary referral API. A non-member in the attendance is a 400 with nothing
stored; another county's staff get 404."""

import datetime as dt

import pytest

from councils.models import Attendance, Meeting, MeetingOpinion
from duties.models import DutyEntry, Kind
from suggestions.models import Referral, Suggestion
from tests.factories import DelegateFactory

pytestmark = pytest.mark.django_db


def _payload(members, **over):
    return {
        "held_on": str(dt.date.today() - dt.timedelta(days=2)),
        "title": "第一次全体会议",
        "agenda": "通报街道年度工作\n协商背街小巷改造",
        "attendance": [members.delegate.pk, members.resident.pk, members.enterprise.pk],
        "minutes": "会议由召集人主持，听取了街道工作通报。",
        "opinions": [
            {"content": "东关社区背街小巷路灯损坏，夜间出行不安全。", "member": members.resident.pk},
            {"content": "建议在菜市场周边增设临时停车位。", "category": "transport"},
        ],
        **over,
    }


def test_recording_a_meeting_writes_attendance_duties_and_council_suggestions(
    client_for, council, members, staff, delegate, unit
):
    url = f"/api/v1/bodies/{council.pk}/meetings/"
    r = client_for(staff).post(url, _payload(members), format="json")
    assert r.status_code == 201, r.content
    out = r.json()
    assert sorted(out["present"]) == sorted([members.delegate.pk, members.resident.pk, members.enterprise.pk])
    assert (out["present_count"], out["roll_count"]) == (3, 4)
    assert out["agenda_items"] == ["通报街道年度工作", "协商背街小巷改造"]
    codes = [o["tracking_code"] for o in out["opinions"]]
    assert len(codes) == 2 and all(o["status"] == "accepted" for o in out["opinions"])

    meeting = Meeting.objects.get()
    assert Attendance.objects.filter(meeting=meeting, present=False).get().member == members.resident2
    # One duty entry: the delegate member's attendance; the other members are not delegates.
    entries = DutyEntry.objects.filter(kind=Kind.COUNCIL_MEETING)
    assert [(e.delegate_id, e.occurred_on) for e in entries] == [(delegate.pk, meeting.held_on)]
    assert DutyEntry.objects.count() == 1

    suggestions = Suggestion.objects.filter(tracking_code__in=codes).order_by("id")
    assert [(s.channel, s.status, s.area_id) for s in suggestions] == [
        ("council", "accepted", council.area_id)
    ] * 2
    assert suggestions[1].category == "transport"
    assert suggestions[0].submitter_name == "王秀兰" and not suggestions[0].submitter_phone

    # referred like any other suggestion, through the existing referral API
    s = suggestions[0]
    r = client_for(staff).post(f"/api/v1/suggestions/{s.pk}/refer/", {"lead_unit": unit.pk}, format="json")
    assert r.status_code == 200, r.content
    assert Referral.objects.get(suggestion=s).unit == unit
    queue = client_for(staff).get("/api/v1/suggestions/?channel=council").json()["results"]
    assert sorted(q["tracking_code"] for q in queue) == sorted(codes)

    listing = client_for(staff).get(url).json()["results"]
    assert [m["id"] for m in listing] == [meeting.pk]
    assert [o["status"] for o in listing[0]["opinions"]] == ["referred", "accepted"]


def test_a_non_member_in_the_attendance_is_refused_and_nothing_stored(client_for, council, members, staff):
    stranger = DelegateFactory(name="路人甲", area=council.area)
    url = f"/api/v1/bodies/{council.pk}/meetings/"
    for attendance in (
        [members.delegate.pk, 999999],
        [members.resident.pk, members.delegate.pk + 1000],
        [stranger.pk + 50000],
    ):
        r = client_for(staff).post(url, _payload(members, attendance=attendance), format="json")
        assert r.status_code == 400, r.content
        assert r.json()["code"] == "invalid" and "attendance" in r.json()["errors"]
    assert not Meeting.objects.exists() and not Suggestion.objects.exists() and not DutyEntry.objects.exists()


def test_a_member_who_joined_after_the_meeting_day_is_not_on_its_roll(client_for, council, members, staff):
    from bodies.services import member_add

    late, _ = member_add(body=council, name="新成员", sector="resident")
    held_on = dt.date.today() - dt.timedelta(days=2)
    r = client_for(staff).post(
        f"/api/v1/bodies/{council.pk}/meetings/",
        _payload(members, held_on=str(held_on), attendance=[members.delegate.pk, late.pk]),
        format="json",
    )
    assert r.status_code == 400
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"agenda": ""},
        {"attendance": []},
        {"attendance": ["x"]},
        {"held_on": "2099-01-01"},
        {"held_on": "not a date"},
        {"opinions": [{"content": ""}]},
        {"opinions": [{"content": "意见", "member": 424242}]},
        {"opinions": [{"content": "意见", "category": "nonsense"}]},
    ],
)
def test_bad_input_is_400_and_changes_nothing(client_for, council, members, staff, bad):
    r = client_for(staff).post(
        f"/api/v1/bodies/{council.pk}/meetings/", _payload(members, **bad), format="json"
    )
    assert r.status_code == 400, r.content
    assert not Meeting.objects.exists() and not Suggestion.objects.exists()


def test_an_opinion_by_an_absent_member_is_refused(client_for, council, members, staff):
    payload = _payload(members, opinions=[{"content": "意见", "member": members.resident2.pk}])
    r = client_for(staff).post(f"/api/v1/bodies/{council.pk}/meetings/", payload, format="json")
    assert r.status_code == 400
    assert not MeetingOpinion.objects.exists() and not Suggestion.objects.exists()


def test_another_county_staff_get_404_and_others_403(
    client_for, council, members, other_staff, unit_user, delegate_user, api
):
    url = f"/api/v1/bodies/{council.pk}/meetings/"
    assert client_for(other_staff).post(url, _payload(members), format="json").status_code == 404
    assert client_for(other_staff).get(url).status_code == 404
    assert client_for(unit_user).post(url, _payload(members), format="json").status_code == 403
    assert client_for(delegate_user).get(url).status_code == 403
    assert api.get(url).status_code in (401, 403)
    assert not Meeting.objects.exists()


def test_only_a_street_council_records_meetings_here(client_for, tree, staff, delegate):
    from bodies.services import body_create, member_add

    congress = body_create(name="商州区第十七届人民代表大会", kind="congress", area=tree.county, term=17)
    m, _ = member_add(body=congress, delegate=delegate, joined_on=dt.date.today() - dt.timedelta(days=9))
    r = client_for(staff).post(
        f"/api/v1/bodies/{congress.pk}/meetings/",
        {"held_on": str(dt.date.today()), "agenda": "x", "attendance": [m.pk]},
        format="json",
    )
    assert r.status_code == 400
    assert not Meeting.objects.exists() and not DutyEntry.objects.exists()


def test_meeting_list_runs_a_fixed_number_of_queries(
    client_for, council, members, staff, django_assert_max_num_queries
):
    c = client_for(staff)
    url = f"/api/v1/bodies/{council.pk}/meetings/"
    for _i in range(3):
        assert c.post(url, _payload(members), format="json").status_code == 201
    # body (with area), count, meetings, opinions with their suggestions, present ids
    with django_assert_max_num_queries(5):
        r = c.get(url)
    assert len(r.json()["results"]) == 3
