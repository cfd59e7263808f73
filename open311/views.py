"""Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, requests and tokens.

GET is public and carries no personal data: a request shows its code, category, status, the latest public
note of its timeline, the lead unit, its dates and the point it was filed at; never the submitter, the
address the client sent, or the text of the opinion (only its title). POST needs an api_key (open311.models).
"""

import datetime as dt
import functools
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from liaison import ratelimit
from liaison.errors import DomainError, RateLimited, ValidationFailed
from suggestions.models import Suggestion
from suggestions.timeline import public_text

from . import selectors, services
from .formats import error, iso, respond
from .models import ServiceRequest

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
LIST_CACHE_SECONDS = 60
LIST_RATE = "60/m"  # fresh (uncached) lists per client address
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
CHANGESET = "2026-12-01T00:00:00+08:00"  # when the list of services last changed
FORMATS = ["text/xml", "application/json"]


def _methods(*allowed):
    """Refuse other methods with the specification's error body, catch domain errors the same way."""

    def wrap(view):
        @functools.wraps(view)
        def inner(request, *args, fmt="json", **kwargs):
            if request.method not in allowed:
                response = error(fmt, 405, _("不支持该请求方法。"))
                response["Allow"] = ", ".join(allowed)
                return response
            try:
                return view(request, *args, fmt=fmt, **kwargs)
            except DomainError as exc:
                response = error(fmt, exc.status_code, exc.text)
                if isinstance(exc, RateLimited) and exc.retry_after:
                    response["Retry-After"] = str(exc.retry_after)
                return response

        return inner

    return wrap


def _service(code: str, label) -> dict:
    return {
        "service_code": code,
        "service_name": str(label),
        "description": str(label),
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "",
    }


@_methods("GET", "HEAD")
def discovery(request, fmt):
    url = request.build_absolute_uri(reverse("open311-root"))
    data = {
        "changeset": CHANGESET,
        "contact": str(settings.PORTAL_NAME),
        "key_service": _("api_key 由门户管理员在后台签发，请与所在地人大常委会联系。"),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url.rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": FORMATS,
            }
        ],
    }
    return respond(fmt, data, root="discovery")


@_methods("GET", "HEAD")
def services_list(request, fmt):
    data = [_service(code, label) for code, label in Suggestion.Category.choices]
    return respond(fmt, data, root="services", item="service")


@_methods("GET", "HEAD")
def service_definition(request, code, fmt):
    if code not in Suggestion.Category.values:
        return error(fmt, 404, _("未知的 service_code。"))
    return respond(fmt, {"service_code": code, "attributes": []}, root="service_definition")


def _status_notes(s: Suggestion) -> str:
    for event in reversed(s.public_events):
        text = public_text(event)
        if text:
            return text
    return ""


def request_data(s: Suggestion) -> dict:
    link = getattr(s, "open311", None)  # None when it came through another channel
    lead = s.lead_referrals[0].unit.name if s.lead_referrals else ""
    due = expected_datetime(s)
    return {
        "service_request_id": s.tracking_code,
        "status": "open" if s.status in Suggestion.OPEN_STATUSES else "closed",
        "status_notes": _status_notes(s),
        "service_name": str(Suggestion.Category(s.category).label),
        "service_code": s.category,
        "description": s.title,
        "agency_responsible": lead,
        "service_notice": "",
        "requested_datetime": iso(s.created_at),
        "updated_datetime": iso(s.updated_at),
        "expected_datetime": due,
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": float(link.lat) if link is not None and link.lat is not None else None,
        "long": float(link.long) if link is not None and link.long is not None else None,
        "media_url": "",
    }


def expected_datetime(s: Suggestion) -> str | None:
    """The reply deadline (a date) as the specification's datetime: the end of that working day."""
    if s.reply_due is None or s.status not in Suggestion.OPEN_STATUSES:
        return None
    return iso(dt.datetime.combine(s.reply_due, dt.time(17, 30), tzinfo=timezone.get_current_timezone()))


