"""What the supervision services share: deadlines, links, the
required-text check and the row locks of topics and activities."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import NotFound, ValidationFailed
from liaison.workdays import add_months, add_workdays, next_workday

from ..conf import conf
from ..models import Activity, Topic

MAX_DUE_MONTHS = 24


def due_date(
    *,
    due: dt.date | None = None,
    due_months: int | None = None,
    due_workdays: int | None = None,
    today: dt.date | None = None,
) -> dt.date:
    today = today or timezone.localdate()
    if due is not None:
        # A deadline typed by hand must lie ahead, and within the longest term a rectification may be given: a
        # date in 1900 or 2999 is a typing slip, never a deadline to show the public.
        latest = next_workday(add_months(today, MAX_DUE_MONTHS))
        if not today < due <= latest:
            raise ValidationFailed(
                _("整改期限须在今天之后、%(latest)s之前。") % {"latest": latest.isoformat()}
            )
        return due
    if due_workdays is not None:
        if due_workdays < 1:
            raise ValidationFailed(_("整改期限必须至少为1个工作日。"))
        return add_workdays(today, due_workdays)
    months = conf.RECTIFICATION_MONTHS if due_months is None else due_months
    if months < 1:
        raise ValidationFailed(_("整改期限必须至少为1个月。"))
    return next_workday(add_months(today, months))


def _link(name: str, pk: int) -> str:
    return reverse(f"supervision:{name}", args=[pk])


def _require(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(message)
    return text


def _locked_topic(pk: int) -> Topic:
    try:
        return Topic.objects.select_for_update().get(pk=pk)
    except Topic.DoesNotExist:
        raise NotFound() from None


def _locked_activity(pk: int) -> Activity:
    try:
        return Activity.objects.select_for_update().get(pk=pk)
    except Activity.DoesNotExist:
        raise NotFound() from None
