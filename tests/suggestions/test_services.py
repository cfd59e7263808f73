"""The state machine, service by service."""

import datetime as dt

import pytest
from django.utils import timezone

from liaison.errors import Conflict, InvalidTransition, ValidationFailed
from liaison.notifications.models import Notification
from liaison.notifications.recipients import handling_staff, supervising_staff
from liaison.workdays import add_months
from stations.models import ReceptionLogItem
from stations.services import reception_log_create
from suggestions.jobs import reception_items_sweep, suggestion_close_expired
from suggestions.models import ExtensionRequest, Referral, Suggestion, SuggestionEvent
from suggestions.services.intake import suggestion_submit
from suggestions.services.ratings import suggestion_rate
from suggestions.services.referrals import (
    extension_grant,
    extension_limit,
    extension_refuse,
    extension_request,
    referral_reply,
    referral_return,
    referral_return_accept,
    suggestion_refer,
)
from suggestions.services.triage import (
    suggestion_accept,
    suggestion_mark_key,
    suggestion_merge,
    suggestion_reject,
)
from tests.factories import StationFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Suggestion.Status


def test_submit_sets_area_from_station_deadline_and_search_text(make_suggestion, station, tree):
    s = make_suggestion()
    assert s.status == S.SUBMITTED
    assert s.area == tree.township
    assert len(s.tracking_code) == 10 and not set(s.tracking_code) & set("01OI")
    assert s.triage_due > s.created_at.date()
    assert "路灯" in s.search_text.split()
    assert list(s.events.values_list("kind", flat=True)) == ["submitted"]


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"title": "  "}, "title"),
        ({"content": ""}, "content"),
        ({"title": "长" * 101}, "title"),
        ({"content": "长" * 5001}, "content"),
    ],
)
def test_submit_rejects_bad_text(make_suggestion, kw, field):
    with pytest.raises(ValidationFailed) as exc:
        make_suggestion(**kw)
    assert field in exc.value.message
    assert Suggestion.objects.count() == 0


def test_submit_rejects_station_outside_chosen_area(make_suggestion, tree, other_station):
    with pytest.raises(ValidationFailed):
        make_suggestion(station=other_station, area=tree.county)
    assert Suggestion.objects.count() == 0


def test_submit_needs_an_addressee(make_suggestion):
    with pytest.raises(ValidationFailed):
        make_suggestion(station=None)


def test_submit_to_delegate_uses_delegate_area_and_notifies_delegate_user(
    make_suggestion, delegate, delegate_user, tree
):
    s = make_suggestion(station=None, delegate=delegate)
    assert s.area == tree.county
    assert Notification.objects.filter(recipient=delegate_user, kind="suggestion_to_delegate").count() == 1


def test_accept_is_idempotent_and_checks_state(make_suggestion, staff):
    s = make_suggestion()
    suggestion_accept(suggestion_id=s.pk, actor=staff)
    suggestion_accept(suggestion_id=s.pk, actor=staff)
    s.refresh_from_db()
    assert s.status == S.ACCEPTED and s.responded_on_time is True
    assert s.events.filter(kind="accepted").count() == 1
    suggestion_reject(suggestion_id=make_suggestion().pk, reason="重复", actor=staff)


def test_reject_needs_reason_and_tells_submitter(make_suggestion, staff):
    s = make_suggestion()
    with pytest.raises(ValidationFailed):
        suggestion_reject(suggestion_id=s.pk, reason=" ", actor=staff)
    suggestion_reject(suggestion_id=s.pk, reason="不属于受理范围", actor=staff)
    s.refresh_from_db()
    assert s.status == S.REJECTED and s.reject_reason == "不属于受理范围"
    assert Notification.objects.filter(kind="suggestion_rejected", address="13812341234").count() == 1
    with pytest.raises(InvalidTransition):
        suggestion_accept(suggestion_id=s.pk, actor=staff)


def test_merge_into_earlier_only(make_suggestion, staff):
    first, dup = make_suggestion(), make_suggestion()
    with pytest.raises(ValidationFailed):
        suggestion_merge(suggestion_id=first.pk, into_id=dup.pk, actor=staff)
    suggestion_merge(suggestion_id=dup.pk, into_id=first.pk, actor=staff)
    dup.refresh_from_db()
    assert dup.status == S.MERGED and dup.merged_into == first
    assert dup.events.get(kind="merged").data == {"into": first.tracking_code}


def test_mark_key(make_suggestion, staff):
    s = make_suggestion()
    suggestion_mark_key(suggestion_id=s.pk, is_key=True, actor=staff)
    s.refresh_from_db()
    assert s.is_key
    assert not s.events.get(kind="key").public


