"""Domain errors. Services raise them; one DRF exception handler and the page views turn them into 4xx."""

import math

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status_code = 400
    default_message = _("操作无法完成。")

    def __init__(self, message=None, *, code: str | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        super().__init__(str(self.message))


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status_code = 409
    default_message = _("当前状态不允许此操作。")


class Conflict(DomainError):
    code = "conflict"
    status_code = 409
    default_message = _("与现有数据冲突。")


class AlreadyVoted(Conflict):
    code = "already_voted"
    default_message = _("您已经投过票了。")


class NotPermitted(DomainError):
    code = "not_permitted"
    status_code = 403
    default_message = _("您无权执行此操作。")


class ValidationFailed(DomainError):
    code = "invalid"
    status_code = 400


class RateLimited(DomainError):
    """Too many requests: 429 with `Retry-After: retry_after` (seconds), on the API and on pages alike."""

    code = "rate_limited"
    status_code = 429
    default_message = _("操作太频繁，请稍后再试。")

    def __init__(self, message=None, *, retry_after: int | None = None, code: str | None = None):
        super().__init__(message, code=code)
        self.retry_after = max(1, math.ceil(retry_after)) if retry_after is not None else None


class SmsUnavailable(DomainError):
    code = "sms_unavailable"
    status_code = 503
    default_message = _("短信暂时无法发送，请稍后再试。")
