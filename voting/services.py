"""Every write and transition of the livelihood-project cycle. Views, the API, admin actions, tasks and the
management command all call these functions; each checks the state under a row lock and records an event."""

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import AlreadyVoted, Conflict, InvalidTransition, NotPermitted, ValidationFailed
from liaison.notifications.services import Recipient, notify
from liaison.uploads import check_images
from stations.models import Area, Delegate, HandlingUnit

from . import conf, selectors
from .models import (
    Ballot,
    BallotEvent,
    BallotPaper,
    BallotRollEntry,
    Candidate,
    Evaluation,
    LivelihoodProject,
    Milestone,
    ProgressPhoto,
    ProgressReport,
    ProjectProposal,
    ProposalWindow,
    Site,
    Vote,
    new_code,
)
from .tally import BallotTally, count

logger = logging.getLogger(__name__)
User = get_user_model()


def _pk(obj) -> int:
    return obj.pk if hasattr(obj, "pk") else int(obj)


# === 群众提: proposals =========================================================================================
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
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return ProjectProposal.objects.create(
                    code=new_code(),
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
                )
        except IntegrityError:  # a code collision (1 in 10^12): draw another
            continue
    raise Conflict(_("暂时无法生成查询码，请重试。"))


def _lock_proposal(proposal_id: int) -> ProjectProposal:
    return ProjectProposal.objects.select_for_update().get(pk=proposal_id)


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


# === 代表决: ballots ============================================================================================
def _event(ballot: Ballot, kind: str, actor=None, note: str = "") -> None:
    BallotEvent.objects.create(ballot=ballot, kind=kind, actor=actor, note=note[:500])


def _validated_roll(area: Area, roll: Iterable) -> list[int]:
    ids = [_pk(d) for d in roll]
    if not ids:
        raise ValidationFailed(_("表决名单不能为空。"))
    if len(set(ids)) != len(ids):
        raise ValidationFailed(_("表决名单中有重复的代表。"))
    found = set(
        Delegate.objects.filter(pk__in=ids, is_active=True, area__path__startswith=area.path).values_list(
            "pk", flat=True
        )
    )
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(
            _("以下代表不存在、不在任或不属于该区划：%(ids)s") % {"ids": ", ".join(map(str, missing[:20]))}
        )
    return ids


def _validated_candidates(area: Area, proposals: Iterable) -> list[int]:
    ids = [_pk(p) for p in proposals]
    if len(set(ids)) != len(ids):
        raise ValidationFailed(_("候选项目有重复。"))
    ok = set(
        ProjectProposal.objects.filter(
            pk__in=ids, status=ProjectProposal.Status.SHORTLISTED, area__path__startswith=area.path
        ).values_list("pk", flat=True)
    )
    bad = [i for i in ids if i not in ok]
    if bad:
        raise ValidationFailed(
            _("只有本区划已列入候选的建议才能成为候选项目：%(ids)s") % {"ids": ", ".join(map(str, bad[:20]))}
        )
    return ids


@transaction.atomic
def ballot_create(
    *,
    title: str,
    area: Area,
    seats: int,
    roll: Iterable,
    candidates: Iterable,
    threshold_basis: str = Ballot.ThresholdBasis.ROLL,
    secret: bool = True,
    allow_change: bool = False,
    session_name: str = "",
    actor=None,
) -> Ballot:
    """A draft ballot. Whether candidates outnumber seats (差额) is checked when it opens."""
    if not title or not title.strip():
        raise ValidationFailed(_("请填写表决名称。"))
    if seats is None or int(seats) < 1:
        raise ValidationFailed(_("应选项目数至少为1。"))
    if threshold_basis not in Ballot.ThresholdBasis.values:
        raise ValidationFailed(_("未知的当选基数：%(v)s") % {"v": threshold_basis})
    if secret and allow_change:
        raise ValidationFailed(_("无记名表决不能改票；只有记名表决可以允许改票。"))
    roll_ids = _validated_roll(area, roll)
    candidate_ids = _validated_candidates(area, candidates)
    ballot = Ballot.objects.create(
        title=title.strip(),
        area=area,
        session_name=session_name.strip(),
        seats=int(seats),
        threshold_basis=threshold_basis,
        secret=secret,
        allow_change=allow_change,
        created_by=actor,
    )
    Candidate.objects.bulk_create(
        [Candidate(ballot=ballot, proposal_id=pid, position=i) for i, pid in enumerate(candidate_ids, 1)]
    )
    BallotRollEntry.objects.bulk_create([BallotRollEntry(ballot=ballot, delegate_id=d) for d in roll_ids])
    _event(ballot, BallotEvent.Kind.CREATED, actor)
    return ballot


