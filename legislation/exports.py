"""The compiled report (意见汇总表) as Excel: forwarded opinions grouped by article, counts per source. No names
or phones: the report leaves the staff area (it goes to the legislature)."""

import tempfile

from django.http import FileResponse
from django.utils.translation import gettext as _

from liaison.exports import safe_row

from .models import Draft, Opinion
from .selectors import ReportRow, source_totals


def headers() -> list[str]:
    return [_("条文"), _("章节"), _("意见内容"), _("来源"), _("联系点"), _("合并的相同意见数"), _("采纳情况")]


def rows(report: list[ReportRow]):
    sources = dict(Opinion.Source.choices)
    outcomes = dict(Opinion.Outcome.choices)
    for r in report:
        label = r.article.label if r.article else _("草案整体")
        chapter = r.article.chapter if r.article else ""
        for o in r.opinions:
            yield [
                label,
                chapter,
                o.content,
                str(sources.get(o.source, o.source)),
                o.station.name if o.station_id else "",
                getattr(o, "merged_count", 0),
                str(outcomes.get(o.outcome, "")),
            ]


def xlsx_response(draft: Draft, report: list[ReportRow]) -> FileResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    def clean(values):
        return [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in safe_row(values)]

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_("意见汇总表")[:31])
    ws.append(
        clean([_("《%(title)s》（%(stage)s）意见汇总表") % {"title": draft.title, "stage": draft.stage}])
    )
    ws.append(
        clean([_("征求意见单位"), draft.issuer, _("征求意见期"), f"{draft.opens_on} — {draft.closes_on}"])
    )
    totals = source_totals(report)
    labels = dict(Opinion.Source.choices)
    ws.append(clean([_("来源统计")] + [f"{labels[s]} {n}" for s, n in totals.items()]))
    header = []
    for h in headers():
        c = WriteOnlyCell(ws, value=h)
        c.font = Font(bold=True)
        header.append(c)
    ws.append(header)
    for row in rows(report):
        ws.append(clean(row))
    tmp = tempfile.TemporaryFile()
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=f"legislative-report-{draft.pk}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
