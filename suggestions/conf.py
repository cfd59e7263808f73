"""Suggestion rules (deadlines, limits): `conf.NAME` is the setting `SUGGESTION_NAME`.

Each is parsed from the environment at start-up in liaison/settings.py (where the defaults and their meaning
are) and listed in .env.example. Read at call time, so `override_settings` in tests takes effect.
"""

from liaison.env import AppConf

conf = AppConf(
    "SUGGESTION_",
    [
        "TRIAGE_WORKDAYS",
        "REFER_WORKDAYS",
        "REPLY_WORKDAYS",
        "DELEGATE_REPLY_MONTHS",
        "DELEGATE_REPLY_MAX_MONTHS",
        "FORMAL_REHANDLE_MONTHS",
        "FORMAL_RATING_DAYS",
        "EXTENSION_MAX_WORKDAYS",
        "RATING_DAYS",
        "REMINDER_WORKDAYS",
        "YELLOW_AT",
        "RED_AT",
        "STATS_FOLD_SECONDS",
        "STATS_KEY_DEPTH",
        "SIMILAR_SCOPE_DEPTH",
        "TITLE_MAX",
        "CONTENT_MAX",
        "PHOTO_MAX_BYTES",
        "PHOTOS_MAX",
    ],
)
