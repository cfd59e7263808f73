"""Domain errors. Services raise them; one DRF exception handler and the page views turn them into 4xx.

The shapes a client sees (the API contract for every error):

- any domain error: `{"detail": "<message>", "code": "<code>"}` with the error's HTTP status;
- a field error (a `ValidationFailed` whose message is `{field: [messages]}`, or a serializer's errors):
  400 `{"detail": "<first message>", "code": "invalid", "errors": {field: [messages]}}`;
- `NotFound`, for whatever the caller may not see: 404 `{"detail", "code": "not_found"}`.
"""

import math
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class DomainError(Exception):
    code = "domain_error"
    status_code = 400
    default_message = _("操作无法完成。")

    def __init__(self, message=None, *, code: str | None = None):
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        super().__init__(str(self.message))

    @property
    def field_errors(self) -> dict[str, list[str]] | None:
        """`{field: [messages]}` when the error is about fields of the input, else None."""
        return field_errors(self.message) if isinstance(self.message, Mapping) else None

    @property
    def text(self) -> str:
        """The message to show a person: the first field message, or the message itself."""
        errors = self.field_errors
        return first_message(errors) if errors else str(self.message)


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
    default_message = _("输入有误。")


class NotFound(DomainError):
    """What does not exist or the caller may not see: 404, never revealing that another area's object exists."""

    code = "not_found"
    status_code = 404
    default_message = _("未找到。")


def get_or_not_found(queryset, **lookups):
    """`queryset.get(**lookups)`, or NotFound. A lookup value of the wrong type (`pk="abc"`) is not found too."""
    try:
        return queryset.get(**lookups)
    except (queryset.model.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None


# --- field messages --------------------------------------------------------------------------------------------
def _messages(value) -> list[str]:
    if isinstance(value, Mapping):
        return [m for v in value.values() for m in _messages(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _messages(v)]
    return [str(value)]


def field_errors(detail: Mapping) -> dict[str, list]:
    """`{field: [messages]}` with every message a plain string. A nested field (an item of a list, a field of
    an object inside the body) keeps its structure: `{"roll": {"0": ["..."]}}`."""

    def plain(value):
        if isinstance(value, Mapping):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return str(value)

    return {
        str(k): (plain(v) if isinstance(v, Mapping | list | tuple) else [str(v)]) for k, v in detail.items()
    }


def first_message(errors) -> str:
    """The first message of a (possibly nested) set of field errors, for `detail`."""
    found = _messages(errors)
    return found[0] if found else str(ValidationFailed.default_message)


# --- pages -----------------------------------------------------------------------------------------------------
def show_domain_error(request, exc: DomainError, form=None) -> None:
    """Show a domain error on a page: on the form (each field message on its field when the form has it), or,
    without a form, as one error message at the top of the next page."""
    errors = exc.field_errors
    if form is None:
        from django.contrib import messages

        messages.error(request, pgettext("列表", "；").join(_messages(errors)) if errors else exc.text)
        return
    if not errors:
        form.add_error(None, exc.text)
        return
    for field, value in errors.items():
        shown = field in form.fields and not form.fields[field].widget.is_hidden
        for message in _messages(value):
            form.add_error(field if shown else None, message)


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
