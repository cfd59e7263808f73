"""Self-reported acts under staff review (自报履职, 审核), and staff adjustments (积分调整)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import InvalidTransition, NotFound, ValidationFailed
from liaison.scoping import user_sees_area
from liaison.uploads import check_image, check_pdf

from ..ledger import entry_record
from ..models import SELF_REPORTED_KINDS, DutyEntry, Kind, SelfReport
from ._common import delegate_in_scope, require_staff


def _evidence(f):
    """A photo or a PDF, checked by content (liaison.uploads); PDFs are recognised by their signature."""
    if not f:
        return None
    f.seek(0)
    head = f.read(5)
    f.seek(0)
    return check_pdf(f) if head == b"%PDF-" else check_image(f)


@transaction.atomic
def self_report_submit(
    *, delegate, kind: str, occurred_on: dt.date, note: str, evidence=None, actor=None
) -> SelfReport:
    if kind not in [k.value for k in SELF_REPORTED_KINDS]:
        raise ValidationFailed({"kind": [_("只能自报人代会、代表小组活动、部门组织的活动或表彰。")]})
    if occurred_on > timezone.localdate():
        raise ValidationFailed({"occurred_on": [_("日期不能晚于今天。")]})
    note = (note or "").strip()
    if not note:
        raise ValidationFailed({"note": [_("请填写说明。")]})
    checked = _evidence(evidence)
    report = SelfReport(
        delegate=delegate,
        kind=kind,
        occurred_on=occurred_on,
        note=note[:2000],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if checked is not None:
        report.evidence.save(f"upload.{checked.ext}", checked.file, save=False)
    report.save()
    return report


def _locked_for_review(report_id: int, actor) -> SelfReport:
    require_staff(actor)
    report = SelfReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise NotFound()
    if not user_sees_area(actor, report.delegate.area):
        raise NotFound()
    if report.status != SelfReport.Status.PENDING:
        raise InvalidTransition(_("该自报履职已审核。"))
    return report


@transaction.atomic
def self_report_approve(*, report_id: int, actor) -> SelfReport:
    """审核通过: the act enters the ledger (its source is the report)."""
    report = _locked_for_review(report_id, actor)
    report.status, report.reviewed_by, report.reviewed_at = SelfReport.Status.APPROVED, actor, timezone.now()
    report.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    entry_record(
        delegate_id=report.delegate_id,
        kind=report.kind,
        source=report,
        occurred_on=report.occurred_on,
        note=report.note[:500],
        actor=actor,
    )
    return report


@transaction.atomic
def self_report_reject(*, report_id: int, reason: str, actor) -> SelfReport:
    """不通过 with a reason: nothing enters the ledger."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("请填写不通过的理由。")]})
    report = _locked_for_review(report_id, actor)
    report.status, report.reject_reason = SelfReport.Status.REJECTED, reason[:500]
    report.reviewed_by, report.reviewed_at = actor, timezone.now()
    report.save(update_fields=["status", "reject_reason", "reviewed_by", "reviewed_at"])
    return report


@transaction.atomic
def adjustment_create(
    *, delegate_id, points: int, reason: str, actor, occurred_on: dt.date | None = None
) -> DutyEntry:
    """A staff adjustment is itself an entry, with its points, the reason and the acting user."""
    require_staff(actor)
    delegate = delegate_in_scope(actor, delegate_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("请填写调整理由。")]})
    if not points or not -100 <= int(points) <= 100:
        raise ValidationFailed({"points": [_("调整分值须在 -100 到 100 之间且不为 0。")]})
    return entry_record(
        delegate_id=delegate.pk,
        kind=Kind.ADJUSTMENT,
        source=None,
        occurred_on=occurred_on or timezone.localdate(),
        points=int(points),
        note=reason,
        actor=actor,
    )
