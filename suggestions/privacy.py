"""Masking of personal data (PIPL): lists and units see 138****1234; full values only on the staff detail
page, and each such view is logged (services.triage.suggestion_contact_viewed)."""


def mask_phone(phone: str) -> str:
    phone = phone or ""
    if not phone:
        return ""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"


def mask_name(name: str) -> str:
    name = name or ""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_email(email: str) -> str:
    email = email or ""
    if "@" not in email:
        return ""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def masked_contact(s) -> dict:
    return {
        "name": mask_name(s.submitter_name),
        "phone": mask_phone(s.submitter_phone),
        "email": mask_email(s.submitter_email),
    }
