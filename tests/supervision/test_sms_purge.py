"""Expired one-time codes (and the phone hashes in them) are deleted nightly, once."""

import datetime as dt

import pytest
from django.utils import timezone

from supervision.models import SmsCode
from supervision.tasks import purge_sms_codes

pytestmark = pytest.mark.django_db


def test_codes_expired_over_a_day_ago_are_purged_and_live_ones_kept(api):
    for phone in ("13800000001", "13800000002", "13800000003"):
        assert (
            api.post("/api/v1/sms-codes/", {"phone": phone, "purpose": "support"}, format="json").status_code
            == 202
        )
    old, recent, live = SmsCode.objects.order_by("pk")
    now = timezone.now()
    SmsCode.objects.filter(pk=old.pk).update(expires_at=now - dt.timedelta(days=2))
    SmsCode.objects.filter(pk=recent.pk).update(expires_at=now - dt.timedelta(hours=1))

    assert purge_sms_codes() == 1
    assert purge_sms_codes() == 0  # a second run deletes nothing more
    assert set(SmsCode.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
