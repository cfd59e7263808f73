"""群众提: the yearly proposal window, constituents' and delegates' proposals and their screening."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.codes import save_with_new_code
from liaison.errors import Conflict, InvalidTransition, ValidationFailed, get_or_not_found
from liaison.notifications.services import Recipient, notify
from stations.models import Area, Delegate

from .. import selectors
from ..models import ProjectProposal, ProposalWindow


@transaction.atomic
def proposal_window_open(
    *, area: Area, year: int, opens_on: dt.date, closes_on: dt.date, actor=None
) -> ProposalWindow:
    if closes_on < opens_on:
        raise ValidationFailed(_("截止日期不能早于开始日期。"))
    if ProposalWindow.objects.filter(area=area, year=year).exists():
        raise Conflict(_("该区划本年度已开放过项目征集。"))
    return ProposalWindow.objects.create(
        area=area, year=year, opens_on=opens_on, closes_on=closes_on, created_by=actor
    )


@transaction.atomic
def proposal_submit(
    *,
    title: str,
    description: str,
    area: Area,
    rough_cost: Decimal | None = None,
    name: str = "",
    phone: str = "",
    delegate: Delegate | None = None,
) -> ProjectProposal:
    """A constituent (no account) or a delegate proposes a project while a collection window is open."""
    window = selectors.open_window_for(area)
    if window is None:
        raise InvalidTransition(_("该区划目前没有开放民生实事项目征集。"))
    title, description = title.strip(), description.strip()
    if not title or not description:
        raise ValidationFailed(_("请填写项目名称和项目内容。"))
    return save_with_new_code(
        lambda code: ProjectProposal.objects.create(
            code=code,
            window=window,
            title=title,
            description=description,
            area=area,
            rough_cost=rough_cost,
            proposer_kind=ProjectProposal.ProposerKind.DELEGATE
            if delegate
            else ProjectProposal.ProposerKind.PUBLIC,
            proposer_delegate=delegate,
            name=name.strip(),
            phone=phone.strip(),
        ),
        length=8,
    )


def _lock_proposal(proposal_id: int) -> ProjectProposal:
    return get_or_not_found(ProjectProposal.objects.select_for_update(), pk=proposal_id)


def _proposal_notify(p: ProjectProposal, what: str) -> None:
    if p.phone:
        link = reverse("voting:proposal-status", args=[p.code])
        notify(
            [Recipient(phone=p.phone)],
            kind=f"proposal_{what}",
            key=f"proposal-{what}:{p.pk}",
            subject=_("您提出的民生实事项目建议（%(code)s）有了新进展") % {"code": p.code},
            link=link,
        )


@transaction.atomic
def proposal_shortlist(*, proposal_id: int, note: str = "", actor=None) -> ProjectProposal:
    p = _lock_proposal(proposal_id)
    if p.status == ProjectProposal.Status.SHORTLISTED:
        return p
    if p.status != ProjectProposal.Status.SUBMITTED:
        raise InvalidTransition(
            _("只有待筛选的建议可以列入候选，该建议当前为“%(s)s”。") % {"s": p.get_status_display()}
        )
    p.status = ProjectProposal.Status.SHORTLISTED
    p.shortlist_note = note.strip()[:500]
    p.screened_by, p.screened_at = actor, timezone.now()
    p.save(update_fields=["status", "shortlist_note", "screened_by", "screened_at"])
    _proposal_notify(p, "shortlisted")
    return p


def _not_on_a_ballot(p: ProjectProposal) -> None:
    if p.candidacies.exists():
        raise InvalidTransition(_("该建议已列入表决，不能再改变筛选结果。"))


@transaction.atomic
def proposal_decline(*, proposal_id: int, reason: str, actor=None) -> ProjectProposal:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("请填写未采纳的理由，提出人可以在查询页面看到。"))
    p = _lock_proposal(proposal_id)
    if p.status not in (ProjectProposal.Status.SUBMITTED, ProjectProposal.Status.SHORTLISTED):
        raise InvalidTransition(
            _("该建议当前为“%(s)s”，不能再作未采纳处理。") % {"s": p.get_status_display()}
        )
    _not_on_a_ballot(p)
    p.status = ProjectProposal.Status.DECLINED
    p.decline_reason = reason[:500]
    p.screened_by, p.screened_at = actor, timezone.now()
    p.save(update_fields=["status", "decline_reason", "screened_by", "screened_at"])
    _proposal_notify(p, "declined")
    return p


@transaction.atomic
def proposal_merge(*, proposal_id: int, into_id: int, actor=None) -> ProjectProposal:
    """Mark a duplicate: it points at the proposal it was merged into, whose own code stays the one to follow."""
    if int(proposal_id) == int(into_id):
        raise ValidationFailed(_("不能把建议合并到它自己。"))
    # Lock both rows in primary-key order so two opposite merges cannot deadlock.
    locked = {
        p.pk: p
        for p in ProjectProposal.objects.select_for_update()
        .filter(pk__in=[proposal_id, into_id])
        .order_by("pk")
    }
    p, target = locked.get(int(proposal_id)), locked.get(int(into_id))
    if p is None or target is None:
        raise ValidationFailed(_("要合并的建议不存在。"))
    open_states = (ProjectProposal.Status.SUBMITTED, ProjectProposal.Status.SHORTLISTED)
    if p.status not in open_states:
        raise InvalidTransition(_("该建议当前为“%(s)s”，不能合并。") % {"s": p.get_status_display()})
    if target.status not in open_states:
        raise InvalidTransition(_("只能合并到待筛选或已列入候选的建议。"))
    _not_on_a_ballot(p)
    p.status = ProjectProposal.Status.MERGED
    p.merged_into = target
    p.screened_by, p.screened_at = actor, timezone.now()
    p.save(update_fields=["status", "merged_into", "screened_by", "screened_at"])
    _proposal_notify(p, "merged")
    return p
