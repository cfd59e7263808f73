"""The one notification module every app uses.

`notify()` writes outbox rows inside the caller's transaction and queues delivery after commit. If the broker is
down the rows stay `pending` and the beat sweep delivers them later: a reminder is delayed, never lost.

Delivery to an outside gateway (SMTP, an SMS gateway) cannot be exactly once: a worker that dies after the
gateway accepted a message but before the row says so leaves it `sending`, and after the lease the sweep sends
it again. What holds: a message is never lost; a second copy happens only after such a crash. To make that
window small the claim and the "sent" record are each their own short transaction, committed before and right
after the gateway call; to make the copy harmless every attempt carries the same identity, which the receiving
side can use to drop it: the SMS gateway gets the row's id as its idempotency key, an email the Message-ID
`<notification-ID@site host>`.
"""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from smtplib import SMTPException
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import ValidationFailed, get_or_not_found

from .models import Notification
from .sms import SMSError, send_sms

logger = logging.getLogger(__name__)
TRANSIENT_ERRORS = (SMTPException, OSError, SMSError)
MAX_ATTEMPTS = 8
LEASE = timedelta(
    minutes=10
)  # a row `sending` for longer belongs to a worker that died; it may be claimed again


@dataclass(frozen=True)
class Recipient:
    """Who gets a message: a user (inbox, and email/SMS from the account), or a bare email/phone."""

    user: object | None = None
    email: str = ""
    phone: str = ""

    def channels(self) -> list[tuple[str, str]]:
        out = []
        if self.user is not None:
            out.append((Notification.Channel.INBOX, ""))
        email = self.email or (getattr(self.user, "email", "") if self.user is not None else "")
        phone = self.phone or (getattr(self.user, "phone", "") if self.user is not None else "")
        if email:
            out.append((Notification.Channel.EMAIL, email))
        elif phone:
            out.append((Notification.Channel.SMS, phone))
        return out


_muted: ContextVar[bool] = ContextVar("notifications_muted", default=False)


@contextmanager
def notifications_muted() -> Iterator[None]:
    """Inside this block notify() writes nothing. For loading a state rather than living through events: the
    demo city is seeded with back-dated ballots, opinions and activities, and nobody must be told about them."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def _wants_digest(user) -> bool:
    return user is not None and bool(getattr(user, "wants_digest", False))


def notify(
    recipients: Iterable[Recipient],
    *,
    kind: str,
    key: str,
    subject: str,
    body: str = "",
    link: str = "",
    at_once: bool = False,
    inbox: bool = True,
) -> int:
    """Queue `subject`/`body` for each recipient on their channels; return how many new rows were written.

    `key` names the occasion (object, kind and deadline, e.g. "referral-reminder:12:2026-10-09"); the same key
    never produces a second message for the same recipient and channel, however often this is called.

    A user who chose the daily digest gets the inbox row at once, while the email/SMS row is written `held`:
    the digest job (liaison.notifications.digests) sends one message a day listing them. `at_once=True` skips
    the digest — for messages about the recipient's own opinion, and for the digest itself. `inbox=False`
    writes no inbox row (the digest: its items are in the inbox already).
    """
    if _muted.get():
        return 0
    rows = []
    for r in recipients:
        who = f"u{r.user.pk}" if r.user is not None else (r.email or r.phone)
        held = not at_once and _wants_digest(r.user)
        for channel, address in r.channels():
            if channel == Notification.Channel.INBOX and not inbox:
                continue
            if channel == Notification.Channel.INBOX:
                status = Notification.Status.SENT
            else:
                status = Notification.Status.HELD if held else Notification.Status.PENDING
            rows.append(
                Notification(
                    channel=channel,
                    kind=kind,
                    recipient=r.user,
                    address=address,
                    subject=subject[:200],
                    body=body,
                    link=link,
                    dedupe_key=f"{key}|{channel}|{who}"[:200],
                    status=status,
                    sent_at=timezone.now() if channel == Notification.Channel.INBOX else None,
                )
            )
    if not rows:
        return 0
    existing = set(
        Notification.objects.filter(dedupe_key__in=[n.dedupe_key for n in rows]).values_list(
            "dedupe_key", flat=True
        )
    )
    new = [n for n in rows if n.dedupe_key not in existing]
    created = 0
    for n in new:
        try:
            with transaction.atomic():  # a savepoint: a racing duplicate fails alone, the caller's work stays
                n.save()
            created += 1
        except IntegrityError:
            continue
        if n.status == Notification.Status.PENDING:
            transaction.on_commit(lambda pk=n.pk: _queue(pk))
    return created


def _queue(pk: int) -> None:
    from .tasks import deliver

    try:
        deliver.delay(pk)
    except Exception:  # broker down: the row stays pending and the sweep delivers it
        logger.warning("Could not queue notification %s; the sweep will deliver it.", pk, exc_info=True)


def deliver_notification(*, notification_id: int) -> bool:
    """Send one pending message. Claims the row first, so two workers never both send it.

    Runs outside any transaction (a task, the sweep): the claim must be committed before the gateway is
    called and the record right after it answers, so each is its own durable transaction.
    """
    now = timezone.now()
    claimable = Q(status=Notification.Status.PENDING) | Q(
        status=Notification.Status.SENDING, claimed_at__lt=now - LEASE
    )
    with transaction.atomic(durable=True):
        updated = Notification.objects.filter(
            claimable, pk=notification_id, attempts__lt=MAX_ATTEMPTS
        ).update(status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if updated != 1:
        return False
    n = Notification.objects.get(pk=notification_id)
    try:
        _send(n)
    except TRANSIENT_ERRORS as exc:
        status = Notification.Status.FAILED if n.attempts >= MAX_ATTEMPTS else Notification.Status.PENDING
        with transaction.atomic(durable=True):
            Notification.objects.filter(pk=n.pk).update(status=status, last_error=str(exc)[:500])
        raise
    # Nothing between the gateway's answer and this record: a crash here is the one way to a second copy.
    with transaction.atomic(durable=True):
        Notification.objects.filter(pk=n.pk).update(
            status=Notification.Status.SENT, sent_at=timezone.now(), last_error=""
        )
    return True


def message_id(notification: Notification) -> str:
    """The Message-ID of a notification's email: the same for every attempt, so a copy can be recognised."""
    host = urlparse(settings.SITE_URL).hostname or "liaison.local"
    return f"<notification-{notification.pk}@{host}>"


