"""Workspace pages: the delegate's record (履职档案) and annual report, staff's record of a delegate, the
league table, coverage, and the self-report review queue."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liaison.errors import DomainError, show_domain_error
from liaison.page_access import delegate_required, staff_required
from liaison.pages import see_other
from liaison.parsing import to_id
from liaison.scoping import scope_to_area, user_sees_area
from stations.models import Area

from . import points, selectors
from .forms import ReasonForm, SelfReportForm
from .models import Kind, ReportBack, SelfReport, Training
from .services.records import self_report_approve, self_report_reject, self_report_submit


def _year(request) -> int:
    y = to_id(request.GET.get("year"))
    return y if y and 2000 <= y <= 2100 else selectors.current_year()


def _source_url(entry, staff: bool) -> str:
    """A link to what the entry points at: the public page where there is one, else (staff) the admin."""
    if entry.source_type_id is None:
        return ""
    model = entry.source_type.model
    public = {
        "reportback": ("duties:report-back", True),
        "activity": ("supervision:activity", True),
    }
    if model in public:
        return reverse(public[model][0], args=[entry.source_id])
    if not staff:
        return ""
    try:
        return reverse(f"admin:{entry.source_type.app_label}_{model}_change", args=[entry.source_id])
    except NoReverseMatch:
        return ""


def _record_context(request, delegate, *, staff: bool) -> dict:
    year = _year(request)
    rules = points.rules_for_year(year)
    entries = list(
        selectors.DutyEntry.objects.filter(delegate=delegate, year=year)
        .select_related("source_type")
        .order_by("-occurred_on", "-id")
    )
    for e in entries:
        e.pts = points.entry_points(e, rules)
        e.url = _source_url(e, staff)
    score = points.delegate_score(delegate_id=delegate.pk, year=year)
    counts = [(Kind(k).label, n) for k, n in sorted(score.counts.items())]
    return {
        "delegate": delegate,
        "year": year,
        "years": list(range(selectors.current_year(), selectors.current_year() - 5, -1)),
        "entries": entries,
        "score": score,
        "counts": counts,
        "staff_view": staff,
        "report_backs": list(
            ReportBack.objects.filter(delegate=delegate, scheduled_on__year=year).select_related("station")
        ),
        "self_reports": list(SelfReport.objects.filter(delegate=delegate).order_by("-created_at")[:20]),
    }


@delegate_required
def my_record(request):
    return render(request, "duties/record.html", _record_context(request, request.user.delegate, staff=False))


@staff_required
def delegate_record(request, pk):
    d = get_object_or_404(
        scope_to_area(selectors.Delegate.objects.select_related("area"), request.user), pk=pk
    )
    return render(request, "duties/record.html", _record_context(request, d, staff=True))


def _report_context(request, delegate, year: int) -> dict:
    counts = points.counts_by_kind(delegate_id=delegate.pk, year=year)
    pub = selectors.public_counts(delegate_id=delegate.pk, year=year)
    trainings = list(Training.objects.filter(attendees=delegate, held_on__year=year).order_by("held_on"))
    approved = list(
        SelfReport.objects.filter(
            delegate=delegate, status=SelfReport.Status.APPROVED, occurred_on__year=year
        )
    )
    return {
        "delegate": delegate,
        "year": year,
        "counts": counts,
        "lines": [(Kind(k).label, n) for k, n in sorted(counts.items()) if k != Kind.ADJUSTMENT],
        "pub": pub,
        "trainings": trainings,
        "self_reports": approved,
        "stations": list(delegate.stations.all()),
    }


@delegate_required
def my_annual_report(request, year):
    return render(request, "duties/annual_report.html", _report_context(request, request.user.delegate, year))


@staff_required
def delegate_annual_report(request, pk, year):
    d = get_object_or_404(
        scope_to_area(selectors.Delegate.objects.select_related("area"), request.user), pk=pk
    )
    return render(request, "duties/annual_report.html", _report_context(request, d, year))


@staff_required
def league(request):
    """The league table for the staff user's subtree (or an area in it): fixed queries however many."""
    year = _year(request)
    delegates = selectors.delegates_visible_to(request.user).filter(is_active=True)
    area = None
    code = (request.GET.get("area") or "")[:12]
    if code:
        area = Area.objects.filter(code=code).first()
        if area is None or not user_sees_area(request.user, area):
            area = None
        else:
            delegates = delegates.filter(area__path__startswith=area.path)
    # Scored, ranked and paginated in the database (points.league): the count of delegates, then the page.
    table = points.league(year=year, delegates=delegates)
    page = Paginator(table, 50).get_page(request.GET.get("page"))
    page.object_list = points.scores_page(page.object_list, year=year)
    kinds = [Kind.RECEPTION_DAY, Kind.OPINION_RECORDED, Kind.REPORT_BACK, Kind.TRAINING]
    for s in page:
        s.cols = [s.counts.get(k, 0) for k in kinds]
    return render(
        request,
        "duties/league.html",
        {"page_obj": page, "year": year, "area": area, "kinds": [Kind(k).label for k in kinds]},
    )


@staff_required
def coverage(request):
    return render(request, "duties/coverage.html", selectors.coverage(user=request.user))


@delegate_required
@require_http_methods(["GET", "POST"])
def self_report_new(request):
    form = SelfReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            self_report_submit(delegate=request.user.delegate, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("已提交，待工作人员审核。"))
            return see_other(request, "duties:my-record")
    return render(request, "duties/self_report_form.html", {"form": form}, status=400 if form.errors else 200)


@staff_required
def review_queue(request):
    qs = scope_to_area(
        SelfReport.objects.select_related("delegate").filter(status=SelfReport.Status.PENDING),
        request.user,
        "delegate__area",
    ).order_by("created_at", "id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "duties/review_queue.html", {"page_obj": page, "reason_form": ReasonForm()})


@staff_required
@require_POST
def review_action(request, pk, action):
    try:
        if action == "approve":
            self_report_approve(report_id=pk, actor=request.user)
            messages.success(request, _("已审核通过。"))
        elif action == "reject":
            self_report_reject(report_id=pk, reason=request.POST.get("reason", ""), actor=request.user)
            messages.success(request, _("已退回（不通过）。"))
        else:
            return see_other(request, "duties:review")
    except DomainError as exc:
        messages.error(request, exc.text)
    return see_other(request, "duties:review")
