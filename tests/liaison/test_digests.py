"""The digest job itself (liaison.notifications.digests): held rows, days, exactly once, the beat entry."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from liaison.notifications.digests import digests_send
from liaison.notifications.models import Notification
from liaison.notifications.services import Recipient, notify

pytestmark = pytest.mark.django_db
H, D = Notification.Status.HELD, Notification.Status.DIGESTED


def _event(user, i, **kw):
    return notify(
        [Recipient(user=user)], kind="t", key=f"t:{i}", subject=f"事件{i}", link="/workspace/", **kw
    )


def _digests():
    return Notification.objects.filter(kind="digest")


def test_a_digest_user_gets_the_inbox_row_at_once_and_the_email_held(staff):
    staff.digest = "daily"
    staff.save()
    assert _event(staff, 1) == 2
    assert Notification.objects.get(channel="inbox").status == Notification.Status.SENT
    assert Notification.objects.get(channel="email").status == H


def test_at_once_is_never_held(staff):
    staff.digest = "daily"
    staff.save()
    _event(staff, 1, at_once=True)
    assert Notification.objects.get(channel="email").status == Notification.Status.PENDING


def test_a_user_without_role_is_never_held(db):
    from tests.factories import UserFactory

    plain = UserFactory(username="plain", email="p@example.cn", digest="daily")
    _event(plain, 1)
    assert Notification.objects.get(channel="email").status == Notification.Status.PENDING


def test_next_day_sends_what_came_after_todays_digest(staff):
    staff.digest = "daily"
    staff.save()
    _event(staff, 1)
    now = timezone.now()
    assert digests_send(now=now) == 1
    _event(staff, 2)
    assert digests_send(now=timezone.now()) == 0
    assert digests_send(now=now + dt.timedelta(days=1)) == 1
    assert _digests().count() == 2
    assert "事件2" in _digests().order_by("-id").first().body
    assert not Notification.objects.filter(status=H).exists()


def test_switching_back_to_none_still_flushes_what_was_held(staff):
    staff.digest = "daily"
    staff.save()
    _event(staff, 1)
    staff.digest = "none"
    staff.save()
    assert digests_send() == 1


def test_unreachable_or_inactive_users_get_no_digest_and_nothing_stays_held(staff, unit_user):
    for u in (staff, unit_user):
        u.digest = "daily"
        u.save()
        _event(u, u.pk)
    staff.is_active = False
    staff.save()
    unit_user.email = ""
    unit_user.save()
    assert digests_send() == 0
    assert not _digests().exists()
    assert not Notification.objects.filter(status=H).exists()


def test_one_query_for_the_held_rows_then_a_fixed_number_per_user(staff, django_assert_max_num_queries):
    staff.digest = "daily"
    staff.save()
    for i in range(10):
        _event(staff, i)
    with django_assert_max_num_queries(8):
        assert digests_send() == 1


def test_the_digest_runs_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-digest"]
    assert entry["task"] == "liaison.notifications.tasks.send_digests"
