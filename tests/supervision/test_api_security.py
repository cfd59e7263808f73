"""Bad input and security (issue 6): a clear 4xx, nothing changed; scoping by area subtree and unit."""

import datetime as dt
import logging

import pytest
from django.test import override_settings
from django.utils import timezone

from supervision.models import Assessment, Rectification, SmsCode, Topic, TopicSupport
from supervision.services.activities import activity_create
from supervision.services.assessments import assessment_create
from supervision.services.rectifications import rectification_open
from supervision.services.topics import topic_decline
from tests.factories import DelegateFactory

from .test_api_chain import sms_code, support

pytestmark = pytest.mark.django_db

PHONE = "13812341234"


@pytest.fixture
def topic(tree):
    return Topic.objects.create(title="背街小巷路灯不亮", area=tree.county, year=2026, proposer_kind="public")


@pytest.fixture
def other_topic(tree):
    return Topic.objects.create(title="洛南县议题", area=tree.other_county, year=2026, proposer_kind="public")


def _code(api, caplog, phone=PHONE):
    with caplog.at_level(logging.INFO, logger="liaison.sms"):
        assert (
            api.post("/api/v1/sms-codes/", {"phone": phone, "purpose": "support"}, format="json").status_code
            == 202
        )
        return sms_code(caplog, phone)


def _supports(topic) -> tuple[int, int]:
    topic.refresh_from_db()
    return topic.supports_count, TopicSupport.objects.filter(topic=topic).count()


# --- SMS codes and supports ------------------------------------------------------------------------------


def test_sms_text_is_logged_and_code_stored_hashed(api, caplog, topic):
    code = _code(api, caplog)
    row = SmsCode.objects.get()
    assert code not in row.code_hash and PHONE not in row.phone_hash
    assert abs(row.expires_at - row.created_at - dt.timedelta(minutes=10)) < dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"phone": "12345"},
        {"phone": "1381234123x", "purpose": "support"},
        {"phone": PHONE, "purpose": "login"},
    ],
)
def test_sms_code_bad_input(api, body):
    r = api.post("/api/v1/sms-codes/", body, format="json")
    assert r.status_code == 400
    assert not SmsCode.objects.exists()


def test_support_without_a_valid_code(api, caplog, topic):
    # no code requested at all
    r = api.post(f"/api/v1/topics/{topic.pk}/support/", {"phone": PHONE, "code": "123456"}, format="json")
    assert r.status_code == 400 and "验证码" in r.json()["detail"]
    code = _code(api, caplog)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    r = api.post(f"/api/v1/topics/{topic.pk}/support/", {"phone": PHONE, "code": wrong}, format="json")
    assert r.status_code == 400
    for bad in ["", "12ab56", "1234567"]:
        assert (
            api.post(
                f"/api/v1/topics/{topic.pk}/support/", {"phone": PHONE, "code": bad}, format="json"
            ).status_code
            == 400
        )
    # someone else's number with this code
    r = api.post(f"/api/v1/topics/{topic.pk}/support/", {"phone": "13900000009", "code": code}, format="json")
    assert r.status_code == 400
    assert _supports(topic) == (0, 0)
    # the right code still works after one wrong guess
    r = api.post(f"/api/v1/topics/{topic.pk}/support/", {"phone": PHONE, "code": code}, format="json")
    assert r.status_code == 201 and r.json() == {"supports": 1}


def test_expired_code_is_refused(api, caplog, topic):
    code = _code(api, caplog)
    SmsCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))  # ten minutes have passed
    r = api.post(f"/api/v1/topics/{topic.pk}/support/", {"phone": PHONE, "code": code}, format="json")
    assert r.status_code == 400
    assert _supports(topic) == (0, 0)


def test_five_wrong_guesses_kill_the_code(api, caplog, topic):
    code = _code(api, caplog)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert (
            api.post(
                f"/api/v1/topics/{topic.pk}/support/", {"phone": PHONE, "code": wrong}, format="json"
            ).status_code
            == 400
        )
    r = api.post(f"/api/v1/topics/{topic.pk}/support/", {"phone": PHONE, "code": code}, format="json")
    assert r.status_code == 400
    assert _supports(topic) == (0, 0)


