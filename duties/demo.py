"""Demo data for `manage.py seed_demo`: a year of record for the demo delegates (monthly reception days, a
few opinions), trainings, report-backs (one rated and closed, one open for rating, one scheduled), a
self-report approved and one waiting for review; then the ledger is completed from the other apps' demo data
(backfill). Idempotent: a second run finds the first training and does nothing."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from liaison.accounts.models import User
from stations.models import StationMembership
from stations.services import reception_log_create
from supervision.services.sms_codes import phone_hash

from .backfill import backfill
from .models import DutyEntry, ReportBack, ReportBackRating
from .points import rules_seed_year
from .services.records import self_report_approve, self_report_submit
from .services.report_backs import (
    paper_tally_confirm,
    paper_tally_enter,
    report_back_hold,
    report_back_schedule,
)
from .services.trainings import training_create

TRAININGS = ["代表履职能力提升专题培训", "《代表法》学习会", "基层立法联系点工作培训"]
OPINIONS = [
    "小区路灯损坏，夜间出行不便",
    "农贸市场周边占道经营",
    "希望增加社区养老服务点",
    "学校门口缺少减速带",
]


def _months_back(today: dt.date, n: int) -> dt.date:
    y, m = divmod(today.year * 12 + today.month - 1 - n, 12)
    return dt.date(y, m + 1, min(17, 28))


@transaction.atomic
def seed() -> int:
    from .models import Training

    if Training.objects.filter(title=TRAININGS[0]).exists():
        return 0
    staff = User.objects.filter(username="staff").select_related("area").first()
    admin = User.objects.filter(username="admin").first()
    users = list(
        User.objects.filter(username__regex=r"^delegate\d{2}$", delegate__isnull=False)
        .select_related("delegate")
        .order_by("username")[:5]
    )
    if staff is None or not users:
        return 0
    today = timezone.localdate()
    rules_seed_year(today.year)
    before = DutyEntry.objects.count()
    memberships = {
        m.delegate_id: m.station
        for m in StationMembership.objects.filter(delegate__in=[u.delegate for u in users]).select_related(
            "station__area"
        )
    }
    with_station = [u for u in users if u.delegate_id in memberships]
    for i, u in enumerate(with_station):
        station = memberships[u.delegate_id]
        for n in range(12 - i * 2, 0, -1):
            held_on = _months_back(today, n)
            items = [OPINIONS[(n + i) % len(OPINIONS)]] if n % 4 == 0 else []
            reception_log_create(
                delegate=u.delegate,
                station=station,
                held_on=held_on,
                visitors=3 + (n + i) % 6,
                summary="接待群众，了解社情民意。",
                items=items,
                actor=u,
            )
    delegates = [u.delegate for u in users]
    for k, title in enumerate(TRAININGS):
        training_create(
            title=title,
            held_on=_months_back(today, 2 + 3 * k),
            area=staff.area,
            attendees=[d.pk for d in delegates[: 5 - k]],
            actor=staff,
            content="集中学习、交流履职经验。",
        )
    if with_station:
        first, station = with_station[0], memberships[with_station[0].delegate_id]
        rb = report_back_schedule(
            delegate_id=first.delegate_id, station=station, scheduled_on=_months_back(today, 3), actor=staff
        )
        report_back_hold(
            report_back_id=rb.pk, report="一年来，本人认真履行代表职责……", attendance=46, actor=staff
        )
        ReportBackRating.objects.bulk_create(
            ReportBackRating(report_back=rb, phone_hash=phone_hash(f"1990001{i:04d}"), rating=r)
            for i, r in enumerate(["satisfied"] * 12 + ["basically_satisfied"] * 4 + ["unsatisfied"])
        )
        ReportBack.objects.filter(pk=rb.pk).update(
            online_satisfied=F("online_satisfied") + 12,
            online_basically_satisfied=F("online_basically_satisfied") + 4,
            online_unsatisfied=F("online_unsatisfied") + 1,
        )
        paper_tally_enter(
            report_back_id=rb.pk, satisfied=20, basically_satisfied=5, unsatisfied=1, actor=staff
        )
        if admin is not None and admin.pk != staff.pk and admin.area_id:
            paper_tally_confirm(report_back_id=rb.pk, actor=admin)
        ReportBack.objects.filter(pk=rb.pk).update(
            status=ReportBack.Status.CLOSED, rating_closes_at=timezone.now() - dt.timedelta(days=60)
        )
    if len(with_station) > 1:
        second = with_station[1]
        rb = report_back_schedule(
            delegate_id=second.delegate_id,
            station=memberships[second.delegate_id],
            scheduled_on=today,
            actor=staff,
        )
        report_back_hold(
            report_back_id=rb.pk, report="述职报告（演示）：接待选民、参加视察……", attendance=30, actor=staff
        )
    if len(with_station) > 2:
        third = with_station[2]
        report_back_schedule(
            delegate_id=third.delegate_id,
            station=memberships[third.delegate_id],
            scheduled_on=today + dt.timedelta(days=14),
            actor=staff,
        )
    d1 = users[0]
    r = self_report_submit(
        delegate=d1.delegate,
        kind="congress_session",
        occurred_on=_months_back(today, 10),
        note="出席区人代会",
        actor=d1,
    )
    self_report_approve(report_id=r.pk, actor=staff)
    self_report_submit(
        delegate=d1.delegate,
        kind="group_activity",
        occurred_on=_months_back(today, 1),
        note="代表小组调研",
        actor=d1,
    )
    backfill()  # the other apps' demo acts (ballot papers, assessment votes, activities …)
    return DutyEntry.objects.count() - before
