"""Personal data (PIPL), once for every app: the one mobile-number rule and the masks.

A constituent's name and phone are shown masked (张*, 138****1234) everywhere but on a staff page that reveals
them on purpose, and each such reveal is recorded (suggestions on their timeline, proposals and appointments in
the audit log: `contact_viewed`). Public pages and public API responses never carry them at all.
"""

import logging
import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .errors import ValidationFailed

audit_log = logging.getLogger("liaison.audit")

# A mainland mobile number: 11 digits, 1 then 3-9 (no number range begins 10, 11 or 12).
PHONE_RE = r"^1[3-9]\d{9}$"
PHONE_MESSAGE = _("请输入11位手机号码。")
phone_validator = RegexValidator(PHONE_RE, PHONE_MESSAGE)

_SEPARATORS = re.compile(r"[\s-]")


def normalise_phone(phone: str) -> str:
    """The 11 digits of a number typed as `138 1234 1234`, `138-1234-1234` or `+8613812341234`.

    Raises ValidationFailed (400) when what is left is not a mobile number.
    """
    phone = _SEPARATORS.sub("", str(phone or ""))
    if phone.startswith("+86"):
        phone = phone[3:]
    if not re.fullmatch(PHONE_RE, phone):
        raise ValidationFailed(_("请填写正确的11位手机号码。"))
    return phone


def mask_phone(phone: str | None) -> str:
    """138****1234. A value too short to hide anything becomes ****; no number stays empty."""
    phone = phone or ""
    if not phone:
        return ""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"


def contact_viewed(*, actor, obj, where: str) -> None:
    """The audit record of one view of `obj`'s full number(s) by `actor` on the page `where`."""
    audit_log.info(
        "user=%s viewed %s=%s contact at %s", getattr(actor, "pk", None), obj._meta.label_lower, obj.pk, where
    )


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳修 → 欧**: the first character, a star for each of the others."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_email(email: str) -> str:
    """w***@example.cn: the first character of the local part and the domain."""
    email = email or ""
    if "@" not in email:
        return ""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"
