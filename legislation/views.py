"""Public legislation pages, phone-first and without personal data: open and finished drafts, a comment form
under each article, the tracking page, the feedback and the diff between stages."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from liaison.errors import DomainError, show_domain_error
from liaison.guard import anonymous_write
from liaison.pages import see_other

from . import selectors
from .diff import draft_diff
from .forms import OpinionForm, TrackForm
from .models import Draft
from .services.opinions import opinion_submit

PAGE_SIZE = 20


def index(request):
    """Open drafts first, then the others. Two queries (count and page, area joined) plus the open ones."""
    open_ = list(selectors.public_drafts(Draft.Status.OPEN)[:50])
    others = selectors.public_drafts().exclude(status=Draft.Status.OPEN)
    page_obj = Paginator(others, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "legislation/index.html", {"open_drafts": open_, "page_obj": page_obj})


def _article_page(request, draft: Draft, article, form=None, status=200):
    ctx = {"draft": draft, "article": article, "form": form or OpinionForm(initial={"article": article.pk})}
    return render(request, "legislation/article_comment.html", ctx, status=status)


def article_comment(request, pk, article_pk):
    """One article and its comment form: what "对本条提意见" under an article opens (a phone shows one
    article at a time; the draft page stays light with 200 articles)."""
    draft = selectors.public_draft(pk)
    article = selectors.article_of(draft, article_pk)
    if not draft.is_open:
        return see_other(request, "legislation:draft", draft.pk)
    return _article_page(request, draft, article)


def _draft_page(request, draft: Draft, form=None, status=200):
    counts = selectors.counts_by_article(draft)
    zero = selectors.Counts()
    items = selectors.articles(draft)
    base = reverse("legislation:draft", args=[draft.pk]) + "articles/"
    for a in items:
        a.counts = counts.get(a.pk, zero)
        a.comment_url = f"{base}{a.pk}/"
    ctx = {
        "draft": draft,
        "chapters": selectors.by_chapter(items),
        "whole": counts.get(None, zero),
        "form": form,
        "published": draft.status == Draft.Status.FEEDBACK_PUBLISHED,
        "has_next": draft.next_stages.filter(status__in=selectors.PUBLIC_STATUSES).only("id").first(),
    }
    return render(request, "legislation/draft.html", ctx, status=status)


def draft_detail(request, pk):
    """The draft by chapter and article, each with its opinion count and (while open) a comment form.
    A fixed number of queries whatever the number of articles and opinions."""
    return _draft_page(request, selectors.public_draft(pk))


@require_POST
@anonymous_write("legislative_opinion")
def opinion_create(request, pk):
    draft = selectors.public_draft(pk)
    form = OpinionForm(request.POST)
    if form.is_valid():
        try:
            opinion = opinion_submit(
                draft_id=draft.pk,
                content=form.cleaned_data["content"],
                article_id=form.cleaned_data["article"],
                name=form.cleaned_data["name"],
                phone=form.cleaned_data["phone"],
            )
        except DomainError as exc:
            show_domain_error(request, exc, form)
        else:
            request.session["legislation_new_code"] = opinion.tracking_code
            return see_other(request, "legislation:track", opinion.tracking_code)
    article = None
    if form.is_valid() or "article" not in form.errors:
        article_id = form.cleaned_data.get("article") if hasattr(form, "cleaned_data") else None
        article = selectors.article_of(draft, article_id, missing_ok=True) if article_id else None
    if article is not None:
        return _article_page(request, draft, article, form=form, status=400)
    return _draft_page(request, draft, form=form, status=400)


@require_http_methods(["GET", "POST"])
def track_lookup(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return see_other(request, "legislation:track", form.cleaned_data["code"].strip().upper()[:20])
    return render(request, "legislation/track_lookup.html", {"form": form})


def track(request, code):
    opinion = selectors.opinion_by_code(code)
    just_sent = request.session.pop("legislation_new_code", None) == opinion.tracking_code
    ctx = {"opinion": opinion, "outcome": selectors.public_outcome(opinion), "just_sent": just_sent}
    return render(request, "legislation/track.html", ctx)


def feedback(request, pk):
    draft = selectors.public_draft(pk)
    if draft.status != Draft.Status.FEEDBACK_PUBLISHED:
        from liaison.errors import NotFound

        raise NotFound()
    counts = selectors.counts_by_article(draft)
    zero = selectors.Counts()
    items = selectors.articles(draft)
    for a in items:
        a.counts = counts.get(a.pk, zero)
    total = selectors.Counts(
        sum(c.received for c in counts.values()),
        sum(c.forwarded for c in counts.values()),
        sum(c.adopted for c in counts.values()),
    )
    ctx = {
        "draft": draft,
        "draft_url": reverse("legislation:draft", args=[draft.pk]),
        "articles": items,
        "whole": counts.get(None, zero),
        "total": total,
    }
    return render(request, "legislation/feedback.html", ctx)


def diff(request, pk):
    draft = selectors.public_draft(pk)
    rows = draft_diff(draft)
    published = draft.previous is not None and draft.previous.status == Draft.Status.FEEDBACK_PUBLISHED
    changed_only = request.GET.get("all") != "1"
    shown = [r for r in rows if r.change != "same"] if changed_only else rows
    ctx = {
        "draft": draft,
        "rows": shown,
        "published": published,
        "changed_only": changed_only,
        "total": len(rows),
    }
    return render(request, "legislation/diff.html", ctx)