@transaction.atomic
def ballot_update(
    *,
    ballot_id: int,
    actor=None,
    candidates: Iterable | None = None,
    roll: Iterable | None = None,
    seats: int | None = None,
) -> Ballot:
    """Change a draft's candidates, roll or seats. Once open, the list is fixed."""
    ballot = Ballot.objects.select_for_update().select_related("area").get(pk=ballot_id)
    if ballot.status != Ballot.Status.DRAFT:
        raise InvalidTransition(_("表决已开始，不能再修改候选项目、名单或名额。"))
    if seats is not None:
        if int(seats) < 1:
            raise ValidationFailed(_("应选项目数至少为1。"))
        ballot.seats = int(seats)
        ballot.save(update_fields=["seats"])
    if candidates is not None:
        ids = _validated_candidates(ballot.area, candidates)
        ballot.candidates.exclude(proposal_id__in=ids).delete()
        have = set(ballot.candidates.values_list("proposal_id", flat=True))
        Candidate.objects.bulk_create(
            [
                Candidate(ballot=ballot, proposal_id=p, position=i)
                for i, p in enumerate(ids, 1)
                if p not in have
            ]
        )
    if roll is not None:
        ids = _validated_roll(ballot.area, roll)
        ballot.roll_entries.exclude(delegate_id__in=ids).delete()
        have = set(ballot.roll_entries.values_list("delegate_id", flat=True))
        BallotRollEntry.objects.bulk_create(
            [BallotRollEntry(ballot=ballot, delegate_id=d) for d in ids if d not in have]
        )
    _event(ballot, BallotEvent.Kind.UPDATED, actor)
    return ballot


def _lock_ballot(ballot_id: int) -> Ballot:
    return Ballot.objects.select_for_update().get(pk=ballot_id)


@transaction.atomic
def ballot_open(*, ballot_id: int, actor=None) -> Ballot:
    ballot = _lock_ballot(ballot_id)
    if ballot.status != Ballot.Status.DRAFT:
        raise InvalidTransition(
            _("只有草稿状态的表决可以开始，该表决当前为“%(s)s”。") % {"s": ballot.get_status_display()}
        )
    n_candidates = ballot.candidates.count()
    if n_candidates <= ballot.seats:
        raise InvalidTransition(
            _("候选项目（%(n)s个）必须多于应选名额（%(seats)s个），实行差额表决，否则不能开始表决。")
            % {"n": n_candidates, "seats": ballot.seats}
        )
    if not ballot.roll_entries.exists():
        raise InvalidTransition(_("表决名单为空，不能开始表决。"))
    ballot.status = Ballot.Status.OPEN
    ballot.opened_at = timezone.now()
    ballot.save(update_fields=["status", "opened_at"])
    _event(ballot, BallotEvent.Kind.OPENED, actor)
    users = User.objects.filter(delegate__ballot_roll__ballot=ballot, is_active=True)
    notify(
        [Recipient(user=u) for u in users],
        kind="ballot_open",
        key=f"ballot-open:{ballot.pk}",
        subject=_("请参加表决：%(t)s") % {"t": ballot.title},
        link=reverse("voting:vote-ballot", args=[ballot.pk]),
    )
    return ballot


def _ballot_for_cast(ballot_id: int) -> Ballot:
    """Read the ballot under a shared row lock on PostgreSQL (one query).

    Many voters hold FOR SHARE at once, while `ballot_close` (FOR UPDATE) waits for them to commit and every cast
    that starts after the close sees it closed: no paper can slip in after the close. SQLite runs one write
    transaction at a time (IMMEDIATE), which gives the same guarantee.
    """
    fields = ("id", "status", "secret", "allow_change", "title")
    if connection.vendor == "postgresql":
        table = Ballot._meta.db_table
        rows = list(
            Ballot.objects.raw(
                f"SELECT {', '.join(fields)} FROM {table} WHERE id = %s FOR SHARE", [ballot_id]
            )
        )
        if not rows:
            raise Ballot.DoesNotExist
        return rows[0]
    return Ballot.objects.only(*fields).get(pk=ballot_id)


