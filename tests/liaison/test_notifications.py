"""The notification outbox: rows written with the caller's transaction, delivered once, retried by the sweep."""

import datetime as dt
import logging
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import transaction
from django.utils import timezone

from liaison.notifications import services
from liaison.notifications.models import Notification
from liaison.notifications.services import Recipient, deliver_notification, notify
from liaison.notifications.sms import BaseSMSBackend
from liaison.notifications.tasks import deliver, sweep_pending

pytestmark = pytest.mark.django_db


def _notify_staff_and_phone(staff, key="occasion:1"):
    return notify(
        [Recipient(user=staff), Recipient(phone="13800001111")],
        kind="test_kind",
        key=key,
        subject="您有一条新的意见建议",
        body="请及时处理。",
        link="/suggestions/1/",
    )


def _age(minutes: int = 2) -> None:
    """Pretend the rows were written a while ago (the sweep leaves fresh rows to the queued task)."""
    Notification.objects.update(created_at=timezone.now() - dt.timedelta(minutes=minutes))


def test_notify_writes_inbox_email_and_sms_rows_once_per_key(staff):
    assert _notify_staff_and_phone(staff) == 3
    rows = {n.channel: n for n in Notification.objects.all()}
    assert set(rows) == {"inbox", "email", "sms"}
    assert rows["inbox"].recipient == staff and rows["inbox"].status == Notification.Status.SENT
    assert (
        rows["email"].address == "staff@sz.example.cn" and rows["email"].status == Notification.Status.PENDING
    )
    assert rows["sms"].address == "13800001111" and rows["sms"].recipient is None

    # The same occasion again (a task that ran twice): nothing new.
    assert _notify_staff_and_phone(staff) == 0
    assert Notification.objects.count() == 3
    # A different occasion is a new message.
    assert _notify_staff_and_phone(staff, key="occasion:2") == 3
    assert Notification.objects.count() == 6


def test_a_user_without_email_gets_sms_from_their_account_phone(delegate_user):
    delegate_user.phone = "13900009999"
    delegate_user.save()
    notify([Recipient(user=delegate_user)], kind="k", key="k:1", subject="s")
    assert sorted(Notification.objects.values_list("channel", "address")) == [
        ("inbox", ""),
        ("sms", "13900009999"),
    ]


