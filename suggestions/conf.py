"""Suggestion rules and defaults (DESIGN.md §4). Each is overridable per deployment in settings.

Read through `conf.<NAME>` at call time, so `override_settings` in tests and a changed setting take effect
without a restart of anything but the process.
"""

from django.conf import settings

DEFAULTS = {
    # Accept or reject within this many working days of receipt.
    "TRIAGE_WORKDAYS": 3,
    # Staff refer an accepted suggestion (or refer a reopened or supervised one again) within this many
    # working days of acceptance (or of the rating that reopened it).
    "REFER_WORKDAYS": 3,
    # A unit replies within this many working days of referral.
    "REPLY_WORKDAYS": 15,
    # A delegate's formal suggestion (channel `delegate`): 3 months, at most 6 (calendar months).
    "DELEGATE_REPLY_MONTHS": 3,
    "DELEGATE_REPLY_MAX_MONTHS": 6,
    # A formal suggestion (channel `formal`, the motions app): 3 months from referral, at most 6 (as above);
    # an unsatisfied rating has it re-handled once, due this many months after; the lead delegate rates
    # within this many days.
    "FORMAL_REHANDLE_MONTHS": 1,
    "FORMAL_RATING_DAYS": 30,
    # An extension may push an ordinary referral's due date at most this many working days past the original.
    "EXTENSION_MAX_WORKDAYS": 15,
    # The constituent has this many (calendar) days to rate a reply; then it closes by itself.
    "RATING_DAYS": 15,
    # The unit is reminded when its due date is this many working days away.
    "REMINDER_WORKDAYS": 2,
    # 三色督办: share of the working-day deadline used at which an item turns yellow, then red.
    "YELLOW_AT": 0.5,
    "RED_AT": 0.8,
    # Statistics: whole months are summed from monthly cells per county (suggestions.stats). A dashboard
    # folds recent changes into them first unless that was done less than this many seconds ago.
    "STATS_FOLD_SECONDS": 15,
    # A suggestion's cells are those of its area's ancestor at this depth (3: the county in a tree that
    # starts at the province); areas deeper than that are counted live.
    "STATS_KEY_DEPTH": 3,
    # Similar opinions are looked for under the suggestion's area's ancestor at this depth (3: its county),
    # so opinions about one road filed under a village and under its township meet.
    "SIMILAR_SCOPE_DEPTH": 3,
    # Limits on public input.
    "TITLE_MAX": 100,
    "CONTENT_MAX": 5000,
    # Photos: bytes per photo (None: the shared UPLOAD_IMAGE_MAX_BYTES, 5 MB by default) and photos per suggestion.
    "PHOTO_MAX_BYTES": None,
    "PHOTOS_MAX": 3,
}


class _Conf:
    def __getattr__(self, name: str):
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(settings, f"SUGGESTION_{name}", DEFAULTS[name])


conf = _Conf()
