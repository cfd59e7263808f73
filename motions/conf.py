"""Formal-suggestion rules (DESIGN.md §4). Deadlines live with the handling machinery (suggestions.conf
FORMAL_* and DELEGATE_REPLY_*); these are the filing rules. Overridable per deployment in settings
(MOTION_<NAME>) or, for the co-signer count, the environment."""

from django.conf import settings

from liaison.env import env_int

DEFAULTS = {
    # A motion (议案) needs this many confirmed co-signers (a county congress: 10); otherwise a suggestion.
    "COSIGNERS_REQUIRED": env_int("MOTION_COSIGNERS_REQUIRED", 10),
    "ATTACHMENT_MAX_BYTES": 10 * 1024 * 1024,
    "ATTACHMENTS_MAX": 5,
    "COSIGNERS_MAX": 50,
}


class _Conf:
    def __getattr__(self, name: str):
        if name not in DEFAULTS:
            raise AttributeError(name)
        return getattr(settings, f"MOTION_{name}", DEFAULTS[name])


conf = _Conf()
