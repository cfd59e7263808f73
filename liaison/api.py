"""Shared API plumbing: pagination, the one exception handler, and the gate of anonymous writes."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator as DjangoPaginator
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from . import guard
from .errors import DomainError, NotFound, RateLimited, field_errors, first_message

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


class KnownCountPaginator(DjangoPaginator):
    """A paginator told the count (when the caller knows it without a COUNT query) instead of counting."""

    def __init__(self, *args, count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count if self._known_count is not None else super().count


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200  # larger requests are capped, not refused

    def paginate_queryset(self, queryset, request, view=None):
        # A view that knows its list's size sets `known_count` (see KnownCountPaginator).
        known = getattr(view, "known_count", None)
        self.django_paginator_class = (
            partial(KnownCountPaginator, count=known) if known is not None else DjangoPaginator
        )
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None:
            try:
                value = int(raw)
            except ValueError:
                raise exceptions.ValidationError({"page_size": [_("page_size 必须是正整数。")]}) from None
            if value < 1:
                raise exceptions.ValidationError({"page_size": [_("page_size 必须是正整数。")]})
            return min(value, self.max_page_size)
        return self.page_size


# Keys of the error body itself; a field of that name is reported under `errors` only.
_RESERVED = {"detail", "code", "errors"}


def invalid_response(errors, *, code: str = "invalid", status_code: int = 400) -> Response:
    """A 400 for bad fields: `{"detail": first message, "code", "errors": {field: [messages]}}`.

    The field keys are repeated at the top level (`{"station": [...], ...}`), the shape this API answered
    before `errors` existed, so that clients reading them keep working.
    """
    errors = field_errors(errors)
    body = {k: v for k, v in errors.items() if k not in _RESERVED}
    body.update(detail=first_message(errors), code=code, errors=errors)
    return Response(body, status=status_code)


def exception_handler(exc, context):
    if isinstance(exc, exceptions.Throttled):  # a DRF throttle: the same 429 as every other
        exc = RateLimited(retry_after=exc.wait)
    if isinstance(exc, DomainError):
        if exc.field_errors:
            return invalid_response(exc.field_errors, code=exc.code, status_code=exc.status_code)
        response = Response({"detail": str(exc.message), "code": exc.code}, status=exc.status_code)
        if getattr(exc, "retry_after", None):
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        return invalid_response(errors)
    if isinstance(exc, exceptions.ValidationError):
        return invalid_response(exc.detail if isinstance(exc.detail, dict) else {NON_FIELD: exc.detail})
    if isinstance(exc, Http404):  # Django's message may name a model: not for clients
        exc = NotFound()
        return Response({"detail": str(exc.message), "code": exc.code}, status=exc.status_code)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(codes, str):  # 401, 403, 404, 405, 406, 415, 429: `{"detail", "code"}` like the rest
            response.data.setdefault("code", codes)
    return response


class AnonymousWriteThrottle(BaseThrottle):
    """The gate of an anonymous write (liaison.guard): a fixed-window limit per client address in
    settings.RATE_LIMITS[scope], then the honeypot. A refusal raises RateLimited (429, Retry-After) or
    ValidationFailed (400), answered by exception_handler like any other domain error.

    Subclasses set `scope`; `honeypot = False` where no form is involved (the token login).
    Only unsafe methods are counted, so reading a page never uses up a client's allowance.
    """

    scope = ""
    honeypot = True

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        guard.check_write(request, self.scope, honeypot=self.honeypot)
        return True

    def wait(self):
        return None
