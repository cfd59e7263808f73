"""Supervision pages: public (phone-first, no personal data), delegates, the unit and staff workspaces.

Reads go through supervision.selectors, writes through supervision.services. A DomainError raised by a
service inside a form post is shown on the form; one escaping a view becomes its 4xx page (middleware).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liaison.errors import DomainError, RateLimited, ValidationFailed, show_domain_error
from liaison.guard import anonymous_write
from liaison.page_access import delegate_required, role_required, staff_required, unit_required
from liaison.pages import error_page, see_other

from . import selectors
from .forms import (
    AnswerForm,
    ClueForm,
    PhoneForm,
    ReasonForm,
    ReportForm,
    SelectForm,
    SupportForm,
    TopicForm,
    VoteForm,
)
from .models import Question, Rectification, Topic
from .services.activities import clue_submit as clue_submit_service
from .services.assessments import assessment_my_vote, assessment_vote_by
from .services.questions import question_answer
from .services.rectifications import (
    rectification_accept,
    rectification_report,
    rectification_return,
    rectification_schedule_follow_up,
)
from .services.sms_codes import sms_code_request
from .services.topics import topic_decline, topic_select
from .services.topics import topic_propose as topic_propose_service
from .services.topics import topic_support as topic_support_service

PAGE_SIZE = 20


# --- public ----------------------------------------------------------------------------------------------


def index(request):
    """Topics open for support, most supported first; open collection windows; recent activities.

    Queries: the topic count and page (area and plan joined), the open windows, the recent activities.
    """
    area_code = (request.GET.get("area") or "").strip()
    if area_code and not (len(area_code) == 12 and area_code.isdigit()):
        raise Http404
    topics = selectors.topics_open_for_support(area_code=area_code or None)
    page_obj = Paginator(topics, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "page_obj": page_obj,
        "windows": list(selectors.open_windows()),
        "activities": list(selectors.activity_list().order_by("-starts_at", "-id")[:10]),
        "year": timezone.localdate().year,
        "area_code": area_code,
    }
    return render(request, "supervision/index.html", ctx)


@require_http_methods(["GET", "POST"])
@anonymous_write("topic")  # rate limit and honeypot first (liaison.guard)
def topic_propose(request):
    windows = list(selectors.open_windows())
    areas = [w.area for w in windows]
    if request.method == "POST":
        form = TopicForm(request.POST, areas=areas)
        if form.is_valid():
            area = next(a for a in areas if a.code == form.cleaned_data["area"])
            user = request.user
            kind, delegate = Topic.Proposer.PUBLIC, None
            if user.is_authenticated and user.is_delegate_user:
                kind, delegate = Topic.Proposer.DELEGATE, user.delegate
            try:
                topic = topic_propose_service(
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    area=area,
                    proposer_kind=kind,
                    delegate=delegate,
                    actor=user if user.is_authenticated else None,
                )
            except DomainError as exc:
                show_domain_error(request, exc, form)
            else:
                messages.success(request, _("议题已提交，感谢您的参与！"))
                return redirect("supervision:topic", topic.pk)
    else:
        form = TopicForm(areas=areas)
    return render(request, "supervision/topic_propose.html", {"form": form, "windows": windows})


def _public_topic(pk: int) -> Topic:
    return get_object_or_404(selectors.topic_detail_public(), pk=pk)


def topic_detail(request, pk):
    topic = _public_topic(pk)
    return render(
        request, "supervision/topic_detail.html", {"topic": topic, "form": PhoneForm(), "step": "phone"}
    )


def _support_scope(request) -> str:
    return "sms_code_client" if request.POST.get("action") == "code" else "support"


@require_POST
@anonymous_write(_support_scope)  # per client: SMS codes and supports counted apart (liaison.guard)
def topic_support(request, pk):
    """Two steps on one form: `action=code` sends the SMS code, `action=support` confirms with it.

    With htmx only the support box is swapped, messages included (4xx answers are swapped too: see
    static/js/portal.js); without JavaScript the whole page is rendered again, and a successful support
    redirects to the topic's page (post/redirect/get: reloading it does not post the code again).
    A RateLimited from the service (the per-number SMS limit) is the 429 page, like every other.
    """
    topic = _public_topic(pk)
    action = request.POST.get("action")
    ctx = {"topic": topic}
    status = 200
    if action == "code":
        form = PhoneForm(request.POST)
        ctx.update(step="phone", form=form)
        if form.is_valid():
            try:
                sms_code_request(phone=form.cleaned_data["phone"])
            except RateLimited:
                raise  # the 429 page with Retry-After (liaison.middleware)
            except DomainError as exc:
                show_domain_error(request, exc, form)
                status = exc.status_code
            else:
                ctx.update(step="code", form=SupportForm(initial={"phone": form.cleaned_data["phone"]}))
    elif action == "support":
        form = SupportForm(request.POST)
        ctx.update(step="code", form=form)
        if form.is_valid():
            try:
                supports = topic_support_service(topic_id=topic.pk, **form.cleaned_data)
            except DomainError as exc:
                show_domain_error(request, exc, form)
                status = exc.status_code
            else:
                if not request.htmx:
                    messages.success(request, _("支持成功，感谢您的参与！"))
                    return see_other(request, "supervision:topic", topic.pk)
                topic.supports_count = supports
                ctx.update(step="done", supports=supports)
    else:
        return error_page(request, 400, _("请求有误"))
    if form.errors and status == 200:
        status = 400
    template = "supervision/_support_box.html" if request.htmx else "supervision/topic_detail.html"
    return render(request, template, ctx, status=status)


def plan_public(request, year):
    plans = list(selectors.plans_for_year(year))
    return render(request, "supervision/plan.html", {"plans": plans, "year": year})


def activity_public(request, pk):
    activity = selectors.activity_public_record(pk)
    if activity is None:
        raise Http404
    questions = list(activity.questions.all())
    top = [q for q in questions if q.parent_id is None]
    children: dict[int, list[Question]] = {}
    for q in questions:
        if q.parent_id:
            children.setdefault(q.parent_id, []).append(q)
    ctx = {"activity": activity, "threads": [(q, children.get(q.pk, [])) for q in top]}
    return render(request, "supervision/activity.html", ctx)


# --- delegates -------------------------------------------------------------------------------------------


# A delegate, or a body's member who is not a delegate (a street council's resident member, role member).
voter_required = role_required(
    lambda u: u.is_delegate_user or u.is_body_member, _("仅限人大代表或议政代表会成员使用。")
)


@voter_required
@require_http_methods(["GET", "POST"])
def assessment_vote(request, pk):
    assessment = get_object_or_404(selectors.assessments_to_vote(request.user), pk=pk)
    voted = assessment_my_vote(assessment, request.user)
    form = VoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            voted = assessment_vote_by(
                assessment_id=assessment.pk, user=request.user, choice=form.cleaned_data["choice"]
            )
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("投票成功，感谢参与。"))
            return redirect("supervision:assessment-vote", assessment.pk)
    return render(
        request, "supervision/assessment_vote.html", {"assessment": assessment, "form": form, "voted": voted}
    )


@delegate_required
@require_http_methods(["GET", "POST"])
def clue_submit(request, pk):
    cr = get_object_or_404(selectors.clue_requests_for_delegate(request.user.delegate), pk=pk)
    form = ClueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clue_submit_service(request_id=cr.pk, delegate=request.user.delegate, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("线索已提交，谢谢。"))
            return redirect("supervision:clue-submit", cr.pk)
    mine = list(cr.clues.filter(delegate=request.user.delegate))
    return render(request, "supervision/clue_submit.html", {"request_obj": cr, "form": form, "mine": mine})


# --- unit workspace --------------------------------------------------------------------------------------


@unit_required
def unit_workspace(request):
    """Questions, opinions and rectifications addressed to my unit, due soonest first (one query each)."""
    user = request.user
    ctx = {
        "questions": list(
            selectors.questions_for(user).filter(status=Question.Status.OPEN).order_by("due", "id")[:100]
        ),
        "rectifications": list(
            selectors.rectifications_for(user)
            .exclude(status=Rectification.Status.ACCEPTED)
            .order_by("due", "id")[:100]
        ),
        "opinions": list(selectors.opinions_for(user).order_by("-issued_at")[:50]),
    }
    return render(request, "supervision/unit_workspace.html", ctx)


@unit_required
@require_http_methods(["GET", "POST"])
def unit_rectification(request, pk):
    r = get_object_or_404(selectors.rectifications_for(request.user).prefetch_related("events"), pk=pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rectification_report(
                rectification_id=r.pk,
                unit=request.user.unit,
                content=form.cleaned_data["content"],
                actor=request.user,
            )
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("整改报告已报送。"))
            return redirect("supervision:unit-rectification", r.pk)
    return render(request, "supervision/rectification.html", {"r": r, "report_form": form, "as_unit": True})


@unit_required
@require_http_methods(["GET", "POST"])
def unit_question(request, pk):
    q = get_object_or_404(selectors.questions_for(request.user), pk=pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question_answer(question_id=q.pk, unit=request.user.unit, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("答复已提交。"))
            return redirect("supervision:unit-workspace")
    return render(request, "supervision/question.html", {"q": q, "form": form})


# --- staff workspace -------------------------------------------------------------------------------------


@staff_required
def staff_workspace(request):
    return _staff_workspace_page(request)


def _staff_workspace_page(request, *, status: int = 200, **failed):
    """The plan, topics to screen, activities, rectifications awaiting acceptance and overdue ones — all within
    the user's area subtree, one query per list. `failed_topic=, failed_action=, failed_form=`: a refused
    screening of one topic, shown again beside that topic with its error summary (status 400)."""
    user = request.user
    year = timezone.localdate().year
    ctx = {
        "year": year,
        "topics": list(
            selectors.topics_for_staff(user)
            .filter(status=Topic.Status.PROPOSED)
            .order_by("-supports_count", "id")[:50]
        ),
        "planned": list(
            selectors.topics_for_staff(user)
            .filter(plan__year=year)
            .prefetch_related(Prefetch("activities"))
            .order_by("-supports_count", "id")[:50]
        ),
        "activities": list(selectors.activities_for_staff(user).order_by("-starts_at", "-id")[:30]),
        "reported": list(
            selectors.rectifications_for(user)
            .filter(status=Rectification.Status.REPORTED)
            .order_by("due", "id")[:50]
        ),
        "overdue": list(selectors.overdue_rectifications_for(user)[:50]),
        "select_form": SelectForm(initial={"year": year}),
        **failed,
    }
    return render(request, "supervision/staff_workspace.html", ctx, status=status)


@staff_required
@require_POST
def staff_topic(request, pk):
    """Select a topic for a year's plan or decline it: done, back to the workspace (PRG); refused input, the
    workspace again with the message beside that topic's field (400)."""
    topic = get_object_or_404(selectors.topics_for_staff(request.user), pk=pk)
    action = request.POST.get("action")
    if action not in ("select", "decline"):
        show_domain_error(request, ValidationFailed(_("请求有误")))
        return redirect("supervision:staff-workspace")
    form = SelectForm(request.POST) if action == "select" else ReasonForm(request.POST)
    try:
        if form.is_valid():
            if action == "select":
                topic_select(topic_id=topic.pk, year=form.cleaned_data["year"], actor=request.user)
                messages.success(request, _("议题已列入年度监督计划。"))
            else:
                topic_decline(topic_id=topic.pk, reason=form.cleaned_data["reason"], actor=request.user)
                messages.success(request, _("议题已标记为未采纳。"))
    except DomainError as exc:
        if not (exc.field_errors and set(exc.field_errors) & set(form.fields)):
            show_domain_error(request, exc)  # not about the input (the topic moved on): said on the page
            return redirect("supervision:staff-workspace")
        show_domain_error(request, exc, form)
    if form.errors:
        return _staff_workspace_page(
            request, status=400, failed_topic=topic.pk, failed_action=action, failed_form=form
        )
    return redirect("supervision:staff-workspace")


