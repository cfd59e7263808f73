"""The daily digest: a unit user who chose it gets one message for many referrals, exactly once."""

import datetime as dt

import pytest
from django.core import mail

from liaison.notifications.models import Notification
from liaison.notifications.services import deliver_notification, pending_ids
from liaison.notifications.tasks import send_digests
from suggestions.services.triage import suggestion_accept, suggestion_reject

pytestmark = pytest.mark.django_db

EMAIL, INBOX = Notification.Channel.EMAIL, Notification.Channel.INBOX


def _refer_three(client_for, make_suggestion, staff, unit):
    titles = ["小区路灯不亮", "楼道堆放杂物", "雨水井盖破损"]
    for title in titles:
        s = make_suggestion(title=title)
        suggestion_accept(suggestion_id=s.pk, actor=staff)
        r = client_for(staff).post(
            f"/api/v1/suggestions/{s.pk}/refer/", {"lead_unit": unit.pk}, format="json"
        )
        assert r.status_code == 200, r.content
    return titles


def _send_pending():
    for pk in pending_ids(older_than=dt.timedelta(0)):
        deliver_notification(notification_id=pk)


def test_daily_digest_one_message_for_three_referrals_and_a_second_run_sends_nothing(
    client_for, make_suggestion, staff, unit, unit_user
):
    r = client_for(unit_user).put("/api/v1/me/preferences/", {"digest": "daily"}, format="json")
    assert r.status_code == 200 and r.json() == {"digest": "daily"}
    titles = _refer_three(client_for, make_suggestion, staff, unit)

    mine = Notification.objects.filter(recipient=unit_user)
    assert mine.filter(channel=INBOX, kind="referral_new").count() == 3  # the inbox shows them at once
    assert mine.filter(channel=EMAIL, status=Notification.Status.HELD).count() == 3
    assert not mine.filter(channel=EMAIL, status=Notification.Status.PENDING).exists()
    _send_pending()
    assert [m for m in mail.outbox if unit_user.email in m.to] == []  # nothing went out per event

    assert send_digests() == 1
    _send_pending()
    to_unit = [m for m in mail.outbox if m.to == [unit_user.email]]
    assert len(to_unit) == 1
    assert "3 条新消息" in to_unit[0].subject
    for title in titles:
        assert title in to_unit[0].body
    assert mine.filter(channel=EMAIL, status=Notification.Status.DIGESTED).count() == 3
    assert not mine.filter(channel=INBOX, kind="digest").exists()  # the items are in the inbox already

    rows = Notification.objects.count()
    assert send_digests() == 0
    _send_pending()
    assert Notification.objects.count() == rows
    assert len([m for m in mail.outbox if m.to == [unit_user.email]]) == 1


def test_without_the_digest_each_referral_is_its_own_message(
    client_for, make_suggestion, staff, unit, unit_user
):
    _refer_three(client_for, make_suggestion, staff, unit)
    assert (
        Notification.objects.filter(
            recipient=unit_user, channel=EMAIL, status=Notification.Status.PENDING
        ).count()
        == 3
    )
    assert send_digests() == 0


def test_rows_held_after_todays_digest_wait_for_the_next_day(
    client_for, make_suggestion, staff, unit, unit_user
):
    unit_user.digest = "daily"
    unit_user.save()
    _refer_three(client_for, make_suggestion, staff, unit)
    assert send_digests() == 1
    s = make_suggestion(title="第四件")
    suggestion_accept(suggestion_id=s.pk, actor=staff)
    client_for(staff).post(f"/api/v1/suggestions/{s.pk}/refer/", {"lead_unit": unit.pk}, format="json")
    assert send_digests() == 0  # today's digest is sent: the key per user and day holds
    held = Notification.objects.filter(recipient=unit_user, status=Notification.Status.HELD)
    assert held.count() == 1  # kept for tomorrow, not lost


def test_a_delegate_hears_about_their_own_suggestion_at_once(make_suggestion, delegate, delegate_user, staff):
    delegate_user.digest = "daily"
    delegate_user.email = "d@example.cn"
    delegate_user.save()
    s = make_suggestion(raised_by_delegate=delegate, submitter_name="", submitter_phone="")
    suggestion_reject(suggestion_id=s.pk, reason="不属于人大职责范围", actor=staff)
    rows = Notification.objects.filter(recipient=delegate_user, channel=EMAIL, kind="suggestion_rejected")
    assert rows.exists()
    assert not rows.filter(status=Notification.Status.HELD).exists()
