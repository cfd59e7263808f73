"""Every write of formal suggestions: filing (drafts, co-signers, attachments) and handling (register,
reference, refer, contact, reply, rating), each one transaction, each handling step through suggestions'."""
