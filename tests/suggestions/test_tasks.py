"""Celery tasks: idempotent (run twice → one notification) and counting working days across holidays."""

import datetime as dt
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from liaison.notifications.models import Notification
from suggestions import tasks
from suggestions.jobs import rating_requests_sweep
from suggestions.models import Referral, Suggestion
from suggestions.services.referrals import (
    extension_grant,
    extension_request,
    referral_reply,
    suggestion_refer,
)
from suggestions.services.triage import suggestion_accept

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@contextmanager
def at(day: dt.date, hour: int = 10):
    """Pretend it is `day` (services read timezone.now())."""
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def _refer_on(day, make_suggestion, staff, unit, **kw):
    with at(day):
        s = make_suggestion()
        suggestion_accept(suggestion_id=s.pk, actor=staff)
        suggestion_refer(suggestion_id=s.pk, lead_unit=unit, actor=staff, **kw)
    return Referral.objects.get(suggestion=s, role="lead")


def test_referral_before_national_day_is_due_by_the_calendar(make_suggestion, staff, unit):
    # 2026-09-29 (Tue): 9-30 is a working day, 10-01…10-07 are the National Day holiday, 10-10 (Sat) is an
    # adjusted working day (调休). Fifteen working days later is 2026-10-26, not the 2026-10-20 that
    # Monday-to-Friday counting would give.
    ref = _refer_on(dt.date(2026, 9, 29), make_suggestion, staff, unit)
    assert ref.due == dt.date(2026, 10, 26)
    assert ref.suggestion.reply_due == dt.date(2026, 10, 26)


def test_triage_deadline_across_national_day(make_suggestion):
    with at(dt.date(2026, 9, 30)):
        s = make_suggestion()
    # Working days after 9-30: 10-08, 10-09 and the adjusted working Saturday 10-10 (调休).
    assert s.triage_due == dt.date(2026, 10, 10)


def test_reminder_two_working_days_before_due_runs_once(make_suggestion, staff, unit, unit_user):
    ref = _refer_on(dt.date(2026, 9, 29), make_suggestion, staff, unit)  # due 2026-10-26 (Mon)
    # Three working days before (10-21, Wed): too early.
    with at(dt.date(2026, 10, 21)):
        assert tasks.remind_referrals() == 0
    # Two working days before is Thursday 10-22; the weekend does not count.
    with at(dt.date(2026, 10, 22)):
        assert tasks.remind_referrals() == 2  # inbox + email of the unit's user
        assert tasks.remind_referrals() == 0
    with at(dt.date(2026, 10, 23)):
        assert tasks.remind_referrals() == 0  # same due date: the key is taken
    assert (
        Notification.objects.filter(kind="referral_reminder", recipient=unit_user, channel="inbox").count()
        == 1
    )
    assert ref.pk


def test_extended_referral_is_reminded_again_for_its_new_date(make_suggestion, staff, unit, unit_user):
    ref = _refer_on(dt.date(2026, 9, 29), make_suggestion, staff, unit)
    with at(dt.date(2026, 10, 22)):
        tasks.remind_referrals()
        ext = extension_request(
            referral_id=ref.pk, requested_due=dt.date(2026, 11, 2), reason="需招标", actor=unit_user
        )
        extension_grant(extension_id=ext.pk, actor=staff)
    with at(dt.date(2026, 10, 29)):
        tasks.remind_referrals()
        tasks.remind_referrals()
    assert (
        Notification.objects.filter(kind="referral_reminder", recipient=unit_user, channel="inbox").count()
        == 2
    )


def test_overdue_marks_and_warns_once(make_suggestion, staff, unit, unit_user):
    ref = _refer_on(dt.date(2026, 9, 29), make_suggestion, staff, unit)
    with at(dt.date(2026, 10, 26)):
        assert tasks.mark_overdue() == 0  # the due day itself is still on time
    with at(dt.date(2026, 10, 27)):
        assert tasks.mark_overdue() == 1
        assert tasks.mark_overdue() == 0
    ref.refresh_from_db()
    s = ref.suggestion
    assert ref.overdue_at is not None and s.is_overdue
    assert Notification.objects.filter(kind="referral_overdue", recipient=staff, channel="inbox").count() == 1
    assert (
        Notification.objects.filter(
            kind="referral_overdue_unit", recipient=unit_user, channel="inbox"
        ).count()
        == 1
    )
    # A late reply clears the flag and counts as not on time.
    with at(dt.date(2026, 10, 28)):
        referral_reply(referral_id=ref.pk, result="solved", content="已修", actor=unit_user)
    s.refresh_from_db()
    assert not s.is_overdue and s.replied_on_time is False


def test_triage_overdue_warns_once(make_suggestion, staff):
    with at(dt.date(2026, 9, 30)):
        s = make_suggestion()
    later = s.triage_due + dt.timedelta(days=1)
    with at(later):
        assert tasks.warn_triage_overdue() == 2  # staff inbox + email
        assert tasks.warn_triage_overdue() == 0
    assert s.events.filter(kind="triage_overdue").count() == 1


def test_auto_close_after_rating_window_once(referred, unit_user):
    lead = referred.referrals.get(role="lead")
    referral_reply(referral_id=lead.pk, result="solved", content="已修", actor=unit_user)
    referred.refresh_from_db()
    with at(referred.rating_due + dt.timedelta(days=1)):
        assert tasks.close_expired() == 1
        assert tasks.close_expired() == 0
    referred.refresh_from_db()
    assert referred.status == Suggestion.Status.CLOSED
    assert referred.events.filter(kind="closed").count() == 1


def test_rating_request_sent_once_by_sms_without_email(referred, unit_user, caplog):
    lead = referred.referrals.get(role="lead")
    referral_reply(referral_id=lead.pk, result="solved", content="已修", actor=unit_user)
    n = Notification.objects.get(kind="rating_request")
    assert n.channel == "sms" and n.address == "13812341234"
    # The sweep finds nothing left to ask.
    assert rating_requests_sweep() == 0
    # Delivery through the logging SMS backend.
    from liaison.notifications.services import deliver_notification

    with caplog.at_level("INFO", logger="liaison.sms"):
        assert deliver_notification(notification_id=n.pk) is True
        assert deliver_notification(notification_id=n.pk) is False
    assert sum("SMS to 138****1234" in r.getMessage() for r in caplog.records) == 1


def test_daily_sweep_sends_lost_rating_requests_once(referred, unit_user):
    lead = referred.referrals.get(role="lead")
    referral_reply(referral_id=lead.pk, result="solved", content="已修", actor=unit_user)
    # Simulate a bulk-loaded or lost request: no marker, no notification.
    Notification.objects.filter(kind="rating_request").delete()
    Suggestion.objects.filter(pk=referred.pk).update(rating_requested_at=None)
    first = tasks.daily_sweep()
    second = tasks.daily_sweep()
    assert first["rating_requests"] == 1 and second["rating_requests"] == 0
    assert Notification.objects.filter(kind="rating_request").count() == 1


def test_daily_sweep_twice_sends_nothing_new(make_suggestion, staff, unit, unit_user):
    _refer_on(dt.date(2026, 9, 29), make_suggestion, staff, unit)
    with at(dt.date(2026, 10, 27)):
        tasks.daily_sweep()
        count = Notification.objects.count()
        tasks.daily_sweep()
        assert Notification.objects.count() == count


def test_beat_schedule_is_merged():
    from django.conf import settings

    for name in ("suggestions-remind-referrals", "suggestions-mark-overdue", "suggestions-daily-sweep"):
        assert settings.CELERY_BEAT_SCHEDULE[name]["task"].startswith("suggestions.tasks.")
