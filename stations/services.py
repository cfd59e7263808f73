"""Every write to the station network: duty reminders, reception logs, appointments (the reception days
themselves are planned in stations.reception_days)."""

import datetime as dt
import re

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.acts import delegate_act
from liaison.codes import save_with_new_code
from liaison.errors import InvalidTransition, ValidationFailed, get_or_not_found
from liaison.notifications.services import Recipient, notify
from liaison.privacy import PHONE_MESSAGE, PHONE_RE

from .models import (
    APPOINTMENT_CODE_LENGTH,
    APPOINTMENT_CODE_PREFIX,
    Appointment,
    Delegate,
    ReceptionDay,
    ReceptionDuty,
    ReceptionLog,
    ReceptionLogItem,
    Station,
)
from .reception_days import reception_days_generate, reception_days_plan  # noqa: F401 - re-exported


def _delegate_recipient(delegate: Delegate) -> Recipient:
    """The delegate's account (inbox, plus its email or phone); the roster mobile when the account has neither."""
    user = getattr(delegate, "user", None)
    return Recipient(user=user, phone="" if user and (user.email or user.phone) else delegate.mobile)


def reception_duty_remind(*, today: dt.date | None = None) -> int:
    """Remind every delegate on duty tomorrow, once per delegate and day however often this runs."""
    tomorrow = (today or timezone.localdate()) + dt.timedelta(days=1)
    duties = (
        ReceptionDuty.objects.filter(day__date=tomorrow, day__cancelled=False)
        .select_related("day__station", "delegate__user")
        .order_by("pk")
    )
    sent = 0
    for duty in duties.iterator(chunk_size=500):
        day, delegate = duty.day, duty.delegate
        recipient = _delegate_recipient(delegate)
        subject = _("明天（%(date)s %(time)s）您在%(station)s值班接待选民") % {
            "date": day.date.isoformat(),
            "time": day.start_time.strftime("%H:%M"),
            "station": day.station.name,
        }
        sent += notify(
            [recipient],
            kind="reception_duty_reminder",
            # The date is part of the occasion: a day that moves after its reminder gets a new one.
            key=f"reception-duty:{day.pk}:{delegate.pk}:{day.date}",
            subject=subject,
            body=day.station.address,
            link=reverse("station-detail", args=[day.station_id]),
        )
    return sent


@transaction.atomic
def reception_log_create(
    *,
    delegate: Delegate,
    station: Station,
    held_on: dt.date,
    visitors: int,
    summary: str,
    items: list[str | dict],
    reception_day: ReceptionDay | None = None,
    actor=None,
) -> ReceptionLog:
    """Log a reception day. `items` are the opinions raised: a text each, or {content, name, phone} with the
    constituent's optional contact (a phone must be a mobile number)."""
    if held_on > timezone.localdate():
        raise ValidationFailed(_("接待日期不能晚于今天。"))
    if not station.memberships.filter(delegate=delegate).exists() and not (
        reception_day and reception_day.duties.filter(delegate=delegate).exists()
    ):
        raise ValidationFailed(_("您不是该联络站的进站代表。"))
    log = ReceptionLog.objects.create(
        station=station,
        delegate=delegate,
        held_on=held_on,
        visitors=visitors,
        summary=summary,
        reception_day=reception_day,
        created_by=actor,
    )
    rows = [{"content": i} if isinstance(i, str) else i for i in items]
    made = []
    for position, row in enumerate(r for r in rows if (r.get("content") or "").strip()):
        phone = (row.get("phone") or "").strip()
        if phone and not re.fullmatch(PHONE_RE, phone):
            raise ValidationFailed({"phone": [PHONE_MESSAGE]})
        made.append(
            ReceptionLogItem(
                log=log,
                position=position,
                content=row["content"].strip()[:2000],
                constituent_name=(row.get("name") or "").strip()[:50],
                constituent_phone=phone,
            )
        )
    ReceptionLogItem.objects.bulk_create(made)
    delegate_act(delegate_id=delegate.pk, kind="reception_log", source=log, happened_at=held_on)
    transaction.on_commit(lambda: _after_reception_log(log.pk))
    return log


def _after_reception_log(log_id: int) -> None:
    """Hook point for apps that act on reception logs (the suggestions app turns items into suggestions)."""
    from django.apps import apps

    for config in apps.get_app_configs():
        hook = getattr(config, "on_reception_log", None)
        if hook:
            hook(log_id)


