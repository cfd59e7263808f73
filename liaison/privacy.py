"""Personal numbers (PIPL): masked as 138****1234 wherever a full one is not needed, and every page that does
show one in full writes the audit record (who saw whose number, and where)."""

import logging

audit_log = logging.getLogger("liaison.audit")


def mask_phone(phone: str | None) -> str:
    phone = phone or ""
    if not phone:
        return ""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"


def contact_viewed(*, actor, obj, where: str) -> None:
    """The audit record of one view of `obj`'s full number(s) by `actor` on the page `where`."""
    audit_log.info(
        "user=%s viewed %s=%s contact at %s", getattr(actor, "pk", None), obj._meta.label_lower, obj.pk, where
    )
