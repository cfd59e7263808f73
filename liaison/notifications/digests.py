"""The daily digest: one email or SMS a day to each user who chose it, listing what their inbox received.

notify() writes a digest user's email/SMS rows `held` (their inbox rows appear at once). `digests_send()` — run
by Celery beat once a day — gathers every held row, and for each user writes one digest message through
notify() with the key `digest:<user>:<day>`, then marks the rows it lists `digested`, in one transaction per
user. Exactly once: a second run the same day finds no held rows, or, for rows held after the first run, the
day's key already used — those wait for the next day's digest. A missed day is caught up by the next run.
"""

import datetime as dt
from itertools import groupby

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Notification
from .services import Recipient, _absolute, notify

MAX_LINES = 50


def _body(rows: list[Notification]) -> str:
    lines = []
    for n in rows[:MAX_LINES]:
        at = timezone.localtime(n.created_at).strftime("%m-%d %H:%M")
        lines.append(f"· {at} {n.subject}")
        if n.link:
            lines.append(f"  {_absolute(n.link)}")
    if len(rows) > MAX_LINES:
        lines.append(_("……另有 %(n)s 条，请到站内消息查看。") % {"n": len(rows) - MAX_LINES})
    return "\n".join(lines)


def digest_send_for(user, rows: list[Notification], *, day: dt.date, now: dt.datetime) -> int:
    """One user's digest of `rows` (their held rows). Returns 1 when a digest message was written."""
    n = len(rows)
    subject = ngettext(
        "每日消息汇总（%(day)s）：您有 %(n)s 条新消息",
        "每日消息汇总（%(day)s）：您有 %(n)s 条新消息",
        n,
    ) % {"day": day.isoformat(), "n": n}
    reachable = user.is_active and bool(user.email or user.phone)
    with transaction.atomic():
        created = 0
        if reachable:
            created = notify(
                [Recipient(user=user)],
                kind="digest",
                key=f"digest:{user.pk}:{day.isoformat()}",
                subject=subject,
                body=_body(rows),
                link=reverse("inbox"),
                at_once=True,
                inbox=False,
            )
        if created or not reachable:
            # Listed in today's digest — or the user can no longer be reached outside the inbox, where the
            # messages already are: either way nothing is left to send.
            Notification.objects.filter(pk__in=[r.pk for r in rows], status=Notification.Status.HELD).update(
                status=Notification.Status.DIGESTED, sent_at=now
            )
    return 1 if created else 0


def digests_send(*, now: dt.datetime | None = None) -> int:
    """Send the day's digests; return how many users got one. Safe to run twice (the second sends nothing).

    One query for all held rows (with their users), then per user one digest write and one update."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    held = (
        Notification.objects.filter(status=Notification.Status.HELD, created_at__lte=now)
        .exclude(recipient=None)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "id")
    )
    sent = 0
    for _user_id, group in groupby(held, key=lambda n: n.recipient_id):
        rows = list(group)
        sent += digest_send_for(rows[0].recipient, rows, day=day, now=now)
    return sent
