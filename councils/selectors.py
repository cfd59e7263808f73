"""Reads of councils and their meetings: staff reads scoped to the reader's area subtree, public reads that
carry no personal data (no phone, no submitter), each a fixed number of queries."""

import datetime as dt
from collections import OrderedDict

from django.db.models import Count, Prefetch, Q, QuerySet

from bodies.models import Body, BodyMember, members_on
from liaison.errors import NotFound, get_or_not_found
from liaison.scoping import scope_to_area
from stations.models import Area, Delegate
from supervision.models import Assessment
from voting.models import Ballot, LivelihoodProject

from .models import Attendance, Meeting, MeetingOpinion


def _ancestors(path: str) -> list[str]:
    """ "a/b/c/" → ["a/", "a/b/", "a/b/c/"]: the area and every area above it, for one indexed `IN` query."""
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[: i + 1]) for i in range(len(parts))]


def _current(prefix: str = "members__") -> Q:
    today = dt.date.today()
    return Q(**{f"{prefix}joined_on__lte": today}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gte": today})
    )


def meetings_of(body: Body) -> QuerySet[Meeting]:
    """Meetings with their counts and opinions (three queries for any number: meetings, opinions+suggestions,
    present member ids)."""
    return (
        Meeting.objects.filter(body=body)
        .annotate(
            present_count=Count("attendance", filter=Q(attendance__present=True)),
            roll_count=Count("attendance"),
        )
        .prefetch_related(
            Prefetch(
                "opinions",
                queryset=MeetingOpinion.objects.select_related("suggestion")
                .only(
                    "id",
                    "meeting_id",
                    "member_id",
                    "content",
                    "position",
                    "suggestion__id",
                    "suggestion__tracking_code",
                    "suggestion__status",
                )
                .order_by("position", "id"),
            ),
        )
        .order_by("-held_on", "-id")
    )


def present_ids(meetings) -> dict[int, list[int]]:
    """{meeting id: [member ids present]} for a page of meetings (one query)."""
    out: dict[int, list[int]] = {m.pk: [] for m in meetings}
    for meeting_id, member_id in (
        Attendance.objects.filter(meeting_id__in=list(out), present=True)
        .order_by("member_id")
        .values_list("meeting_id", "member_id")
    ):
        out[meeting_id].append(member_id)
    return out


def delegates_for_picker(body: Body, q: str = "") -> QuerySet[Delegate]:
    """Active delegates who may join `body`: of its area, an area above it or one below it (`q`: by name)."""
    qs = Delegate.objects.filter(is_active=True).filter(
        Q(area__path__in=_ancestors(body.area.path)) | Q(area__path__startswith=body.area.path)
    )
    if q:
        qs = qs.filter(name__contains=q.strip()[:20])
    return qs.select_related("area").only("id", "name", "level", "area__name").order_by("name", "id")


def areas_for_bodies(user) -> QuerySet[Area]:
    """Areas where the user may set up a body: their subtree, down to townships (streets)."""
    tiers = [Area.Tier.PROVINCE, Area.Tier.CITY, Area.Tier.COUNTY, Area.Tier.TOWNSHIP]
    return scope_to_area(Area.objects.filter(tier__in=tiers), user, "").order_by("path")


def staff_member_groups(body: Body) -> list[tuple[str, list[BodyMember]]]:
    """Current members grouped by sector (one query)."""
    members = list(
        members_on(body.pk, dt.date.today()).select_related("user").order_by("sector", "name", "id")
    )
    return _by_sector(members)


def _by_sector(members) -> list[tuple[str, list]]:
    labels = dict(BodyMember.Sector.choices)
    groups: OrderedDict[str, list] = OrderedDict()
    for m in members:
        groups.setdefault(m.sector, []).append(m)
    order = {k: i for i, k in enumerate(BodyMember.Sector.values)}
    return [(labels.get(k, k), groups[k]) for k in sorted(groups, key=lambda k: order.get(k, len(order)))]


# --- public -------------------------------------------------------------------------------------------------
def public_councils() -> QuerySet[Body]:
    """Street councils with their area, county and number of current members (one query)."""
    return (
        Body.objects.filter(kind=Body.Kind.STREET_COUNCIL, is_active=True)
        .select_related("area", "area__parent")
        .annotate(member_count=Count("members", filter=_current()))
        .order_by("area__path", "id")
    )


def council_over(area: Area) -> Body | None:
    """The active street council of `area` or of an area above it (one query; None without an area path)."""
    if not getattr(area, "path", None):
        return None
    return (
        Body.objects.filter(
            kind=Body.Kind.STREET_COUNCIL, is_active=True, area__path__in=_ancestors(area.path)
        )
        .only("id", "name")
        .order_by("-area__path", "id")
        .first()
    )


def public_council(pk) -> Body:
    body = get_or_not_found(
        Body.objects.filter(kind=Body.Kind.STREET_COUNCIL).select_related("area", "area__parent"), pk=pk
    )
    if not body.is_active and not body.meetings.exists():
        raise NotFound()
    return body


def public_member_groups(body: Body) -> list[tuple[str, list]]:
    """Name and sector only: the query never reads a phone (one query)."""
    rows = (
        members_on(body.pk, dt.date.today())
        .only("id", "name", "sector", "body_id")
        .order_by("sector", "name", "id")
    )
    return _by_sector(rows)


def council_ballots(body: Body) -> list[Ballot]:
    return list(
        Ballot.objects.filter(body=body, status=Ballot.Status.PUBLISHED)
        .only("id", "title", "published_at", "seats")
        .order_by("-published_at", "-id")
    )


def council_projects(body: Body) -> list[LivelihoodProject]:
    """The projects made of candidates the council elected in its published ballots (one query)."""
    return list(
        LivelihoodProject.objects.filter(candidate__ballot__body=body, candidate__ballot__status="published")
        .select_related("unit")
        .only("id", "title", "year", "status", "percent", "target_date", "unit__name")
        .order_by("-year", "id")
    )


def council_assessments(body: Body) -> list[Assessment]:
    """Closed evaluations by the council (民主评议 of the street office, of the projects it voted)."""
    return list(
        Assessment.objects.filter(body=body, status=Assessment.Status.CLOSED)
        .select_related("unit")
        .only("id", "title", "subject", "rate", "outcome", "closed_at", "unit__name")
        .order_by("-closed_at", "-id")
    )
