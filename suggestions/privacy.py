"""Masking of personal data (PIPL): lists and units see 138****1234; full values only on the staff detail
page, and each such view is logged (services.triage.suggestion_contact_viewed). The masks are liaison.privacy's."""

from liaison.privacy import mask_email, mask_name, mask_phone


def masked_contact(s) -> dict:
    return {
        "name": mask_name(s.submitter_name),
        "phone": mask_phone(s.submitter_phone),
        "email": mask_email(s.submitter_email),
    }