def _params(request) -> dict:
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            raise ValidationFailed(_("请求体不是 JSON 对象。"))
        return {k: v if isinstance(v, str) else ("" if v is None else str(v)) for k, v in body.items()}
    return {k: request.POST.get(k, "") for k in request.POST}


def _split(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def _when(raw: str | None, field: str, *, end: bool = False):
    if not raw:
        return None
    raw = raw.strip().replace(" ", "+")  # a `+` offset left unencoded in a query string arrives as a space
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            if day is not None:
                value = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    except ValueError:
        value = None
    if value is None:
        raise ValidationFailed({field: [_("日期时间格式应为 ISO 8601。")]})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _list(request, fmt):
    """Public; the same query within LIST_CACHE_SECONDS is answered from the cache, and a client that asks
    for fresh lists too often is refused (429): a list is up to 1,000 requests, the portal's largest read."""
    key = (
        "open311:list:"
        + hashlib.sha256(repr((fmt, get_language(), sorted(request.GET.lists()))).encode()).hexdigest()
    )
    body = cache.get(key)
    if body is not None:
        return HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    wait = ratelimit.hit("open311_list", ratelimit.client_ip(request), LIST_RATE)
    if wait is not None:
        raise RateLimited(retry_after=wait)
    response = _fresh_list(request, fmt)
    cache.set(key, response.content, LIST_CACHE_SECONDS)
    return response


def _fresh_list(request, fmt):
    q = request.GET
    codes = _split(q.get("service_request_id"))
    service_codes = _split(q.get("service_code"))
    unknown = [c for c in service_codes if c not in Suggestion.Category.values]
    if unknown:
        raise ValidationFailed({"service_code": [_("未知的 service_code。")]})
    statuses = _split(q.get("status"))
    if any(st not in ("open", "closed") for st in statuses):
        raise ValidationFailed({"status": [_("status 只能是 open 或 closed。")]})
    start, end = _when(q.get("start_date"), "start_date"), _when(q.get("end_date"), "end_date", end=True)
    if start and end and start > end:
        raise ValidationFailed({"start_date": [_("开始时间晚于结束时间。")]})
    area_path = None
    jurisdiction = (q.get("jurisdiction_id") or "").strip()
    if jurisdiction:
        from stations.models import Area

        area = Area.objects.filter(code=jurisdiction[:12]).only("path").first()
        if area is None:
            raise ValidationFailed({"jurisdiction_id": [_("未知的区划代码。")]})
        area_path = area.path
    rows = selectors.request_list(
        codes=codes, service_codes=service_codes, statuses=statuses, start=start, end=end, area_path=area_path
    )
    return respond(fmt, [request_data(s) for s in rows], root="service_requests", item="request")


def _create(request, fmt):
    data = _params(request)
    client = services.authenticate(data.get("api_key") or request.GET.get("api_key", ""))
    made: ServiceRequest = services.request_create(client=client, data=data)
    body = [
        {
            "service_request_id": made.suggestion.tracking_code,
            "token": made.token,
            "service_notice": _("已收到，请凭 service_request_id 查询办理进度。"),
            "account_id": "",
        }
    ]
    return respond(fmt, body, root="service_requests", item="request", status=201)


@csrf_exempt
@_methods("GET", "HEAD", "POST")
def requests(request, fmt):
    return _create(request, fmt) if request.method == "POST" else _list(request, fmt)


@_methods("GET", "HEAD")
def request_detail(request, code, fmt):
    s = selectors.request_by_code(code)
    if s is None:
        return error(fmt, 404, _("未找到该诉求。"))
    return respond(fmt, [request_data(s)], root="service_requests", item="request")


@_methods("GET", "HEAD")
def token(request, token, fmt):
    made = selectors.request_by_token(token)
    if made is None:
        return error(fmt, 404, _("未找到该 token。"))
    body = [{"service_request_id": made.suggestion.tracking_code, "token": made.token}]
    return respond(fmt, body, root="service_requests", item="request")


def not_found(request, rest=""):
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return error(fmt, 404, _("没有这个接口。"))
