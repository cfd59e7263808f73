"""Deployment-configurable defaults of the voting app; override any of them in settings."""

from django.conf import settings


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


DEFAULTS = {
    # Progress reports: at most this many photos per report, each at most this many bytes (None: the shared
    # UPLOAD_IMAGE_MAX_BYTES, 5 MB by default), JPEG or PNG (liaison.uploads).
    "VOTING_PHOTO_MAX_COUNT": 3,
    "VOTING_PHOTO_MAX_BYTES": None,
    # Monthly reminder to the owning unit: sent from this day of each month on (once per month per project).
    "VOTING_PROGRESS_REMINDER_DAY": 1,
    # An evaluation is "unsatisfied" when unsatisfied votes exceed this share of the votes cast.
    "VOTING_EVALUATION_UNSATISFIED_SHARE": 0.5,
}
