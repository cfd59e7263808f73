"""Pages of the station network: the public finder, station and delegate pages, appointments, the workspace.

Reads go through stations.selectors, writes through stations.services. Public pages never show a
constituent's name or phone, nor a delegate's private mobile.
"""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from liaison.codes import normalise_code
from liaison.errors import DomainError, show_domain_error
from liaison.guard import anonymous_write
from liaison.page_access import delegate_required
from liaison.pages import error_page, see_other
from liaison.parsing import to_id

from . import hooks, selectors, services
from .cache import TIMEOUT as CACHE_TIMEOUT
from .cache import public_key
from .forms import (
    ITEM_ROWS,
    MAX_ITEMS,
    AppointmentAcceptForm,
    AppointmentDeclineForm,
    AppointmentForm,
    DelegateFilterForm,
    FinderForm,
    ReceptionItemFormSet,
    ReceptionLogForm,
)
from .models import Appointment, Area, Delegate, ReceptionDay, ReceptionLog, Station
from .qr import qr_svg

PAGE_SIZE = 20


def _error(request, status: int, title: str, message: str = ""):
    return error_page(request, status, title, message)


def _ancestors(area: Area | None, *, include_self: bool = False) -> list[Area]:
    """The areas above `area`, root first: one query on the codes of its materialised path."""
    if area is None:
        return []
    codes = [c for c in area.path.split("/") if c and (include_self or c != area.code)]
    return list(Area.objects.filter(code__in=codes).only("code", "name", "path").order_by("path"))