def _normalise_choices(choices) -> list[tuple[int, str]]:
    if isinstance(choices, Mapping):
        items = list(choices.items())
    else:
        items = []
        for c in choices or []:
            if isinstance(c, Mapping):
                items.append((c.get("candidate"), c.get("choice")))
            else:
                items.append(tuple(c))
    out = []
    for cand, choice in items:
        try:
            cand = int(getattr(cand, "pk", cand))
        except (TypeError, ValueError):
            raise ValidationFailed(_("候选项目编号无效：%(v)s") % {"v": cand}) from None
        out.append((cand, choice))
    return out


@transaction.atomic
def ballot_cast(*, ballot_id: int, delegate, choices) -> BallotPaper:
    """Hand in one ballot paper: one choice (for/against/abstain) on every candidate of the ballot, once.

    `choices`: {candidate_id: choice} or [(candidate_id, choice)] / [{"candidate", "choice"}] (duplicates are
    an error). The unique (ballot, delegate) constraint on BallotPaper is what refuses a second paper: its
    IntegrityError becomes AlreadyVoted (409), so there is no check-then-insert race to lose. Secret ballots
    store the votes with no paper, no delegate and no time. Raises Ballot.DoesNotExist for an unknown ballot.

    Six queries for a new paper on PostgreSQL: the ballot (FOR SHARE), the roll entry (marked present, which is
    also the roll check), the candidate ids, the paper, its history row, the votes (one multi-row INSERT).
    """
    delegate_id = _pk(delegate)
    ballot = _ballot_for_cast(ballot_id)
    if ballot.status != Ballot.Status.OPEN:
        raise InvalidTransition(
            _("该表决不在投票时间内（当前为“%(s)s”）。") % {"s": ballot.get_status_display()}
        )
    # Whoever votes is present (实到); zero rows means the delegate is not on the roll.
    if not BallotRollEntry.objects.filter(ballot_id=ballot.pk, delegate_id=delegate_id).update(present=True):
        raise NotPermitted(_("您不在本次表决的代表名单中。"))

    pairs = _normalise_choices(choices)
    candidate_ids = set(Candidate.objects.filter(ballot_id=ballot.pk).values_list("pk", flat=True))
    seen: set[int] = set()
    for cand, choice in pairs:
        if cand not in candidate_ids:
            raise ValidationFailed(_("候选项目 %(c)s 不属于本次表决。") % {"c": cand})
        if cand in seen:
            raise ValidationFailed(_("候选项目 %(c)s 重复出现，每个候选项目只能表决一次。") % {"c": cand})
        if choice not in Vote.Choice.values:
            raise ValidationFailed(
                _("无效的表决意见：%(v)s（应为 for、against 或 abstain）。") % {"v": choice}
            )
        seen.add(cand)
    if seen != candidate_ids:
        raise ValidationFailed(
            _("选票须对每个候选项目表明意见，还缺 %(n)s 项。") % {"n": len(candidate_ids - seen)}
        )

    now = timezone.now()
    if ballot.allow_change:
        # A named ballot that allows changes: the paper's votes are replaced while the ballot is open.
        # of=("self",) and no ordering: lock this paper row only, never the ballot row (casts share that one).
        existing = (
            BallotPaper.objects.select_for_update(of=("self",))
            .filter(ballot_id=ballot.pk, delegate_id=delegate_id)
            .order_by("pk")
            .first()
        )
        if existing is not None:
            existing.votes.all().delete()
            Vote.objects.bulk_create(
                [Vote(ballot_id=ballot.pk, candidate_id=c, choice=ch, paper=existing) for c, ch in pairs]
            )
            existing.changed_at = now
            existing.save(update_fields=["changed_at"])
            existing.ballot = ballot
            return existing

    try:
        paper = BallotPaper.objects.create(
            ballot_id=ballot.pk, delegate_id=delegate_id, receipt_code=new_code(10), cast_at=now
        )
    except IntegrityError:
        # This function's own atomic block (a savepoint when nested) rolls back everything it wrote.
        raise AlreadyVoted(_("您已经投过票了，每位代表只能投一张选票。")) from None
    Vote.objects.bulk_create(
        [
            Vote(ballot_id=ballot.pk, candidate_id=c, choice=ch, paper=None if ballot.secret else paper)
            for c, ch in pairs
        ]
    )
    paper.ballot = ballot
    return paper


