"""群众提: the public pages of project proposals — the form, its result page, the list and the status page.

Nothing here shows a proposer's name or phone. A successful proposal redirects to its result page (303), so
reloading that page never submits the proposal again.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from liaison.errors import DomainError, show_domain_error
from liaison.guard import anonymous_write
from liaison.pages import see_other
from stations.selectors import area_by_code

from . import forms, selectors
from .models import ProjectProposal
from .services.proposals import proposal_submit


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
