"""政府办: the 幸福账单 (public bill of projects), the project pages for staff and units, and the unit's
progress report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from liaison.errors import DomainError, show_domain_error
from liaison.page_access import admin_required, role_required
from liaison.parsing import posted_id, posted_ids
from stations.models import Delegate

from .. import forms, selectors
from ..models import Milestone, Site
from ..services.projects import (
    milestone_add,
    milestone_complete,
    progress_report_create,
    project_create,
    project_set_leads,
    site_add,
    site_assign_leads,
    site_complete,
)

projects_required = role_required(
    lambda u: u.is_area_staff or u.is_unit_user, _lazy("仅限工作人员和承办单位。")
)


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
