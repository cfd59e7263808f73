"""Staff and 立法信息员 pages: create a draft by pasting its text, correct the split, open and close it,
record forums and opinions, compile (group, merge, forward), the report, outcomes and feedback.

Reads through legislation.selectors (area scoped), writes through legislation.services. A DomainError from a
service is shown on its form; one escaping a view becomes its 4xx page."""

import re

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liaison.errors import DomainError, NotFound, ValidationFailed, show_domain_error
from liaison.page_access import role_required, staff_required
from liaison.pages import domain_error_page, see_other
from liaison.privacy import mask_name, mask_phone

from . import selectors, stats
from .exports import xlsx_response
from .forms import ArticleForm, DraftForm, ForumForm, OutcomeForm, RecordForm, ResplitForm
from .models import Article, Draft, DraftAssignment, Expert, Opinion
from .services import compilation, drafts
from .services._common import station_of_informant
from .services.opinions import ForumOpinion, forum_create, opinion_record
from .splitter import ARTICLE_RE, chinese_to_int

recorder_required = role_required(
    lambda u: u.is_area_staff or u.is_superuser or getattr(u, "is_informant", False),
    _("仅限工作人员或立法信息员使用。"),
)


def _is_staff(user) -> bool:
    return user.is_area_staff or user.is_superuser


def _stations_for(user):
    """Contact points the user records for: an officer's own, or the legislative points of a staff area."""
    if getattr(user, "is_informant", False):
        own = station_of_informant(user)
        return [own] if own is not None else []
    return list(stats.legislative_points(user))


def _recordable_draft(user, pk) -> Draft:
    """An open draft the user may record for: in a staff user's area, or assigned to an officer's point."""
    if _is_staff(user):
        return selectors.staff_draft(user, pk)
    station = station_of_informant(user)
    draft = selectors.public_draft(pk)
    if station is None or not DraftAssignment.objects.filter(draft=draft, station=station).exists():
        raise NotFound()
    return draft


@recorder_required
def workspace(request):
    user = request.user
    year = timezone.localdate().year
    if _is_staff(user):
        drafts_ = list(selectors.staff_drafts(user)[:100])
        points = stats.point_stats(stats.legislative_points(user), year)
    else:
        station = station_of_informant(user)
        drafts_ = list(
            selectors.public_drafts(Draft.Status.OPEN).filter(assignments__station=station)[:100]
            if station
            else []
        )
        points = stats.point_stats([station], year) if station else []
    ctx = {"drafts": drafts_, "points": points, "year": year, "is_staff": _is_staff(user)}
    return render(request, "legislation/workspace.html", ctx)


