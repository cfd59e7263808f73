"""Ballots counted on paper or by a voting device: the admin's count form (per candidate for / against /
abstain, papers issued and returned, valid and invalid) and the second admin's confirmation."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bodies.models import Counting
from liaison.errors import DomainError, show_domain_error
from liaison.page_access import admin_required

from .. import selectors
from ..models import BallotCount, BallotCountLine
from ..services.counts import count_confirm, count_enter

HEAD = ("present", "papers_issued", "papers_returned", "valid", "invalid")


def _blank_to_none(value: str):
    value = (value or "").strip()
    return value or None


@admin_required
def manage_ballot_count(request, pk: int):
    ballot = get_object_or_404(selectors.ballots_for_admin(request.user), pk=pk)
    candidates = list(selectors.ballot_candidates(ballot))
    sheet = BallotCount.objects.filter(ballot=ballot).select_related("entered_by", "confirmed_by").first()
    lines = {ln.candidate_id: ln for ln in BallotCountLine.objects.filter(count=sheet)} if sheet else {}
    if request.method == "POST":
        post = request.POST
        head = {k: _blank_to_none(post.get(k, "")) for k in HEAD}
        rows = [
            {
                "id": c.pk,
                "for": post.get(f"for_{c.pk}", "0") or "0",
                "against": post.get(f"against_{c.pk}", "0") or "0",
                "abstain": post.get(f"abstain_{c.pk}", "0") or "0",
            }
            for c in candidates
        ]
        present = head.pop("present")
        try:
            count_enter(
                ballot_id=ballot.pk,
                present=present if present is not None else "",
                candidates=rows,
                actor=request.user,
                method=post.get("method") or ballot.counting,
                note=post.get("note", ""),
                **head,
            )
        except DomainError as exc:
            show_domain_error(request, exc)
            return redirect("voting:manage-ballot-count", pk=ballot.pk)
        messages.success(request, _("计票结果已录入，请另一位管理员核对确认。"))
        return redirect("voting:manage-ballot", pk=ballot.pk)
    rows = [(c, lines.get(c.pk)) for c in candidates]
    return render(
        request,
        "voting/manage_ballot_count.html",
        {
            "ballot": ballot,
            "sheet": sheet,
            "rows": rows,
            "methods": [(Counting.PAPER, Counting.PAPER.label), (Counting.DEVICE, Counting.DEVICE.label)],
            "roll_size": ballot.roll_entries.count(),
        },
    )


@admin_required
@require_POST
def manage_ballot_count_confirm(request, pk: int):
    ballot = get_object_or_404(selectors.ballots_for_admin(request.user), pk=pk)
    try:
        count_confirm(ballot_id=ballot.pk, actor=request.user)
    except DomainError as exc:
        show_domain_error(request, exc)
    else:
        messages.success(request, _("计票结果已核对确认。"))
    return redirect("voting:manage-ballot", pk=ballot.pk)