@staff_required
@require_http_methods(["GET", "POST"])
def staff_rectification(request, pk):
    r = get_object_or_404(selectors.rectifications_for(request.user).prefetch_related("events"), pk=pk)
    return_form = ReasonForm(request.POST or None) if request.POST.get("action") == "return" else ReasonForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                rectification_accept(rectification_id=r.pk, actor=request.user)
                messages.success(request, _("整改已验收。"))
                return redirect("supervision:staff-rectification", r.pk)
            if action == "return" and return_form.is_valid():
                rectification_return(
                    rectification_id=r.pk, reason=return_form.cleaned_data["reason"], actor=request.user
                )
                messages.success(request, _("已退回重新整改。"))
                return redirect("supervision:staff-rectification", r.pk)
            if action == "follow_up":
                activity = rectification_schedule_follow_up(rectification_id=r.pk, actor=request.user)
                messages.success(request, _("已安排回头看：%(title)s") % {"title": activity.title})
                return redirect("supervision:staff-rectification", r.pk)
        except DomainError as exc:
            show_domain_error(request, exc)
            return redirect("supervision:staff-rectification", r.pk)
    follow_ups = list(r.follow_up_activities.all())
    return render(
        request,
        "supervision/rectification.html",
        {"r": r, "return_form": return_form, "as_staff": True, "follow_ups": follow_ups},
    )
