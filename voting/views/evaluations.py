"""人大评: the delegate's evaluation ballot and the admin's evaluation actions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.errors import DomainError, show_domain_error
from liaison.page_access import admin_required
from supervision.services.assessments import assessment_my_vote
from supervision.views import voter_required

from .. import selectors
from ..services.evaluations import evaluation_close, evaluation_create, evaluation_open, evaluation_vote


# === 人大评 =====================================================================================================
@voter_required
def vote_evaluation(request, pk: int):
    """A delegate on the roll, or a body's member on it, rates the project: three big buttons, one vote."""
    from liaison.satisfaction import Satisfaction

    ev = get_object_or_404(selectors.evaluations_for(request.user), pk=pk)
    voted = assessment_my_vote(ev.assessment, request.user)
    error = None
    if request.method == "POST" and voted is None:
        try:
            voted = evaluation_vote(
                evaluation_id=ev.pk, user=request.user, choice=request.POST.get("choice", "")
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
