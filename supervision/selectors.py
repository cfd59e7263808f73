"""Reads for supervision: joins, prefetches and scoping (staff: area subtree; units: their own unit)."""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.satisfaction import SatisfactionTally
from liaison.scoping import scope_to_area
from stations.models import Area

from .models import (
    Activity,
    ActivityRecord,
    Assessment,
    AssessmentCount,
    AssessmentVote,
    ClueRequest,
    CollectionWindow,
    Opinion,
    Question,
    Rectification,
    SupervisionPlan,
    Topic,
)

PUBLIC_TOPIC_STATUSES = [Topic.Status.PROPOSED, Topic.Status.SELECTED, Topic.Status.DONE]


def area_subtree_q(code: str, field: str = "area") -> Q | None:
    area = Area.objects.filter(code=code).only("path").first()
    if area is None:
        return None
    return Q(**{f"{field}__path__startswith": area.path})


# --- topics ----------------------------------------------------------------------------------------------


def topic_list_public() -> QuerySet[Topic]:
    """Topics anyone may see (declined ones are shown only on their own page). One joined query per page."""
    return (
        Topic.objects.filter(status__in=PUBLIC_TOPIC_STATUSES)
        .select_related("area", "plan")
        .only(
            "id",
            "title",
            "status",
            "supports_count",
            "year",
            "proposer_kind",
            "created_at",
            "area__code",
            "area__name",
            "plan__year",
        )
    )


def topic_detail_public() -> QuerySet[Topic]:
    return Topic.objects.select_related("area", "plan").prefetch_related(
        Prefetch("activities", queryset=Activity.objects.order_by("starts_at", "id"))
    )


def topics_open_for_support(*, area_code: str | None = None) -> QuerySet[Topic]:
    qs = topic_list_public().filter(status=Topic.Status.PROPOSED)
    if area_code:
        q = area_subtree_q(area_code)
        qs = qs.filter(q) if q is not None else qs.none()
    return qs.order_by("-supports_count", "-id")


def topics_for_staff(user) -> QuerySet[Topic]:
    return scope_to_area(Topic.objects.select_related("area", "plan"), user)


def topics_for_suggestion(suggestion_id: int) -> QuerySet[Topic]:
    """The supervision topics an opinion (suggestion) fed — for the suggestion's public tracking page.

    Public fields only (id, title, status, year); declined topics are left out. One query.
    """
    return (
        Topic.objects.filter(suggestions__pk=suggestion_id)
        .exclude(status=Topic.Status.DECLINED)
        .only("id", "title", "status", "year")
        .order_by("-id")
    )


def open_windows(today: dt.date | None = None) -> QuerySet[CollectionWindow]:
    today = today or timezone.localdate()
    return CollectionWindow.objects.filter(opens__lte=today, closes__gte=today).select_related("area")


# --- plans and activities --------------------------------------------------------------------------------


def plans_for_year(year: int) -> QuerySet[SupervisionPlan]:
    return (
        SupervisionPlan.objects.filter(year=year)
        .select_related("area")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("-supports_count", "id")),
            Prefetch("activities", queryset=Activity.objects.order_by("starts_at", "id")),
        )
        .order_by("area__code")
    )


def activity_list() -> QuerySet[Activity]:
    return Activity.objects.select_related("area", "plan", "topic")


def activities_for_staff(user) -> QuerySet[Activity]:
    return scope_to_area(activity_list(), user)


def activity_public_record(pk: int) -> Activity | None:
    """One activity with everything its public page shows, in a fixed number of queries."""
    questions = Question.objects.select_related("unit").order_by("created_at", "id")
    return (
        Activity.objects.select_related("area", "plan", "topic", "follow_up_of")
        .prefetch_related(
            "units",
            Prefetch("delegates"),
            Prefetch("questions", queryset=questions),
            Prefetch(
                "opinions",
                queryset=Opinion.objects.select_related("unit").prefetch_related(
                    Prefetch("rectifications", queryset=Rectification.objects.order_by("id"))
                ),
            ),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.filter(status=Assessment.Status.CLOSED)
                .select_related("unit")
                .prefetch_related(Prefetch("rectifications", queryset=Rectification.objects.order_by("id"))),
                to_attr="closed_assessments",
            ),
            Prefetch(
                "records",
                queryset=ActivityRecord.objects.filter(is_public=True).order_by("created_at", "id"),
                to_attr="public_records",
            ),
        )
        .filter(pk=pk)
        .first()
    )


