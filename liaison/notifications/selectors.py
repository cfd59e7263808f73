"""Reads of the inbox: a user's in-app notifications and the unread count in every page's header."""

from django.db.models import QuerySet

from .models import Notification


def inbox_for(user, *, unread: bool | None = None) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first (index recipient, channel, -created_at)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user, channel=Notification.Channel.INBOX)
    if unread is True:
        qs = qs.filter(read_at=None)
    elif unread is False:
        qs = qs.exclude(read_at=None)
    return qs.only("id", "kind", "subject", "body", "link", "created_at", "read_at").order_by(
        "-created_at", "-id"
    )


def unread_count(user) -> int:
    """One COUNT on the partial index notif_inbox_unread."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        recipient=user, channel=Notification.Channel.INBOX, read_at=None
    ).count()
