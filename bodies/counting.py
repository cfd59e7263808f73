"""The rules of a tally sheet (paper ballots or a voting device), shared by ballots and assessments: the
papers add up, and the person who confirms a count is not the person who entered it."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import InvalidTransition, NotPermitted, ValidationFailed

from .models import Counting


@dataclass(frozen=True)
class Sheet:
    method: str
    present: int
    papers_issued: int
    papers_returned: int
    valid: int
    invalid: int
    note: str = ""

    def as_fields(self) -> dict:
        return {
            "method": self.method,
            "present": self.present,
            "papers_issued": self.papers_issued,
            "papers_returned": self.papers_returned,
            "valid": self.valid,
            "invalid": self.invalid,
            "note": self.note,
        }


def count_value(value, label: str) -> int:
    """A number of papers or votes: a whole number from 0 to a million."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationFailed(_("%(f)s须为整数。") % {"f": label})
    try:
        n = int(value)
    except ValueError:
        raise ValidationFailed(_("%(f)s须为整数。") % {"f": label}) from None
    if n > 1_000_000:
        raise ValidationFailed(_("%(f)s数值过大。") % {"f": label})
    if n < 0:
        raise ValidationFailed(_("%(f)s不能为负数。") % {"f": label})
    return n


def sheet_check(
    *,
    roll_size: int,
    present,
    method: str = Counting.PAPER,
    papers_issued=None,
    papers_returned=None,
    valid=None,
    invalid=None,
    note: str = "",
) -> Sheet:
    """Validate the head of a tally sheet. Defaults: issued = returned = present, no invalid papers."""
    if method not in (Counting.PAPER, Counting.DEVICE):
        raise ValidationFailed(_("计票方式应为纸质选票或表决器。"))
    present = count_value(present, _("实到人数"))
    issued = present if papers_issued is None else count_value(papers_issued, _("发出选票"))
    returned = issued if papers_returned is None else count_value(papers_returned, _("收回选票"))
    invalid = 0 if invalid is None else count_value(invalid, _("无效票"))
    valid = returned - invalid if valid is None else count_value(valid, _("有效票"))
    if present > roll_size:
        raise ValidationFailed(_("实到人数（%(p)s）超过应到人数（%(r)s）。") % {"p": present, "r": roll_size})
    if issued > present:
        raise ValidationFailed(_("发出选票（%(i)s）不能多于实到人数（%(p)s）。") % {"i": issued, "p": present})
    if returned > issued:
        raise ValidationFailed(_("收回选票（%(r)s）不能多于发出选票（%(i)s）。") % {"r": returned, "i": issued})
    if valid + invalid != returned:
        raise ValidationFailed(
            _("有效票（%(v)s）与无效票（%(n)s）之和应等于收回选票（%(r)s）。")
            % {"v": valid, "n": invalid, "r": returned}
        )
    return Sheet(method, present, issued, returned, valid, invalid, (note or "").strip()[:500])


def votes_check(counts: dict[str, int], sheet: Sheet, label: str) -> None:
    """One line (a candidate, or the assessment): its votes cannot exceed the valid papers returned."""
    total = sum(counts.values())
    if total > sheet.valid:
        raise ValidationFailed(
            _("%(l)s：各项票数合计 %(t)s 票，超过有效票 %(v)s 张。")
            % {"l": label, "t": total, "v": sheet.valid}
        )


def confirm_check(count, actor) -> None:
    """A count is confirmed once, by an admin other than the one who entered it."""
    if count is None:
        raise InvalidTransition(_("尚未录入计票结果。"))
    if count.confirmed_at is not None:
        raise InvalidTransition(_("计票结果已经确认。"))
    if getattr(actor, "pk", None) == count.entered_by_id:
        raise NotPermitted(_("计票结果须由录入人以外的另一位管理员核对确认。"))
    count.confirmed_by = actor
    count.confirmed_at = timezone.now()
