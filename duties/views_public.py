"""Public pages: a report-back and its rating box (phone + SMS code), and the sections duties adds to the
station and delegate pages (stations.hooks)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.errors import DomainError, RateLimited, show_domain_error
from liaison.guard import anonymous_write
from liaison.pages import error_page, see_other
from supervision.models import SmsCode
from supervision.services.sms_codes import sms_code_request

from . import selectors
from .forms import PhoneForm, RatingForm
from .models import ReportBack
from .services.report_backs import report_back_rate


def delegate_section(request, delegate) -> str:
    """This year's counts on the public delegate page: never points, never constituents' data."""
    year = selectors.current_year()
    counts = selectors.public_counts(delegate_id=delegate.pk, year=year)
    return render_to_string("duties/_delegate_counts.html", {"c": counts, "year": year}, request=request)


def station_section(request, station) -> str:
    upcoming = selectors.upcoming_report_backs(station_id=station.pk)
    if not upcoming:
        return ""
    return render_to_string("duties/_station_report_backs.html", {"report_backs": upcoming}, request=request)


def _public_report_back(pk: int) -> ReportBack:
    return get_object_or_404(ReportBack.objects.select_related("delegate", "station"), pk=pk)


def _rating_open(rb: ReportBack) -> bool:
    return (
        rb.status == ReportBack.Status.HELD
        and bool(rb.rating_closes_at)
        and timezone.now() < rb.rating_closes_at
    )


def report_back_detail(request, pk):
    rb = _public_report_back(pk)
    ctx = {"rb": rb, "open": _rating_open(rb), "step": "phone", "form": PhoneForm()}
    if rb.status == ReportBack.Status.CLOSED:
        ctx["tally"] = rb.tally()
    return render(request, "duties/report_back.html", ctx)


def _rate_scope(request) -> str:
    return "sms_code_client" if request.POST.get("action") == "code" else "report_back_rating"


@require_POST
@anonymous_write(_rate_scope)  # per client: SMS codes and ratings counted apart (liaison.guard)
def report_back_rate_page(request, pk):
    """Two steps on one form: `action=code` sends the SMS code, `action=rate` rates with it."""
    rb = _public_report_back(pk)
    action = request.POST.get("action")
    ctx = {"rb": rb, "open": _rating_open(rb)}
    status = 200
    if action == "code":
        form = PhoneForm(request.POST)
        ctx.update(step="phone", form=form)
        if form.is_valid():
            try:
                sms_code_request(phone=form.cleaned_data["phone"], purpose=SmsCode.Purpose.REPORT_BACK)
            except RateLimited:
                raise
            except DomainError as exc:
                show_domain_error(request, exc, form)
                status = exc.status_code
            else:
                ctx.update(step="code", form=RatingForm(initial={"phone": form.cleaned_data["phone"]}))
    elif action == "rate":
        form = RatingForm(request.POST)
        ctx.update(step="code", form=form)
        if form.is_valid():
            try:
                report_back_rate(report_back_id=rb.pk, **form.cleaned_data)
            except DomainError as exc:
                show_domain_error(request, exc, form)
                status = exc.status_code
            else:
                messages.success(request, _("评价成功，感谢您的参与！"))
                return see_other(request, "duties:report-back", rb.pk)
    else:
        return error_page(request, 400, _("请求有误"))
    if form.errors and status == 200:
        status = 400
    return render(request, "duties/report_back.html", ctx, status=status)
