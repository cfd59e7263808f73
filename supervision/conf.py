"""Supervision defaults, each overridable in settings (or the environment through settings)."""

from django.conf import settings


def _get(name: str, default):
    return getattr(settings, name, default)


def rectification_months() -> int:
    """Default rectification deadline in calendar months (special inquiry: 3 months)."""
    return int(_get("SUPERVISION_RECTIFICATION_MONTHS", 3))


def reminder_workdays() -> int:
    """Remind the unit this many working days before a rectification is due."""
    return int(_get("SUPERVISION_REMINDER_WORKDAYS", 5))


def question_workdays() -> int:
    """A written answer to a question is due this many working days after it is asked."""
    return int(_get("SUPERVISION_QUESTION_WORKDAYS", 10))


def sms_code_minutes() -> int:
    return int(_get("SUPERVISION_SMS_CODE_MINUTES", 10))


def sms_code_max_attempts() -> int:
    """Wrong guesses after which a code is dead (a 6-digit code must not be brute-forced)."""
    return int(_get("SUPERVISION_SMS_CODE_MAX_ATTEMPTS", 5))