@transaction.atomic
def ballot_record_attendance(*, ballot_id: int, present: Iterable, actor=None) -> int:
    """Mark delegates of the roll present (出席). Voters are marked present when they vote."""
    ballot = _lock_ballot(ballot_id)
    if ballot.status not in (Ballot.Status.DRAFT, Ballot.Status.OPEN):
        raise InvalidTransition(_("表决已结束，不能再登记出席。"))
    ids = [_pk(d) for d in present]
    on_roll = set(ballot.roll_entries.filter(delegate_id__in=ids).values_list("delegate_id", flat=True))
    off = [i for i in ids if i not in on_roll]
    if off:
        raise ValidationFailed(_("以下代表不在表决名单中：%(ids)s") % {"ids": ", ".join(map(str, off[:20]))})
    n = ballot.roll_entries.filter(delegate_id__in=ids, present=False).update(present=True)
    _event(ballot, BallotEvent.Kind.ATTENDANCE, actor, note=f"+{n}")
    return n


@transaction.atomic
def ballot_close(*, ballot_id: int, actor=None) -> Ballot:
    """Close the vote. From here on the stored votes are final: nothing edits or deletes them."""
    ballot = _lock_ballot(ballot_id)
    if ballot.status != Ballot.Status.OPEN:
        raise InvalidTransition(
            _("只有表决中的表决可以结束，该表决当前为“%(s)s”。") % {"s": ballot.get_status_display()}
        )
    ballot.status = Ballot.Status.CLOSED
    ballot.closed_at = timezone.now()
    ballot.save(update_fields=["status", "closed_at"])
    _event(ballot, BallotEvent.Kind.CLOSED, actor)
    return ballot