def test_reused_code_and_second_support(api, caplog, topic, tree):
    r, code = support(api, caplog, topic.pk, PHONE)
    assert r.status_code == 201
    other = Topic.objects.create(title="另一个议题", area=tree.county, year=2026, proposer_kind="public")
    # the code is single use, even for another topic
    r = api.post(f"/api/v1/topics/{other.pk}/support/", {"phone": PHONE, "code": code}, format="json")
    assert r.status_code == 400
    # a second support of the same topic by the same number: 409, and the fresh code is not used up
    fresh = _code(api, caplog)
    r = api.post(f"/api/v1/topics/{topic.pk}/support/", {"phone": PHONE, "code": fresh}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "already_supported"
    assert _supports(topic) == (1, 1)
    r = api.post(f"/api/v1/topics/{other.pk}/support/", {"phone": PHONE, "code": fresh}, format="json")
    assert r.status_code == 201 and r.json() == {"supports": 1}


def test_support_of_unknown_or_closed_topic(api, caplog, topic, staff):
    code = _code(api, caplog)
    assert (
        api.post("/api/v1/topics/999999/support/", {"phone": PHONE, "code": code}, format="json").status_code
        == 404
    )
    topic_decline(topic_id=topic.pk, reason="不属于人大监督范围", actor=staff)
    r = api.post(f"/api/v1/topics/{topic.pk}/support/", {"phone": PHONE, "code": code}, format="json")
    assert r.status_code == 409
    assert _supports(topic) == (0, 0)


@override_settings(
    RATE_LIMITS={"sms_code_phone": "3/h", "sms_code_client": "10/h", "support": "30/h", "topic": "10/h"}
)
def test_sms_codes_are_rate_limited_per_number_and_per_client(api, caplog):
    with caplog.at_level(logging.INFO, logger="liaison.sms"):
        for _ in range(3):
            assert (
                api.post(
                    "/api/v1/sms-codes/", {"phone": PHONE, "purpose": "support"}, format="json"
                ).status_code
                == 202
            )
        r = api.post("/api/v1/sms-codes/", {"phone": PHONE, "purpose": "support"}, format="json")
        assert r.status_code == 429
        assert SmsCode.objects.count() == 3
        # the same client, other numbers: the per-client limit (10/h) is next
        statuses = [
            api.post(
                "/api/v1/sms-codes/", {"phone": f"1390000{i:04d}", "purpose": "support"}, format="json"
            ).status_code
            for i in range(7)
        ]
    assert statuses == [202] * 6 + [429]


# --- topics: proposing, selecting, scoping ---------------------------------------------------------------


def test_topic_needs_an_open_window_and_valid_area(api, tree):
    r = api.post("/api/v1/topics/", {"title": "议题", "area": tree.county.code}, format="json")
    assert r.status_code == 409  # no collection window open
    r = api.post("/api/v1/topics/", {"title": "议题", "area": "999999999999"}, format="json")
    assert r.status_code == 400 and "area" in r.json()
    r = api.post("/api/v1/topics/", {"title": "", "area": tree.county.code}, format="json")
    assert r.status_code == 400
    assert not Topic.objects.exists()


def test_staff_of_another_area_get_404(client_for, other_staff, staff, topic, api, delegate_user):
    c = client_for(other_staff)
    assert c.post(f"/api/v1/topics/{topic.pk}/select/", {"year": 2026}, format="json").status_code == 404
    assert c.post(f"/api/v1/topics/{topic.pk}/decline/", {"reason": "x"}, format="json").status_code == 404
    assert api.post(f"/api/v1/topics/{topic.pk}/select/", {"year": 2026}, format="json").status_code in (
        401,
        403,
    )
    assert (
        client_for(delegate_user)
        .post(f"/api/v1/topics/{topic.pk}/select/", {"year": 2026}, format="json")
        .status_code
        == 403
    )
    topic.refresh_from_db()
    assert topic.status == "proposed"
    s = client_for(staff)
    assert s.post(f"/api/v1/topics/{topic.pk}/select/", {"year": "abc"}, format="json").status_code == 400
    assert s.post(f"/api/v1/topics/{topic.pk}/decline/", {}, format="json").status_code == 400
    assert s.post(f"/api/v1/topics/{topic.pk}/select/", {"year": 2026}, format="json").status_code == 200
    r = s.post(f"/api/v1/topics/{topic.pk}/decline/", {"reason": "重复"}, format="json")
    assert r.status_code == 409


def test_topic_list_query_count_is_fixed(api, tree, django_assert_max_num_queries):
    for i in range(30):
        Topic.objects.create(
            title=f"议题{i}", area=tree.county, year=2026, proposer_kind="public", supports_count=i
        )
    # count + one page with area and plan joined (anonymous: no session or user query)
    with django_assert_max_num_queries(2):
        r = api.get("/api/v1/topics/?ordering=-supports&page_size=200")
    assert [t["supports"] for t in r.json()["results"]][:3] == [29, 28, 27]
    with django_assert_max_num_queries(3):  # + the area lookup for ?area=
        r = api.get(f"/api/v1/topics/?area={tree.city.code}&status=proposed")
    assert r.json()["count"] == 30
    assert api.get("/api/v1/topics/?ordering=title").status_code == 400
    assert api.get("/api/v1/topics/?status=nonsense").status_code == 400


# --- rectifications and assessments ----------------------------------------------------------------------


@pytest.fixture
def rect(tree, unit, delegate):
    a = assessment_create(title="测评", area=tree.county, unit=unit, subject="department", roll=[delegate])
    return rectification_open(
        unit=unit, area=tree.county, source="assessment", assessment=a, title="整改", due_workdays=20
    )


def test_rectification_scoping(
    client_for, rect, unit_user, other_unit_user, staff, other_staff, city_staff, api
):
    assert [r["id"] for r in client_for(unit_user).get("/api/v1/rectifications/").json()["results"]] == [
        rect.pk
    ]
    assert client_for(other_unit_user).get("/api/v1/rectifications/").json()["count"] == 0
    assert client_for(other_staff).get("/api/v1/rectifications/").json()["count"] == 0
    assert client_for(city_staff).get("/api/v1/rectifications/").json()["count"] == 1
    assert api.get("/api/v1/rectifications/").status_code in (401, 403)
    # another unit's report: 404, nothing changed
    r = client_for(other_unit_user).post(
        f"/api/v1/rectifications/{rect.pk}/report/", {"content": "x"}, format="json"
    )
    assert r.status_code == 404
    assert (
        client_for(unit_user)
        .post(f"/api/v1/rectifications/{rect.pk}/report/", {"content": ""}, format="json")
        .status_code
        == 400
    )
    rect.refresh_from_db()
    assert rect.status == "open" and rect.report == ""
    assert client_for(unit_user).get(f"/api/v1/rectifications/{rect.pk}/").status_code == 200
    assert client_for(other_unit_user).get(f"/api/v1/rectifications/{rect.pk}/").status_code == 404
    # staff: accept before report is 409; another county's staff get 404
    assert client_for(staff).post(f"/api/v1/rectifications/{rect.pk}/accept/").status_code == 409
    client_for(unit_user).post(
        f"/api/v1/rectifications/{rect.pk}/report/", {"content": "已整改"}, format="json"
    )
    assert client_for(other_staff).post(f"/api/v1/rectifications/{rect.pk}/accept/").status_code == 404
    assert (
        client_for(other_staff)
        .post(f"/api/v1/rectifications/{rect.pk}/return/", {"reason": "x"}, format="json")
        .status_code
        == 404
    )
    assert client_for(unit_user).post(f"/api/v1/rectifications/{rect.pk}/accept/").status_code == 403
    assert (
        client_for(staff).post(f"/api/v1/rectifications/{rect.pk}/return/", {}, format="json").status_code
        == 400
    )
    rect.refresh_from_db()
    assert rect.status == "reported"
    r = client_for(staff).post(f"/api/v1/rectifications/{rect.pk}/follow-up/", {}, format="json")
    assert r.status_code == 201 and r.json()["follow_up_of"] == rect.pk and r.json()["kind"] == "inspection"
    assert client_for(staff).post(f"/api/v1/rectifications/{rect.pk}/accept/").json() == {
        "status": "accepted"
    }


def test_assessment_vote_rules_over_the_api(
    tree, unit, delegate, delegate_user, other_delegate_user, client_for, staff, other_staff
):
    roll = [delegate, *DelegateFactory.create_batch(2, area=tree.county)]
    r = client_for(staff).post(
        "/api/v1/assessments/",
        {
            "title": "部门评议",
            "area": tree.county.code,
            "unit": unit.pk,
            "subject": "department",
            "roll": [d.pk for d in roll],
        },
        format="json",
    )
    assert r.status_code == 201
    a_id = r.json()["id"]
    me = client_for(delegate_user)
    assert (
        me.post(f"/api/v1/assessments/{a_id}/vote/", {"choice": "satisfied"}, format="json").status_code
        == 409
    )  # draft
    assert client_for(other_staff).post(f"/api/v1/assessments/{a_id}/open/").status_code == 404
    assert client_for(staff).post(f"/api/v1/assessments/{a_id}/open/").status_code == 200
    assert me.post(f"/api/v1/assessments/{a_id}/vote/", {"choice": "meh"}, format="json").status_code == 400
    assert (
        me.post(f"/api/v1/assessments/{a_id}/vote/", {"choice": "satisfied"}, format="json").status_code
        == 201
    )
    r = me.post(f"/api/v1/assessments/{a_id}/vote/", {"choice": "unsatisfied"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "already_voted"
    r = client_for(other_delegate_user).post(
        f"/api/v1/assessments/{a_id}/vote/", {"choice": "unsatisfied"}, format="json"
    )
    assert r.status_code == 403
    assert (
        client_for(staff)
        .post(f"/api/v1/assessments/{a_id}/vote/", {"choice": "satisfied"}, format="json")
        .status_code
        == 403
    )
    assert Assessment.objects.get(pk=a_id).votes.count() == 1
    assert client_for(staff).post(f"/api/v1/assessments/{a_id}/close/").json()["outcome"] == "satisfied"
    assert (
        me.post(f"/api/v1/assessments/{a_id}/vote/", {"choice": "satisfied"}, format="json").status_code
        == 409
    )
    # delegates see the assessments they are on the roll of; other staff see nothing
    assert [x["id"] for x in me.get("/api/v1/assessments/").json()["results"]] == [a_id]
    assert client_for(other_delegate_user).get("/api/v1/assessments/").json()["count"] == 0
    assert client_for(other_staff).get("/api/v1/assessments/").json()["count"] == 0
    # a unit of another area cannot be assessed by this county's staff
    r = client_for(other_staff).post(
        "/api/v1/assessments/",
        {
            "title": "x",
            "area": tree.other_county.code,
            "unit": unit.pk,
            "subject": "department",
            "roll": [roll[0].pk],
        },
        format="json",
    )
    assert r.status_code == 400
    assert not Rectification.objects.exists()


def test_question_answers_are_scoped_to_the_unit(
    tree, unit, unit_user, other_unit_user, staff, other_staff, client_for
):
    activity = activity_create(kind="inspection", title="视察", area=tree.county, units=[unit])
    r = client_for(other_staff).post(
        f"/api/v1/activities/{activity.pk}/questions/", {"unit": unit.pk, "text": "?"}, format="json"
    )
    assert r.status_code == 404
    r = client_for(staff).post(
        f"/api/v1/activities/{activity.pk}/questions/", {"unit": unit.pk, "text": "进展如何？"}, format="json"
    )
    q_id = r.json()["id"]
    assert (
        client_for(other_unit_user)
        .post(f"/api/v1/questions/{q_id}/answer/", {"answer": "x"}, format="json")
        .status_code
        == 404
    )
    assert (
        client_for(other_staff)
        .post(f"/api/v1/questions/{q_id}/answer/", {"answer": "x"}, format="json")
        .status_code
        == 404
    )
    assert (
        client_for(unit_user)
        .post(f"/api/v1/questions/{q_id}/answer/", {"answer": "x", "mode": "fax"}, format="json")
        .status_code
        == 400
    )
    assert (
        client_for(unit_user)
        .post(f"/api/v1/questions/{q_id}/answer/", {"answer": "正在推进"}, format="json")
        .status_code
        == 200
    )
    assert (
        client_for(unit_user)
        .post(f"/api/v1/questions/{q_id}/answer/", {"answer": "再答"}, format="json")
        .status_code
        == 409
    )
    # a follow-up to a question of another activity is refused
    other_activity = activity_create(kind="research", title="调研", area=tree.county)
    r = client_for(staff).post(
        f"/api/v1/activities/{other_activity.pk}/questions/",
        {"unit": unit.pk, "text": "追问", "parent": q_id},
        format="json",
    )
    assert r.status_code == 400


def test_activity_creation_is_scoped(client_for, staff, other_staff, tree, unit):
    body = {"kind": "inspection", "title": "视察", "area": tree.county.code, "units": [unit.pk]}
    assert client_for(other_staff).post("/api/v1/activities/", body, format="json").status_code == 403
    assert (
        client_for(staff).post("/api/v1/activities/", {**body, "kind": "picnic"}, format="json").status_code
        == 400
    )
    assert client_for(staff).post("/api/v1/activities/", body, format="json").status_code == 201


def test_openapi_schema_lists_supervision_endpoints(api):
    r = api.get("/api/v1/schema/?format=json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for p in [
        "/api/v1/topics/",
        "/api/v1/sms-codes/",
        "/api/v1/topics/{id}/support/",
        "/api/v1/rectifications/{id}/report/",
        "/api/v1/assessments/{id}/vote/",
        "/api/v1/activities/{id}/",
    ]:
        assert p in paths, p
