"""Reads of formal suggestions, each scoped to who asks: staff their area subtree, units what was referred to
them, delegates their own (as lead) and what they were invited to co-sign. A fixed number of queries each."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from liaison.errors import NotFound, ValidationFailed
from liaison.scoping import scope_to_area, user_sees_area
from stations.models import Area
from suggestions.models import Referral, Reply

from .models import Cosigner, FormalSuggestion, Session, Status


def status_q(status: str) -> Q:
    """The filter for a motion status (derived from the suggestion's status and round)."""
    st = "suggestion__status"
    return {
        Status.DRAFT: Q(suggestion__isnull=True),
        Status.SUBMITTED: Q(**{st: "submitted"}),
        Status.REGISTERED: Q(**{st: "accepted"}),
        Status.REFERENCE: Q(**{st: "rejected"}),
        Status.REFERRED: Q(**{st: "referred", "suggestion__round": 1}),
        Status.REHANDLING: Q(**{st: "referred", "suggestion__round__gte": 2})
        | Q(**{f"{st}__in": ["reopened", "supervised"]}),
        Status.REPLIED: Q(**{st: "replied"}),
        Status.CLOSED: Q(**{f"{st}__in": ["closed", "merged"]}),
    }.get(status, Q())


def _base() -> QuerySet[FormalSuggestion]:
    return FormalSuggestion.objects.select_related("suggestion", "lead", "session", "area")


def for_staff(user) -> QuerySet[FormalSuggestion]:
    return scope_to_area(_base().filter(suggestion__isnull=False), user, "area")


def for_unit(user) -> QuerySet[FormalSuggestion]:
    referred = Referral.objects.filter(suggestion_id=OuterRef("suggestion_id"), unit_id=user.unit_id)
    return _base().filter(suggestion__isnull=False).filter(Exists(referred))


def for_delegate(delegate_id: int) -> QuerySet[FormalSuggestion]:
    invited = Cosigner.objects.filter(motion_id=OuterRef("pk"), delegate_id=delegate_id)
    return _base().filter(Q(lead_id=delegate_id) | (Q(suggestion__isnull=False) & Exists(invited)))


def visible_to(user) -> QuerySet[FormalSuggestion]:
    """Everything the user may read, whatever the role (a union of the role scopes)."""
    if getattr(user, "is_area_staff", False) or getattr(user, "is_superuser", False):
        return for_staff(user)
    if getattr(user, "is_unit_user", False):
        return for_unit(user)
    if getattr(user, "is_delegate_user", False):
        return for_delegate(user.delegate_id)
    return FormalSuggestion.objects.none()


def with_people(qs: QuerySet[FormalSuggestion]) -> QuerySet[FormalSuggestion]:
    """Co-signers (with their delegates) in one more query."""
    return qs.prefetch_related(
        Prefetch("cosigners", queryset=Cosigner.objects.select_related("delegate").order_by("id"))
    )


def with_handling(qs: QuerySet[FormalSuggestion]) -> QuerySet[FormalSuggestion]:
    """The referrals (with units) and replies, two more queries."""
    return qs.prefetch_related(
        Prefetch(
            "suggestion__referrals",
            queryset=Referral.objects.select_related("unit").order_by("round", "-role", "pk"),
        ),
        Prefetch(
            "suggestion__replies", queryset=Reply.objects.select_related("referral__unit").order_by("at")
        ),
    )


def public_list(session_id: int | None = None) -> QuerySet[FormalSuggestion]:
    """Replied suggestions whose reply is public (delegates act in public: their names show)."""
    qs = _base().filter(reply_public=True, suggestion__status__in=["replied", "closed"])
    if session_id:
        # One session: newest first along the partial index motion_public (session, created_at).
        qs = qs.filter(session_id=session_id).order_by("-created_at", "-id")
    else:
        qs = qs.order_by("-session__starts_on", "-created_at", "-id")
    return with_handling(with_people(qs))


def lead_reply(m: FormalSuggestion):
    """The latest lead unit's reply (from prefetched data)."""
    replies = [r for r in m.suggestion.replies.all() if r.referral.role == Referral.Role.LEAD]
    return replies[-1] if replies else None


def lead_unit(m: FormalSuggestion):
    if m.suggestion_id is None:
        return None
    refs = [
        r for r in m.suggestion.referrals.all() if r.role == Referral.Role.LEAD and r.status != "cancelled"
    ]
    return refs[-1].unit if refs else None


def sessions_for_area_path(path: str) -> QuerySet[Session]:
    return Session.objects.filter(area__path__startswith=path).select_related("area")


def stats_scope(
    user, session: str | None, area_code: str | None
) -> tuple[QuerySet[FormalSuggestion], Session | None]:
    """The staff's filed suggestions of one session (`interim`: 闭会期间; none: all) under an area (code)."""
    qs = for_staff(user)
    if area_code:
        area = Area.objects.filter(code=area_code).first()
        if area is None or not user_sees_area(user, area):
            raise NotFound(_("区划不存在或不在您的管辖范围内。"))
        qs = qs.filter(area__path__startswith=area.path)
    sess = None
    if session == "interim":
        qs = qs.filter(session__isnull=True)
    elif session:
        try:
            sess = Session.objects.filter(pk=int(session)).first()
        except (ValueError, OverflowError):
            raise ValidationFailed({"session": [_("会议编号无效。")]}) from None
        if sess is None:
            raise NotFound(_("会议不存在。"))
        qs = qs.filter(session=sess)
    return qs, sess
