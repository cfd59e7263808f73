"""Recording a council meeting: one transaction writes the meeting, every member's attendance, a duty-record
entry for each attending delegate (through liaison.acts) and a `council` suggestion per opinion, accepted and
ready to be referred like any other."""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bodies.models import Body, BodyMember, members_on
from liaison.acts import delegate_act
from liaison.errors import NotFound, ValidationFailed
from liaison.scoping import user_sees_area
from suggestions import stats as suggestion_stats
from suggestions.conf import conf as suggestion_conf
from suggestions.models import Suggestion
from suggestions.services.intake import suggestion_submit
from suggestions.services.triage import suggestion_accept

from .models import Attendance, Meeting, MeetingOpinion

# The act announced for each attending delegate (duties.ledger maps it to the council-meeting entry kind).
ATTENDED_ACT = "council_meeting_attended"
# The time of day a meeting's opinions carry (the meeting has no time of its own).
MEETING_TIME = dt.time(9, 0)
MAX_OPINIONS = 50


def _ids(raw, field: str) -> list[int]:
    try:
        ids = [int(x) for x in (raw or [])]
    except (TypeError, ValueError):
        raise ValidationFailed({field: [_("成员编号不正确。")]}) from None
    return list(dict.fromkeys(ids))


def _opinions(
    raw: Iterable[Mapping], present: dict[int, BodyMember]
) -> list[tuple[str, BodyMember | None, str]]:
    out = []
    for i, item in enumerate(raw or []):
        content = str(item.get("content") or "").strip()
        if not content:
            raise ValidationFailed({"opinions": {str(i): [_("请填写意见内容。")]}})
        if len(content) > suggestion_conf.CONTENT_MAX:
            raise ValidationFailed({"opinions": {str(i): [_("意见内容过长。")]}})
        member = None
        if item.get("member") not in (None, ""):
            try:
                member = present.get(int(item["member"]))
            except (TypeError, ValueError):
                member = None
            if member is None:
                raise ValidationFailed({"opinions": {str(i): [_("提出意见的须是出席会议的成员。")]}})
        category = item.get("category") or Suggestion.Category.OTHER
        if category not in Suggestion.Category.values:
            raise ValidationFailed({"opinions": {str(i): [_("未知的类别。")]}})
        out.append((content, member, category))
    if len(out) > MAX_OPINIONS:
        raise ValidationFailed({"opinions": [_("一次最多登记 %(n)d 条意见。") % {"n": MAX_OPINIONS}]})
    return out


@transaction.atomic
def meeting_record(
    *,
    body: Body,
    held_on: dt.date,
    agenda: str,
    attendance: Iterable[int],
    minutes: str = "",
    opinions: Iterable[Mapping] = (),
    title: str = "",
    place: str = "",
    actor=None,
) -> Meeting:
    """Record a held meeting of a street council. `attendance`: the ids of the members present, each a member of
    the body on `held_on`; `opinions`: `[{content, member?, category?}]`, a member being one of those present.
    Staff of another area get NotFound; bad input raises ValidationFailed and stores nothing."""
    if actor is not None and not user_sees_area(actor, body.area):
        raise NotFound()
    if body.kind != Body.Kind.STREET_COUNCIL:
        raise ValidationFailed(_("只有街道议政代表会在此登记会议。"))
    if held_on > timezone.localdate():
        raise ValidationFailed({"held_on": [_("会议日期不能晚于今天。")]})
    agenda = (agenda or "").strip()
    if not agenda:
        raise ValidationFailed({"agenda": [_("请填写会议议程。")]})
    ids = _ids(attendance, "attendance")
    if not ids:
        raise ValidationFailed({"attendance": [_("请选择出席会议的成员。")]})
    roll = {m.pk: m for m in members_on(body.pk, held_on).select_related("delegate")}
    strangers = [i for i in ids if i not in roll]
    if strangers:
        raise ValidationFailed(
            {
                "attendance": [
                    _("以下成员在会议当天不是本机构成员：%(ids)s")
                    % {"ids": ", ".join(str(i) for i in strangers)}
                ]
            }
        )
    present = {i: roll[i] for i in ids}
    raised = _opinions(opinions, present)

    meeting = Meeting.objects.create(
        body=body,
        held_on=held_on,
        title=(title or "").strip()[:200],
        place=(place or "").strip()[:200],
        agenda=agenda[:4000],
        minutes=(minutes or "").strip()[:20000],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=pk, present=pk in present) for pk in roll]
    )
    for member in present.values():
        if member.delegate_id:
            delegate_act(
                delegate_id=member.delegate_id, kind=ATTENDED_ACT, source=meeting, happened_at=held_on
            )

    raised_at = dt.datetime.combine(held_on, MEETING_TIME, tzinfo=timezone.get_current_timezone())
    for position, (content, member, category) in enumerate(raised):
        s = suggestion_submit(
            title=content.splitlines()[0][:40],
            content=content,
            channel=Suggestion.Channel.COUNCIL,
            category=category,
            area=body.area,
            submitter_name=member.name if member else "",
            actor=actor,
            raised_at=raised_at,
        )
        s = suggestion_accept(suggestion_id=s.pk, actor=actor)
        MeetingOpinion.objects.create(
            meeting=meeting, member=member, content=content, suggestion=s, position=position
        )
    if raised and raised_at < suggestion_stats.month_start(timezone.localdate()):
        # An earlier month's statistics cells count them at once: fold now (as reception logs do).
        transaction.on_commit(suggestion_stats.refresh)
    return meeting
