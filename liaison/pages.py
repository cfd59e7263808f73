"""Page plumbing every app's views share: error pages that also answer htmx, and post/redirect/get.

- `error_page()`: a 4xx/5xx page. To an htmx request it answers with just the alert, retargeted
  (`HX-Retarget`) into the page's alert region, so the message shows wherever the request came from;
  static/js/portal.js makes htmx swap 4xx answers (htmx 2 swaps only 2xx/3xx by default).
- `see_other()`: the answer to a successful form POST — a 303 redirect to a page that shows the result, so that
  reloading it (F5) repeats a GET, never the POST. An htmx request gets `HX-Redirect` instead (the XHR would
  follow a 303 itself and swap the whole result page into the form's target).
"""

import math

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.cache import patch_vary_headers
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

ALERT_REGION = "#page-alerts"


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that swaps a fragment (a history restore wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def error_page(request: HttpRequest, status: int, title, message="") -> HttpResponse:
    ctx = {"status": status, "title": title, "message": message}
    if is_htmx(request):
        response = render(request, "partials/page_alert.html", ctx, status=status)
        response["HX-Retarget"] = ALERT_REGION
        response["HX-Reswap"] = "innerHTML"
    else:
        response = render(request, "error.html", ctx, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def domain_error_page(request: HttpRequest, exc) -> HttpResponse:
    """A DomainError as a page: its status and message; a 429 also says how long to wait (Retry-After)."""
    retry_after = getattr(exc, "retry_after", None)
    message = ""
    if retry_after:
        minutes = max(1, math.ceil(retry_after / 60))
        message = ngettext("请约 %(minutes)d 分钟后再试。", "请约 %(minutes)d 分钟后再试。", minutes) % {
            "minutes": minutes
        }
    response = error_page(request, exc.status_code, exc.text, message)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def rate_limited_page(request: HttpRequest, wait: int) -> HttpResponse:
    """429 with Retry-After: `wait` seconds until the client's allowance comes back."""
    from .errors import RateLimited

    return domain_error_page(request, RateLimited(retry_after=wait))


def see_other(request: HttpRequest, to, *args, **kwargs) -> HttpResponse:
    """Redirect after a successful POST (`to`: a URL, a URL name with args, or a model with get_absolute_url)."""
    url = resolve_url(to, *args, **kwargs)
    if is_htmx(request):
        return HttpResponseClientRedirect(url)
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response
