"""五簿一档: the six books of a station for a period, as Excel (openpyxl), CSV and printable pages.

代表活动记录簿 (activities), 代表接待选民记录簿 (receptions), 代表学习培训记录簿 (trainings),
选民反映问题转办反馈记录簿 (referrals: the suggestions app's register), 代表述职情况记录簿 (report-backs),
代表履职档案 (records: one sheet per delegate). Every cell goes through liaison.exports.safe_row. Each book
reads a fixed number of queries whatever its length; personal data stays masked.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.exports import safe_row
from liaison.privacy import mask_name
from stations.models import ReceptionLog, ReceptionLogItem, Station

from .models import DutyEntry, ReportBack, Training

BOOKS = {
    "activities": gettext_lazy("代表活动记录簿"),
    "receptions": gettext_lazy("代表接待选民记录簿"),
    "trainings": gettext_lazy("代表学习培训记录簿"),
    "referrals": gettext_lazy("选民反映问题转办反馈记录簿"),
    "report-backs": gettext_lazy("代表述职情况记录簿"),
    "records": gettext_lazy("代表履职档案"),
}


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list]


def _delegate_ids(station: Station) -> list[int]:
    return list(station.memberships.values_list("delegate_id", flat=True))


def _entries(station: Station, start: dt.date, end: dt.date):
    return (
        DutyEntry.objects.filter(delegate_id__in=_delegate_ids(station), occurred_on__range=(start, end))
        .select_related("delegate")
        .order_by("occurred_on", "id")
    )


def _entry_headers() -> list[str]:
    return [_("日期"), _("代表"), _("履职类型"), _("说明"), _("冲销")]


def _entry_row(e: DutyEntry) -> list:
    return [e.occurred_on, e.delegate.name, e.get_kind_display(), e.note, _("是") if e.sign < 0 else ""]


def activities(station, start, end) -> list[Sheet]:
    return [
        Sheet(
            str(BOOKS["activities"]), _entry_headers(), [_entry_row(e) for e in _entries(station, start, end)]
        )
    ]


def receptions(station, start, end) -> list[Sheet]:
    logs = (
        ReceptionLog.objects.filter(station=station, held_on__range=(start, end))
        .select_related("delegate")
        .prefetch_related(
            Prefetch(
                "items", queryset=ReceptionLogItem.objects.select_related("suggestion").order_by("position")
            )
        )
        .order_by("held_on", "id")
    )
    rows = []
    for log in logs:
        items = list(log.items.all()) or [None]
        for item in items:
            s = getattr(item, "suggestion", None) if item else None
            rows.append(
                [
                    log.held_on,
                    log.delegate.name,
                    log.visitors,
                    mask_name(item.constituent_name) if item else "",
                    item.content if item else log.summary,
                    s.tracking_code if s else "",
                    s.get_status_display() if s else "",
                ]
            )
    headers = [
        _("接待日期"),
        _("接待代表"),
        _("接待人数"),
        _("反映人"),
        _("反映问题"),
        _("查询码"),
        _("办理情况"),
    ]
    return [Sheet(str(BOOKS["receptions"]), headers, rows)]


def trainings(station, start, end) -> list[Sheet]:
    ids = set(_delegate_ids(station))
    qs = (
        Training.objects.filter(held_on__range=(start, end), attendees__in=ids)
        .distinct()
        .prefetch_related("attendees")
        .order_by("held_on", "id")
    )
    rows = [
        [t.held_on, t.title, t.content, "、".join(d.name for d in t.attendees.all() if d.pk in ids)]
        for t in qs
    ]
    return [
        Sheet(str(BOOKS["trainings"]), [_("培训日期"), _("培训主题"), _("培训内容"), _("参训代表")], rows)
    ]


def referrals(station, start, end) -> list[Sheet]:
    from suggestions import exports
    from suggestions.stats import Period

    rows = list(exports.rows(station.area, Period(start, end)))
    return [Sheet(str(BOOKS["referrals"]), exports.headers(), rows)]


def report_backs(station, start, end) -> list[Sheet]:
    qs = (
        ReportBack.objects.filter(station=station, scheduled_on__range=(start, end))
        .select_related("delegate")
        .order_by("scheduled_on", "id")
    )
    rows = []
    for rb in qs:
        t = rb.tally()
        rows.append(
            [
                rb.scheduled_on,
                rb.delegate.name,
                rb.get_status_display(),
                rb.attendance,
                t.satisfied,
                t.basically_satisfied,
                t.unsatisfied,
                f"{t.rate:.1%}" if t.rate is not None else "",
            ]
        )
    headers = [
        _("述职日期"),
        _("代表"),
        _("状态"),
        _("参会人数"),
        _("满意"),
        _("基本满意"),
        _("不满意"),
        _("满意率"),
    ]
    return [Sheet(str(BOOKS["report-backs"]), headers, rows)]


def records(station, start, end) -> list[Sheet]:
    by_delegate: dict[int, Sheet] = {}
    for m in station.memberships.select_related("delegate").order_by("delegate__name", "delegate_id"):
        by_delegate[m.delegate_id] = Sheet(m.delegate.name, _entry_headers(), [])
    for e in _entries(station, start, end):
        by_delegate[e.delegate_id].rows.append(_entry_row(e))
    return list(by_delegate.values())


BUILDERS = {
    "activities": activities,
    "receptions": receptions,
    "trainings": trainings,
    "referrals": referrals,
    "report-backs": report_backs,
    "records": records,
}


def build(book: str, station: Station, start: dt.date, end: dt.date) -> list[Sheet]:
    return BUILDERS[book](station, start, end)


def _text(v):
    return v.isoformat() if isinstance(v, dt.date) else v


def to_csv(sheets: Iterable[Sheet]) -> bytes:
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf)
    sheets = list(sheets)
    many = len(sheets) > 1
    for sh in sheets:
        w.writerow(safe_row(([_("代表")] if many else []) + sh.headers))
        for r in sh.rows:
            w.writerow(safe_row(([sh.title] if many else []) + [_text(v) for v in r]))
    return buf.getvalue().encode("utf-8")


def to_xlsx(title: str, sheets: Iterable[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    used: set[str] = set()
    for sh in sheets:
        name = (sh.title or title)[:28]
        while name in used:
            name = name[:26] + str(len(used))
        used.add(name)
        ws = wb.create_sheet(title=name.replace("/", "_").replace("?", "_").replace("*", "_"))
        ws.append(safe_row([title]))
        ws.append(safe_row(sh.headers))
        for r in sh.rows:
            ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in safe_row(r)])
    if not used:
        wb.create_sheet(title=title[:28])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
