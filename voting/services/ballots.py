"""代表决: ballots on the shortlisted proposals — set-up, opening, casting, attendance, closing, publishing
and the recount. The count itself is a read: voting.selectors.ballot_tally."""

from collections.abc import Iterable, Mapping

from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from bodies.models import Body, BodyMember, Counting, members_on
from liaison.acts import delegate_act
from liaison.codes import save_with_new_code
from liaison.errors import (
    AlreadyVoted,
    InvalidTransition,
    NotFound,
    NotPermitted,
    ValidationFailed,
    get_or_not_found,
)
from liaison.notifications.services import Recipient, notify
from liaison.parsing import to_id
from liaison.scoping import path_contains, user_sees_area
from stations.models import Area, Delegate

from ..models import (
    Ballot,
    BallotCount,
    BallotEvent,
    BallotPaper,
    BallotRollEntry,
    Candidate,
    ProjectProposal,
    Vote,
)
from ..selectors import ballot_tally
from ..tally import BallotTally
from ._common import User, _pk


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


def _validated_body(area: Area, body, actor) -> Body:
    """A body of the creator's subtree (404 otherwise) whose area is the ballot's, above it or below it."""
    if not isinstance(body, Body):
        body = Body.objects.select_related("area").filter(pk=to_id(body) or 0).first()
        if body is None:
            raise ValidationFailed(_("表决机构不存在。"))
    if actor is not None and getattr(actor, "pk", None) and not user_sees_area(actor, body.area):
        raise NotFound()
    if not (path_contains(area.path, body.area) or path_contains(body.area.path, area)):
        raise ValidationFailed(_("表决机构“%(b)s”不属于本表决的区划。") % {"b": body.name})
    if not body.is_active:
        raise ValidationFailed(_("表决机构“%(b)s”已不在任。") % {"b": body.name})
    return body


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
    roll: Iterable | None = None,
    candidates: Iterable,
    threshold_basis: str = Ballot.ThresholdBasis.ROLL,
    secret: bool = True,
    allow_change: bool = False,
    session_name: str = "",
    body: Body | int | None = None,
    counting: str = Counting.ONLINE,
    actor=None,
) -> Ballot:
    """A draft ballot. Whether candidates outnumber seats (差额) is checked when it opens.

    The roll is an explicit list of delegates, or `body`: then it is the body's members on the day the ballot
    opens. `counting` paper/device: nobody votes online; a count is entered and confirmed (services.counts)."""
    if not title or not title.strip():
        raise ValidationFailed(_("请填写表决名称。"))
    if seats is None or int(seats) < 1:
        raise ValidationFailed(_("应选项目数至少为1。"))
    if threshold_basis not in Ballot.ThresholdBasis.values:
        raise ValidationFailed(_("未知的当选基数：%(v)s") % {"v": threshold_basis})
    if secret and allow_change:
        raise ValidationFailed(_("无记名表决不能改票；只有记名表决可以允许改票。"))
    if counting not in Counting.values:
        raise ValidationFailed(_("未知的计票方式：%(v)s") % {"v": counting})
    if body is not None and roll:
        raise ValidationFailed(_("表决名单和表决机构只能选择一项。"))
    body = _validated_body(area, body, actor) if body is not None else None
    roll_ids = _validated_roll(area, roll or []) if body is None else []
    candidate_ids = _validated_candidates(area, candidates)
    ballot = Ballot.objects.create(
        title=title.strip(),
        area=area,
        session_name=session_name.strip(),
        seats=int(seats),
        threshold_basis=threshold_basis,
        secret=secret,
        allow_change=allow_change,
        body=body,
        counting=counting,
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
    ballot = get_or_not_found(Ballot.objects.select_for_update().select_related("area"), pk=ballot_id)
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
        if ballot.body_id is not None:
            raise ValidationFailed(_("该表决的名单取自表决机构的成员，不能另行指定。"))
        ids = _validated_roll(ballot.area, roll)
        ballot.roll_entries.exclude(delegate_id__in=ids).delete()
        have = set(ballot.roll_entries.values_list("delegate_id", flat=True))
        BallotRollEntry.objects.bulk_create(
            [BallotRollEntry(ballot=ballot, delegate_id=d) for d in ids if d not in have]
        )
    _event(ballot, BallotEvent.Kind.UPDATED, actor)
    return ballot


def _lock_ballot(ballot_id: int) -> Ballot:
    return get_or_not_found(Ballot.objects.select_for_update(), pk=ballot_id)


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
    now = timezone.now()
    if ballot.body_id is not None:
        _roll_from_body(ballot, timezone.localdate(now))
    if not ballot.roll_entries.exists():
        raise InvalidTransition(_("表决名单为空，不能开始表决。"))
    ballot.status = Ballot.Status.OPEN
    ballot.opened_at = now
    ballot.save(update_fields=["status", "opened_at"])
    _event(ballot, BallotEvent.Kind.OPENED, actor)
    if ballot.counting != Counting.ONLINE:
        return ballot  # counted on paper or by a device: nobody is asked to vote online
    users = User.objects.filter(
        Q(delegate__ballot_roll__ballot=ballot) | Q(body_memberships__ballot_roll__ballot=ballot), is_active=True
    ).distinct()
    notify(
        [Recipient(user=u) for u in users],
        kind="ballot_open",
        key=f"ballot-open:{ballot.pk}",
        subject=_("请参加表决：%(t)s") % {"t": ballot.title},
        link=reverse("voting:vote-ballot", args=[ballot.pk]),
    )
    return ballot


def _roll_from_body(ballot: Ballot, day) -> None:
    """The roll is the body's members on the day the ballot opens: one read and one multi-row insert."""
    members = members_on(ballot.body_id, day).values_list("pk", "delegate_id")
    BallotRollEntry.objects.bulk_create(
        [BallotRollEntry(ballot_id=ballot.pk, member_id=m, delegate_id=d) for m, d in members], batch_size=2000
    )


def _ballot_for_cast(ballot_id: int, delegate_id: int | None, user_id: int | None = None) -> Ballot:
    """Read the ballot under a shared row lock on PostgreSQL, with the voter's roll entry as `roll_id`,
    `roll_present`, `roll_delegate_id` and `roll_member_id` (None when not on the roll): one query. The voter is
    the delegate, or a body member whose account is `user_id`.

    Many voters hold FOR SHARE at once, while `ballot_close` (FOR UPDATE) waits for them to commit and every cast
    that starts after the close sees it closed: no paper can slip in after the close. SQLite runs one write
    transaction at a time (IMMEDIATE), which gives the same guarantee.
    """
    fields = ("id", "status", "secret", "allow_change", "title", "counting")
    if to_id(ballot_id) is None:  # the raw query below takes only what a key can hold
        raise NotFound()
    delegate_id = to_id(delegate_id) or 0  # no roll entry has id 0: "not on the roll"
    user_id = to_id(user_id) or 0
    if connection.vendor == "postgresql":
        table, roll = Ballot._meta.db_table, BallotRollEntry._meta.db_table
        members = BodyMember._meta.db_table
        rows = list(
            Ballot.objects.raw(
                f"SELECT {', '.join(f'b.{f}' for f in fields)}, r.id AS roll_id, r.present AS roll_present, "
                f"r.delegate_id AS roll_delegate_id, r.member_id AS roll_member_id FROM {table} b "
                f"LEFT JOIN LATERAL (SELECT e.id, e.present, e.delegate_id, e.member_id FROM {roll} e "
                f"WHERE e.ballot_id = b.id AND (e.delegate_id = %s OR e.member_id IN "
                f"(SELECT m.id FROM {members} m WHERE m.user_id = %s)) ORDER BY e.id LIMIT 1) r ON TRUE "
                f"WHERE b.id = %s FOR SHARE OF b",
                [delegate_id, user_id, ballot_id],
            )
        )
        if not rows:
            raise NotFound()
        return rows[0]
    entries = BallotRollEntry.objects.filter(
        Q(delegate_id=delegate_id) | Q(member__user_id=user_id), ballot_id=OuterRef("pk")
    ).order_by("pk")
    return get_or_not_found(
        Ballot.objects.only(*fields).annotate(
            roll_id=Subquery(entries.values("id")[:1]),
            roll_present=Subquery(entries.values("present")[:1]),
            roll_delegate_id=Subquery(entries.values("delegate_id")[:1]),
            roll_member_id=Subquery(entries.values("member_id")[:1]),
        ),
        pk=ballot_id,
    )


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
def ballot_cast(*, ballot_id: int, delegate=None, user=None, choices) -> BallotPaper:
    """Hand in one ballot paper: one choice (for/against/abstain) on every candidate of the ballot, once.

    `choices`: {candidate_id: choice} or [(candidate_id, choice)] / [{"candidate", "choice"}] (duplicates are
    an error). The voter is `delegate`, or — for a body's roll — the member whose account is `user` (a delegate
    user passes both). The unique (ballot, delegate) / (ballot, member) constraints on BallotPaper refuse a second
    paper: their
    IntegrityError becomes AlreadyVoted (409), so there is no check-then-insert race to lose. Secret ballots
    store the votes with no paper, no delegate and no time. Raises NotFound for an unknown ballot.

    Seven queries for a first paper on PostgreSQL: the ballot (FOR SHARE) with the voter's roll entry (the roll
    check), the entry marked present and its history row (unless it already was), the candidate ids, the paper,
    its history row, the votes (one multi-row INSERT).
    """
    if delegate is None and user is not None:
        delegate = getattr(user, "delegate_id", None)
    ballot = _ballot_for_cast(ballot_id, _pk(delegate) if delegate is not None else None, getattr(user, "pk", None))
    if ballot.status != Ballot.Status.OPEN:
        raise InvalidTransition(
            _("该表决不在投票时间内（当前为“%(s)s”）。") % {"s": ballot.get_status_display()}
        )
    if ballot.counting != Counting.ONLINE:
        raise InvalidTransition(
            _("本次表决采用%(m)s计票，不能网上投票。") % {"m": ballot.get_counting_display()}
        )
    # Whoever votes is present (实到): saved, not updated, so the roll entry's history records it.
    if ballot.roll_id is None:
        raise NotPermitted(_("您不在本次表决的名单中。"))
    delegate_id, member_id = ballot.roll_delegate_id, ballot.roll_member_id
    if not ballot.roll_present:
        entry = BallotRollEntry(
            pk=ballot.roll_id, ballot_id=ballot.pk, delegate_id=delegate_id, member_id=member_id, present=True
        )
        entry.save(update_fields=["present"])
    voter = {"delegate_id": delegate_id} if delegate_id is not None else {"member_id": member_id}

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
            .filter(ballot_id=ballot.pk, **voter)
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
        paper = save_with_new_code(
            lambda code: BallotPaper.objects.create(
                ballot_id=ballot.pk, delegate_id=delegate_id, member_id=member_id, receipt_code=code, cast_at=now
            ),
            is_collision=lambda: not BallotPaper.objects.filter(ballot_id=ballot.pk, **voter).exists(),
        )
    except IntegrityError:
        # This function's own atomic block (a savepoint when nested) rolls back everything it wrote.
        raise AlreadyVoted(_("您已经投过票了，每人只能投一张选票。")) from None
    Vote.objects.bulk_create(
        [
            Vote(ballot_id=ballot.pk, candidate_id=c, choice=ch, paper=None if ballot.secret else paper)
            for c, ch in pairs
        ]
    )
    paper.ballot = ballot
    # The ballot (not the paper, never a vote) is the source: the record says a paper was handed in.
    if delegate_id is not None:
        delegate_act(delegate_id=delegate_id, kind="ballot_paper", source=ballot, happened_at=now)
    return paper


@transaction.atomic
def ballot_record_attendance(*, ballot_id: int, present: Iterable, members: Iterable = (), actor=None) -> int:
    """Mark voters of the roll present (出席): delegates by delegate id, a body's other members by member id.
    Voters are marked present when they vote."""
    ballot = _lock_ballot(ballot_id)
    if ballot.status not in (Ballot.Status.DRAFT, Ballot.Status.OPEN):
        raise InvalidTransition(_("表决已结束，不能再登记出席。"))
    ids = [_pk(d) for d in present]
    member_ids = [_pk(m) for m in members]
    on_roll = set(ballot.roll_entries.filter(delegate_id__in=ids).values_list("delegate_id", flat=True))
    off = [i for i in ids if i not in on_roll]
    on_roll_m = set(ballot.roll_entries.filter(member_id__in=member_ids).values_list("member_id", flat=True))
    off += [i for i in member_ids if i not in on_roll_m]
    if off:
        raise ValidationFailed(_("以下人员不在表决名单中：%(ids)s") % {"ids": ", ".join(map(str, off[:20]))})
    entries = list(
        ballot.roll_entries.filter(Q(delegate_id__in=ids) | Q(member_id__in=member_ids), present=False).order_by("pk")
    )
    for entry in entries:
        entry.present = True
    # One history row per entry marked present, besides the ballot's attendance event.
    user = actor if getattr(actor, "pk", None) else None
    bulk_update_with_history(entries, BallotRollEntry, ["present"], default_user=user)
    n = len(entries)
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


@transaction.atomic
def ballot_publish(*, ballot_id: int, actor=None) -> Ballot:
    ballot = _lock_ballot(ballot_id)
    if ballot.status != Ballot.Status.CLOSED:
        raise InvalidTransition(
            _("只有已结束的表决可以公布结果，该表决当前为“%(s)s”。") % {"s": ballot.get_status_display()}
        )
    if ballot.counting != Counting.ONLINE and not BallotCount.objects.filter(
        ballot_id=ballot.pk, confirmed_at__isnull=False
    ).exists():
        raise InvalidTransition(_("计票结果尚未录入并经另一位管理员核对确认，不能公布。"))
    tally = ballot_tally(ballot_id=ballot.pk)
    ballot.status = Ballot.Status.PUBLISHED
    ballot.published_at = timezone.now()
    ballot.published_result = tally.comparable()
    ballot.save(update_fields=["status", "published_at", "published_result"])
    _event(ballot, BallotEvent.Kind.PUBLISHED, actor)
    return ballot


def ballot_recount(*, ballot_id: int) -> tuple[BallotTally, list[str]]:
    """Recount from the stored votes; return the tally and the differences from the published result."""
    ballot = get_or_not_found(Ballot.objects, pk=ballot_id)
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
