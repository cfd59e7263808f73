"""SMS backends. Configure with settings.SMS_BACKEND (a dotted path)."""

import inspect
import logging
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

from liaison.privacy import mask_phone

logger = logging.getLogger("liaison.sms")


class SMSError(Exception):
    """A transient failure talking to the SMS gateway; delivery is retried."""


class BaseSMSBackend:
    def send(self, phone: str, text: str, *, idempotency_key: str | None = None) -> None:  # pragma: no cover
        """Hand one message to the gateway; raise SMSError on a transient failure.

        `idempotency_key` is the same for every attempt at the same message (the outbox row's id). A gateway
        that accepts one (a request id, "client message id", idempotency header) should pass it on, so that a
        re-send after a crash between the gateway's answer and the outbox's record is recognised and dropped.
        """
        raise NotImplementedError


class LoggingSMSBackend(BaseSMSBackend):
    """Writes `SMS to 138****1234: <text>` at INFO level: the default when no gateway is configured.

    The number is always masked. The text carries one-time codes and tracking links, so it is written only
    when settings.SMS_LOG_CODES is on (it follows DEBUG; the test settings turn it on); otherwise the line
    says how long the text was and nothing of what it said.
    """

    def send(self, phone: str, text: str, *, idempotency_key: str | None = None) -> None:
        if settings.SMS_LOG_CODES:
            logger.info("SMS to %s: %s", mask_phone(phone), text)
        else:
            logger.info(
                "SMS to %s: [%d characters, not logged: SMS_LOG_CODES is off]", mask_phone(phone), len(text)
            )


def get_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()


@lru_cache(maxsize=16)
def _accepts_idempotency_key(backend_class: type) -> bool:
    params = inspect.signature(backend_class.send).parameters
    return "idempotency_key" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def send_sms(phone: str, text: str, *, idempotency_key: str | None = None) -> None:
    """Send through the configured backend; the key goes to every backend whose `send` accepts one (a backend
    written for the older `send(phone, text)` still works, without it)."""
    backend = get_backend()
    if idempotency_key is not None and _accepts_idempotency_key(type(backend)):
        backend.send(phone, text, idempotency_key=idempotency_key)
    else:
        backend.send(phone, text)