@transaction.atomic
def appointment_request(
    *,
    delegate: Delegate,
    name: str,
    phone: str,
    subject: str,
    preferred_date: dt.date | None = None,
    station: Station | None = None,
) -> Appointment:
    if not delegate.is_active:
        raise ValidationFailed(_("该代表暂不接受预约。"))
    if station is not None and not station.memberships.filter(delegate=delegate).exists():
        raise ValidationFailed(_("该代表不在所选联络站。"))
    if preferred_date is not None and preferred_date < timezone.localdate():
        raise ValidationFailed(_("希望日期不能早于今天。"))
    appt = save_with_new_code(
        lambda code: Appointment.objects.create(
            code=code,
            delegate=delegate,
            station=station,
            name=name,
            phone=phone,
            subject=subject,
            preferred_date=preferred_date,
        ),
        prefix=APPOINTMENT_CODE_PREFIX,
        length=APPOINTMENT_CODE_LENGTH,
    )
    notify(
        [_delegate_recipient(delegate)],
        kind="appointment_requested",
        key=f"appointment-requested:{appt.pk}",
        subject=_("有群众预约与您见面（预约编号 %(code)s）") % {"code": appt.code},
        link=reverse("workspace-appointments"),
    )
    return appt


def _locked(appointment_id: int) -> Appointment:
    return get_or_not_found(
        Appointment.objects.select_for_update().select_related("delegate"), pk=appointment_id
    )


def _notify_constituent(appt: Appointment, kind: str, text: str) -> None:
    notify(
        [Recipient(phone=appt.phone)],
        kind=kind,
        key=f"{kind}:{appt.pk}",
        subject=text,
        link=reverse("appointment-status", args=[appt.code]),
    )


@transaction.atomic
def appointment_accept(
    *, appointment_id: int, scheduled_at: dt.datetime, place: str = "", actor=None
) -> Appointment:
    appt = _locked(appointment_id)
    if appt.status != Appointment.Status.REQUESTED:
        raise InvalidTransition(_("只有待答复的预约可以接受。"))
    if scheduled_at < timezone.now():
        raise ValidationFailed(_("约定时间不能早于现在。"))
    appt.status, appt.scheduled_at, appt.place = Appointment.Status.ACCEPTED, scheduled_at, place
    appt.save(update_fields=["status", "scheduled_at", "place", "updated_at"])
    when = timezone.localtime(scheduled_at).strftime("%Y-%m-%d %H:%M")
    _notify_constituent(
        appt,
        "appointment_accepted",
        _("%(name)s代表已接受您的预约：%(when)s %(place)s")
        % {"name": appt.delegate.name, "when": when, "place": place},
    )
    return appt


@transaction.atomic
def appointment_decline(*, appointment_id: int, reason: str, actor=None) -> Appointment:
    appt = _locked(appointment_id)
    if appt.status != Appointment.Status.REQUESTED:
        raise InvalidTransition(_("只有待答复的预约可以婉拒。"))
    if not reason.strip():
        raise ValidationFailed(_("请填写婉拒理由。"))
    appt.status, appt.decline_reason = Appointment.Status.DECLINED, reason.strip()
    appt.save(update_fields=["status", "decline_reason", "updated_at"])
    _notify_constituent(
        appt,
        "appointment_declined",
        _("%(name)s代表未能接受您的预约：%(reason)s")
        % {"name": appt.delegate.name, "reason": appt.decline_reason},
    )
    return appt


@transaction.atomic
def appointment_mark_held(*, appointment_id: int, actor=None) -> Appointment:
    appt = _locked(appointment_id)
    if appt.status != Appointment.Status.ACCEPTED:
        raise InvalidTransition(_("只有已接受的预约可以标记为已见面。"))
    if appt.scheduled_at and appt.scheduled_at > timezone.now():
        raise ValidationFailed(
            _("约定时间（%(when)s）还没到，见面后再标记为已见面。")
            % {"when": timezone.localtime(appt.scheduled_at).strftime("%Y-%m-%d %H:%M")}
        )
    appt.status = Appointment.Status.HELD
    appt.save(update_fields=["status", "updated_at"])
    delegate_act(
        delegate_id=appt.delegate_id, kind="appointment_held", source=appt, happened_at=appt.scheduled_at
    )
    _notify_constituent(
        appt,
        "appointment_held",
        _("感谢您与%(name)s代表见面交流，您反映的事项代表会持续跟进。") % {"name": appt.delegate.name},
    )
    return appt
