"""Cross-cutting views: health check, language switch and error pages."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import select_template
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from liaison.pages import error_page

logger = logging.getLogger(__name__)


def _broker_ok() -> tuple[bool, str]:
    from liaison.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, conn.transport_cls if isinstance(conn.transport_cls, str) else "ok"
    except Exception as exc:  # any broker failure is "unhealthy", reported, not raised
        logger.warning("Broker health check failed: %s", exc)
        return False, type(exc).__name__


def _cache_ok() -> tuple[bool, str]:
    try:
        check = getattr(cache, "check", None)  # liaison.cache.RedisCache: a real round trip, never degraded
        if check is not None:
            check()
        else:
            cache.set("healthz", 1, 10)
            if cache.get("healthz") != 1:
                return False, "unreadable"
        return True, "ok"
    except Exception as exc:  # any cache failure is "unhealthy", reported, not raised
        logger.warning("Cache health check failed: %s", exc)
        return False, type(exc).__name__


def _beat_status() -> str:
    from liaison.beat import beat_status

    try:
        return beat_status()
    except Exception as exc:  # reported, not raised
        logger.warning("Beat health check failed: %s", exc)
        return f"error: {type(exc).__name__}"


@never_cache
@require_GET
def healthz(request):
    """200 when the database, the task broker and the cache answer and the beat scheduler's heartbeat is
    recent; 503 otherwise (for load balancers and monitors). The public site keeps answering without the cache
    (liaison.cache), but degraded: rate limits per process, every public page computed afresh; this is where
    that shows."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        logger.warning("Database health check failed: %s", exc)
        checks["database"] = f"error: {type(exc).__name__}"
    ok, detail = _broker_ok()
    checks["broker"] = "ok" if ok else f"error: {detail}"
    ok, detail = _cache_ok()
    checks["cache"] = "ok" if ok else f"error: {detail}"

    checks["beat"] = _beat_status() if checks["database"] == "ok" else "error: database"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


@never_cache
@require_GET
def switch_language(request, code: str):
    """Switch the interface language with a plain link: `/lang/en/?next=/path/`.

    Sets the same cookie as Django's set_language (`/i18n/setlang/`, POST, still available) and redirects
    to `next` when it is a local URL, else to the home page. A link needs no CSRF token, so the public pages
    that show it stay the same for every visitor and can be cached whole (stations.views.home).
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404(code)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


# The `code` of an API answer that no API view produced (an unknown URL, a server error): the same shape
# {"detail", "code"} as liaison.api.exception_handler gives every other error.
_API_CODES = {400: "invalid", 403: "permission_denied", 404: "not_found", 500: "server_error"}


def _error(request, status: int, title: str, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": title, "code": _API_CODES[status]}, status=status)
    return error_page(request, status, title)


def bad_request(request, exception=None):
    return _error(request, 400, _("请求有误"))


def permission_denied(request, exception=None):
    return _error(request, 403, _("无权访问"))


def page_not_found(request, exception=None):
    return _error(request, 404, _("页面不存在"))


def server_error(request):
    return _error(request, 500, _("服务器出错了，请稍后再试"))


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout answer (settings.AXES_LOCKOUT_CALLABLE): 429 as JSON for the API, a page otherwise.

    Axes' default renders its HTML template for every path, which would replace the API's JSON error.
    """
    title = _("登录失败次数过多，账户已暂时锁定，请稍后再试。")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": title, "code": "locked_out"}, status=429)
    else:
        template = select_template([settings.AXES_LOCKOUT_TEMPLATE or "error.html", "error.html"])
        response = HttpResponse(template.render({"status": 429, "title": title}, request), status=429)
    wait = lockout_seconds(request)
    if wait:
        response["Retry-After"] = str(wait)
    return response


def lockout_seconds(request=None) -> int | None:
    """How long a locked-out login waits at most: axes' cool-off (LOGIN_COOLOFF_MINUTES), None if permanent."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    return max(1, int(cool_off.total_seconds())) if cool_off else None
