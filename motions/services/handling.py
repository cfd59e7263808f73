"""Handling of a filed formal suggestion. Each step is the suggestions service of the same step (one
machine); what is only a formal suggestion's — the kind, the leader, the contact, the public flag, the
lead delegate's rating and the re-handling — is added here, in the same transaction."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.acts import delegate_act
from liaison.errors import Conflict, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from liaison.satisfaction import Satisfaction
from stations.models import Delegate, HandlingUnit
from suggestions.models import Referral, Suggestion
from suggestions.services.ratings import suggestion_rate
from suggestions.services.referrals import referral_reply, suggestion_refer
from suggestions.services.triage import suggestion_accept, suggestion_mark_key, suggestion_reject

from ..conf import conf
from ..models import CLASS_TO_RESULT, Contact, FormalSuggestion


def _lock(motion_id: int) -> FormalSuggestion:
    m = FormalSuggestion.objects.select_for_update().filter(pk=motion_id).first()
    if m is None:
        raise NotFound(_("代表建议不存在。"))
    if m.suggestion_id is None:
        raise InvalidTransition(_("这件建议还是草稿。"))
    return m


@transaction.atomic
def motion_register(*, motion_id: int, actor=None) -> FormalSuggestion:
    """立案. A motion without enough confirmed co-signers is registered as a suggestion."""
    m = _lock(motion_id)
    suggestion_accept(suggestion_id=m.suggestion_id, actor=actor)
    if m.kind == FormalSuggestion.Kind.MOTION:
        confirmed = m.cosigners.exclude(confirmed_at=None).count()
        if confirmed < conf.COSIGNERS_REQUIRED:
            m.kind = FormalSuggestion.Kind.SUGGESTION
            m.save(update_fields=["kind", "updated_at"])
    return m


@transaction.atomic
def motion_reference(*, motion_id: int, reason: str, actor=None) -> FormalSuggestion:
    """转为参阅件, with a reason: the suggestion's rejection (its reject_reason holds the reason)."""
    m = _lock(motion_id)
    suggestion_reject(suggestion_id=m.suggestion_id, reason=reason, actor=actor)
    return m


@transaction.atomic
def motion_refer(
    *,
    motion_id: int,
    lead_unit: HandlingUnit,
    cohandling_units=(),
    key: bool = False,
    leader: str = "",
    actor=None,
) -> FormalSuggestion:
    """交办 to a lead unit and co-handling units (会办); a key suggestion (重点建议) names its leader."""
    leader = (leader or "").strip()
    if key and not leader:
        raise ValidationFailed({"leader": [_("重点建议须明确领衔督办领导。")]})
    if len(leader) > 50:
        raise ValidationFailed({"leader": [_("领导姓名不能超过 50 个字。")]})
    m = _lock(motion_id)
    s = m.suggestion
    if s.status not in ("accepted",):
        raise InvalidTransition(_("只有已立案的建议可以交办。"))
    suggestion_refer(
        suggestion_id=s.pk, lead_unit=lead_unit, assisting_units=list(cohandling_units), actor=actor
    )
    suggestion_mark_key(suggestion_id=s.pk, is_key=bool(key), actor=actor)
    m.leader = leader if key else ""
    m.save(update_fields=["leader", "updated_at"])
    return m


def _live_referral(s: Suggestion, unit_id: int | None) -> Referral:
    ref = (
        Referral.objects.filter(
            suggestion=s, unit_id=unit_id, round=s.round, status__in=Referral.ACTIONABLE_STATUSES
        )
        .order_by("role", "pk")  # "assisting" < "lead": a unit both ways acts as lead
        .last()
    )
    if ref is None:
        raise NotPermitted(_("这件建议没有交给本单位办理，或本单位已答复。"))
    return ref


@transaction.atomic
def motion_contact(*, motion_id: int, way: str, note: str, actor) -> Contact:
    """先沟通后答复: the lead unit records its contact with the lead delegate (visit, phone or meeting)."""
    if way not in Contact.Way.values:
        raise ValidationFailed({"way": [_("请选择走访、电话或座谈。")]})
    note = (note or "").strip()
    if not note:
        raise ValidationFailed({"note": [_("请填写沟通情况。")]})
    if len(note) > 1000:
        raise ValidationFailed({"note": [_("沟通情况不能超过 1000 个字。")]})
    m = _lock(motion_id)
    s = m.suggestion
    if s.status != "referred":
        raise InvalidTransition(_("这件建议当前不在办理中。"))
    ref = _live_referral(s, getattr(actor, "unit_id", None))
    return Contact.objects.create(
        motion=m, unit_id=ref.unit_id, round=s.round, way=way, note=note, at=timezone.now(), author=actor
    )


def contact_guard(suggestion, referral) -> None:
    """Registered as a suggestions reply guard: a formal suggestion's lead unit replies only after a contact
    with the lead delegate in this round — whichever page or API the reply comes from."""
    if suggestion.channel != Suggestion.Channel.FORMAL or referral.role != Referral.Role.LEAD:
        return
    if not Contact.objects.filter(
        motion__suggestion_id=suggestion.pk, unit_id=referral.unit_id, round=referral.round
    ).exists():
        raise Conflict(_("先沟通后答复：请先记录与领衔代表的沟通情况。"), code="contact_required")


@transaction.atomic
def motion_reply(*, motion_id: int, reply_class: str, content: str, public: bool, actor) -> FormalSuggestion:
    """The unit's reply, classed A/B/C; the lead unit's reply also sets whether it is published."""
    if reply_class not in CLASS_TO_RESULT:
        raise ValidationFailed({"class": [_("请选择 A、B 或 C 类。")]})
    m = _lock(motion_id)
    s = m.suggestion
    ref = _live_referral(s, getattr(actor, "unit_id", None))
    referral_reply(referral_id=ref.pk, result=CLASS_TO_RESULT[reply_class], content=content, actor=actor)
    if ref.role == Referral.Role.LEAD:
        m.reply_public = bool(public)
        m.save(update_fields=["reply_public", "updated_at"])
    return m


@transaction.atomic
def motion_rate(*, motion_id: int, delegate: Delegate, rating: str, comment: str = "") -> FormalSuggestion:
    """The lead delegate's rating. Unsatisfied in the first round: re-handled by the same units, due in a
    month; otherwise (or unsatisfied again) it is closed."""
    m = _lock(motion_id)
    if m.lead_id != delegate.pk:
        raise NotPermitted(_("只有领衔代表可以评价答复。"))
    s = m.suggestion
    round_ = s.round
    r = suggestion_rate(suggestion_id=s.pk, rating=rating, comment=comment, by_lead_delegate=True)
    s.refresh_from_db()
    if s.status == "reopened":
        refs = list(
            Referral.objects.filter(suggestion=s, round=round_)
            .exclude(status=Referral.Status.RETURNED)
            .select_related("unit")
            .order_by("pk")
        )
        lead = next(x.unit for x in refs if x.role == Referral.Role.LEAD)
        others = [x.unit for x in refs if x.role == Referral.Role.ASSISTING and x.unit.is_active]
        suggestion_refer(suggestion_id=s.pk, lead_unit=lead, assisting_units=others)
    if rating in (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED):
        delegate_act(delegate_id=m.lead_id, kind="formal_suggestion_satisfied", source=m, happened_at=r.at)
    return m
