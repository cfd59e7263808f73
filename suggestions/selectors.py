"""Reads of suggestions: joins, prefetches, area scoping, the work queues and the 三色督办 lights."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.codes import normalise_code
from liaison.scoping import scope_to_area, user_sees_area
from liaison.workdays import workdays_between
from stations.models import Area, HandlingUnit
from stations.selectors import home_area

from . import search
from .conf import conf
from .models import ExtensionRequest, Referral, Reply, Suggestion, SuggestionEvent

S = Suggestion.Status


# --- scoping -----------------------------------------------------------------------------------------------
def suggestions_for_staff(user) -> QuerySet[Suggestion]:
    """Suggestions in the user's area subtree; none for anyone who is not area staff."""
    return scope_to_area(Suggestion.objects.all(), user, "area")


def referrals_for(user) -> QuerySet[Referral]:
    """A unit user sees its own unit's referrals; staff those of suggestions in their subtree."""
    qs = Referral.objects.all()
    if getattr(user, "is_unit_user", False):
        return qs.filter(unit_id=user.unit_id)
    if getattr(user, "is_area_staff", False):
        path = user.area_path
        if path is None:
            return qs.none()
        return qs if path == "" else qs.filter(suggestion__area__path__startswith=path)
    return qs.none()


def units_for_staff(user) -> QuerySet[HandlingUnit]:
    return scope_to_area(HandlingUnit.objects.filter(is_active=True), user).select_related("area")


# --- queues ------------------------------------------------------------------------------------------------
@dataclass
class QueueFilters:
    status: str = ""
    area: Area | None = None
    station: int | None = None
    category: str = ""
    channel: str = ""
    overdue: bool | None = None
    key: bool | None = None
    q: str = ""
    open_only: bool = False
    ordering: str = ""  # "": what needs action first when only open ones are listed, else oldest first


ORDERINGS = {
    # What needs action first: overdue, then waiting for the staff (triage, referral), for the units, for the
    # constituent's rating; within each, the nearest deadline first (index sugg_open_rank_due).
    "priority": ("queue_rank", "step_due", "id"),
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
    "reply_due": ("reply_due", "id"),
    "triage_due": ("triage_due", "id"),
}


def queue_ordering(f: QueueFilters) -> str:
    if f.ordering in ORDERINGS:
        return f.ordering
    open_view = f.open_only and not f.status or f.status in Suggestion.OPEN_STATUSES
    return "priority" if open_view else "created_at"


def staff_queue(user, f: QueueFilters) -> QuerySet[Suggestion]:
    """The staff work queue: open ones with what needs action first, others oldest first (queue_ordering).
    One query for the page (area and station joined) plus a count."""
    qs = suggestions_for_staff(user).select_related("area", "station")
    if f.status:
        qs = qs.filter(status=f.status)
    elif f.open_only:
        qs = qs.filter(status__in=Suggestion.OPEN_STATUSES)
    if f.area is not None:
        qs = qs.filter(area__path__startswith=f.area.path)
    if f.station:
        qs = qs.filter(station_id=f.station)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.overdue is not None:
        qs = qs.filter(is_overdue=f.overdue)
    if f.key is not None:
        qs = qs.filter(is_key=f.key)
    if f.q:
        code = normalise_code(f.q)
        if len(code) == 10 and code.isalnum() and code.upper() == f.q.strip().upper():
            qs = qs.filter(Q(tracking_code=code))
        else:
            qs = search.filter_text(qs, f.q)
    return qs.order_by(*ORDERINGS[queue_ordering(f)])


def staff_queue_count(user, f: QueueFilters) -> int | None:
    """The queue's count without counting it, when the queue is everything in a subtree (no filter but
    the area): from the statistics cells (suggestions.stats.received_count). None otherwise: count it."""
    from .stats import received_count

    narrowed = f.status or f.open_only or f.station or f.category or f.channel or f.q
    if narrowed or f.overdue is not None or f.key is not None:
        return None
    area = f.area or home_area(user)
    if area is None or not user_sees_area(user, area):
        return None
    return received_count(area)


def unit_queue(user, *, status: str = "", open_only: bool = True) -> QuerySet[Referral]:
    """A unit's referrals, due soonest first."""
    qs = referrals_for(user).select_related("suggestion", "suggestion__area", "unit")
    if status:
        qs = qs.filter(status=status)
    elif open_only:
        qs = qs.filter(status__in=Referral.OPEN_STATUSES)
    return qs.order_by("due", "id")


def returned_referrals(user) -> QuerySet[Referral]:
    """Returns (退单) waiting for the staff's review, oldest request first (index ref_return_requested)."""
    return (
        referrals_for(user)
        .filter(status=Referral.Status.RETURN_REQUESTED)
        .select_related("suggestion", "unit")
        .order_by("return_requested_at", "id")
    )


def extensions_for(user) -> QuerySet[ExtensionRequest]:
    return ExtensionRequest.objects.filter(referral__in=referrals_for(user).values("pk"))


def pending_extensions(user) -> QuerySet[ExtensionRequest]:
    return (
        extensions_for(user)
        .filter(status=ExtensionRequest.Status.PENDING)
        .select_related("referral__unit", "referral__suggestion")
        .order_by("created_at", "id")
    )


def delegate_suggestions(delegate_id: int) -> QuerySet[Suggestion]:
    """What a delegate raised or received (addressed to them, or logged at their reception days)."""
    return (
        Suggestion.objects.filter(Q(raised_by_delegate_id=delegate_id) | Q(delegate_id=delegate_id))
        .select_related("area", "station")
        .order_by("-created_at", "-id")
    )


