"""代表决: the delegate's phone-friendly ballot and receipt, the admin's ballot screens (new, open, turnout,
attendance, close, publish) and the published results and tally sheet."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bodies.models import Counting
from liaison.errors import DomainError, InvalidTransition, show_domain_error
from liaison.page_access import admin_required, voter_required
from liaison.parsing import posted_ids
from stations.models import Delegate

from .. import forms, selectors
from ..models import Ballot, ProjectProposal, Vote
from ..selectors import ballot_tally
from ..services.ballots import (
    ballot_cast,
    ballot_close,
    ballot_create,
    ballot_open,
    ballot_publish,
    ballot_record_attendance,
)
from ..tally import quorum_met


# === 代表决: the delegate's ballot ===============================================================================
@voter_required
def vote_home(request):
    user = request.user
    pending = list(selectors.pending_ballots_for(user))
    done = list(selectors.papers_of(user).order_by("-cast_at")[:20])
    return render(
        request,
        "voting/vote_home.html",
        {
            "pending": pending,
            "done": done,
            "evaluations": selectors.pending_evaluations_for(user.delegate_id)
            + selectors.pending_member_evaluations(user),
        },
    )


@voter_required
def vote_ballot(request, pk: int):
    """GET: every candidate with for/against/abstain. POST: the confirm step; POST with confirm=1: cast."""
    user = request.user
    ballot = get_object_or_404(selectors.ballots_for_voter(user), pk=pk)
    candidates = list(selectors.ballot_candidates(ballot))
    paper = selectors.paper_of(ballot, user)
    if ballot.status != Ballot.Status.OPEN or ballot.counting != Counting.ONLINE:
        return render(request, "voting/vote_closed.html", {"ballot": ballot, "paper": paper}, status=409)
    if paper is not None and not ballot.allow_change:
        return redirect("voting:vote-receipt", code=paper.receipt_code)

    errors = []
    chosen = {}
    if request.method == "POST":
        valid = set(Vote.Choice.values)
        for c in candidates:
            value = request.POST.get(f"c{c.pk}", "")
            if value in valid:
                chosen[c.pk] = value
        missing = [c for c in candidates if c.pk not in chosen]
        if missing:
            errors.append(_("还有 %(n)s 个候选项目没有表明意见。") % {"n": len(missing)})
        elif request.POST.get("confirm") == "1":
            try:
                paper = ballot_cast(ballot_id=ballot.pk, user=user, choices=chosen)
            except DomainError as exc:
                errors.append(exc.text)
            else:
                return redirect("voting:vote-receipt", code=paper.receipt_code)
        else:
            rows = [(c, chosen[c.pk], dict(Vote.Choice.choices)[chosen[c.pk]]) for c in candidates]
            return render(request, "voting/vote_confirm.html", {"ballot": ballot, "rows": rows})
    rows = [(c, chosen.get(c.pk, "")) for c in candidates]
    return render(
        request,
        "voting/vote_ballot.html",
        {"ballot": ballot, "rows": rows, "errors": errors, "choices": Vote.Choice.choices, "paper": paper},
        status=400 if errors else 200,
    )


@voter_required
def vote_receipt(request, code: str):
    paper = get_object_or_404(selectors.papers_of(request.user), receipt_code=code.upper()[:12])
    votes = []
    if not paper.ballot.secret:
        votes = list(paper.votes.select_related("candidate__proposal").order_by("candidate__position"))
    return render(request, "voting/vote_receipt.html", {"paper": paper, "votes": votes})


# === 代表决: admin screens =======================================================================================
@admin_required
def manage_ballots(request):
    ballots = selectors.ballots_for_admin(request.user).annotate(
        n_candidates=Count("candidates", distinct=True)
    )
    page = Paginator(ballots.order_by("-created_at", "-id"), 20).get_page(request.GET.get("page"))
    return render(request, "voting/manage_ballots.html", {"page": page})


@admin_required
def manage_ballot_new(request):
    proposals = (
        selectors.proposals_for_staff(request.user)
        .filter(status=ProjectProposal.Status.SHORTLISTED)
        .order_by("area__path", "-created_at")
    )
    form = forms.BallotForm(request.POST or None, user=request.user, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        roll = None
        if d["body"] is None:
            roll = list(
                Delegate.objects.filter(
                    is_active=True, level=d["roll_level"], area__path__startswith=d["area"].path
                ).values_list("pk", flat=True)
            )
        try:
            ballot = ballot_create(
                title=d["title"],
                area=d["area"],
                session_name=d["session_name"],
                seats=d["seats"],
                threshold_basis=d["threshold_basis"],
                secret=d["secret"],
                allow_change=d["allow_change"],
                roll=roll,
                body=d["body"],
                counting=d["counting"] or Counting.ONLINE,
                candidates=[p.pk for p in d["candidates"]],
                actor=request.user,
            )
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("表决已创建（草稿）。"))
            return redirect("voting:manage-ballot", pk=ballot.pk)
    return render(request, "voting/manage_ballot_new.html", {"form": form})


@admin_required
def manage_ballot(request, pk: int):
    ballot = get_object_or_404(selectors.ballots_for_admin(request.user), pk=pk)
    candidates = list(selectors.ballot_candidates(ballot))
    events = ballot.events.select_related("actor").order_by("at", "id")
    return render(
        request,
        "voting/manage_ballot.html",
        {
            "ballot": ballot,
            "candidates": candidates,
            "turnout": selectors.ballot_turnout(ballot),
            "events": events,
            "sheet": selectors.count_sheet(ballot),
        },
    )


@admin_required
def manage_ballot_turnout(request, pk: int):
    """The turnout panel (polled by htmx while open): names and counts, never results."""
    ballot = get_object_or_404(selectors.ballots_for_admin(request.user), pk=pk)
    return render(
        request, "voting/_turnout.html", {"ballot": ballot, "turnout": selectors.ballot_turnout(ballot)}
    )


@admin_required
@require_POST
def manage_ballot_action(request, pk: int, action: str):
    ballot = get_object_or_404(selectors.ballots_for_admin(request.user), pk=pk)
    actions = {
        "open": (ballot_open, _("表决已开始。")),
        "close": (ballot_close, _("表决已结束。")),
        "publish": (ballot_publish, _("结果已公布。")),
    }
    if action not in actions:
        raise Http404
    fn, ok = actions[action]
    try:
        fn(ballot_id=ballot.pk, actor=request.user)
    except DomainError as exc:
        show_domain_error(request, exc)
    else:
        messages.success(request, ok)
    return redirect("voting:manage-ballot", pk=ballot.pk)


@admin_required
def manage_ballot_close(request, pk: int):
    """GET: the confirmation step, which says in plain words when the quorum was not met (the result will not
    count). POST: close."""
    ballot = get_object_or_404(selectors.ballots_for_admin(request.user), pk=pk)
    if request.method == "POST":
        try:
            ballot_close(ballot_id=ballot.pk, actor=request.user)
        except DomainError as exc:
            show_domain_error(request, exc)
        else:
            messages.success(request, _("表决已结束。"))
        return redirect("voting:manage-ballot", pk=ballot.pk)
    if ballot.status != Ballot.Status.OPEN:
        return redirect("voting:manage-ballot", pk=ballot.pk)
    turnout = selectors.ballot_turnout(ballot)
    ctx = {
        "ballot": ballot,
        "turnout": turnout,
        "quorum_met": quorum_met(voted=turnout["voted"], roll_size=turnout["roll_size"]),
    }
    return render(request, "voting/manage_ballot_close.html", ctx)


@admin_required
def manage_ballot_attendance(request, pk: int):
    ballot = get_object_or_404(selectors.ballots_for_admin(request.user), pk=pk)
    if request.method == "POST":
        ids = posted_ids(request.POST, "present")
        members = posted_ids(request.POST, "member")
        try:
            n = ballot_record_attendance(ballot_id=ballot.pk, present=ids, members=members, actor=request.user)
        except DomainError as exc:
            show_domain_error(request, exc)
        else:
            messages.success(request, _("已登记 %(n)s 人出席。") % {"n": n})
        return redirect("voting:manage-ballot", pk=ballot.pk)
    entries = ballot.roll_entries.select_related("delegate", "member").order_by("delegate__name", "member__name", "id")
    return render(request, "voting/manage_attendance.html", {"ballot": ballot, "entries": entries})


def _result_for_page(request, pk: int):
    """Published: anyone. Closed: admins of its area. Open or draft: nobody (409)."""
    ballot = get_object_or_404(Ballot.objects.select_related("area", "body"), pk=pk)
    if ballot.status != Ballot.Status.PUBLISHED:
        is_admin = (
            request.user.is_authenticated and selectors.ballots_for_admin(request.user).filter(pk=pk).exists()
        )
        if not is_admin:
            raise Http404
        if ballot.status != Ballot.Status.CLOSED:
            raise InvalidTransition(_("表决尚未结束，任何人都不能查看结果。"))
    return ballot, ballot_tally(ballot_id=ballot.pk)


def ballot_results(request, pk: int):
    ballot, tally = _result_for_page(request, pk)
    return render(request, "voting/ballot_results.html", {"ballot": ballot, "tally": tally})


def ballot_tally_sheet(request, pk: int):
    """计票结果报告单: a printable sheet with every candidate's counts."""
    ballot, tally = _result_for_page(request, pk)
    return render(
        request,
        "voting/tally_sheet.html",
        {"ballot": ballot, "tally": tally, "now": timezone.now(), "sheet": selectors.count_sheet(ballot)},
    )


def ballots_published(request):
    page = Paginator(selectors.ballots_published().order_by("-published_at", "-id"), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "voting/ballots_published.html", {"page": page})