def ballot_tally(*, ballot_id: int) -> BallotTally:
    """Count the stored votes (four queries). Callers decide who may see the result (see api / views)."""
    ballot = Ballot.objects.only("id", "status", "seats", "threshold_basis").get(pk=ballot_id)
    roll = BallotRollEntry.objects.filter(ballot_id=ballot.pk).aggregate(
        size=Count("id"), present=Count("id", filter=Q(present=True))
    )
    voted = BallotPaper.objects.filter(ballot_id=ballot.pk).count()
    counts: dict[int, dict[str, int]] = {}
    for cand, choice, n in (
        Vote.objects.filter(ballot_id=ballot.pk)
        .values_list("candidate_id", "choice")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(cand, {})[choice] = n
    rows = [
        (c.pk, c.proposal_id, c.proposal.title, counts.get(c.pk, {}))
        for c in Candidate.objects.filter(ballot_id=ballot.pk)
        .select_related("proposal")
        .only("id", "proposal_id", "proposal__title")
        .order_by("position", "id")
    ]
    return count(
        status=ballot.status,
        seats=ballot.seats,
        threshold_basis=ballot.threshold_basis,
        roll_size=roll["size"],
        present=roll["present"],
        voted=voted,
        rows=rows,
    )


@transaction.atomic
def ballot_publish(*, ballot_id: int, actor=None) -> Ballot:
    ballot = _lock_ballot(ballot_id)
    if ballot.status != Ballot.Status.CLOSED:
        raise InvalidTransition(
            _("只有已结束的表决可以公布结果，该表决当前为“%(s)s”。") % {"s": ballot.get_status_display()}
        )
    tally = ballot_tally(ballot_id=ballot.pk)
    ballot.status = Ballot.Status.PUBLISHED
    ballot.published_at = timezone.now()
    ballot.published_result = tally.comparable()
    ballot.save(update_fields=["status", "published_at", "published_result"])
    _event(ballot, BallotEvent.Kind.PUBLISHED, actor)
    return ballot


def ballot_recount(*, ballot_id: int) -> tuple[BallotTally, list[str]]:
    """Recount from the stored votes; return the tally and the differences from the published result."""
    ballot = Ballot.objects.get(pk=ballot_id)
    tally = ballot_tally(ballot_id=ballot.pk)
    published = ballot.published_result
    if published is None:
        return tally, []
    fresh = tally.comparable()
    diffs = []
    for key in ("seats", "threshold_basis", "roll_size", "present", "voted", "quorum_met", "runoff_needed"):
        if published.get(key) != fresh[key]:
            diffs.append(f"{key}: published {published.get(key)!r}, recount {fresh[key]!r}")
    old = {c["id"]: c for c in published.get("candidates", [])}
    new = {c["id"]: c for c in fresh["candidates"]}
    for cid in sorted(set(old) | set(new)):
        a, b = old.get(cid), new.get(cid)
        if a is None or b is None:
            diffs.append(
                f"candidate {cid}: {'missing from recount' if b is None else 'not in published result'}"
            )
            continue
        for key in ("for", "against", "abstain", "elected", "tied"):
            if a.get(key) != b.get(key):
                diffs.append(f"candidate {cid} {key}: published {a.get(key)!r}, recount {b.get(key)!r}")
    return tally, diffs


# === 政府办: delivery ===========================================================================================
@transaction.atomic
def project_create(
    *,
    candidate_id: int,
    unit: HandlingUnit,
    budget: Decimal,
    target_date: dt.date,
    year: int | None = None,
    lead_delegates: Iterable = (),
    actor=None,
) -> LivelihoodProject:
    """Turn an elected candidate of a published ballot into a project owned by a unit."""
    cand = Candidate.objects.select_related("ballot", "proposal").get(pk=candidate_id)
    ballot = Ballot.objects.select_for_update().get(pk=cand.ballot_id)
    if ballot.status != Ballot.Status.PUBLISHED:
        raise InvalidTransition(_("表决结果公布后才能确定民生实事项目。"))
    elected = {c["id"] for c in (ballot.published_result or {}).get("candidates", []) if c.get("elected")}
    if cand.pk not in elected:
        raise InvalidTransition(_("只有当选的候选项目才能成为民生实事项目。"))
    if LivelihoodProject.objects.filter(candidate=cand).exists():
        raise Conflict(_("该候选项目已确定为民生实事项目。"))
    if budget is None or Decimal(budget) < 0:
        raise ValidationFailed(_("预算不能为负数。"))
    project = LivelihoodProject.objects.create(
        candidate=cand,
        title=cand.proposal.title,
        description=cand.proposal.description,
        area_id=ballot.area_id,
        unit=unit,
        year=year or (ballot.published_at or timezone.now()).year,
        budget=budget,
        target_date=target_date,
        created_by=actor,
    )
    leads = [_pk(d) for d in lead_delegates]
    if leads:
        project.lead_delegates.set(_active_delegates(leads))
    return project


def _active_delegates(ids: list[int]) -> list[int]:
    found = set(Delegate.objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True))
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(_("以下代表不存在或不在任：%(ids)s") % {"ids": ", ".join(map(str, missing))})
    return ids


@transaction.atomic
def project_set_leads(*, project_id: int, delegates: Iterable, actor=None) -> LivelihoodProject:
    project = LivelihoodProject.objects.select_for_update().get(pk=project_id)
    ids = _active_delegates([_pk(d) for d in delegates])
    project.lead_delegates.set(ids)
    # A delegate who no longer leads the project no longer leads any of its sites.
    for site in project.sites.all():
        site.lead_delegates.remove(*site.lead_delegates.exclude(pk__in=ids))
    return project


@transaction.atomic
def milestone_add(*, project_id: int, title: str, due: dt.date, actor=None) -> Milestone:
    project = LivelihoodProject.objects.select_for_update().get(pk=project_id)
    if not title.strip():
        raise ValidationFailed(_("请填写进度节点名称。"))
    return Milestone.objects.create(project=project, title=title.strip(), due=due)


@transaction.atomic
def milestone_complete(*, milestone_id: int, done_on: dt.date | None = None, actor=None) -> Milestone:
    m = Milestone.objects.select_for_update().get(pk=milestone_id)
    if m.done_at:
        return m
    m.done_at = done_on or timezone.localdate()
    m.save(update_fields=["done_at"])
    return m


@transaction.atomic
def site_add(
    *, project_id: int, name: str, latitude=None, longitude=None, lead_delegates: Iterable = (), actor=None
) -> Site:
    project = LivelihoodProject.objects.select_for_update().get(pk=project_id)
    if not name.strip():
        raise ValidationFailed(_("请填写点位名称。"))
    if (latitude is None) != (longitude is None):
        raise ValidationFailed(_("经纬度要么都填，要么都不填。"))
    site = Site.objects.create(project=project, name=name.strip(), latitude=latitude, longitude=longitude)
    leads = [_pk(d) for d in lead_delegates]
    if leads:
        site_assign_leads(site_id=site.pk, delegates=leads, actor=actor)
    return site


