"""Supervision rules: `conf.NAME` is the setting `SUPERVISION_NAME`.

Each is parsed from the environment at start-up in liaison/settings.py (where the defaults and their meaning
are) and listed in .env.example. Read at call time, so `override_settings` in tests takes effect.
"""

from liaison.env import AppConf

conf = AppConf(
    "SUPERVISION_",
    [
        "RECTIFICATION_MONTHS",  # default rectification deadline, calendar months (special inquiry: 3)
        "REMINDER_WORKDAYS",  # remind the unit this many working days before a rectification is due
        "QUESTION_WORKDAYS",  # a written answer to a question is due this many working days after it is asked
        "SMS_CODE_MINUTES",  # a one-time code's lifetime
        "SMS_CODE_MAX_ATTEMPTS",  # wrong guesses after which a code is dead (no brute-forcing 6 digits)
    ],
)