def clue_requests_for_delegate(delegate) -> QuerySet[ClueRequest]:
    if delegate is None:
        return ClueRequest.objects.none()
    codes = [c for c in delegate.area.path.split("/") if c]
    return ClueRequest.objects.filter(activity__area__code__in=codes).select_related("activity")


# --- rectifications, questions, opinions -----------------------------------------------------------------


def rectifications_for(user) -> QuerySet[Rectification]:
    """Units: their own unit's. Staff and admins: their area subtree. Anyone else: nothing."""
    qs = Rectification.objects.select_related("unit", "area")
    if getattr(user, "is_unit_user", False):
        return qs.filter(unit_id=user.unit_id)
    return scope_to_area(qs, user)


def questions_for(user) -> QuerySet[Question]:
    qs = Question.objects.select_related("activity", "unit", "parent")
    if getattr(user, "is_unit_user", False):
        return qs.filter(unit_id=user.unit_id)
    return scope_to_area(qs, user, "activity__area")


def opinions_for(user) -> QuerySet[Opinion]:
    qs = Opinion.objects.select_related("activity", "unit")
    if getattr(user, "is_unit_user", False):
        return qs.filter(unit_id=user.unit_id)
    return scope_to_area(qs, user, "activity__area")


def assessments_for(user) -> QuerySet[Assessment]:
    """Staff: their area subtree. Delegates: the assessments they are on the roll of. Members of a body who are
    not delegates: the assessments whose `members` name one of their memberships."""
    qs = Assessment.objects.select_related("area", "unit")
    if getattr(user, "is_area_staff", False):
        return scope_to_area(qs, user)
    if getattr(user, "is_delegate_user", False):
        return qs.filter(roll=user.delegate_id)
    if getattr(user, "is_body_member", False):
        return qs.filter(pk__in=member_assessment_ids(user))
    return qs.none()


def assessments_to_vote(user) -> QuerySet[Assessment]:
    """The assessments the user may vote in: their delegate on `roll`, or one of their memberships on
    `members` (subqueries, so no duplicate rows)."""
    qs = Assessment.objects.select_related("area", "unit", "activity")
    q = Q(pk__in=member_assessment_ids(user))
    if getattr(user, "delegate_id", None):
        q |= Q(
            pk__in=Assessment.roll.through.objects.filter(delegate_id=user.delegate_id).values(
                "assessment_id"
            )
        )
    return qs.filter(q)


def member_assessment_ids(user) -> QuerySet:
    """Ids of the assessments on whose member roll the user is (a subquery; no duplicates however many
    memberships the user has had)."""
    return Assessment.members.through.objects.filter(bodymember__user_id=user.pk).values("assessment_id")


def assessment_roll_size(assessment: Assessment) -> int:
    """Who may vote: delegates on `roll` plus the body's other members on `members` (two counts)."""
    return assessment.roll.count() + assessment.members.count()


def assessment_sheet(assessment_id: int) -> AssessmentCount | None:
    """The tally sheet of a paper or device count, with who entered and confirmed it (one query)."""
    return (
        AssessmentCount.objects.select_related("entered_by", "confirmed_by")
        .filter(assessment_id=assessment_id)
        .first()
    )


def count_tally(sheet: AssessmentCount) -> SatisfactionTally:
    return SatisfactionTally(
        satisfied=sheet.satisfied,
        basically_satisfied=sheet.basically_satisfied,
        unsatisfied=sheet.unsatisfied,
    )


def assessment_result(*, assessment_id: int) -> SatisfactionTally:
    """The counts of an assessment, from its stored votes (one query)."""
    counts = dict(
        AssessmentVote.objects.filter(assessment_id=assessment_id)
        .values_list("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    return SatisfactionTally.from_counts(counts)


def overdue_rectifications_for(user) -> QuerySet[Rectification]:
    return rectifications_for(user).filter(status=Rectification.Status.OVERDUE).order_by("due", "id")
