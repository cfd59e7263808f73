from django.http import JsonResponse
from django.utils.translation import gettext as _

from .errors import DomainError
from .pages import domain_error_page, error_page


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class DomainErrorMiddleware:
    """A domain error that escapes a page view becomes its 4xx page with the message, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError) and not _is_api(request):
            return domain_error_page(request, exception)
        return None


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())


class RejectNulMiddleware:
    """A NUL character in the path, a query parameter or a page's form field is a 400 before any view runs.

    PostgreSQL refuses NUL in text ("A string literal cannot contain NUL (0x00) characters"), so a lookup
    such as `/api/v1/proposals/code/%00/` or `?area=%00`, or a note a page view hands to a service as posted,
    would otherwise fail in the database, a 500. No code, name or text of this portal contains one. API bodies
    are left to the serializers (DRF's CharField refuses NUL with a field error).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and not _is_api(request) and _has_nul(request.POST))
        ):
            message = _("请求中含有不允许的空字符（NUL）。")
            if _is_api(request):
                return JsonResponse(
                    {"detail": message, "code": "invalid"},
                    status=400,
                    json_dumps_params={"ensure_ascii": False},
                )
            return error_page(request, 400, message)
        return self.get_response(request)