@staff_required
@require_http_methods(["GET", "POST"])
def draft_new(request):
    previous = None
    if request.GET.get("previous"):
        try:
            previous = selectors.staff_draft(request.user, request.GET["previous"])
        except DomainError as exc:
            return domain_error_page(request, exc)
    stations = list(stats.legislative_points(request.user))
    form = DraftForm(request.POST or None, stations=stations, previous=previous)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            draft = drafts.draft_create(
                user=request.user,
                title=d["title"],
                issuer=d["issuer"],
                stage=d["stage"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                text=d["text"],
                background=d["background"],
                previous=previous,
                station_ids=[int(x) for x in d["stations"]],
            )
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(
                request, _("草案已拆分为%(n)d条，请核对后公开。") % {"n": draft.articles.count()}
            )
            return see_other(request, "legislation:manage", draft.pk)
    return render(request, "legislation/draft_new.html", {"form": form, "previous": previous})


@staff_required
def draft_manage(request, pk):
    draft = selectors.staff_draft(request.user, pk)
    ctx = {
        "draft": draft,
        "chapters": selectors.by_chapter(selectors.articles(draft)),
        "assignments": list(draft.assignments.select_related("station").order_by("station__name")),
        "resplit_form": ResplitForm(initial={"text": draft.source_text}),
        "counts": selectors.counts_by_article(draft),
    }
    return render(request, "legislation/manage.html", ctx)


@staff_required
@require_POST
def draft_resplit(request, pk):
    form = ResplitForm(request.POST)
    if form.is_valid():
        try:
            draft = drafts.draft_resplit(user=request.user, draft_id=pk, text=form.cleaned_data["text"])
        except DomainError as exc:
            return domain_error_page(request, exc)
        messages.success(request, _("已重新拆分为%(n)d条。") % {"n": draft.articles.count()})
    else:
        messages.error(request, _("请粘贴草案全文。"))
    return see_other(request, "legislation:manage", pk)


MOVES = {
    "open": drafts.draft_open,
    "close": drafts.draft_close,
    "report": drafts.draft_report,
    "publish": compilation.draft_publish_feedback,
}


@staff_required
@require_POST
def draft_move(request, pk):
    move = MOVES.get(request.POST.get("action", ""))
    if move is None:
        return domain_error_page(request, ValidationFailed(_("操作不正确。")))
    try:
        draft = move(user=request.user, draft_id=pk)
    except DomainError as exc:
        return domain_error_page(request, exc)
    messages.success(request, _("草案状态：%(s)s") % {"s": draft.get_status_display()})
    return see_other(request, "legislation:manage", pk)


@staff_required
@require_http_methods(["GET", "POST"])
def article_edit(request, pk):
    article = Article.objects.select_related("draft").filter(pk=pk).first()
    if article is None:
        raise NotFound()
    selectors.staff_draft(request.user, article.draft_id)  # 404 outside the area
    form = ArticleForm(request.POST or None, initial={"chapter": article.chapter, "text": article.text})
    if request.method == "POST" and form.is_valid():
        try:
            drafts.article_update(
                user=request.user,
                article_id=pk,
                chapter=form.cleaned_data["chapter"],
                text=form.cleaned_data["text"],
            )
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            return see_other(request, "legislation:manage", article.draft_id)
    return render(request, "legislation/article_edit.html", {"article": article, "form": form})


@staff_required
def compile_view(request, pk):
    draft = selectors.staff_draft(request.user, pk)
    sections = selectors.compilation(draft)
    for c in sections:
        for g in c.groups:
            for o in g:
                o.masked_name, o.masked_phone = mask_name(o.name), mask_phone(o.phone)
    ctx = {
        "draft": draft,
        "sections": sections,
        "compiling": draft.status in compilation.COMPILING,
        "recording": draft.status == Draft.Status.REPORTED,
        "outcome_form": OutcomeForm(),
    }
    return render(request, "legislation/compile.html", ctx)


@staff_required
@require_POST
def opinion_act(request, pk):
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action == "forward":
            o = compilation.opinion_forward(user=user, opinion_id=pk)
        elif action == "unforward":
            o = compilation.opinion_unforward(user=user, opinion_id=pk)
        elif action == "merge":
            into = request.POST.get("into", "")
            if not into.isdigit() or len(into) > 18:
                raise ValidationFailed(_("请选择要合并到的意见。"))
            o = compilation.opinion_merge(user=user, opinion_id=pk, into_id=int(into))
        elif action == "outcome":
            form = OutcomeForm(request.POST)
            if not form.is_valid():
                raise ValidationFailed(_("请选择采纳情况。"))
            o = compilation.opinion_outcome(
                user=user, opinion_id=pk, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
            )
        else:
            raise ValidationFailed(_("操作不正确。"))
    except DomainError as exc:
        return domain_error_page(request, exc)
    return see_other(request, "legislation:compile", o.draft_id)


@staff_required
def report(request, pk):
    draft = selectors.staff_draft(request.user, pk)
    rows = selectors.report(draft)
    if request.GET.get("file") == "xlsx":
        return xlsx_response(draft, rows)
    totals = [(Opinion.Source(s).label, n) for s, n in selectors.source_totals(rows).items() if n]
    ctx = {"draft": draft, "rows": rows, "totals": totals}
    return render(request, "legislation/report.html", ctx)


_ARTICLE_PREFIX = re.compile(
    r"^(第[零〇一二两三四五六七八九十百千\d]+条(?:之[零〇一二两三四五六七八九十百千\d]+)?)[：:\s]\s*"
)


def parse_forum_lines(text: str, articles: list[Article]) -> list[ForumOpinion]:
    """One opinion a line; a line starting with 第X条： goes to that article, the others to the whole draft."""
    by_key = {a.key: a.pk for a in articles}
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        article_id = None
        m = _ARTICLE_PREFIX.match(line)
        if m:
            head = ARTICLE_RE.match(m.group(1))
            key = (chinese_to_int(head.group(1)), chinese_to_int(head.group(2)) if head.group(2) else 0)
            if key not in by_key:
                raise ValidationFailed({"opinions": [_("草案中没有%(label)s。") % {"label": m.group(1)}]})
            article_id = by_key[key]
            line = line[m.end() :].strip()
        out.append(ForumOpinion(line, article_id))
    return out


@recorder_required
@require_http_methods(["GET", "POST"])
def forum_new(request, pk):
    draft = _recordable_draft(request.user, pk)
    stations = _stations_for(request.user)
    form = ForumForm(request.POST or None, stations=stations, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            forum = forum_create(
                user=request.user,
                draft_id=draft.pk,
                station_id=int(d["station"]),
                held_on=d["held_on"],
                attendance=d["attendance"],
                place=d["place"],
                minutes=d["minutes"],
                opinions=parse_forum_lines(d["opinions"], selectors.articles(draft)),
            )
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("座谈会已登记，意见%(n)d条。") % {"n": forum.opinions.count()})
            return see_other(request, "legislation:workspace")
    return render(request, "legislation/forum_new.html", {"draft": draft, "form": form})


@recorder_required
@require_http_methods(["GET", "POST"])
def record_new(request, pk):
    draft = _recordable_draft(request.user, pk)
    stations = _stations_for(request.user)
    experts = Expert.objects.filter(station__in=stations, is_active=True).select_related("station")
    articles = selectors.articles(draft)
    form = RecordForm(request.POST or None, stations=stations, experts=experts, articles=articles)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            opinion = opinion_record(
                user=request.user,
                draft_id=draft.pk,
                content=d["content"],
                source=d["source"],
                station_id=int(d["station"]),
                article_id=int(d["article"]) if d["article"] else None,
                expert_id=int(d["expert"]) if d["expert"] else None,
                delegate_id=d["delegate"],
            )
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            messages.success(request, _("意见已登记，查询码 %(code)s。") % {"code": opinion.tracking_code})
            return see_other(request, "legislation:workspace")
    return render(request, "legislation/record_new.html", {"draft": draft, "form": form})
