"""Constituents behind reception-log opinions and merged duplicates hear of the reply and are asked to rate;
reception-log opinions carry the reception day's date."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from liaison.notifications.models import Notification
from stations.models import ReceptionLog
from suggestions import stats
from suggestions.jobs import rating_requests_sweep
from suggestions.models import Suggestion
from suggestions.services.referrals import referral_reply, suggestion_refer
from suggestions.services.triage import suggestion_accept, suggestion_merge

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def _log_page(client, station, held_on, rows, **extra):
    data = {
        "station": station.pk,
        "held_on": held_on.isoformat(),
        "visitors": len(rows),
        "summary": "",
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
        **extra,
    }
    for i, (content, name, phone) in enumerate(rows):
        data |= {f"items-{i}-content": content, f"items-{i}-name": name, f"items-{i}-phone": phone}
    return client.post("/workspace/reception-log/", data)


@pytest.fixture
def delegate_client(delegate_user):
    c = Client()
    c.force_login(delegate_user)
    return c


def test_a_log_item_carries_an_optional_contact_who_is_asked_to_rate(
    delegate_client, station, staff, unit, unit_user, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        r = _log_page(
            delegate_client,
            station,
            today,
            [("北新街路灯不亮", "王大爷", PHONE), ("希望增加公交班次", "", "")],
        )
    assert r.status_code == 302, r.content.decode()
    with_contact = Suggestion.objects.get(title="北新街路灯不亮")
    without = Suggestion.objects.get(title="希望增加公交班次")
    assert (with_contact.submitter_name, with_contact.submitter_phone) == ("王大爷", PHONE)
    assert (without.submitter_name, without.submitter_phone) == ("", "")
    # Staff see the contact masked; the public never.
    page = Client()
    page.force_login(staff)
    assert page.get(f"/workspace/suggestions/{with_contact.pk}/").context["contact"]["phone"] == "139****5678"
    track = Client().get(f"/api/v1/track/{with_contact.tracking_code}/").json()
    assert PHONE not in json.dumps(track, ensure_ascii=False) and "王大爷" not in json.dumps(
        track, ensure_ascii=False
    )
    # The reply reaches the constituent by SMS, with the rating request.
    suggestion_accept(suggestion_id=with_contact.pk, actor=staff)
    suggestion_refer(suggestion_id=with_contact.pk, lead_unit=unit, actor=staff)
    referral_reply(
        referral_id=with_contact.referrals.get().pk, result="solved", content="已修复", actor=unit_user
    )
    sms = Notification.objects.get(kind="rating_request", channel="sms")
    assert sms.address == PHONE and sms.link.endswith(f"/track/{with_contact.tracking_code}/")


def test_a_bad_phone_on_a_log_item_is_a_400_and_saves_nothing(delegate_client, station):
    r = _log_page(delegate_client, station, timezone.localdate(), [("路灯不亮", "王大爷", "12345")])
    assert r.status_code == 400
    assert r.context["items"].errors[0]["phone"]
    assert not Suggestion.objects.exists()


def test_a_contact_without_an_opinion_is_a_400(delegate_client, station):
    r = _log_page(delegate_client, station, timezone.localdate(), [("", "王大爷", PHONE)])
    assert r.status_code == 400
    assert r.context["items"].errors[0]["content"]


def test_more_rows_keeps_what_was_typed(delegate_client, station):
    r = _log_page(delegate_client, station, timezone.localdate(), [("路灯不亮", "", "")], more="1")
    assert r.status_code == 200
    items = r.context["items"]
    assert items.total_form_count() == 6 and items.forms[0]["content"].value() == "路灯不亮"
    assert not Suggestion.objects.exists()


def test_reception_opinions_carry_the_reception_days_date(
    delegate_client, station, staff, client_for, django_capture_on_commit_callbacks
):
    stats.refresh()  # the statistics cells exist, as the beat keeps them
    held_on = timezone.localdate() - dt.timedelta(days=70)
    with django_capture_on_commit_callbacks(execute=True):
        assert _log_page(delegate_client, station, held_on, [("村道坑洼需要修补", "", "")]).status_code == 302
    s = Suggestion.objects.get()
    assert timezone.localdate(s.created_at) == held_on
    assert s.events.get(kind="submitted").at == s.created_at
    # The staff's triage deadline counts from today, when they receive it.
    assert s.triage_due > timezone.localdate() and s.step_from == timezone.localdate()
    row = client_for(staff).get("/api/v1/suggestions/").json()
    assert row["count"] == 1  # the count from the statistics cells includes the earlier month at once
    assert row["results"][0]["created_at"][:10] == held_on.isoformat()


# --- merged duplicates: their submitters follow the original --------------------------------------------------
def test_the_duplicates_submitter_is_told_of_the_merge_and_of_the_reply(
    make_suggestion, staff, unit, unit_user, client_for
):
    original = make_suggestion()
    duplicate = make_suggestion(submitter_name="李四", submitter_phone=PHONE)
    r = client_for(staff).post(
        f"/api/v1/suggestions/{duplicate.pk}/merge/", {"into": original.tracking_code}, format="json"
    )
    assert r.status_code == 200
    merged = Notification.objects.get(kind="suggestion_merged", address=PHONE)
    assert merged.link.endswith(f"/track/{original.tracking_code}/")
    suggestion_accept(suggestion_id=original.pk, actor=staff)
    suggestion_refer(suggestion_id=original.pk, lead_unit=unit, actor=staff)
    referral_reply(
        referral_id=original.referrals.get().pk, result="solved", content="已修复", actor=unit_user
    )
    asked = Notification.objects.filter(kind="rating_request", channel="sms")
    assert sorted(asked.values_list("address", flat=True)) == sorted([original.submitter_phone, PHONE])
    assert all(n.link.endswith(f"/track/{original.tracking_code}/") for n in asked)
    # The follower rates on the original's page, as its submitter would.
    assert client_for(staff).get(f"/api/v1/track/{original.tracking_code}/").json()["can_rate"] is True


def test_merged_after_the_reply_the_follower_hears_of_it_at_once(make_suggestion, staff, unit, unit_user):
    original = make_suggestion()
    suggestion_accept(suggestion_id=original.pk, actor=staff)
    duplicate = make_suggestion(submitter_name="李四", submitter_phone=PHONE)
    suggestion_refer(suggestion_id=original.pk, lead_unit=unit, actor=staff)
    referral_reply(
        referral_id=original.referrals.get().pk, result="solved", content="已修复", actor=unit_user
    )
    suggestion_merge(suggestion_id=duplicate.pk, into_id=original.pk, actor=staff)
    assert Notification.objects.filter(kind="rating_request", address=PHONE).count() == 1
    # The rating-request sweep sends nothing twice.
    rating_requests_sweep()
    assert Notification.objects.filter(kind="rating_request", address=PHONE).count() == 1


def test_one_phone_behind_both_hears_once(make_suggestion, staff, unit, unit_user):
    original = make_suggestion(submitter_phone=PHONE)
    duplicate = make_suggestion(submitter_phone=PHONE)
    suggestion_merge(suggestion_id=duplicate.pk, into_id=original.pk, actor=staff)
    suggestion_accept(suggestion_id=original.pk, actor=staff)
    suggestion_refer(suggestion_id=original.pk, lead_unit=unit, actor=staff)
    referral_reply(
        referral_id=original.referrals.get().pk, result="solved", content="已修复", actor=unit_user
    )
    assert Notification.objects.filter(kind="rating_request", address=PHONE).count() == 1


def test_the_back_office_shows_the_log_items_phone_masked(delegate_client, station, staff):
    assert (
        _log_page(delegate_client, station, timezone.localdate(), [("路灯不亮", "王大爷", PHONE)]).status_code
        == 302
    )
    log = ReceptionLog.objects.get()
    admin = Client()
    admin.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    body = admin.get(reverse("admin:stations_receptionlog_change", args=[log.pk])).content.decode()
    assert "139****5678" in body and PHONE not in body


def test_followers_of_a_merged_duplicate_follow_the_original_too(make_suggestion, staff, unit, unit_user):
    original = make_suggestion()
    middle = make_suggestion(submitter_phone="13700000001")
    last = make_suggestion(submitter_phone="13700000002")
    suggestion_merge(suggestion_id=last.pk, into_id=middle.pk, actor=staff)
    suggestion_merge(suggestion_id=middle.pk, into_id=original.pk, actor=staff)
    suggestion_accept(suggestion_id=original.pk, actor=staff)
    suggestion_refer(suggestion_id=original.pk, lead_unit=unit, actor=staff)
    referral_reply(
        referral_id=original.referrals.get().pk, result="solved", content="已修复", actor=unit_user
    )
    asked = set(Notification.objects.filter(kind="rating_request").values_list("address", flat=True))
    assert {"13700000001", "13700000002"} <= asked
