"""群众提: project proposals — the public form, its result page, the list and the status page, and the staff's
screens (the proposal list, a proposal with its masked contact, shortlist/merge/decline, collection windows).

Nothing public shows a proposer's name or phone. A successful proposal redirects to its result page (303), so
reloading that page never submits the proposal again.
"""

import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.errors import DomainError, show_domain_error
from liaison.guard import anonymous_write
from liaison.page_access import admin_required, staff_required
from liaison.pages import see_other
from liaison.parsing import posted_id
from liaison.privacy import mask_name, mask_phone
from stations.selectors import area_by_code

from .. import forms, selectors
from ..models import ProjectProposal
from ..services.proposals import (
    proposal_decline,
    proposal_merge,
    proposal_shortlist,
    proposal_submit,
    proposal_window_open,
)

audit = logging.getLogger("liaison.audit")


@anonymous_write("proposal")
def proposal_new(request):
    """The public form. A POST passes the rate limit (scope "proposal") and the honeypot first (liaison.guard)."""
    windows = selectors.open_windows()
    form = forms.ProposalForm(request.POST or None, window_paths=[w.area.path for w in windows])
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            user = request.user
            delegate = user.delegate if user.is_authenticated and user.is_delegate_user else None
            try:
                p = proposal_submit(
                    title=data["title"],
                    description=data["description"],
                    area=data["area"],
                    rough_cost=data.get("rough_cost"),
                    name=data.get("name", ""),
                    phone=data.get("phone", ""),
                    delegate=delegate,
                )
            except DomainError as exc:
                show_domain_error(request, exc, form)
            else:
                return see_other(request, "voting:proposal-done", p.code)
        return render(request, "voting/proposal_form.html", {"form": form, "windows": windows}, status=400)
    return render(
        request,
        "voting/proposal_form.html",
        {"form": form, "windows": windows, "next_windows": [] if windows else selectors.next_windows()},
    )


def proposal_done(request, code: str):
    """The result of proposing (post/redirect/get): the code to note down; reachable only by that code."""
    p = selectors.proposal_public_by_code(code)
    if p is None:
        raise Http404
    return render(request, "voting/proposal_done.html", {"proposal": p})


def proposal_list(request):
    """Public list, `?area=CODE` for a subtree: two queries per page (count, page with the area joined)."""
    qs = selectors.proposals_public().order_by("-created_at", "-id")
    area = area_by_code(request.GET.get("area", "")[:12]) if request.GET.get("area") else None
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    status = request.GET.get("status")
    if status in ProjectProposal.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "voting/proposal_list.html",
        {"page": page, "area": area, "status": status, "statuses": ProjectProposal.Status.choices},
    )


def proposal_status(request, code: str):
    p = selectors.proposal_public_by_code(code)
    if p is None:
        raise Http404
    return render(request, "voting/proposal_status.html", {"proposal": p})


def proposal_lookup(request):
    code = request.GET.get("code", "").strip().upper()
    if code:
        return redirect("voting:proposal-status", code=code[:12])
    return redirect("voting:proposal-list")


# === 群众提: staff screens ===================================================================================
@staff_required
def manage_proposals(request):
    qs = selectors.proposals_for_staff(request.user).order_by("-created_at", "-id")
    status = request.GET.get("status", ProjectProposal.Status.SUBMITTED)
    if status in ProjectProposal.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    for p in page:
        p.masked_name, p.masked_phone = mask_name(p.name), mask_phone(p.phone)
    return render(
        request,
        "voting/manage_proposals.html",
        {"page": page, "status": status, "statuses": ProjectProposal.Status.choices},
    )


@staff_required
def manage_proposal(request, pk: int):
    p = get_object_or_404(selectors.proposals_for_staff(request.user), pk=pk)
    contact = {"name": mask_name(p.name), "phone": mask_phone(p.phone)}
    others = (
        selectors.proposals_for_staff(request.user)
        .filter(status__in=[ProjectProposal.Status.SUBMITTED, ProjectProposal.Status.SHORTLISTED])
        .exclude(pk=p.pk)
        .select_related(None)
        .only("id", "code", "title")
        .order_by("-created_at")[:200]
    )
    return render(
        request, "voting/manage_proposal.html", {"proposal": p, "contact": contact, "others": others}
    )


@staff_required
def manage_proposal_contact(request, pk: int):
    """The proposer's full name and phone, for staff of this area only; every view is written to the audit log."""
    p = get_object_or_404(selectors.proposals_for_staff(request.user), pk=pk)
    audit.info("user %s viewed the contact of proposal %s", request.user.pk, p.pk)
    return render(request, "voting/manage_proposal_contact.html", {"proposal": p})


@staff_required
@require_POST
def manage_proposal_action(request, pk: int, action: str):
    p = get_object_or_404(selectors.proposals_for_staff(request.user), pk=pk)
    # A tampered id is a 400 page (liaison.middleware), not a message: parsed before the services run.
    into = posted_id(request.POST, "into") if action == "merge" and request.POST.get("into") else None
    try:
        if action == "shortlist":
            proposal_shortlist(proposal_id=p.pk, note=request.POST.get("note", ""), actor=request.user)
            messages.success(request, _("已列入候选。"))
        elif action == "decline":
            proposal_decline(proposal_id=p.pk, reason=request.POST.get("reason", ""), actor=request.user)
            messages.success(request, _("已作未采纳处理，提出人可在查询页看到理由。"))
        elif action == "merge":
            target = selectors.proposals_for_staff(request.user).filter(pk=into).first() if into else None
            if target is None:
                messages.error(request, _("请选择要合并到的建议。"))
                return redirect("voting:manage-proposal", pk=p.pk)
            proposal_merge(proposal_id=p.pk, into_id=target.pk, actor=request.user)
            messages.success(request, _("已合并。"))
        else:
            raise Http404
    except DomainError as exc:
        show_domain_error(request, exc)
        return redirect("voting:manage-proposal", pk=p.pk)
    return redirect("voting:manage-proposals")


@admin_required
def manage_windows(request):
    form = forms.WindowForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            proposal_window_open(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("已开放项目征集。"))
            return redirect("voting:manage-windows")
    windows = selectors.windows_for(request.user).order_by("-year", "area__path")[:100]
    return render(request, "voting/manage_windows.html", {"form": form, "windows": windows})
