"""Every write in supervision, one module per sub-domain: `rectifications` and `assessments` (the loop and the
satisfaction vote shared with the voting app; their contracts are in those modules), `topics` (with public
support; the SMS codes that confirm it are in `sms_codes`), `activities` (with clues) and `questions` (with
opinions). Callers import from the modules; this package re-exports nothing.

All of them lock the row, check the state under the lock, write, append an event/history row and queue
notifications through liaison.notifications (outbox rows in the same transaction).
"""
