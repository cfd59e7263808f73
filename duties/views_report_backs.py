"""Report-back pages for staff (schedule, record the meeting, paper tally and its confirmation) and for the
delegate (record their own meeting). Every write calls the one service; errors show on the page."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from liaison.errors import DomainError
from liaison.page_access import role_required, staff_required
from liaison.pages import see_other
from liaison.parsing import to_id
from liaison.scoping import scope_to_area
from liaison.widgets import DateInput
from stations.models import Station

from . import selectors
from .models import ReportBack
from .services.report_backs import (
    paper_tally_confirm,
    paper_tally_enter,
    report_back_hold,
    report_back_schedule,
)


class ScheduleForm(forms.Form):
    station = forms.ModelChoiceField(label=gettext_lazy("联络站"), queryset=Station.objects.none())
    scheduled_on = forms.DateField(label=gettext_lazy("述职日期"), widget=DateInput())

    def __init__(self, *args, delegate, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = Station.objects.filter(memberships__delegate=delegate).order_by(
            "name"
        )


class HeldForm(forms.Form):
    report = forms.CharField(
        label=gettext_lazy("述职报告"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    attendance = forms.IntegerField(label=gettext_lazy("参会人数"), min_value=0, max_value=100000)


class PaperForm(forms.Form):
    satisfied = forms.IntegerField(label=gettext_lazy("满意"), min_value=0, max_value=100000)
    basically_satisfied = forms.IntegerField(label=gettext_lazy("基本满意"), min_value=0, max_value=100000)
    unsatisfied = forms.IntegerField(label=gettext_lazy("不满意"), min_value=0, max_value=100000)


staff_or_delegate = role_required(lambda u: u.is_area_staff or u.is_superuser or u.is_delegate_user)


@staff_required
def report_back_list(request):
    qs = selectors.report_backs_visible_to(request.user).order_by("-scheduled_on", "-id")
    status = request.GET.get("status")
    if status in ReportBack.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request, "duties/report_back_list.html", {"page_obj": page, "statuses": ReportBack.Status.choices}
    )


@staff_required
@require_http_methods(["GET", "POST"])
def report_back_new(request, delegate_pk):
    delegate = get_object_or_404(
        scope_to_area(selectors.Delegate.objects.select_related("area"), request.user), pk=delegate_pk
    )
    form = ScheduleForm(request.POST or None, delegate=delegate)
    if request.method == "POST" and form.is_valid():
        try:
            rb = report_back_schedule(
                delegate_id=delegate.pk,
                station=form.cleaned_data["station"],
                scheduled_on=form.cleaned_data["scheduled_on"],
                actor=request.user,
            )
        except DomainError as exc:
            messages.error(request, exc.text)
        else:
            messages.success(request, _("已安排述职。"))
            return see_other(request, "duties:report-back-manage", rb.pk)
    return render(
        request,
        "duties/report_back_new.html",
        {"form": form, "delegate": delegate},
        status=400 if form.errors else 200,
    )


def _managed(request, pk) -> ReportBack:
    rb = selectors.report_backs_visible_to(request.user).filter(pk=to_id(pk) or 0).first()
    if rb is None:
        raise Http404
    return rb


@staff_or_delegate
def report_back_manage(request, pk):
    rb = _managed(request, pk)
    staff = request.user.is_area_staff or request.user.is_superuser
    ctx = {
        "rb": rb,
        "staff": staff,
        "held_form": HeldForm(),
        "paper_form": PaperForm(),
        "tally": rb.tally(),
        "can_confirm": staff
        and rb.paper_entered_by_id not in (None, request.user.pk)
        and not rb.paper_confirmed,
    }
    return render(request, "duties/report_back_manage.html", ctx)


@staff_or_delegate
@require_POST
def report_back_action(request, pk, action):
    rb = _managed(request, pk)
    try:
        if action == "held":
            form = HeldForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请填写述职报告和参会人数。"))
                return see_other(request, "duties:report-back-manage", rb.pk)
            report_back_hold(report_back_id=rb.pk, actor=request.user, **form.cleaned_data)
            messages.success(request, _("已登记述职，群众可在7天内评议。"))
        elif action == "paper":
            form = PaperForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请填写三项票数（非负整数）。"))
                return see_other(request, "duties:report-back-manage", rb.pk)
            paper_tally_enter(report_back_id=rb.pk, actor=request.user, **form.cleaned_data)
            messages.success(request, _("已录入纸质评议票，请另一位工作人员核对确认。"))
        elif action == "confirm":
            paper_tally_confirm(report_back_id=rb.pk, actor=request.user)
            messages.success(request, _("已确认纸质评议票。"))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.text)
    return see_other(request, "duties:report-back-manage", rb.pk)
