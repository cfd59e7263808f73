"""Every write and state change of a suggestion: the state machine (submitted → accepted → referred → replied
→ closed, with reject, merge, return, reopen and supervise), written once.

One module per sub-domain: `intake`, `triage`, `referrals` (with extensions), `ratings`; the deadline sweeps
are in `suggestions.jobs`. Each transition locks the suggestion row (then its referral, always in that order),
checks the state under the lock, writes the change and its timeline event, and writes any message as an outbox
row through `notify()` in the same transaction. Pages, the API, admin actions and Celery tasks all call these
functions, importing them from their module (this package re-exports nothing).
"""
