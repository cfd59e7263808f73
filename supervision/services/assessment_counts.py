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

from bodies.counting import count_value, sheet_check, votes_check
from bodies.models import Counting
from liaison.errors import InvalidTransition, NotFound, NotPermitted
from liaison.scoping import user_sees_area

from ..models import Assessment, AssessmentCount
from ..selectors import assessment_roll_size


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

    # The sheet's rules are the ballots' (bodies.counting): the papers add up, the votes fit the valid papers.
    head = sheet_check(
        roll_size=assessment_roll_size(a),
        present=present,
        method=method or a.counting,
        papers_issued=papers_issued,
        papers_returned=papers_returned,
        valid=valid,
        invalid=invalid,
        note=note,
    )
    votes = {
        "satisfied": count_value(satisfied, _("满意")),
        "basically_satisfied": count_value(basically_satisfied, _("基本满意")),
        "unsatisfied": count_value(unsatisfied, _("不满意")),
    }
    votes_check(votes, head, a.title)

    fields = {**head.as_fields(), **votes, "entered_by": actor}
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
