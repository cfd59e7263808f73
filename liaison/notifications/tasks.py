from celery import shared_task

from .services import TRANSIENT_ERRORS, deliver_notification, pending_ids


@shared_task(acks_late=True, autoretry_for=TRANSIENT_ERRORS, retry_backoff=True, max_retries=5)
def deliver(notification_id: int) -> bool:
    return deliver_notification(notification_id=notification_id)


@shared_task
def sweep_pending() -> int:
    """Deliver what an outage left behind: rows still pending a minute after they were written."""
    sent = 0
    for pk in pending_ids():
        try:
            sent += deliver_notification(notification_id=pk)
        except TRANSIENT_ERRORS:
            continue
    return sent


@shared_task
def send_digests() -> int:
    """The daily digest to every user who chose it (liaison.notifications.digests); a second run sends nothing."""
    from .digests import digests_send

    return digests_send()