# --- one suggestion ----------------------------------------------------------------------------------------
def suggestion_detail(qs: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    """Everything the staff detail shows, in a fixed number of queries."""
    return qs.select_related(
        "area", "station", "delegate", "raised_by_delegate", "merged_into"
    ).prefetch_related(
        Prefetch(
            "referrals", queryset=Referral.objects.select_related("unit").order_by("round", "role", "id")
        ),
        Prefetch("replies", queryset=Reply.objects.select_related("referral__unit").order_by("at", "id")),
        Prefetch("events", queryset=SuggestionEvent.objects.select_related("actor").order_by("at", "id")),
        "photos",
        "ratings",
    )


def tracking(code: str) -> Suggestion | None:
    """The public view of one suggestion: three queries (the suggestion, its public events, its replies)."""
    code = normalise_code(code)
    return (
        Suggestion.objects.filter(tracking_code=code)
        .select_related("merged_into")
        .only(
            "id",
            "tracking_code",
            "title",
            "status",
            "category",
            "created_at",
            "rating_due",
            "round",
            "merged_into__tracking_code",
        )
        .prefetch_related(
            Prefetch(
                "events",
                queryset=SuggestionEvent.objects.filter(public=True)
                .only("id", "suggestion_id", "kind", "at", "data", "public")
                .order_by("at", "id"),
            ),
            Prefetch(
                "replies",
                queryset=Reply.objects.select_related("referral__unit")
                .only(
                    "id", "suggestion_id", "result", "content", "at", "referral__role", "referral__unit__name"
                )
                .order_by("at", "id"),
            ),
        )
        .first()
    )


def similar_scope_path(area: Area) -> str:
    """The path whose subtree similar opinions are looked for in: the area's ancestor at SIMILAR_SCOPE_DEPTH
    (its county), or the area itself when it lies higher."""
    codes = [c for c in area.path.split("/") if c]
    return "".join(f"{c}/" for c in codes[: conf.SIMILAR_SCOPE_DEPTH])


def _shared_depth(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.split("/"), b.split("/"), strict=False):
        if x != y or not x:
            break
        n += 1
    return n


def similar_open(
    s: Suggestion, *, user=None, limit: int = 5, candidates: int = 200
) -> list[tuple[Suggestion, float]]:
    """The most similar open suggestions in the county subtree of the suggestion's area (similar_scope_path),
    within what `user` may see when given: two opinions about one road, one filed under a village and one
    under its township, meet.

    Candidates: those sharing any of the text's keywords (GIN-indexed on PostgreSQL) plus the subtree's most
    recent open ones (a paraphrase may share no keyword); two queries, the area joined. Ranked in Python by
    the idf-weighted cosine of their term sets (search.similarity) — at most a few hundred short texts — and,
    among equals, nearer areas first, then older first.
    """
    area = s.area
    base = Suggestion.objects.filter(
        area__path__startswith=similar_scope_path(area), status__in=Suggestion.OPEN_STATUSES
    )
    if user is not None:
        base = base & suggestions_for_staff(user)
    base = (
        base.exclude(pk=s.pk)
        .select_related("area")
        .only("id", "tracking_code", "title", "content", "status", "created_at", "search_text", "area__path")
    )
    words = search.keywords(f"{s.title}\n{s.content}")
    pool = (
        {c.pk: c for c in search.filter_any(base, words).order_by("-created_at")[:candidates]}
        if words
        else {}
    )
    for c in base.order_by("-created_at")[:100]:
        pool.setdefault(c.pk, c)
    mine = search.signature(s.title, s.content, s.search_text)
    scored = [
        (c, search.similarity(mine, search.signature(c.title, c.content, c.search_text)))
        for c in pool.values()
    ]
    scored = [x for x in scored if x[1] > 0]
    scored.sort(key=lambda x: (-round(x[1], 6), -_shared_depth(area.path, x[0].area.path), x[0].created_at))
    return scored[:limit]


# --- 三色督办 ----------------------------------------------------------------------------------------------
class Lights:
    """Green / yellow / red by the share of the current step's working-day deadline used, for a page of
    suggestions. Every open status has a step (Suggestion.step_from / step_due): triage, referral, the units'
    reply, the constituent's rating; closed ones have no light.

    Working days are counted by liaison.workdays, whose admin overrides are the process's copy: a page
    costs no query for them whatever its size.
    """

    def __init__(self, today: dt.date | None = None):
        self.today = today or timezone.localdate()

    @staticmethod
    def _span(s) -> tuple[dt.date, dt.date] | None:
        if s.status not in Suggestion.OPEN_STATUSES or not s.step_due:
            return None
        return (s.step_from or s.step_due), s.step_due

    def share(self, s) -> float | None:
        span = self._span(s)
        if span is None:
            return None
        start, due = span
        if self.today > due:
            return 1.0 + (self.today - due).days / 100
        total = max(workdays_between(start, due), 1)
        return workdays_between(start, min(self.today, due)) / total

    def colour(self, s) -> str:
        share = self.share(s)
        if share is None:
            return ""
        if share >= conf.RED_AT or s.is_overdue:
            return "red"
        if share >= conf.YELLOW_AT:
            return "yellow"
        return "green"


def with_lights(items, today: dt.date | None = None) -> list:
    items = list(items)
    lights = Lights(today)
    for s in items:
        s.light = lights.colour(s)
    return items