def test_refer_requires_accepted(make_suggestion, staff, unit):
    s = make_suggestion()
    with pytest.raises(InvalidTransition):
        suggestion_refer(suggestion_id=s.pk, lead_unit=unit, actor=staff)


def test_refer_notifies_units_once(referred, unit, unit_user, other_unit_user):
    assert Notification.objects.filter(kind="referral_new", recipient=unit_user, channel="inbox").count() == 1
    assert (
        Notification.objects.filter(kind="referral_new", recipient=other_unit_user, channel="inbox").count()
        == 1
    )
    assert referred.status == S.REFERRED
    lead = referred.referrals.get(role="lead")
    assert lead.unit == unit and referred.reply_due == lead.due


def test_delegate_suggestion_defaults_to_three_months(tree, delegate, staff, unit):
    s = suggestion_submit(
        title="关于改善农村饮水的建议",
        content="建议实施农村供水提质工程。",
        channel="delegate",
        raised_by_delegate=delegate,
    )
    suggestion_accept(suggestion_id=s.pk, actor=staff)
    suggestion_refer(suggestion_id=s.pk, lead_unit=unit, actor=staff)
    s.refresh_from_db()
    today = timezone.localdate(s.referred_at)  # the deadlines count in local days (Asia/Shanghai)
    assert (s.reply_due - today).days in range(89, 93)
    # At most six months, even if asked for more.
    ref = s.referrals.get()
    assert extension_limit(s, ref) == add_months(today, 6)


def test_return_by_lead_goes_back_to_triage_not_rereferred(referred, unit_user, staff):
    lead = referred.referrals.get(role="lead")
    referral_return(referral_id=lead.pk, reason="不属于本单位职责", actor=unit_user)
    referral_return_accept(referral_id=lead.pk, actor=staff)
    referred.refresh_from_db()
    assert referred.status == S.ACCEPTED
    assert referred.referrals.filter(status__in=Referral.OPEN_STATUSES).count() == 0  # assisting cancelled
    assert (
        Notification.objects.filter(kind="referral_returned", recipient=staff, channel="inbox").count() == 1
    )
    # Staff re-refer (改派): the return counts as reviewed.
    suggestion_refer(suggestion_id=referred.pk, lead_unit=lead.unit, actor=staff)
    lead.refresh_from_db()
    assert lead.return_reviewed_at is not None


def test_reply_by_other_unit_is_refused(referred, other_unit_user):
    lead = referred.referrals.get(role="lead")
    with pytest.raises(Exception) as exc:
        referral_reply(referral_id=lead.pk, result="solved", content="x", actor=other_unit_user)
    assert exc.value.status_code == 403
    lead.refresh_from_db()
    assert lead.status == Referral.Status.PENDING


def test_second_unsatisfied_goes_to_supervision_and_notifies_tier_above(
    referred, unit_user, staff, city_staff
):
    lead = referred.referrals.get(role="lead")
    referral_reply(referral_id=lead.pk, result="solved", content="已修", actor=unit_user)
    suggestion_rate(suggestion_id=referred.pk, rating="unsatisfied")
    referred.refresh_from_db()
    assert referred.status == S.REOPENED and referred.round == 2
    suggestion_refer(suggestion_id=referred.pk, lead_unit=lead.unit, actor=staff)
    lead2 = referred.referrals.get(role="lead", round=2)
    referral_reply(referral_id=lead2.pk, result="solved", content="再修", actor=unit_user)
    suggestion_rate(suggestion_id=referred.pk, rating="unsatisfied")
    referred.refresh_from_db()
    assert referred.status == S.SUPERVISED
    assert (
        Notification.objects.filter(
            kind="suggestion_supervised", recipient=city_staff, channel="inbox"
        ).count()
        == 1
    )
    assert not Notification.objects.filter(
        kind="suggestion_supervised", recipient=staff, channel="inbox"
    ).exists()
    # 督办: the staff above may refer again.
    suggestion_refer(suggestion_id=referred.pk, lead_unit=lead.unit, actor=city_staff)
    referred.refresh_from_db()
    assert referred.status == S.REFERRED and referred.round == 3


def test_rating_twice_in_a_round_conflicts(referred, unit_user):
    lead = referred.referrals.get(role="lead")
    referral_reply(referral_id=lead.pk, result="solved", content="已修", actor=unit_user)
    suggestion_rate(suggestion_id=referred.pk, rating="satisfied")
    with pytest.raises((InvalidTransition, Conflict)):
        suggestion_rate(suggestion_id=referred.pk, rating="unsatisfied")


