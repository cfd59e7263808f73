"""SMS backends. Configure with settings.SMS_BACKEND (a dotted path)."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("liaison.sms")


class SMSError(Exception):
    """A transient failure talking to the SMS gateway; delivery is retried."""


class BaseSMSBackend:
    def send(self, phone: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class LoggingSMSBackend(BaseSMSBackend):
    """Writes `SMS to <phone>: <text>` at INFO level: the default when no gateway is configured."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def get_backend() -> BaseSMSBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, text: str) -> None:
    get_backend().send(phone, text)
