"""The tally sheet of an assessment counted on paper or by a voting device (纸质/表决器计票).

Contract (voting.services.evaluations relies on it):

    assessment_count_enter(*, assessment_id, actor, present, satisfied, basically_satisfied, unsatisfied,
                           method=None, papers_issued=None, papers_returned=None, valid=None, invalid=None,
                           note="") -> AssessmentCount
        An admin enters the count of an open assessment whose `counting` is paper or device. Defaults: issued =
        returned = present, invalid 0, valid = returned - invalid. ValidationFailed (400) for counts that do not
        add up; InvalidTransition (409) when counted online, not open, or already confirmed. Entering again
        before confirmation replaces the sheet (and clears nothing else: it was not confirmed).
    assessment_count_confirm(*, assessment_id, actor) -> AssessmentCount
        A different admin confirms it: the one who entered it gets NotPermitted (403, code
        "second_user_required"); confirming twice is a no-op.

Both write a history row (simple_history, with the acting admin as its user): the audit of who entered and who
confirmed which numbers. `assessment_close` reads the confirmed sheet.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bodies.models import Counting
from liaison.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from liaison.scoping import user_sees_area

from ..models import Assessment, AssessmentCount
from ..selectors import assessment_roll_size

MAX_COUNT = 100_000


def _locked(assessment_id: int, actor) -> Assessment:
    if not getattr(actor, "is_portal_admin", False):
        raise NotPermitted(_("仅限管理员录入和确认计票结果。"))
    try:
        a = Assessment.objects.select_for_update().select_related("area").get(pk=assessment_id)
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if not user_sees_area(actor, a.area):
        raise NotFound()
    if a.counting == Counting.ONLINE:
        raise InvalidTransition(_("本次测评为网上投票，无需录入计票结果。"), code="counted_online")
    return a


def _number(value, field: str, errors: dict) -> int | None:
    if value is None or value == "":
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        errors[field] = [_("请填写 0 到 100000 之间的整数。")]
        return None
    if isinstance(value, float) and value != n or not 0 <= n <= MAX_COUNT:
        errors[field] = [_("请填写 0 到 100000 之间的整数。")]
        return None
    return n


@transaction.atomic
def assessment_count_enter(
    *,
    assessment_id: int,
    actor,
    present,
    satisfied,
    basically_satisfied,
    unsatisfied,
    method: str | None = None,
    papers_issued=None,
    papers_returned=None,
    valid=None,
    invalid=None,
    note: str = "",
) -> AssessmentCount:
    a = _locked(assessment_id, actor)
    if a.status != Assessment.Status.OPEN:
        raise InvalidTransition(_("测评开始后、结束前才能录入计票结果。"))
    sheet = AssessmentCount.objects.select_for_update().filter(assessment=a).first()
    if sheet is not None and sheet.is_confirmed:
        raise InvalidTransition(_("计票结果已核对确认，不能再修改。"), code="count_confirmed")

    errors: dict[str, list[str]] = {}
    method = method or a.counting
    if method not in (Counting.PAPER, Counting.DEVICE):
        errors["method"] = [_("计票方式只能是纸质选票或表决器。")]
    n = {
        f: _number(v, f, errors)
        for f, v in {
            "present": present,
            "papers_issued": papers_issued,
            "papers_returned": papers_returned,
            "valid": valid,
            "invalid": invalid,
            "satisfied": satisfied,
            "basically_satisfied": basically_satisfied,
            "unsatisfied": unsatisfied,
        }.items()
    }
    for f in ("present", "satisfied", "basically_satisfied", "unsatisfied"):
        if n[f] is None and f not in errors:
            errors[f] = [_("请填写此项。")]
    if errors:
        raise ValidationFailed(errors)

    present = n["present"]
    issued = present if n["papers_issued"] is None else n["papers_issued"]
    returned = issued if n["papers_returned"] is None else n["papers_returned"]
    invalid = 0 if n["invalid"] is None else n["invalid"]
    valid = returned - invalid if n["valid"] is None else n["valid"]
    votes = n["satisfied"] + n["basically_satisfied"] + n["unsatisfied"]
    roll_size = assessment_roll_size(a)
    if present > roll_size:
        errors["present"] = [
            _("实到人数（%(n)s）不能多于应到人数（%(r)s）。") % {"n": present, "r": roll_size}
        ]
    if issued > present:
        errors["papers_issued"] = [
            _("发出选票（%(n)s）不能多于实到人数（%(p)s）。") % {"n": issued, "p": present}
        ]
    if returned > issued:
        errors["papers_returned"] = [
            _("收回选票（%(n)s）不能多于发出选票（%(i)s）。") % {"n": returned, "i": issued}
        ]
    if valid < 0 or valid + invalid != returned:
        errors["valid"] = [_("有效票与无效票之和须等于收回选票（%(n)s）。") % {"n": returned}]
    if votes > returned or votes > max(valid, 0):
        errors["satisfied"] = [
            _("满意、基本满意、不满意票数之和（%(v)s）不能多于收回的有效选票（%(n)s）。")
            % {"v": votes, "n": min(returned, max(valid, 0))}
        ]
    if errors:
        raise ValidationFailed(errors)

    fields = {
        "method": method,
        "present": present,
        "papers_issued": issued,
        "papers_returned": returned,
        "valid": valid,
        "invalid": invalid,
        "satisfied": n["satisfied"],
        "basically_satisfied": n["basically_satisfied"],
        "unsatisfied": n["unsatisfied"],
        "note": (note or "").strip()[:500],
        "entered_by": actor,
    }
    if sheet is None:
        sheet = AssessmentCount(assessment=a, **fields)
    else:
        for k, v in fields.items():
            setattr(sheet, k, v)
        sheet.entered_at = timezone.now()
    sheet._history_user = actor  # the audit row names the admin, with or without a request
    sheet.save()
    return sheet


@transaction.atomic
def assessment_count_confirm(*, assessment_id: int, actor) -> AssessmentCount:
    a = _locked(assessment_id, actor)
    sheet = AssessmentCount.objects.select_for_update().filter(assessment=a).first()
    if sheet is None:
        raise InvalidTransition(_("还没有录入计票结果。"), code="count_missing")
    if sheet.is_confirmed:
        return sheet
    if sheet.entered_by_id == actor.pk:
        raise NotPermitted(_("计票结果须由录入人以外的另一位管理员核对确认。"), code="second_user_required")
    sheet.confirmed_by = actor
    sheet.confirmed_at = timezone.now()
    sheet._history_user = actor
    sheet.save(update_fields=["confirmed_by", "confirmed_at"])
    return sheet