def _page(request, qs, size: int = PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


# --- Public: station finder -----------------------------------------------------------------------------
def home(request):
    """The station finder: drill down the area tree and search by name.

    Plain links (`?area=CODE`) work without JavaScript; with htmx, a click swaps only the finder. Queries
    for any page size: the area, its ancestors, its children, the station count, the station page and the
    two prefetches of `selectors.station_list()` (active schedules, next reception day).

    Cached (stations/cache.py: keys carry the network version, the language and the date, so a change to the
    network shows at once): the rendered finder fragment for everybody, and for an anonymous visitor with
    no pending messages the whole page. Only 200 answers are stored; bad input is checked afresh every time.
    """
    page_key = _shared_page_key(request)
    if page_key is not None:
        html = cache.get(page_key)
        if html is not None:
            return _finder_http_response(HttpResponse(html))

    form = FinderForm(request.GET)
    if not form.is_valid():
        ctx = {"form": form, "area": None, "breadcrumb": [], "children": [], "page_obj": None}
        return _finder_response(request, render_to_string("stations/_finder.html", ctx, request), 400)
    # The fragment depends on every query parameter: the pager's links repeat them ({% querystring %}).
    fragment_key = public_key("finder-fragment", sorted(request.GET.lists()))
    fragment = cache.get(fragment_key)
    if fragment is None:
        code, q = form.cleaned_data["area"], form.cleaned_data["q"].strip()
        area = selectors.area_by_code(code) if code else None
        if code and area is None:
            return _error(request, 404, _("未知的区划"), _("找不到区划代码 %(code)s。") % {"code": code})
        fragment = render_to_string("stations/_finder.html", _finder_context(request, form, area, q), request)
        cache.set(fragment_key, fragment, CACHE_TIMEOUT)
    response = _finder_response(request, fragment)
    if page_key is not None and _shareable(request, response):
        cache.set(page_key, response.content, CACHE_TIMEOUT)
    return response


def _finder_context(request, form, area: Area | None, q: str) -> dict:
    children = Area.objects.filter(parent=area) if area else Area.objects.filter(parent__isnull=True)
    stations = selectors.station_list()
    if area is not None:
        stations = stations.filter(area__path__startswith=area.path)
    if q:
        stations = stations.filter(Q(name__contains=q) | Q(address__contains=q))
    return {
        "form": form,
        "area": area,
        "q": q,
        "breadcrumb": _ancestors(area),
        "children": list(children.only("code", "name", "tier").order_by("code")),
        "page_obj": _page(request, stations.order_by("area__code", "name", "id")),
    }


def _is_partial(request) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _finder_response(request, fragment: str, status: int = 200):
    if _is_partial(request):
        response = HttpResponse(fragment, status=status)
    else:
        response = render(request, "stations/home.html", {"finder": mark_safe(fragment)}, status=status)  # noqa: S308 - our own rendered template
    return _finder_http_response(response)


def _finder_http_response(response):
    patch_vary_headers(response, ["HX-Request"])
    return response


def _shared_page_key(request) -> str | None:
    """The cache key of the whole finder page when it is the same for every visitor, else None.

    That is: a GET by an anonymous visitor with no pending messages. Whether the page really holds nothing
    personal is checked after rendering (_shareable): no CSRF token used, no cookie set.
    """
    if request.method != "GET" or request.user.is_authenticated or len(messages.get_messages(request)):
        return None
    return public_key("finder-page", _is_partial(request), request.get_full_path())


def _shareable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


# --- Public: station page and poster ---------------------------------------------------------------------
def _station_context(request, pk: int) -> dict:
    station = get_object_or_404(selectors.station_list(), pk=pk)
    return {
        "station": station,
        "breadcrumb": _ancestors(station.area, include_self=True),
        "memberships": list(selectors.station_delegates(station)),
        "days": list(selectors.upcoming_reception_days(station=station, limit=6)),
        "station_url": request.build_absolute_uri(reverse("station-detail", args=[station.pk])),
        "extra_sections": hooks.station_sections(request, station),
    }


def station_detail(request, pk: int):
    return render(request, "stations/station_detail.html", _station_context(request, pk))


def station_poster(request, pk: int):
    ctx = _station_context(request, pk)
    ctx["qr"] = qr_svg(ctx["station_url"], title=ctx["station"].name)
    return render(request, "stations/station_poster.html", ctx)


# --- Public: delegate directory and page -----------------------------------------------------------------
def delegate_list(request):
    """The directory, filtered by drilling down the area tree as the station finder does, by level and name.

    Queries for any page size: the area, its ancestors and its children (when an area is chosen; else the
    roots), the count, the page and the memberships.
    """
    form = DelegateFilterForm(request.GET)
    delegates = selectors.delegate_list()
    status, area = 200, None
    if form.is_valid():
        data = form.cleaned_data
        if data["level"]:
            delegates = delegates.filter(level=data["level"])
        if data["area"]:
            area = selectors.area_by_code(data["area"])
            if area is None:
                form.add_error("area", _("未知的区划代码：%(code)s") % {"code": data["area"]})
                status = 400
            else:
                delegates = delegates.filter(area__path__startswith=area.path)
        if data["q"].strip():
            delegates = delegates.filter(name__contains=data["q"].strip())
    else:
        status = 400
    page_obj = _page(request, delegates.order_by("name", "id")) if status == 200 else None
    children = Area.objects.filter(parent=area) if area else Area.objects.filter(parent__isnull=True)
    keep = request.GET.copy()
    for name in ("area", "page"):
        keep.pop(name, None)
    ctx = {
        "form": form,
        "page_obj": page_obj,
        "area": area,
        "breadcrumb": _ancestors(area),
        "children": list(children.only("code", "name", "tier").order_by("code")) if status == 200 else [],
        "keep": f"&{keep.urlencode()}" if keep else "",
    }
    return render(request, "stations/delegate_list.html", ctx, status=status)


def _station_of(stations: list[Station], raw: str | None) -> Station | None:
    """`?station=ID` when it is one of `stations` (the delegate's active stations), else None."""
    return next((s for s in stations if raw and str(s.pk) == raw), None)


def delegate_detail(request, pk: int):
    """A delegate's page. `?station=ID` (links from a station's page) keeps the station the constituent came
    from: writing or asking for an appointment from here is then addressed to that station too."""
    delegate = get_object_or_404(selectors.delegate_list(), pk=pk)
    url = request.build_absolute_uri(reverse("delegate-detail", args=[delegate.pk]))
    stations = list(
        Station.objects.filter(memberships__delegate=delegate, is_active=True)
        .select_related("area")
        .order_by("name")
    )
    ctx = {
        "delegate": delegate,
        "stations": stations,
        "from_station": _station_of(stations, request.GET.get("station")),
        "days": list(selectors.upcoming_reception_days(delegate=delegate, limit=5)),
        "qr": qr_svg(url, title=delegate.name),
        "delegate_url": url,
        "extra_sections": hooks.delegate_sections(request, delegate),
    }
    return render(request, "stations/delegate_detail.html", ctx)


# --- Public: appointments ---------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@anonymous_write("appointment")  # rate limit and honeypot before anything else (liaison.guard)
def appointment_new(request, pk: int):
    delegate = get_object_or_404(Delegate.objects.filter(is_active=True), pk=pk)
    if request.method == "GET":
        form = AppointmentForm(delegate=delegate)
        stations = list(form.fields["station"].queryset)
        from_station = _station_of(stations, request.GET.get("station"))
        if from_station is not None:
            form.initial["station"] = from_station.pk
        return render(request, "stations/appointment_form.html", {"delegate": delegate, "form": form})

    form = AppointmentForm(request.POST, delegate=delegate)
    if form.is_valid():
        data = form.cleaned_data
        try:
            appt = services.appointment_request(
                delegate=delegate,
                name=data["name"].strip(),
                phone=data["phone"],
                subject=data["subject"].strip(),
                preferred_date=data["preferred_date"],
                station=data["station"],
            )
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            return see_other(request, "appointment-done", appt.code)
    return render(request, "stations/appointment_form.html", {"delegate": delegate, "form": form}, status=400)


def appointment_done(request, code: str):
    """The result of booking (post/redirect/get): the code to note down. Nothing personal, like the status page."""
    appt = get_object_or_404(
        Appointment.objects.select_related("delegate").only("code", "delegate__name"),
        code=normalise_code(code),
    )
    return render(request, "stations/appointment_done.html", {"appointment": appt})


def appointment_status(request, code: str):
    """Public status of an appointment: never the requester's name or phone."""
    appt = get_object_or_404(
        Appointment.objects.select_related("delegate", "station").only(
            "code",
            "status",
            "scheduled_at",
            "place",
            "decline_reason",
            "preferred_date",
            "created_at",
            "delegate__name",
            "delegate__level",
            "station__name",
            "station__address",
        ),
        code=normalise_code(code),
    )
    return render(request, "stations/appointment_status.html", {"appointment": appt})


# --- Workspace ----------------------------------------------------------------------------------------------
def workspace_links(user) -> list[tuple[str, list[tuple[str, str]]]]:
    """Links from every installed app whose AppConfig defines `workspace_links(user) -> [(label, url)]`."""
    sections = []
    for config in apps.get_app_configs():
        collect = getattr(config, "workspace_links", None)
        if callable(collect):
            links = list(collect(user) or [])
            if links:
                sections.append((config.verbose_name, links))
    return sections


@login_required
def workspace(request):
    return render(request, "workspace/index.html", {"sections": workspace_links(request.user)})


@delegate_required
def workspace_duty(request):
    delegate = request.user.delegate
    ctx = {
        "delegate": delegate,
        "days": list(selectors.upcoming_reception_days(delegate=delegate, limit=30)),
        "today": timezone.localdate(),
        "stations": Station.objects.filter(memberships__delegate=delegate, is_active=True).order_by("name"),
    }
    return render(request, "workspace/duty.html", ctx)


@delegate_required
@require_http_methods(["GET", "POST"])
def workspace_reception_log(request):
    """Log a reception day: the day, then one row per opinion with the constituent's optional name and phone
    ("more rows" re-shows the form with five more, keeping what was typed)."""
    delegate = request.user.delegate
    status = 200
    if request.method == "POST":
        form = ReceptionLogForm(request.POST, delegate=delegate)
        if request.POST.get("more"):
            data = request.POST.copy()
            total = _int_or(data.get("items-TOTAL_FORMS"), 0)
            data["items-TOTAL_FORMS"] = str(min(total + ITEM_ROWS, MAX_ITEMS))
            form = ReceptionLogForm(data, delegate=delegate)
            form.errors.clear()  # nothing is checked yet: the delegate is still typing
            items = ReceptionItemFormSet(data, prefix="items")
            ctx = {"form": form, "items": items, "logs": _recent_logs(delegate), "adding": True}
            return render(request, "workspace/reception_log.html", ctx)
        items = ReceptionItemFormSet(request.POST, prefix="items")
        if form.is_valid() and items.is_valid():
            data = form.cleaned_data
            rows = items.items()
            day = (
                ReceptionDay.objects.filter(station=data["station"], date=data["held_on"], cancelled=False)
                .order_by("start_time")
                .first()
            )
            try:
                log = services.reception_log_create(
                    delegate=delegate,
                    station=data["station"],
                    held_on=data["held_on"],
                    visitors=data["visitors"],
                    summary=data["summary"].strip(),
                    items=rows,
                    reception_day=day,
                    actor=request.user,
                )
            except DomainError as exc:
                show_domain_error(request, exc, form)
            else:
                messages.success(
                    request,
                    _("已登记%(date)s在%(station)s的接待，共%(n)s条意见。")
                    % {"date": log.held_on.isoformat(), "station": log.station.name, "n": len(rows)},
                )
                return redirect("workspace-reception-log")
        status = 400
    else:
        initial = {"held_on": request.GET.get("date") or None, "visitors": 0}
        if to_id(request.GET.get("station")):
            initial["station"] = to_id(request.GET["station"])
        form = ReceptionLogForm(initial=initial, delegate=delegate)
        items = ReceptionItemFormSet(prefix="items")
    ctx = {"form": form, "items": items, "logs": _recent_logs(delegate)}
    return render(request, "workspace/reception_log.html", ctx, status=status)


def _int_or(value, default: int) -> int:
    return int(value) if value and str(value).isdigit() and len(str(value)) < 6 else default


def _recent_logs(delegate):
    return (
        ReceptionLog.objects.filter(delegate=delegate)
        .select_related("station")
        .annotate(item_count=Count("items"))
        .order_by("-held_on", "-id")[:10]
    )


def _appointments_page(request, *, status: int = 200, error: str = ""):
    wanted = request.GET.get("status", "")
    qs = Appointment.objects.filter(delegate_id=request.user.delegate_id).select_related("station")
    if wanted in Appointment.Status.values:
        qs = qs.filter(status=wanted)
    ctx = {
        "page_obj": _page(request, qs.order_by("-created_at", "-id")),
        "statuses": Appointment.Status.choices,
        "wanted": wanted,
        "error": error,
        "errors": [error] if error else [],
    }
    return render(request, "workspace/appointments.html", ctx, status=status)


@delegate_required
def workspace_appointments(request):
    return _appointments_page(request)


@delegate_required
@require_POST
def workspace_appointment_action(request, pk: int, action: str):
    # Only the delegate who was asked: anyone else's appointment is a 404, not a 403 (no probing of ids).
    appt = get_object_or_404(Appointment, pk=pk, delegate_id=request.user.delegate_id)
    try:
        if action == "accept":
            form = AppointmentAcceptForm(request.POST)
            if not form.is_valid():
                return _appointments_page(request, status=400, error=_form_errors(form))
            services.appointment_accept(
                appointment_id=appt.pk,
                scheduled_at=form.cleaned_data["scheduled_at"],
                place=form.cleaned_data["place"].strip(),
                actor=request.user,
            )
            messages.success(request, _("已接受预约 %(code)s，已通知预约人。") % {"code": appt.code})
        elif action == "decline":
            form = AppointmentDeclineForm(request.POST)
            if not form.is_valid():
                return _appointments_page(request, status=400, error=_form_errors(form))
            services.appointment_decline(
                appointment_id=appt.pk, reason=form.cleaned_data["reason"], actor=request.user
            )
            messages.success(request, _("已婉拒预约 %(code)s，已通知预约人。") % {"code": appt.code})
        elif action == "held":
            services.appointment_mark_held(appointment_id=appt.pk, actor=request.user)
            messages.success(request, _("预约 %(code)s 已标记为已见面。") % {"code": appt.code})
        else:
            return _error(request, 404, _("页面不存在"))
    except DomainError as exc:
        return _appointments_page(request, status=exc.status_code, error=exc.text)
    return redirect("workspace-appointments")


def _form_errors(form) -> str:
    return pgettext("列表", "；").join(str(e) for errors in form.errors.values() for e in errors)
