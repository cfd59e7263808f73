"""Reads of the legislation app: public drafts and their articles with counts, the staff's drafts (area
scoped), tracking, the compilation per article with similar opinions grouped, the report and the feedback.
Every list runs a fixed number of queries whatever the number of articles and opinions."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from liaison.codes import normalise_code
from liaison.errors import NotFound
from liaison.scoping import scope_to_area

from .models import Article, Draft, Opinion
from .services.opinions import TRACKING_CODE_LENGTH

PUBLIC_STATUSES = (
    Draft.Status.OPEN,
    Draft.Status.CLOSED,
    Draft.Status.REPORTED,
    Draft.Status.FEEDBACK_PUBLISHED,
)
ADOPTED = (Opinion.Outcome.ADOPTED, Opinion.Outcome.PARTLY)


def public_drafts(status: str | None = None) -> QuerySet:
    qs = Draft.objects.filter(status__in=PUBLIC_STATUSES).select_related("area")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-opens_on", "-id")


def staff_drafts(user) -> QuerySet:
    return scope_to_area(Draft.objects.select_related("area"), user).order_by("-opens_on", "-id")


def public_draft(pk) -> Draft:
    try:
        return public_drafts().select_related("previous").get(pk=pk)
    except (Draft.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def staff_draft(user, pk) -> Draft:
    try:
        return staff_drafts(user).select_related("previous").get(pk=pk)
    except (Draft.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def articles(draft: Draft) -> list[Article]:
    return list(
        Article.objects.filter(draft=draft).only(
            "id", "number", "sub", "label", "chapter", "text", "position"
        )
    )


def article_of(draft: Draft, article_id, *, missing_ok: bool = False) -> Article | None:
    article = Article.objects.filter(draft=draft, pk=article_id).first() if article_id else None
    if article is None and not missing_ok:
        raise NotFound()
    return article


@dataclass
class Counts:
    received: int = 0
    forwarded: int = 0
    adopted: int = 0


def counts_by_article(draft: Draft) -> dict[int | None, Counts]:
    """Per article id (None: the whole draft): opinions received, forwarded and adopted. One query."""
    rows = (
        Opinion.objects.filter(draft=draft)
        .values("article_id")
        .annotate(
            received=Count("id"),
            forwarded=Count("id", filter=Q(status=Opinion.Status.FORWARDED)),
            adopted=Count("id", filter=Q(status=Opinion.Status.FORWARDED, outcome__in=ADOPTED)),
        )
        .order_by()
    )
    return {r["article_id"]: Counts(r["received"], r["forwarded"], r["adopted"]) for r in rows}


def by_chapter(items: list[Article]) -> list[tuple[str, list[Article]]]:
    out: list[tuple[str, list[Article]]] = []
    for a in items:
        if not out or out[-1][0] != a.chapter:
            out.append((a.chapter, []))
        out[-1][1].append(a)
    return out


def opinion_by_code(raw: str) -> Opinion:
    code = normalise_code(raw, TRACKING_CODE_LENGTH)
    opinion = (
        Opinion.objects.select_related("draft", "article", "merged_into")
        .filter(tracking_code=code)
        .only(
            "id",
            "tracking_code",
            "status",
            "outcome",
            "outcome_note",
            "content",
            "created_at",
            "source",
            "draft__id",
            "draft__title",
            "draft__stage",
            "draft__status",
            "article__label",
            "merged_into__status",
            "merged_into__outcome",
            "merged_into__outcome_note",
        )
        .first()
    )
    if opinion is None or not code:
        raise NotFound()
    return opinion


def public_outcome(opinion: Opinion) -> dict:
    """What a submitter sees on the tracking page: status and — once published — the outcome (of the
    opinion it was merged into, for a merged one). No personal data."""
    followed = (
        opinion.merged_into if opinion.status == Opinion.Status.MERGED and opinion.merged_into else opinion
    )
    published = opinion.draft.status == Draft.Status.FEEDBACK_PUBLISHED
    outcome = followed.outcome if published else ""
    return {
        "status": opinion.status,
        "forwarded": followed.status == Opinion.Status.FORWARDED,
        "outcome": outcome,
        "outcome_display": Opinion.Outcome(outcome).label if outcome else "",
        "outcome_note": followed.outcome_note if published else "",
        "feedback_published": published,
    }


# --- compilation -------------------------------------------------------------------------------------------
@dataclass
class ArticleCompilation:
    article: Article | None
    groups: list[list[Opinion]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(g) for g in self.groups)


def staff_opinions(draft: Draft) -> QuerySet:
    return (
        Opinion.objects.filter(draft=draft)
        .select_related("station", "forum", "expert", "delegate")
        .order_by("article__position", "created_at", "id")
    )


def compilation(draft: Draft, *, threshold: float | None = None) -> list[ArticleCompilation]:
    """Opinions per article (the whole draft last), merged ones left out, each article's opinions grouped
    with similar ones (liaison-wide similarity of suggestions.search, see group_similar)."""
    from .similar import group_similar

    per: dict[int | None, list[Opinion]] = defaultdict(list)
    for o in staff_opinions(draft).exclude(status=Opinion.Status.MERGED):
        per[o.article_id].append(o)
    out = []
    for a in articles(draft):
        if a.pk in per:
            out.append(ArticleCompilation(a, group_similar(per[a.pk], threshold=threshold)))
    if None in per:
        out.append(ArticleCompilation(None, group_similar(per[None], threshold=threshold)))
    return out


# --- the report (意见汇总表) ------------------------------------------------------------------------------------
@dataclass
class ReportRow:
    article: Article | None
    opinions: list[Opinion]
    by_source: dict[str, int]


def report(draft: Draft) -> list[ReportRow]:
    """Forwarded opinions grouped by article (the whole draft last), with counts per source. Two queries."""
    forwarded = list(
        Opinion.objects.filter(draft=draft, status=Opinion.Status.FORWARDED)
        .select_related("station")
        .only(
            "id", "article_id", "content", "source", "outcome", "outcome_note", "station__name", "created_at"
        )
        .order_by("created_at", "id")
    )
    merged_counts = dict(
        Opinion.objects.filter(draft=draft, status=Opinion.Status.MERGED, merged_into__isnull=False)
        .values_list("merged_into_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    per: dict[int | None, list[Opinion]] = defaultdict(list)
    for o in forwarded:
        o.merged_count = merged_counts.get(o.pk, 0)
        per[o.article_id].append(o)
    rows = []
    for a in [*articles(draft), None]:
        key = a.pk if a is not None else None
        if key in per:
            by_source: dict[str, int] = defaultdict(int)
            for o in per[key]:
                by_source[o.source] += 1
            rows.append(ReportRow(a, per[key], dict(by_source)))
    return rows


def source_totals(rows: list[ReportRow]) -> dict[str, int]:
    totals = {s: 0 for s in Opinion.Source.values}
    for r in rows:
        for s, n in r.by_source.items():
            totals[s] += n
    return totals
