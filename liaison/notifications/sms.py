"""SMS backends. Configure with settings.SMS_BACKEND (a dotted path)."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from liaison.privacy import mask_phone

logger = logging.getLogger("liaison.sms")


class SMSError(Exception):
    """A transient failure talking to the SMS gateway; delivery is retried."""


class BaseSMSBackend:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LoggingSMSBackend(BaseSMSBackend):
    """Writes `SMS to 138****1234: <text>` at INFO level: the default when no gateway is configured.

    The number is always masked. The text carries one-time codes and tracking links, so it is written only
    when settings.SMS_LOG_CODES is on (it follows DEBUG; the test settings turn it on); otherwise the line
    says how long the text was and nothing of what it said.
    """

    def send(self, phone: str, text: str) -> None:
        if getattr(settings, "SMS_LOG_CODES", settings.DEBUG):
            logger.info("SMS to %s: %s", mask_phone(phone), text)
        else:
            logger.info(
                "SMS to %s: [%d characters, not logged: SMS_LOG_CODES is off]", mask_phone(phone), len(text)
            )


def get_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, text: str) -> None:
    get_backend().send(phone, text)
