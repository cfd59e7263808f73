"""Livelihood-project rules: `conf.NAME` is the setting `VOTING_NAME`.

Each is parsed from the environment at start-up in liaison/settings.py (where the defaults and their meaning
are) and listed in .env.example. Read at call time, so `override_settings` in tests takes effect.
"""

from liaison.env import AppConf

conf = AppConf(
    "VOTING_",
    [
        "PHOTO_MAX_COUNT",  # photos per progress report
        "PHOTO_MAX_BYTES",  # bytes per photo (None: the shared UPLOAD_IMAGE_MAX_BYTES)
        "PROGRESS_REMINDER_DAY",  # the monthly reminder to the owning unit is sent from this day of the month
        "EVALUATION_UNSATISFIED_SHARE",  # "unsatisfied" when unsatisfied votes exceed this share of those cast
    ],
)
