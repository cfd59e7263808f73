"""The one gate of every anonymous write, on the API and on the pages: the per-client rate limit, then the
honeypot.

- Rate limit: `liaison.ratelimit` counts the request in its scope (settings.RATE_LIMITS); over the limit the
  request is refused with RateLimited, which both the API (liaison.api.exception_handler) and the pages
  (liaison.pages.domain_error_page) answer with 429 and `Retry-After`.
- Honeypot: public forms carry a field named `website` that people never see (CSS class `hp`, no tab stop,
  no autocomplete); a bot that fills every field fills it too. Such a submission is refused with the same 400
  as any invalid form, before any other work, and stores nothing. It is counted by the rate limit first, so a
  bot retrying is also slowed down.

The API uses it through liaison.api.AnonymousWriteThrottle, the pages through the `anonymous_write` decorator.
"""

import logging
from collections.abc import Callable
from functools import wraps

from django.utils.translation import gettext_lazy as _

from . import ratelimit
from .errors import DomainError, RateLimited, ValidationFailed
from .pages import domain_error_page

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "website"
HONEYPOT_MESSAGE = _("提交未通过校验，请刷新页面后重新填写。")


def honeypot_filled(data) -> bool:
    """Whether a request body (a QueryDict, or the JSON object DRF parsed) has the honeypot filled in."""
    if not hasattr(data, "get"):  # a JSON list or scalar: the view's own validation refuses it
        return False
    value = data.get(HONEYPOT_FIELD)
    return bool(value.strip() if isinstance(value, str) else value)


def check_write(request, scope: str, *, honeypot: bool = True) -> None:
    """Count an anonymous write in `scope` and look at its honeypot; raise RateLimited or ValidationFailed."""
    wait = ratelimit.hit(scope, ratelimit.client_ip(request))
    if wait is not None:
        raise RateLimited(retry_after=wait)
    if honeypot:
        # DRF's request.data (JSON, form or multipart), parsed only now: a refused request is not parsed.
        data = request.data if hasattr(request, "data") else request.POST
        if honeypot_filled(data):
            logger.info("Honeypot filled on %s (scope %s): refused", request.path, scope)
            raise ValidationFailed(HONEYPOT_MESSAGE)


def anonymous_write(scope: str | Callable[..., str]):
    """Page-view decorator: every POST passes `check_write` first; a refusal is the error page (429 with
    Retry-After, or 400) and the view does not run. `scope` may be a function of the request."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                try:
                    check_write(request, scope(request) if callable(scope) else scope)
                except DomainError as exc:
                    return domain_error_page(request, exc)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
