"""Pages of formal suggestions, per role. Every POST calls one service and redirects (PRG); reads go through
motions.selectors, so another area's, unit's or delegate's suggestion is a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from liaison.errors import DomainError, show_domain_error
from liaison.page_access import delegate_required, staff_required, unit_required
from liaison.pages import see_other
from stations.models import Delegate
from suggestions.models import Referral
from suggestions.selectors import units_for_staff, with_lights

from . import exports, selectors
from .forms import ContactForm, MotionForm, RatingForm, ReasonForm, ReferForm, ReplyForm
from .models import RESULT_TO_CLASS, ReplyClass, Session, Status
from .services.filing import motion_attach, motion_cosign, motion_save, motion_submit, same_congress
from .services.handling import (
    motion_contact,
    motion_rate,
    motion_refer,
    motion_reference,
    motion_register,
    motion_reply,
)
from .stats import session_stats

PAGE_SIZE = 20


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _session_id(request) -> int | None:
    raw = request.GET.get("session", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


# --- public ------------------------------------------------------------------------------------------------
def public_list(request):
    """Replied suggestions whose reply is public, by session. Queries: sessions, count, page, 3 prefetches."""
    session_id = _session_id(request)
    sessions = list(Session.objects.select_related("area").order_by("-starts_on")[:50])
    page = _page(request, selectors.public_list(session_id))
    for m in page:
        m.reply = selectors.lead_reply(m)
        m.unit = selectors.lead_unit(m)
        cls = RESULT_TO_CLASS.get(m.suggestion.reply_result)
        m.class_label = ReplyClass(cls).label if cls else ""
    return render(
        request,
        "motions/public_list.html",
        {
            "page_obj": page,
            "sessions": sessions,
            "session_id": session_id,
            "query": f"session={session_id or ''}",
        },
    )


# --- delegates ---------------------------------------------------------------------------------------------
@delegate_required
def delegate_list(request):
    d = request.user.delegate_id
    page = _page(request, selectors.with_people(selectors.for_delegate(d)))
    return render(request, "motions/delegate_list.html", {"page_obj": page, "me": d})


def _peers(delegate: Delegate):
    return Delegate.objects.filter(
        area_id=delegate.area_id, level=delegate.level, term=delegate.term, is_active=True
    ).exclude(pk=delegate.pk)


@delegate_required
def delegate_new(request):
    lead = request.user.delegate
    form = MotionForm(request.POST or None, peers=_peers(lead))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            m = motion_save(
                lead=lead,
                title=d["title"],
                content=d["content"],
                kind=d["kind"],
                cosigners=[int(x) for x in d["cosigners"]],
                attachments=request.FILES.getlist("attachments"),
                submit=request.POST.get("action") != "draft",
                actor=request.user,
            )
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("已保存草稿。") if m.suggestion_id is None else _("已提交。"))
            return see_other(request, "motions:delegate-detail", pk=m.pk)
    return render(request, "motions/delegate_new.html", {"form": form}, status=400 if form.errors else 200)


@delegate_required
def delegate_detail(request, pk: int):
    me = request.user.delegate
    qs = selectors.with_handling(selectors.with_people(selectors.for_delegate(me.pk))).prefetch_related(
        "attachments"
    )
    m = get_object_or_404(qs, pk=pk)
    rating_form = RatingForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                motion_submit(motion_id=m.pk, lead=me, actor=request.user)
                messages.success(request, _("已提交。"))
            elif action == "cosign":
                motion_cosign(motion_id=m.pk, delegate=me)
                messages.success(request, _("已确认附议。"))
            elif action == "attach":
                motion_attach(motion_id=m.pk, lead=me, files=request.FILES.getlist("attachments"))
                messages.success(request, _("附件已上传。"))
            elif action == "rate":
                rating_form = RatingForm(request.POST)
                if not rating_form.is_valid():
                    raise _Invalid
                motion_rate(motion_id=m.pk, delegate=me, **rating_form.cleaned_data)
                messages.success(request, _("感谢您的评价。"))
            return see_other(request, "motions:delegate-detail", pk=m.pk)
        except _Invalid:
            pass
        except DomainError as exc:
            show_domain_error(request, exc, rating_form if action == "rate" else None)
            if action != "rate":
                return see_other(request, "motions:delegate-detail", pk=m.pk)
    mine = [c for c in m.cosigners.all() if c.delegate_id == me.pk]
    ctx = {
        "m": m,
        "is_lead": m.lead_id == me.pk,
        "my_cosign": mine[0] if mine else None,
        "reply": selectors.lead_reply(m) if m.suggestion_id else None,
        "unit": selectors.lead_unit(m),
        "rating_form": rating_form,
        "same_congress": same_congress(m.lead, me),
    }
    return render(request, "motions/delegate_detail.html", ctx, status=400 if rating_form.errors else 200)


class _Invalid(Exception):
    pass


# --- units -------------------------------------------------------------------------------------------------
@unit_required
def unit_list(request):
    qs = selectors.for_unit(request.user)
    if request.GET.get("show") != "all":
        qs = qs.filter(suggestion__status="referred")
    page = _page(request, qs.order_by("suggestion__reply_due", "id"))
    with_lights([m.suggestion for m in page])
    return render(request, "motions/unit_list.html", {"page_obj": page, "show": request.GET.get("show", "")})


@unit_required
def unit_detail(request, pk: int):
    qs = selectors.with_handling(selectors.with_people(selectors.for_unit(request.user))).prefetch_related(
        "attachments", "contacts"
    )
    m = get_object_or_404(qs, pk=pk)
    forms = {"contact": ContactForm(), "reply": ReplyForm()}
    if request.method == "POST":
        action = request.POST.get("action")
        form = forms[action] = (ContactForm if action == "contact" else ReplyForm)(request.POST)
        if form.is_valid():
            try:
                if action == "contact":
                    motion_contact(motion_id=m.pk, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("沟通情况已记录。"))
                else:
                    motion_reply(motion_id=m.pk, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("已答复。"))
                return see_other(request, "motions:unit-detail", pk=m.pk)
            except DomainError as exc:
                show_domain_error(request, exc, form)
    s = m.suggestion
    mine = [r for r in s.referrals.all() if r.unit_id == request.user.unit_id]
    live = [r for r in mine if r.round == s.round and r.status in Referral.ACTIONABLE_STATUSES]
    status = 400 if any(f.errors for f in forms.values()) else 200
    ctx = {
        "m": m,
        "s": s,
        "forms": forms,
        "ref": live[-1] if live else (mine[-1] if mine else None),
        "can_act": bool(live) and s.status == "referred",
        "is_lead": any(r.role == "lead" for r in live),
        "contacts": [c for c in m.contacts.all() if c.unit_id == request.user.unit_id],
        "replies": [r for r in s.replies.all() if r.referral.unit_id == request.user.unit_id],
    }
    return render(request, "motions/unit_detail.html", ctx, status=status)


# --- staff -------------------------------------------------------------------------------------------------
@staff_required
def staff_list(request):
    qs = selectors.for_staff(request.user)
    session_id, status = _session_id(request), request.GET.get("status", "")
    if session_id:
        qs = qs.filter(session_id=session_id)
    if status in Status.values:
        qs = qs.filter(selectors.status_q(status))
    if request.GET.get("key"):
        qs = qs.filter(suggestion__is_key=True)
    page = _page(request, qs.order_by("-created_at", "-id"))
    with_lights([m.suggestion for m in page])
    sessions = list(
        selectors.sessions_for_area_path(request.user.area_path or "").order_by("-starts_on")[:50]
    )
    query = f"session={session_id or ''}&status={status}&key={request.GET.get('key', '')}"
    return render(
        request,
        "motions/staff_list.html",
        {
            "page_obj": page,
            "sessions": sessions,
            "statuses": Status.choices[1:],
            "session_id": session_id,
            "status": status,
            "key": request.GET.get("key", ""),
            "query": query,
        },
    )


@staff_required
def staff_detail(request, pk: int):
    qs = selectors.with_handling(selectors.with_people(selectors.for_staff(request.user))).prefetch_related(
        "attachments", "contacts__unit"
    )
    m = get_object_or_404(qs, pk=pk)
    units = units_for_staff(request.user).order_by("name")
    forms = {"reason": ReasonForm(), "refer": ReferForm(units=units)}
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "register":
                motion_register(motion_id=m.pk, actor=request.user)
                messages.success(request, _("已立案。"))
                return see_other(request, "motions:staff-detail", pk=m.pk)
            if action == "reference":
                form = forms["reason"] = ReasonForm(request.POST)
                if form.is_valid():
                    motion_reference(motion_id=m.pk, reason=form.cleaned_data["reason"], actor=request.user)
                    messages.success(request, _("已转为参阅件。"))
                    return see_other(request, "motions:staff-detail", pk=m.pk)
            if action == "refer":
                form = forms["refer"] = ReferForm(request.POST, units=units)
                if form.is_valid():
                    d = form.cleaned_data
                    motion_refer(
                        motion_id=m.pk,
                        lead_unit=d["lead_unit"],
                        cohandling_units=list(d["cohandling_units"]),
                        key=d["key"],
                        leader=d["leader"],
                        actor=request.user,
                    )
                    messages.success(request, _("已交办。"))
                    return see_other(request, "motions:staff-detail", pk=m.pk)
        except DomainError as exc:
            show_domain_error(request, exc, forms.get("refer") if action == "refer" else forms.get("reason"))
    s = m.suggestion
    with_lights([s])
    status = 400 if any(f.errors for f in forms.values()) else 200
    ctx = {
        "m": m,
        "s": s,
        "forms": forms,
        "referrals": list(s.referrals.all()),
        "replies": list(s.replies.all()),
        "contacts": list(m.contacts.all()),
        "confirmed": sum(1 for c in m.cosigners.all() if c.confirmed_at),
    }
    return render(request, "motions/staff_detail.html", ctx, status=status)


@staff_required
def staff_stats(request):
    try:
        qs, session = selectors.stats_scope(request.user, request.GET.get("session"), request.GET.get("area"))
    except DomainError as exc:
        from liaison.pages import domain_error_page

        return domain_error_page(request, exc)
    sessions = list(
        selectors.sessions_for_area_path(request.user.area_path or "").order_by("-starts_on")[:50]
    )
    return render(
        request,
        "motions/staff_stats.html",
        {
            "d": session_stats(qs),
            "sessions": sessions,
            "session": session,
            "session_param": request.GET.get("session", ""),
            "area": request.GET.get("area", ""),
            "query": request.GET.urlencode(),
        },
    )


@staff_required
def staff_export(request):
    try:
        qs, session = selectors.stats_scope(request.user, request.GET.get("session"), request.GET.get("area"))
    except DomainError as exc:
        from liaison.pages import domain_error_page

        return domain_error_page(request, exc)
    return exports.register_xlsx(qs, session)