def test_close_expired(referred, unit_user):
    lead = referred.referrals.get(role="lead")
    referral_reply(referral_id=lead.pk, result="solved", content="已修", actor=unit_user)
    referred.refresh_from_db()
    assert suggestion_close_expired(today=referred.rating_due) == 0
    later = referred.rating_due + dt.timedelta(days=1)
    assert suggestion_close_expired(today=later) == 1
    assert suggestion_close_expired(today=later) == 0
    referred.refresh_from_db()
    assert referred.status == S.CLOSED
    assert referred.events.filter(kind="closed").get().data == {"expired": True}


def test_extension_request_grant(referred, unit_user, staff):
    lead = referred.referrals.get(role="lead")
    with pytest.raises(ValidationFailed):
        extension_request(referral_id=lead.pk, requested_due=lead.due, reason="x", actor=unit_user)
    new_due = lead.due + dt.timedelta(days=7)
    ext = extension_request(referral_id=lead.pk, requested_due=new_due, reason="需要招标", actor=unit_user)
    with pytest.raises(Conflict):
        extension_request(referral_id=lead.pk, requested_due=new_due, reason="again", actor=unit_user)
    extension_grant(extension_id=ext.pk, actor=staff)
    lead.refresh_from_db()
    referred.refresh_from_db()
    assert lead.due == new_due and referred.reply_due == new_due and lead.original_due < new_due
    assert ExtensionRequest.objects.get().status == "granted"
    assert (
        Notification.objects.filter(kind="extension_granted", recipient=unit_user, channel="inbox").count()
        == 1
    )


def test_extension_refuse_and_limit(referred, unit_user, staff):
    lead = referred.referrals.get(role="lead")
    with pytest.raises(ValidationFailed):
        extension_request(
            referral_id=lead.pk,
            requested_due=lead.due + dt.timedelta(days=200),
            reason="很久",
            actor=unit_user,
        )
    ext = extension_request(
        referral_id=lead.pk, requested_due=lead.due + dt.timedelta(days=3), reason="x", actor=unit_user
    )
    with pytest.raises(ValidationFailed):
        extension_refuse(extension_id=ext.pk, actor=staff, note="")
    extension_refuse(extension_id=ext.pk, actor=staff, note="请按期办理")
    lead.refresh_from_db()
    assert lead.due == lead.original_due


def test_reception_log_becomes_suggestions_once(
    delegate, delegate_user, station, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        log = reception_log_create(
            delegate=delegate,
            station=station,
            held_on=dt.date.today() - dt.timedelta(days=1),
            visitors=5,
            summary="",
            items=["村道坑洼需要修补", "希望增加公交班次"],
            actor=delegate_user,
        )
    made = Suggestion.objects.filter(channel="reception")
    assert made.count() == 2
    s = made.get(title="村道坑洼需要修补")
    assert s.station == station and s.delegate == delegate and s.reception_item.log == log
    # Saving again (the hook rerun, or the sweep) makes nothing new.
    from django.apps import apps

    apps.get_app_config("suggestions").on_reception_log(log.pk)
    reception_items_sweep(older_than=dt.timedelta(0))
    assert Suggestion.objects.filter(channel="reception").count() == 2


def test_sweep_makes_suggestions_the_hook_lost(delegate, station):
    # reception_log_create without running on-commit callbacks: the hook never ran.
    log = reception_log_create(
        delegate=delegate,
        station=station,
        held_on=dt.date.today(),
        visitors=1,
        summary="",
        items=["路灯坏了"],
    )
    assert not Suggestion.objects.exists()
    assert ReceptionLogItem.objects.filter(log=log).count() == 1
    assert reception_items_sweep(older_than=dt.timedelta(0)) == 1
    assert reception_items_sweep(older_than=dt.timedelta(0)) == 0


def test_timeline_is_append_only_with_internal_notes(referred, unit_user):
    lead = referred.referrals.get(role="lead")
    referral_return(referral_id=lead.pk, reason="内部理由", actor=unit_user)
    e = SuggestionEvent.objects.get(kind="return_requested")
    assert e.note == "内部理由" and "内部理由" not in str(e.data)


def test_staff_tiers(tree):
    county_staff = UserFactory(username="c1", role="staff", area=tree.county)
    city = UserFactory(username="c2", role="staff", area=tree.city)
    assert handling_staff(tree.village) == [county_staff]
    assert supervising_staff(tree.village) == [city]
    assert StationFactory  # factories importable for other tests
