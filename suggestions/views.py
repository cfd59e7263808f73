"""Pages of the suggestions app: the public form and tracking page, the staff work queue and triage, the
unit's queue, the delegate's own suggestions, statistics and the register export.

Reads go through suggestions.selectors, writes through suggestions.services; a DomainError from a service
becomes a message on the page (or, uncaught, a 4xx page via liaison.middleware).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison import charts
from liaison.api import KnownCountPaginator
from liaison.codes import normalise_code
from liaison.errors import DomainError, first_message, show_domain_error
from liaison.guard import anonymous_write
from liaison.page_access import delegate_required, staff_required, unit_required
from liaison.pages import error_page
from liaison.parsing import posted_id, to_id
from liaison.scoping import user_sees_area
from stations.models import Area, Delegate, Station
from stations.qr import qr_svg
from stations.selectors import home_area

from . import exports, selectors, stats
from .conf import conf
from .forms import (
    DecisionForm,
    DelegateSuggestionForm,
    ExtensionForm,
    LookupForm,
    MergeForm,
    QueueFilterForm,
    RatingForm,
    ReasonForm,
    ReferForm,
    ReplyForm,
    StaffIntakeForm,
    StatsForm,
    SuggestionForm,
)
from .hooks import tracking_topics
from .models import Referral, Suggestion
from .privacy import masked_contact
from .services.intake import suggestion_submit
from .services.ratings import suggestion_rate
from .services.referrals import (
    extension_grant,
    extension_refuse,
    extension_request,
    referral_accept,
    referral_reply,
    referral_return,
    referral_return_accept,
    referral_return_refuse,
    suggestion_refer,
)
from .services.triage import (
    suggestion_accept,
    suggestion_contact_viewed,
    suggestion_mark_key,
    suggestion_merge,
    suggestion_reject,
)
from .timeline import public_events

PAGE_SIZE = 20


def _error(request, status: int, title: str, message: str = ""):
    return error_page(request, status, title, message)


# --- public: the form --------------------------------------------------------------------------------------
def _addressee(request) -> dict:
    """`?station=ID`, `?delegate=ID` or `?area=CODE` from station and delegate pages."""
    out: dict = {"station": None, "delegate": None, "area": None}
    src = request.POST if request.method == "POST" else request.GET
    station_id, delegate_id, code = (
        src.get("station"),
        src.get("delegate"),
        src.get("area_code") or (request.GET.get("area")),
    )
    if to_id(station_id):
        out["station"] = (
            Station.objects.select_related("area").filter(pk=to_id(station_id), is_active=True).first()
        )
    if to_id(delegate_id):
        out["delegate"] = (
            Delegate.objects.select_related("area").filter(pk=to_id(delegate_id), is_active=True).first()
        )
    if code and code.isdigit():
        out["area"] = Area.objects.filter(code=code).first()
    return out


@anonymous_write("suggestion")
def suggestion_new(request):
    """The public form (phone-friendly): title, content, category, optional contact, up to three photos.
    A POST passes the rate limit and the honeypot first (liaison.guard)."""
    to = _addressee(request)
    addressed = bool(to["station"] or to["delegate"])
    initial = {"area": to["area"].code} if to["area"] else {}
    if request.method == "POST":
        form = SuggestionForm(request.POST, request.FILES, addressed=addressed)
        if form.is_valid():
            d = form.cleaned_data
            try:
                s = suggestion_submit(
                    title=d["title"],
                    content=d["content"],
                    category=d["category"],
                    area=d.get("area"),
                    station=to["station"],
                    delegate=to["delegate"],
                    submitter_name=d["name"],
                    submitter_phone=d["phone"],
                    submitter_email=d["email"],
                    photos=d["photos"] or [],
                )
            except DomainError as exc:
                show_domain_error(request, exc, form)
            else:
                return redirect("suggestion-submitted", code=s.tracking_code)
        status = 400
    else:
        form = SuggestionForm(initial=initial, addressed=addressed)
        status = 200
    return render(request, "suggestions/form.html", {"form": form, "to": to}, status=status)


def suggestion_submitted(request, code: str):
    s = get_object_or_404(
        Suggestion.objects.only("id", "tracking_code", "title"), tracking_code=normalise_code(code)
    )
    url = request.build_absolute_uri(reverse("suggestion-track", args=[s.tracking_code]))
    return render(
        request,
        "suggestions/submitted.html",
        {"s": s, "track_url": url, "qr": qr_svg(url, title=_("查询办理进度"))},
    )


# --- public: tracking --------------------------------------------------------------------------------------
def track_lookup(request):
    form = LookupForm(request.GET or None)
    if form.is_valid():
        return redirect("suggestion-track", code=normalise_code(form.cleaned_data["code"]))
    return render(request, "suggestions/lookup.html", {"form": form})


@anonymous_write("rating")
def track(request, code: str):
    """The public tracking page: timeline, replies and the supervision topics the opinion fed (four queries),
    a rating form when replied (a POST passes the rate limit and the honeypot first: liaison.guard)."""
    s = selectors.tracking(code)
    if s is None:
        return render(
            request,
            "suggestions/lookup.html",
            {"form": LookupForm(initial={"code": code}), "not_found": True},
            status=404,
        )
    form = RatingForm()
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                suggestion_rate(suggestion_id=s.pk, **form.cleaned_data)
            except DomainError as exc:
                show_domain_error(request, exc)
                return redirect("suggestion-track", code=s.tracking_code)
            messages.success(request, _("感谢您的评价。"))
            return redirect("suggestion-track", code=s.tracking_code)
    return render(
        request,
        "suggestions/track.html",
        {
            "s": s,
            "events": public_events(s.events.all()),
            "replies": list(s.replies.all()),
            "topics": tracking_topics(s.pk),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# --- staff: queue, triage, referral ------------------------------------------------------------------------
def light_legend() -> list[tuple[str, str]]:
    """What the 三色督办 colours mean, with this deployment's thresholds."""
    yellow, red = round(conf.YELLOW_AT * 100), round(conf.RED_AT * 100)
    return [
        ("green", _("绿：本环节期限已用不到 %(n)s%%") % {"n": yellow}),
        ("yellow", _("黄：已用 %(a)s%%–%(b)s%%，临近期限") % {"a": yellow, "b": red}),
        ("red", _("红：已用 %(n)s%% 以上或已超期") % {"n": red}),
    ]


