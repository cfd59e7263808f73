"""Supervision activities (视察, 调研, 执法检查…): their course, records, and the clues asked of delegates
before them (督前征集) with the reminder sweep."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.acts import delegate_act
from liaison.errors import InvalidTransition, NotPermitted, ValidationFailed
from liaison.notifications.services import Recipient, notify
from liaison.uploads import check_image
from stations.models import Area, Delegate, HandlingUnit

from ..models import Activity, ActivityRecord, Clue, ClueRequest, SupervisionPlan, Topic
from ._common import NotFound, _link, _locked_activity, _locked_topic, _require


@transaction.atomic
def activity_create(
    *,
    kind: str,
    title: str,
    area: Area,
    actor=None,
    plan: SupervisionPlan | None = None,
    topic: Topic | None = None,
    description: str = "",
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    place: str = "",
    delegates: Iterable[Delegate] = (),
    units: Iterable[HandlingUnit] = (),
    committee_members: str = "",
    official_name: str = "",
    official_title: str = "",
) -> Activity:
    if kind not in Activity.Kind.values:
        raise ValidationFailed(_("未知的监督形式：%(kind)s") % {"kind": kind})
    if starts_at and ends_at and ends_at < starts_at:
        raise ValidationFailed(_("结束时间不能早于开始时间。"))
    if topic is not None and plan is None:
        plan = topic.plan
    a = Activity.objects.create(
        kind=kind,
        title=_require(title, _("请填写活动名称。"))[:200],
        area=area,
        plan=plan,
        topic=topic,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        committee_members=committee_members,
        official_name=official_name,
        official_title=official_title,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    a.delegates.set(list(delegates))
    a.units.set(list(units))
    return a


@transaction.atomic
def activity_start(*, activity_id: int, actor=None) -> Activity:
    a = _locked_activity(activity_id)
    if a.status == Activity.Status.IN_PROGRESS:
        return a
    if a.status != Activity.Status.PLANNED:
        raise InvalidTransition(_("活动已完成。"))
    a.status = Activity.Status.IN_PROGRESS
    a.save(update_fields=["status"])
    return a


@transaction.atomic
def activity_finish(*, activity_id: int, actor=None) -> Activity:
    """Done; the topic it served is done once none of its activities is still open."""
    a = _locked_activity(activity_id)
    if a.status == Activity.Status.DONE:
        return a
    a.status = Activity.Status.DONE
    a.save(update_fields=["status"])
    for delegate_id in a.delegates.values_list("pk", flat=True):
        delegate_act(
            delegate_id=delegate_id, kind="activity_joined", source=a, happened_at=a.ends_at or a.starts_at
        )
    if a.topic_id:
        t = _locked_topic(a.topic_id)
        if (
            t.status == Topic.Status.SELECTED
            and not t.activities.exclude(status=Activity.Status.DONE).exists()
        ):
            t.status = Topic.Status.DONE
            t.save(update_fields=["status"])
    return a


@transaction.atomic
def activity_record_add(
    *, activity_id: int, text: str = "", photo=None, is_public: bool = True, actor=None
) -> ActivityRecord:
    checked = check_image(photo) if photo else None  # decoded before the row lock is taken
    a = _locked_activity(activity_id)
    if not (text or "").strip() and not photo:
        raise ValidationFailed(_("请填写记录或上传照片。"))
    return ActivityRecord.objects.create(
        activity=a,
        text=(text or "").strip(),
        photo=checked.file if checked else "",
        is_public=is_public,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


def _area_delegate_users(area: Area):
    from liaison.accounts.models import User

    return User.objects.filter(
        is_active=True, delegate__is_active=True, delegate__area__path__startswith=area.path
    ).select_related("delegate")


@transaction.atomic
def clue_request_create(*, activity_id: int, deadline: dt.date, message: str = "", actor=None) -> ClueRequest:
    """督前征集: ask the delegates of the activity's area for clues and opinions by a deadline."""
    a = _locked_activity(activity_id)
    if deadline < timezone.localdate():
        raise ValidationFailed(_("截止日期不能早于今天。"))
    cr = ClueRequest.objects.create(
        activity=a,
        deadline=deadline,
        message=message,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    notify(
        [Recipient(user=u) for u in _area_delegate_users(a.area)],
        kind="clue_request",
        key=f"clue-request:{cr.pk}",
        subject=_("请在%(deadline)s前提供“%(title)s”的线索和意见") % {"deadline": deadline, "title": a.title},
        body=message,
        link=_link("clue-submit", cr.pk),
    )
    return cr


@transaction.atomic
def clue_submit(*, request_id: int, delegate: Delegate, content: str, today: dt.date | None = None) -> Clue:
    today = today or timezone.localdate()
    try:
        cr = ClueRequest.objects.select_related("activity__area").get(pk=request_id)
    except ClueRequest.DoesNotExist:
        raise NotFound() from None
    if delegate is None or not cr.activity.area.contains(delegate.area):
        raise NotPermitted(_("只有本区划的代表可以提供线索。"))
    if today > cr.deadline:
        raise InvalidTransition(_("线索征集已截止。"))
    clue = Clue.objects.create(
        request=cr, delegate=delegate, content=_require(content, _("请填写线索或意见。"))
    )
    delegate_act(delegate_id=delegate.pk, kind="clue_given", source=clue)
    return clue


def clue_reminders_sweep(*, today: dt.date | None = None) -> int:
    """Remind delegates who have not answered, once, on the last working day before the deadline."""
    from liaison.workdays import workdays_between

    today = today or timezone.localdate()
    sent = 0
    for cr in ClueRequest.objects.filter(reminded_at=None, deadline__gte=today).select_related(
        "activity__area"
    ):
        if workdays_between(today, cr.deadline) > 1:
            continue
        with transaction.atomic():
            if ClueRequest.objects.filter(pk=cr.pk, reminded_at=None).update(reminded_at=timezone.now()) != 1:
                continue
            answered = set(cr.clues.values_list("delegate_id", flat=True))
            users = [u for u in _area_delegate_users(cr.activity.area) if u.delegate_id not in answered]
            notify(
                [Recipient(user=u) for u in users],
                kind="clue_reminder",
                key=f"clue-reminder:{cr.pk}",
                subject=_("线索征集将于%(deadline)s截止：%(title)s")
                % {"deadline": cr.deadline, "title": cr.activity.title},
                link=_link("clue-submit", cr.pk),
            )
            sent += 1
    return sent