@transaction.atomic
def site_assign_leads(*, site_id: int, delegates: Iterable, actor=None) -> Site:
    site = Site.objects.select_for_update().get(pk=site_id)
    ids = [_pk(d) for d in delegates]
    allowed = set(site.project.lead_delegates.values_list("pk", flat=True))
    outside = [i for i in ids if i not in allowed]
    if outside:
        raise ValidationFailed(
            _("点位的领办代表须是本项目的领办代表：%(ids)s") % {"ids": ", ".join(map(str, outside))}
        )
    site.lead_delegates.set(ids)
    return site


@transaction.atomic
def site_complete(*, site_id: int, done_on: dt.date | None = None, actor=None) -> Site:
    """销号: the site is done."""
    site = Site.objects.select_for_update().get(pk=site_id)
    if site.done_on:
        return site
    site.done_on = done_on or timezone.localdate()
    site.save(update_fields=["done_on"])
    return site


@transaction.atomic
def progress_report_create(
    *, project_id: int, percent: int, text: str, photos: list | None = None, actor=None
) -> ProgressReport:
    photos = list(photos or [])
    if not 0 <= int(percent) <= 100:
        raise ValidationFailed(_("完成进度须在0到100之间。"))
    if not (text or "").strip():
        raise ValidationFailed(_("请填写进展情况。"))
    photos = check_images(
        photos, max_count=conf.get("VOTING_PHOTO_MAX_COUNT"), max_bytes=conf.get("VOTING_PHOTO_MAX_BYTES")
    )
    project = LivelihoodProject.objects.select_for_update().get(pk=project_id)
    report = ProgressReport.objects.create(
        project=project, percent=int(percent), text=text.strip(), created_by=actor
    )
    for p in photos:
        ProgressPhoto.objects.create(report=report, image=p.file)
    project.percent = int(percent)
    project.status = (
        LivelihoodProject.Status.COMPLETED if project.percent == 100 else LivelihoodProject.Status.IN_PROGRESS
    )
    project.save(update_fields=["percent", "status"])
    return report


def _unit_recipients(unit: HandlingUnit) -> list[Recipient]:
    out = [Recipient(user=u) for u in User.objects.filter(unit=unit, role=User.Role.UNIT, is_active=True)]
    if unit.contact_email:
        out.append(Recipient(email=unit.contact_email))
    return out


def _staff_recipients(area: Area) -> list[Recipient]:
    """Staff and admins whose area is the project's area or above it."""
    users = User.objects.filter(
        role__in=[User.Role.STAFF, User.Role.ADMIN],
        is_active=True,
        area__path__in=selectors.ancestor_paths(area.path),
    )
    return [Recipient(user=u) for u in users]


def progress_reminders_send(*, today: dt.date | None = None) -> int:
    """The monthly reminder to each unit with a project under way. Once per project per month (dedupe key)."""
    today = today or timezone.localdate()
    if today.day < conf.get("VOTING_PROGRESS_REMINDER_DAY"):
        return 0
    sent = 0
    projects = LivelihoodProject.objects.exclude(status=LivelihoodProject.Status.COMPLETED).select_related(
        "unit"
    )
    for project in projects.iterator(chunk_size=200):
        with transaction.atomic():
            sent += notify(
                _unit_recipients(project.unit),
                kind="project_progress_reminder",
                key=f"project-progress:{project.pk}:{today:%Y-%m}",
                subject=_("请报送民生实事项目“%(t)s”%(m)s月的进展") % {"t": project.title, "m": today.month},
                link=reverse("voting:project-report", args=[project.pk]),
            )
    return sent


def milestone_overdue_warn(*, today: dt.date | None = None) -> int:
    """Warn the supervising staff once when a milestone passes its due date undone (once per due date)."""
    today = today or timezone.localdate()
    sent = 0
    overdue = Milestone.objects.filter(done_at__isnull=True, due__lt=today).select_related(
        "project", "project__area"
    )
    for m in overdue.iterator(chunk_size=200):
        with transaction.atomic():
            sent += notify(
                _staff_recipients(m.project.area),
                kind="project_milestone_overdue",
                key=f"milestone-overdue:{m.pk}:{m.due:%Y-%m-%d}",
                subject=_("民生实事项目“%(t)s”的节点“%(m)s”已逾期（计划 %(d)s）")
                % {"t": m.project.title, "m": m.title, "d": m.due.isoformat()},
                link=reverse("voting:manage-project", args=[m.project_id]),
            )
    return sent