@staff_required
def staff_queue(request):
    """Open ones with what needs action first (overdue, then waiting for the staff's triage or referral, then
    for the units, then for ratings; nearest deadline first within each), others oldest first. Queries: the
    filter form's area and station choices, count, the page (area and station joined); the lights' calendar
    is the process's copy."""
    form = QueueFilterForm(request.GET or None, root_path=request.user.area_path or "")
    f = selectors.QueueFilters(open_only=True)
    if form.is_valid():
        d = form.cleaned_data
        status = d.get("status") or ""
        f.status = "" if status in ("", "all") else status
        f.open_only = status == ""
        f.category, f.channel, f.q = d.get("category") or "", d.get("channel") or "", d.get("q") or ""
        f.station = d.get("station")
        f.area = d.get("area")
        f.overdue = True if d.get("overdue") else None
        f.key = True if d.get("key") else None
        f.ordering = d.get("ordering") or ""
    qs = selectors.staff_queue(request.user, f)
    count = selectors.staff_queue_count(request.user, f)  # "全部" with no other filter: from the cells
    page = KnownCountPaginator(qs, PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    items = selectors.with_lights(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "suggestions/staff_queue.html",
        {
            "form": form,
            "page_obj": page,
            "items": items,
            "query": query.urlencode(),
            "ordering": selectors.queue_ordering(f),
            "legend": light_legend(),
        },
    )


def _staff_suggestion(request, pk: int) -> Suggestion:
    return get_object_or_404(selectors.suggestions_for_staff(request.user), pk=pk)


@staff_required
def staff_detail(request, pk: int):
    return _staff_detail_page(request, pk)


def _staff_detail_page(request, pk: int, *, status: int = 200, **forms):
    """The staff page of one suggestion; a refused form (`refer_form=`, `reject_form=`, `merge_form=`) is shown
    again with its error summary and inline messages, with status 400."""
    s = get_object_or_404(selectors.suggestion_detail(selectors.suggestions_for_staff(request.user)), pk=pk)
    selectors.with_lights([s])
    units = selectors.units_for_staff(request.user)
    replies = list(s.replies.all())
    referrals = list(s.referrals.all())
    for r in referrals:
        r.the_reply = next((x for x in replies if x.referral_id == r.pk), None)
    returns = [r for r in referrals if r.status == Referral.Status.RETURN_REQUESTED]
    similar = selectors.similar_open(s, user=request.user) if s.status in ("submitted", "accepted") else []
    return render(
        request,
        "suggestions/staff_detail.html",
        {
            "s": s,
            "contact": masked_contact(s),
            "referrals": referrals,
            "returns": returns,
            "return_form": ReasonForm(),
            "events": list(s.events.all()),
            "public_events": {e.pk for e in s.events.all() if e.public},
            "similar": similar,
            "refer_form": forms.get("refer_form") or ReferForm(units=units),
            "reject_form": forms.get("reject_form") or ReasonForm(),
            "merge_form": forms.get("merge_form") or MergeForm(),
            "can_refer": s.status in Suggestion.REFERABLE_STATUSES,
            "can_triage": s.status == Suggestion.Status.SUBMITTED,
            "can_merge": s.status in ("submitted", "accepted"),
        },
        status=status,
    )


@staff_required
def staff_contact(request, pk: int):
    """The full contact details, for staff of this area only; every view is logged on the timeline."""
    s = _staff_suggestion(request, pk)
    suggestion_contact_viewed(suggestion=s, actor=request.user)
    return render(request, "suggestions/staff_contact.html", {"s": s})


@staff_required
@require_POST
def staff_action(request, pk: int, action: str):
    s = _staff_suggestion(request, pk)
    if action in ("reject", "merge", "refer"):
        return _staff_form_action(request, s, action)
    user = request.user
    try:
        if action == "accept":
            suggestion_accept(suggestion_id=s.pk, actor=user)
            messages.success(request, _("已受理。"))
        elif action in ("key", "unkey"):
            suggestion_mark_key(suggestion_id=s.pk, is_key=action == "key", actor=user)
        elif action in ("return-accept", "return-refuse"):
            ref = get_object_or_404(s.referrals.all(), pk=posted_id(request.POST, "referral"))
            _review_return(request, ref, action.removeprefix("return-"))
        else:
            return _error(request, 404, _("页面不存在"))
    except DomainError as exc:
        show_domain_error(request, exc)
    return redirect("suggestions-staff-detail", pk=s.pk)


def _staff_form_action(request, s: Suggestion, action: str):
    """Reject, merge or refer: done, back to the page (PRG); refused, the page again with the form, its error
    summary and inline messages (400)."""
    user = request.user
    if action == "reject":
        form = ReasonForm(request.POST)
    elif action == "merge":
        form = MergeForm(request.POST)
    else:
        form = ReferForm(request.POST, units=selectors.units_for_staff(user))
    try:
        if form.is_valid():
            d = form.cleaned_data
            if action == "reject":
                suggestion_reject(suggestion_id=s.pk, reason=d["reason"], actor=user)
                messages.success(request, _("已不予受理。"))
            elif action == "merge":
                raw = d["into"].strip()
                scoped = selectors.suggestions_for_staff(user)
                original = (
                    scoped.filter(pk=to_id(raw)).first()
                    if to_id(raw)
                    else scoped.filter(tracking_code=normalise_code(raw)).first()
                )
                if original is None:
                    form.add_error("into", _("找不到要合并到的意见建议。"))
                else:
                    suggestion_merge(suggestion_id=s.pk, into_id=original.pk, actor=user)
                    messages.success(request, _("已合并。"))
            else:
                suggestion_refer(
                    suggestion_id=s.pk,
                    lead_unit=d["lead_unit"],
                    assisting_units=list(d["assisting_units"]),
                    due_workdays=d["due_workdays"],
                    actor=user,
                )
                messages.success(request, _("已转办。"))
    except DomainError as exc:
        if not (exc.field_errors and set(exc.field_errors) & set(form.fields)):
            show_domain_error(
                request, exc
            )  # not about the input (a state it is no longer in): said on the page
            return redirect("suggestions-staff-detail", pk=s.pk)
        show_domain_error(request, exc, form)
    if form.errors:
        return _staff_detail_page(request, s.pk, status=400, **{f"{action}_form": form})
    return redirect("suggestions-staff-detail", pk=s.pk)


@staff_required
def staff_new(request):
    """Staff enter a letter, a visit or a hotline call on someone's behalf."""
    root = request.user.area_path or ""
    if request.method == "POST":
        form = StaffIntakeForm(request.POST, request.FILES, area_root=root)
        if form.is_valid():
            d = form.cleaned_data
            try:
                s = suggestion_submit(
                    title=d["title"],
                    content=d["content"],
                    category=d["category"],
                    channel=d["channel"],
                    area=d["area"],
                    submitter_name=d["name"],
                    submitter_phone=d["phone"],
                    submitter_email=d["email"],
                    photos=d["photos"] or [],
                    actor=request.user,
                )
            except DomainError as exc:
                show_domain_error(request, exc, form)
            else:
                messages.success(request, _("已登记，查询码 %(code)s。") % {"code": s.tracking_code})
                return redirect("suggestions-staff-detail", pk=s.pk)
    else:
        form = StaffIntakeForm(area_root=root)
    return render(request, "suggestions/staff_new.html", {"form": form}, status=400 if form.errors else 200)


def _review_return(request, ref: Referral, decision: str) -> None:
    """Accept or refuse (with the posted reason) a unit's return; the outcome as a message."""
    try:
        if decision == "accept":
            referral_return_accept(referral_id=ref.pk, actor=request.user)
            messages.success(request, _("已同意退回。"))
        elif decision == "refuse":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请填写不同意退回的理由。"))
                return
            referral_return_refuse(referral_id=ref.pk, reason=form.cleaned_data["reason"], actor=request.user)
            messages.success(request, _("已不同意退回，转办件仍由该单位办理。"))
    except DomainError as exc:
        show_domain_error(request, exc)


@staff_required
def staff_returned(request):
    """Returns (退单) waiting for review, oldest request first: accept (the lead unit's goes back to triage)
    or refuse with a reason (the unit keeps it)."""
    if request.method == "POST":
        ref = get_object_or_404(selectors.referrals_for(request.user), pk=posted_id(request.POST, "referral"))
        _review_return(request, ref, request.POST.get("decision", ""))
        return redirect("suggestions-returned")
    page = Paginator(selectors.returned_referrals(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/staff_returned.html", {"page_obj": page, "form": ReasonForm()})


@staff_required
def staff_extensions(request):
    if request.method == "POST":
        ext = get_object_or_404(
            selectors.extensions_for(request.user), pk=posted_id(request.POST, "extension")
        )
        form = DecisionForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            if request.POST.get("decision") == "grant":
                extension_grant(extension_id=ext.pk, actor=request.user, note=note)
                messages.success(request, _("已同意延期。"))
            else:
                extension_refuse(extension_id=ext.pk, actor=request.user, note=note)
                messages.success(request, _("已不同意延期。"))
        except DomainError as exc:
            show_domain_error(request, exc)
        return redirect("suggestions-extensions")
    page = Paginator(selectors.pending_extensions(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/staff_extensions.html", {"page_obj": page, "form": DecisionForm()})


# --- staff: statistics and the register --------------------------------------------------------------------
def _stats_scope(request):
    form = StatsForm(request.GET or None, root_path=request.user.area_path or "")
    area, period = home_area(request.user), stats.Period.default()
    if form.is_valid():
        d = form.cleaned_data
        if d.get("area"):
            chosen = Area.objects.filter(code=d["area"]).first()
            if chosen is not None and user_sees_area(request.user, chosen):
                area = chosen
        period = stats.Period(d.get("start") or period.start, d.get("end") or period.end)
    return form, area, period


@staff_required
def staff_stats(request):
    form, area, period = _stats_scope(request)
    if area is None:
        return _error(request, 400, _("请求有误"), _("请指定区划代码。"))
    data = stats.dashboard(area, period)
    # The same server-rendered SVG charts as the public figures page, the numbers in the tables below them.
    chart_specs = [
        ("by_month", _("按月份收到"), "columns", "received"),
        ("by_category", _("按类别收到"), "bars", "received"),
        ("by_channel", _("按渠道收到"), "bars", "received"),
        ("by_station", _("按联络站收到"), "bars", "received"),
        ("by_unit", _("按承办单位转办"), "bars", "referrals"),
    ]
    svgs = {
        key: charts.render(
            charts.Chart(key, title, kind, [(str(r["label"]), r[count]) for r in data[key]]), f"stats-{key}"
        )
        for key, title, kind, count in chart_specs
    }
    query = request.GET.urlencode()
    return render(
        request,
        "suggestions/staff_stats.html",
        {"form": form, "d": data, "query": query, "charts": svgs},
        status=400 if form.errors else 200,
    )


@staff_required
def staff_export(request, kind: str):
    if kind not in ("xlsx", "csv"):
        return _error(request, 404, _("页面不存在"))
    form, area, period = _stats_scope(request)
    if form.errors:  # never a register of some other period than the one asked for
        return _error(request, 400, _("请求有误"), first_message(form.errors))
    if area is None:
        return _error(request, 400, _("请求有误"), _("请指定区划代码。"))
    return exports.response(area, period, kind)


# --- units -------------------------------------------------------------------------------------------------
@unit_required
def unit_queue(request):
    """Referrals to the user's unit, due soonest first. Queries: count and the page (joined)."""
    show = request.GET.get("show", "")
    qs = selectors.unit_queue(request.user, open_only=show != "all")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/unit_queue.html", {"page_obj": page, "show": show})


@unit_required
def unit_detail(request, pk: int):
    ref = get_object_or_404(
        selectors.referrals_for(request.user)
        .select_related("suggestion__area", "suggestion__station", "unit")
        .prefetch_related("extensions", "suggestion__photos"),
        pk=pk,
    )
    s = ref.suggestion
    forms = {"reply": ReplyForm(), "return": ReasonForm(), "extension": ExtensionForm()}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                referral_accept(referral_id=ref.pk, actor=request.user)
                messages.success(request, _("已签收。"))
            elif action == "reply":
                forms["reply"] = form = ReplyForm(request.POST)
                if form.is_valid():
                    referral_reply(referral_id=ref.pk, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("已答复。"))
                    return redirect("suggestions-unit-detail", pk=ref.pk)
            elif action == "return":
                forms["return"] = form = ReasonForm(request.POST)
                if form.is_valid():
                    referral_return(
                        referral_id=ref.pk, reason=form.cleaned_data["reason"], actor=request.user
                    )
                    messages.success(request, _("已申请退回，请等待工作人员审核。"))
                    return redirect("suggestions-unit-detail", pk=ref.pk)
            elif action == "extension":
                forms["extension"] = form = ExtensionForm(request.POST)
                if form.is_valid():
                    extension_request(referral_id=ref.pk, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("延期申请已提交。"))
                    return redirect("suggestions-unit-detail", pk=ref.pk)
            if action == "accept":
                return redirect("suggestions-unit-detail", pk=ref.pk)
        except DomainError as exc:
            show_domain_error(request, exc)
            return redirect("suggestions-unit-detail", pk=ref.pk)
    others = list(
        Referral.objects.filter(suggestion=s, round=ref.round).exclude(pk=ref.pk).select_related("unit")
    )
    return render(
        request,
        "suggestions/unit_detail.html",
        {
            "ref": ref,
            "s": s,
            "contact": masked_contact(s),
            "others": others,
            "reply": getattr(ref, "reply", None) if ref.status == Referral.Status.REPLIED else None,
            "forms": forms,
            "is_open": ref.status in Referral.OPEN_STATUSES,
            # While its return waits for review the unit can only wait.
            "can_act": ref.status in Referral.ACTIONABLE_STATUSES,
        },
    )


# --- delegates ---------------------------------------------------------------------------------------------
@delegate_required
def mine(request):
    page = Paginator(selectors.delegate_suggestions(request.user.delegate_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "suggestions/mine.html", {"page_obj": page})


@delegate_required
def mine_new(request):
    """A delegate raises a suggestion of their own (channel `delegate`: 3 months to answer by default)."""
    delegate = request.user.delegate
    if request.method == "POST":
        form = DelegateSuggestionForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                s = suggestion_submit(
                    title=d["title"],
                    content=d["content"],
                    category=d["category"],
                    channel=Suggestion.Channel.DELEGATE,
                    area=d.get("area"),
                    raised_by_delegate=delegate,
                    photos=d["photos"] or [],
                    actor=request.user,
                )
            except DomainError as exc:
                show_domain_error(request, exc, form)
            else:
                messages.success(request, _("已提交，查询码 %(code)s。") % {"code": s.tracking_code})
                return redirect("suggestions-mine")
    else:
        form = DelegateSuggestionForm()
    return render(request, "suggestions/mine_new.html", {"form": form}, status=400 if form.errors else 200)
