"""Staff pages of the satisfaction vote (满意度测评): the list, one assessment with its result and tally sheet,
and the admins' form to enter the count of a vote taken on paper or with a voting device, and to confirm it
(a different admin). Post/redirect/get; the services check everything the form does not."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liaison.errors import DomainError, show_domain_error
from liaison.page_access import admin_required, staff_required

from . import selectors
from .forms_assessments import TallyForm
from .services.assessment_counts import assessment_count_confirm, assessment_count_enter

PAGE_SIZE = 20


@staff_required
def staff_assessments(request):
    """The assessments of the user's area subtree, newest first. Queries: the count and the page (area and unit
    joined)."""
    qs = selectors.assessments_for(request.user).order_by("-created_at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/staff_assessments.html", {"page": page})


def _assessment_ctx(request, pk) -> dict:
    a = get_object_or_404(selectors.assessments_for(request.user).select_related("body"), pk=pk)
    return {
        "assessment": a,
        "roll_size": selectors.assessment_roll_size(a),
        "voted": a.votes.count(),
        "sheet": selectors.assessment_sheet(a.pk),
        "rectifications": list(a.rectifications.order_by("id")),
    }


@staff_required
def staff_assessment(request, pk):
    return render(request, "supervision/staff_assessment.html", _assessment_ctx(request, pk))


@admin_required
@require_http_methods(["GET", "POST"])
def staff_assessment_tally(request, pk):
    ctx = _assessment_ctx(request, pk)
    a, sheet = ctx["assessment"], ctx["sheet"]
    initial = {"method": a.counting if a.counting != "online" else "paper"}
    if sheet is not None:
        initial = {f: getattr(sheet, f) for f in TallyForm.base_fields}
    form = TallyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_count_enter(assessment_id=a.pk, actor=request.user, **form.counts())
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("计票结果已录入，请另一位管理员核对确认。"))
            return redirect("supervision:staff-assessment", a.pk)
    ctx["form"] = form
    return render(request, "supervision/staff_assessment_tally.html", ctx, status=400 if form.errors else 200)


@admin_required
@require_POST
def staff_assessment_tally_confirm(request, pk):
    a = get_object_or_404(selectors.assessments_for(request.user), pk=pk)
    try:
        assessment_count_confirm(assessment_id=a.pk, actor=request.user)
    except DomainError as exc:
        show_domain_error(request, exc)
    else:
        messages.success(request, _("计票结果已核对确认。"))
    return redirect("supervision:staff-assessment", a.pk)