# === 人大评: evaluation — the one satisfaction vote of the supervision app =========================================
def _supervision():
    # Imported late: supervision may import voting-free code only, and this keeps app loading order irrelevant.
    from supervision import services as sv
    from supervision.models import Assessment

    return sv, Assessment


@transaction.atomic
def evaluation_create(
    *, project_id: int, roll: Iterable | None = None, title: str = "", actor=None
) -> Evaluation:
    """Set up the delegates' satisfaction vote on a project: a supervision Assessment with subject "project".

    The roll defaults to the roll of the ballot that elected the project.
    """
    sv, Assessment = _supervision()
    project = (
        LivelihoodProject.objects.select_for_update()
        .select_related("candidate", "unit", "area")
        .get(pk=project_id)
    )
    if project.evaluations.filter(
        assessment__status__in=[Assessment.Status.DRAFT, Assessment.Status.OPEN]
    ).exists():
        raise Conflict(_("该项目已有尚未结束的满意度测评。"))
    if roll is None:
        delegates = list(
            Delegate.objects.filter(ballot_roll__ballot_id=project.candidate.ballot_id, is_active=True)
        )
    else:
        ids = [_pk(d) for d in roll]
        if len(set(ids)) != len(ids):
            raise ValidationFailed(_("测评名单中有重复的代表。"))
        delegates = list(Delegate.objects.filter(pk__in=_active_delegates(ids)))
    if not delegates:
        raise ValidationFailed(_("测评名单不能为空。"))
    assessment = sv.assessment_create(
        title=title.strip() or _("民生实事项目“%(t)s”满意度测评") % {"t": project.title},
        area=project.area,
        unit=project.unit,
        subject=Assessment.Subject.PROJECT,
        roll=delegates,
        actor=actor,
        unsatisfied_share=conf.get("VOTING_EVALUATION_UNSATISFIED_SHARE"),
    )
    return Evaluation.objects.create(project=project, assessment=assessment, created_by=actor)


def evaluation_open(*, evaluation_id: int, actor=None) -> Evaluation:
    sv, _Assessment = _supervision()
    ev = Evaluation.objects.get(pk=evaluation_id)
    sv.assessment_open(assessment_id=ev.assessment_id, actor=actor)
    return Evaluation.objects.select_related("assessment").get(pk=ev.pk)


def evaluation_vote(*, evaluation_id: int, delegate: Delegate, choice: str):
    """A delegate on the roll rates the delivery: satisfied / basically_satisfied / unsatisfied, once."""
    sv, _Assessment = _supervision()
    ev = Evaluation.objects.get(pk=evaluation_id)
    return sv.assessment_vote(assessment_id=ev.assessment_id, delegate=delegate, choice=choice)


def evaluation_close(*, evaluation_id: int, actor=None) -> Evaluation:
    """Close the vote; an unsatisfied outcome opens a rectification for the unit (supervision's one loop)."""
    sv, _Assessment = _supervision()
    ev = Evaluation.objects.get(pk=evaluation_id)
    sv.assessment_close(assessment_id=ev.assessment_id, actor=actor)
    return Evaluation.objects.select_related("assessment").get(pk=ev.pk)


def evaluation_result(*, evaluation_id: int) -> dict:
    sv, _Assessment = _supervision()
    ev = Evaluation.objects.select_related("assessment").get(pk=evaluation_id)
    a = ev.assessment
    tally = sv.assessment_result(assessment_id=a.pk)
    rect = a.rectifications.order_by("id").first()
    return {
        "id": ev.pk,
        "project": ev.project_id,
        "status": a.status,
        "roll_size": a.roll.count(),
        "voted": tally.total,
        "satisfied": tally.satisfied,
        "basically_satisfied": tally.basically_satisfied,
        "unsatisfied": tally.unsatisfied,
        "rate": tally.rate,
        "outcome": a.outcome or None,
        "rectification": {"id": rect.pk, "status": rect.status, "due": rect.due} if rect else None,
    }