def _send(n: Notification) -> None:
    if n.channel == Notification.Channel.EMAIL:
        EmailMessage(
            n.subject,
            f"{n.body}\n\n{_absolute(n.link)}".strip(),
            settings.DEFAULT_FROM_EMAIL,
            [n.address],
            headers={"Message-ID": message_id(n)},
        ).send()
    elif n.channel == Notification.Channel.SMS:
        send_sms(
            n.address,
            f"【{settings.PORTAL_NAME}】{n.subject} {_absolute(n.link)}".strip(),
            idempotency_key=str(n.pk),
        )


def pending_ids(older_than: timedelta = timedelta(minutes=1), limit: int = 500) -> list[int]:
    now = timezone.now()
    due = Q(status=Notification.Status.PENDING, created_at__lte=now - older_than) | Q(
        status=Notification.Status.SENDING, claimed_at__lt=now - LEASE
    )
    return list(
        Notification.objects.filter(due, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def _absolute(link: str) -> str:
    if not link:
        return ""
    return link if link.startswith("http") else f"{settings.SITE_URL}{link}"


def mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's unread inbox notifications read (all, or those of `notification_ids`)."""
    qs = Notification.objects.filter(recipient=user, channel=Notification.Channel.INBOX, read_at=None)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


def inbox_notification(*, user, notification_id: int) -> Notification:
    """One of the user's own inbox notifications; NotFound for anyone else's (no probing of ids)."""
    return get_or_not_found(
        Notification.objects.all(), pk=notification_id, recipient=user, channel=Notification.Channel.INBOX
    )


def mark_one_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's inbox notifications read (already read: unchanged). NotFound for another's."""
    n = inbox_notification(user=user, notification_id=notification_id)
    if n.read_at is None:
        n.read_at = timezone.now()
        Notification.objects.filter(pk=n.pk, read_at=None).update(read_at=n.read_at)
    return n


def digest_preference_set(*, user, digest: str) -> None:
    """Choose how email/SMS messages arrive: each at once ("none") or a daily digest ("daily").

    Only staff, admins, unit users and delegates may choose the digest; constituents hear at once."""
    from liaison.accounts.models import User

    if digest not in User.Digest.values:
        raise ValidationFailed({"digest": [_("请选择有效的提醒方式。")]})
    if digest == User.Digest.DAILY and not user.may_choose_digest:
        raise ValidationFailed({"digest": [_("只有工作人员、承办单位和代表可以选择每日汇总。")]})
    if user.digest != digest:
        user.digest = digest
        user.save(update_fields=["digest"])