def test_delivery_is_queued_after_commit_for_outgoing_rows_only(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        _notify_staff_and_phone(staff)
    assert len(callbacks) == 2  # email and SMS; the inbox entry needs no delivery


def test_delivering_twice_sends_one_email(staff):
    _notify_staff_and_phone(staff)
    email = Notification.objects.get(channel="email")
    assert deliver_notification(notification_id=email.pk) is True
    assert deliver_notification(notification_id=email.pk) is False  # already claimed and sent
    assert deliver(email.pk) is False  # the task: same answer
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["staff@sz.example.cn"]
    assert mail.outbox[0].subject == "您有一条新的意见建议"
    assert "/suggestions/1/" in mail.outbox[0].body
    email.refresh_from_db()
    assert email.status == Notification.Status.SENT and email.sent_at is not None and email.attempts == 1


def test_sms_is_logged_by_the_logging_backend(staff, caplog):
    caplog.set_level(logging.INFO, logger="liaison.sms")
    _notify_staff_and_phone(staff)
    sms = Notification.objects.get(channel="sms")
    deliver_notification(notification_id=sms.pk)
    lines = [r.getMessage() for r in caplog.records if r.name == "liaison.sms" and r.levelno == logging.INFO]
    assert len(lines) == 1
    assert lines[0].startswith("SMS to 138****1111: ")
    assert "您有一条新的意见建议" in lines[0]


def test_transient_failure_leaves_row_pending_and_the_sweep_delivers_it(staff, monkeypatch):
    _notify_staff_and_phone(staff)
    email = Notification.objects.get(channel="email")

    def broken(*args, **kwargs):
        raise SMTPException("connection refused")

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", broken)
    with pytest.raises(SMTPException):
        deliver_notification(notification_id=email.pk)
    email.refresh_from_db()
    assert email.status == Notification.Status.PENDING
    assert email.attempts == 1
    assert "connection refused" in email.last_error
    assert mail.outbox == []

    # The sweep, while the mail server is still down: the SMS goes out, the email stays pending with one
    # more attempt counted.
    _age()
    assert sweep_pending() == 1
    email.refresh_from_db()
    assert email.status == Notification.Status.PENDING and email.attempts == 2

    # The mail server is back: the next sweep delivers it, and a further sweep sends nothing more.
    monkeypatch.undo()
    assert sweep_pending() == 1
    assert sweep_pending() == 0
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == Notification.Status.SENT and email.attempts == 3 and email.last_error == ""


def test_sweep_leaves_fresh_rows_to_the_queued_task(staff):
    _notify_staff_and_phone(staff)
    assert sweep_pending() == 0
    assert mail.outbox == []


def test_a_row_that_keeps_failing_is_given_up(staff, monkeypatch):
    _notify_staff_and_phone(staff)
    email = Notification.objects.get(channel="email")
    monkeypatch.setattr(
        locmem.EmailBackend, "send_messages", lambda *a, **k: (_ for _ in ()).throw(SMTPException("down"))
    )
    for _ in range(services.MAX_ATTEMPTS):
        with pytest.raises(SMTPException):
            deliver_notification(notification_id=email.pk)
    email.refresh_from_db()
    assert email.status == Notification.Status.FAILED and email.attempts == services.MAX_ATTEMPTS
    assert deliver_notification(notification_id=email.pk) is False


def test_notify_inside_a_rolled_back_transaction_leaves_nothing(staff, django_capture_on_commit_callbacks):
    class Boom(Exception):
        pass

    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(Boom):
            with transaction.atomic():
                assert _notify_staff_and_phone(staff) == 3
                raise Boom
    assert Notification.objects.count() == 0
    assert callbacks == []


def test_broker_down_at_commit_does_not_lose_the_message(
    staff, monkeypatch, django_capture_on_commit_callbacks
):
    def no_broker(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(deliver, "delay", no_broker)
    with django_capture_on_commit_callbacks(execute=True):
        _notify_staff_and_phone(staff)  # the commit does not fail
    email = Notification.objects.get(channel="email")
    assert email.status == Notification.Status.PENDING
    _age()
    assert sweep_pending() == 2
    assert len(mail.outbox) == 1


# --- what holds after a crash: never lost, a copy only after a crash mid-send, recognisable by its identity ----
class IdempotentGateway(BaseSMSBackend):
    """A gateway that honours idempotency keys, as real ones do: a second request with a key it has already
    accepted is acknowledged and not delivered again. Records every request it gets."""

    requests: list[tuple[str, str, str | None]] = []
    delivered: list[tuple[str, str]] = []

    def send(self, phone, text, *, idempotency_key=None):
        type(self).requests.append((phone, text, idempotency_key))
        if idempotency_key is None or idempotency_key not in {k for _p, _t, k in type(self).requests[:-1]}:
            type(self).delivered.append((phone, text))


class OldStyleGateway(BaseSMSBackend):
    """A backend written for the interface without idempotency keys."""

    sent: list[tuple[str, str]] = []

    def send(self, phone, text):
        type(self).sent.append((phone, text))


class WorkerKilled(BaseException):
    """The worker process dying: not an error the delivery code handles."""


@pytest.fixture
def gateway(settings):
    settings.SMS_BACKEND = f"{__name__}.IdempotentGateway"
    IdempotentGateway.requests, IdempotentGateway.delivered = [], []
    return IdempotentGateway


def test_the_sms_gateway_gets_the_notification_id_as_idempotency_key(staff, gateway):
    _notify_staff_and_phone(staff)
    sms = Notification.objects.get(channel="sms")
    assert deliver_notification(notification_id=sms.pk) is True
    assert [key for _phone, _text, key in gateway.requests] == [str(sms.pk)]
    assert gateway.delivered[0][0] == "13800001111"


def test_a_crash_between_the_gateway_and_the_record_resends_with_the_same_key(staff, gateway, monkeypatch):
    _notify_staff_and_phone(staff)
    sms = Notification.objects.get(channel="sms")

    # The gateway accepts the message, then the worker dies before the row records it.
    real_send = IdempotentGateway.send

    def accept_then_die(self, phone, text, *, idempotency_key=None):
        real_send(self, phone, text, idempotency_key=idempotency_key)
        raise WorkerKilled

    monkeypatch.setattr(IdempotentGateway, "send", accept_then_die)
    with pytest.raises(WorkerKilled):
        deliver_notification(notification_id=sms.pk)
    monkeypatch.undo()
    sms.refresh_from_db()
    assert sms.status == Notification.Status.SENDING  # never lost: still owed

    _age()
    assert sweep_pending() == 1  # only the email: the SMS is still within its lease
    Notification.objects.filter(pk=sms.pk).update(
        claimed_at=timezone.now() - services.LEASE - dt.timedelta(1)
    )
    assert sweep_pending() == 1  # after the lease, the SMS is sent again...
    assert [key for _phone, _text, key in gateway.requests] == [
        str(sms.pk),
        str(sms.pk),
    ]  # ...with the same key
    assert len(gateway.delivered) == 1  # which lets the gateway drop the copy
    sms.refresh_from_db()
    assert sms.status == Notification.Status.SENT and sms.attempts == 2


def test_a_backend_without_idempotency_keys_still_sends(staff, settings):
    settings.SMS_BACKEND = f"{__name__}.OldStyleGateway"
    OldStyleGateway.sent = []
    _notify_staff_and_phone(staff)
    assert deliver_notification(notification_id=Notification.objects.get(channel="sms").pk) is True
    assert [phone for phone, _text in OldStyleGateway.sent] == ["13800001111"]


def test_every_attempt_at_an_email_has_the_same_message_id(staff, settings):
    settings.SITE_URL = "https://liaison.example.cn"
    _notify_staff_and_phone(staff)
    email = Notification.objects.get(channel="email")
    assert deliver_notification(notification_id=email.pk) is True
    # As if the worker had died right after the mail server accepted it: claimed long ago, never recorded.
    Notification.objects.filter(pk=email.pk).update(
        status=Notification.Status.SENDING, claimed_at=timezone.now() - services.LEASE - dt.timedelta(1)
    )
    assert deliver_notification(notification_id=email.pk) is True
    ids = [m.message()["Message-ID"] for m in mail.outbox]
    assert ids == [f"<notification-{email.pk}@liaison.example.cn>"] * 2
