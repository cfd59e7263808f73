"""Pages of the livelihood-project cycle: the public form and status page, the delegate's phone-friendly ballot,
the admin's ballot screens, the 幸福账单 and the unit's progress report. Every write calls voting.services."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from liaison.errors import DomainError, InvalidTransition, show_domain_error
from liaison.page_access import admin_required, delegate_required, role_required, staff_required
from liaison.parsing import posted_id, posted_ids
from liaison.privacy import mask_name, mask_phone
from stations.models import Delegate

from . import forms, selectors
from .models import Ballot, BallotPaper, Milestone, ProjectProposal, Site, Vote
from .selectors import ballot_tally
from .services.ballots import (
    ballot_cast,
    ballot_close,
    ballot_create,
    ballot_open,
    ballot_publish,
    ballot_record_attendance,
)
from .services.evaluations import evaluation_close, evaluation_create, evaluation_open, evaluation_vote
from .services.projects import (
    milestone_add,
    milestone_complete,
    progress_report_create,
    project_create,
    project_set_leads,
    site_add,
    site_assign_leads,
    site_complete,
)
from .services.proposals import (
    proposal_decline,
    proposal_merge,
    proposal_shortlist,
    proposal_window_open,
)
from .tally import quorum_met

audit = logging.getLogger("liaison.audit")


projects_required = role_required(
    lambda u: u.is_area_staff or u.is_unit_user, _lazy("仅限工作人员和承办单位。")
)


# === 群众提: the public pages are in voting.views_proposals =================================================
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


# === 代表决: the delegate's ballot ===============================================================================
@delegate_required
def vote_home(request):
    delegate_id = request.user.delegate_id
    pending = list(selectors.pending_ballots_for(delegate_id))
    done = list(
        BallotPaper.objects.filter(delegate_id=delegate_id).select_related("ballot").order_by("-cast_at")[:20]
    )
    return render(
        request,
        "voting/vote_home.html",
        {"pending": pending, "done": done, "evaluations": selectors.pending_evaluations_for(delegate_id)},
    )


@delegate_required
def vote_ballot(request, pk: int):
    """GET: every candidate with for/against/abstain. POST: the confirm step; POST with confirm=1: cast."""
    delegate_id = request.user.delegate_id
    ballot = get_object_or_404(selectors.ballots_for_delegate(delegate_id), pk=pk)
    candidates = list(selectors.ballot_candidates(ballot))
    paper = selectors.paper_of(ballot, delegate_id)
    if ballot.status != Ballot.Status.OPEN:
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
                paper = ballot_cast(ballot_id=ballot.pk, delegate=delegate_id, choices=chosen)
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


@delegate_required
def vote_receipt(request, code: str):
    paper = get_object_or_404(
        BallotPaper.objects.select_related("ballot"),
        receipt_code=code.upper()[:12],
        delegate_id=request.user.delegate_id,
    )
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
        roll = Delegate.objects.filter(
            is_active=True, level=d["roll_level"], area__path__startswith=d["area"].path
        ).values_list("pk", flat=True)
        try:
            ballot = ballot_create(
                title=d["title"],
                area=d["area"],
                session_name=d["session_name"],
                seats=d["seats"],
                threshold_basis=d["threshold_basis"],
                secret=d["secret"],
                allow_change=d["allow_change"],
                roll=list(roll),
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
        try:
            n = ballot_record_attendance(ballot_id=ballot.pk, present=ids, actor=request.user)
        except DomainError as exc:
            show_domain_error(request, exc)
        else:
            messages.success(request, _("已登记 %(n)s 位代表出席。") % {"n": n})
        return redirect("voting:manage-ballot", pk=ballot.pk)
    entries = ballot.roll_entries.select_related("delegate").order_by("delegate__name", "id")
    return render(request, "voting/manage_attendance.html", {"ballot": ballot, "entries": entries})


def _result_for_page(request, pk: int):
    """Published: anyone. Closed: admins of its area. Open or draft: nobody (409)."""
    ballot = get_object_or_404(Ballot.objects.select_related("area"), pk=pk)
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
        request, "voting/tally_sheet.html", {"ballot": ballot, "tally": tally, "now": timezone.now()}
    )


def ballots_published(request):
    page = Paginator(selectors.ballots_published().order_by("-published_at", "-id"), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "voting/ballots_published.html", {"page": page})


# === 政府办 =====================================================================================================
def projects_bill(request):
    """幸福账单: the year's projects with progress, and where to propose one (seven queries: years, projects,
    three prefetches, the open collection windows and, when none is open, the next ones)."""
    years = selectors.project_years()
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    projects = list(selectors.projects_public(year).order_by("area__path", "id"))
    for p in projects:
        sites = list(p.sites.all())
        p.sites_total, p.sites_done = len(sites), sum(1 for s in sites if s.done_on)
    windows = selectors.open_windows()
    ctx = {
        "projects": projects,
        "year": year,
        "years": years,
        "windows": windows,
        "next_windows": [] if windows else selectors.next_windows(),
    }
    return render(request, "voting/projects_bill.html", ctx)


def project_public(request, pk: int):
    project = selectors.project_detail(pk)
    evaluations = [e for e in selectors.project_evaluations(project) if e.assessment.status == "closed"]
    return render(
        request,
        "voting/project_public.html",
        {"project": project, "today": timezone.localdate(), "evaluations": evaluations},
    )


@projects_required
def manage_projects(request):
    return _manage_projects_page(request)


def _manage_projects_page(request, form=None, status: int = 200):
    """The list of projects, and for an administrator the form that makes an elected candidate a project (a
    refused one shown again with its errors, status 400)."""
    projects = selectors.projects_for(request.user).order_by("-year", "area__path", "id")
    page = Paginator(projects, 20).get_page(request.GET.get("page"))
    if form is None and request.user.is_portal_admin:
        form = _project_form(request)
    return render(request, "voting/manage_projects.html", {"page": page, "form": form}, status=status)


def _project_form(request, data=None):
    from stations.selectors import unit_list_for

    return forms.ProjectForm(
        data,
        candidates=selectors.elected_candidates_without_project(request.user),
        units=unit_list_for(request.user).order_by("area__path", "name"),
    )


@admin_required
@require_POST
def manage_project_new(request):
    form = _project_form(request, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            project = project_create(
                candidate_id=d["candidate"].pk,
                unit=d["unit"],
                budget=d["budget"],
                target_date=d["target_date"],
                year=d["year"],
                actor=request.user,
            )
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("已确定为民生实事项目。"))
            return redirect("voting:manage-project", pk=project.pk)
    return _manage_projects_page(request, form, status=400)


@projects_required
def manage_project(request, pk: int):
    return _manage_project_page(request, pk)


def _manage_project_page(request, pk: int, *, status: int = 200, **bound):
    """A project's page for staff; a refused form (`milestone_form=`, `site_form=`) is shown again with its
    error summary and inline messages, status 400."""
    project = get_object_or_404(selectors.projects_for(request.user), pk=pk)
    project = selectors.project_detail(project.pk)
    can_edit = request.user.is_area_staff
    ctx = {
        "project": project,
        "can_edit": can_edit,
        "milestone_form": bound.get("milestone_form") or forms.MilestoneForm(),
        "site_form": bound.get("site_form") or forms.SiteForm(),
        "today": timezone.localdate(),
    }
    if can_edit:
        ctx["delegates"] = (
            Delegate.objects.filter(is_active=True, area__path__startswith=project.area.path)
            .only("id", "name", "level")
            .order_by("level", "name")[:500]
        )
    ctx["evaluations"] = selectors.project_evaluations(project)
    return render(request, "voting/manage_project.html", ctx, status=status)


@projects_required
@require_POST
def manage_project_action(request, pk: int, action: str):
    project = get_object_or_404(selectors.projects_for(request.user), pk=pk)
    user, post = request.user, request.POST
    staff_actions = {"milestone", "site", "leads", "site-leads"}
    if action in staff_actions and not user.is_area_staff:
        raise PermissionDenied
    # Ids from the form are parsed before the services run: a tampered one is a 400 page, not a message.
    milestone = site = None
    if action == "milestone-done":
        milestone = get_object_or_404(Milestone, pk=posted_id(post, "milestone"), project=project)
    elif action in ("site-done", "site-leads"):
        site = get_object_or_404(Site, pk=posted_id(post, "site"), project=project)
    delegates = posted_ids(post, "delegates") if action in ("leads", "site-leads") else []
    if action in ("milestone", "site"):
        return _project_form_action(request, project, action)
    try:
        if action == "milestone-done":
            milestone_complete(milestone_id=milestone.pk, actor=user)
        elif action == "site-done":
            site_complete(site_id=site.pk, actor=user)
        elif action == "leads":
            project_set_leads(project_id=project.pk, delegates=delegates, actor=user)
        elif action == "site-leads":
            site_assign_leads(site_id=site.pk, delegates=delegates, actor=user)
        else:
            raise Http404
    except DomainError as exc:
        show_domain_error(request, exc)
    return redirect("voting:manage-project", pk=project.pk)


def _project_form_action(request, project, action: str):
    """Add a milestone or a site: done, back to the page (PRG); refused, the page again with the form (400)."""
    form = forms.MilestoneForm(request.POST) if action == "milestone" else forms.SiteForm(request.POST)
    if form.is_valid():
        add = milestone_add if action == "milestone" else site_add
        try:
            add(project_id=project.pk, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            return redirect("voting:manage-project", pk=project.pk)
    return _manage_project_page(request, project.pk, status=400, **{f"{action}_form": form})


@login_required
def project_report(request, pk: int):
    """The owning unit files a progress report: text and up to three photos (progress itself is computed)."""
    if not request.user.is_unit_user:
        raise PermissionDenied(_("仅限承办单位报送进展。"))
    project = get_object_or_404(selectors.projects_for(request.user), pk=pk)
    form = forms.ProgressForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                progress_report_create(
                    project_id=project.pk,
                    text=form.cleaned_data["text"],
                    photos=form.cleaned_data["photos"],
                    actor=request.user,
                )
            except DomainError as exc:
                show_domain_error(request, exc, form)
            else:
                messages.success(request, _("进展已报送。"))
                return redirect("voting:manage-project", pk=project.pk)
        return render(request, "voting/project_report.html", {"project": project, "form": form}, status=400)
    return render(request, "voting/project_report.html", {"project": project, "form": form})


# === 人大评 =====================================================================================================
@delegate_required
def vote_evaluation(request, pk: int):
    """A delegate on the roll rates the project: three big buttons, one vote."""
    from liaison.satisfaction import Satisfaction

    ev = get_object_or_404(selectors.evaluations_for(request.user), pk=pk)
    delegate = request.user.delegate
    voted = ev.assessment.votes.filter(delegate=delegate).first()
    error = None
    if request.method == "POST" and voted is None:
        try:
            voted = evaluation_vote(
                evaluation_id=ev.pk, delegate=delegate, choice=request.POST.get("choice", "")
            )
        except DomainError as exc:
            error = exc.text
        else:
            messages.success(request, _("测评票已提交，谢谢！"))
            return redirect("voting:vote-evaluation", pk=ev.pk)
    return render(
        request,
        "voting/vote_evaluation.html",
        {
            "evaluation": ev,
            "voted": voted,
            "error": error,
            "errors": [error] if error else [],
            "choices": Satisfaction.choices,
        },
        status=400 if error else 200,
    )


@admin_required
@require_POST
def manage_evaluation_new(request, pk: int):
    project = get_object_or_404(selectors.projects_for(request.user), pk=pk)
    try:
        evaluation_create(project_id=project.pk, title=request.POST.get("title", ""), actor=request.user)
    except DomainError as exc:
        show_domain_error(request, exc)
    else:
        messages.success(request, _("已创建满意度测评（名单为当初表决的代表名单）。"))
    return redirect("voting:manage-project", pk=project.pk)


@admin_required
@require_POST
def manage_evaluation_action(request, pk: int, action: str):
    ev = get_object_or_404(selectors.evaluations_for(request.user), pk=pk)
    fns = {"open": evaluation_open, "close": evaluation_close}
    if action not in fns:
        raise Http404
    try:
        fns[action](evaluation_id=ev.pk, actor=request.user)
    except DomainError as exc:
        show_domain_error(request, exc)
    return redirect("voting:manage-project", pk=ev.project_id)
