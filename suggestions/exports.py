"""选民反映问题转办反馈记录簿: the register of constituents' opinions, their referral and the feedback, as
Excel (openpyxl, write-only mode) or CSV (UTF-8 with BOM, so Excel opens it in Chinese).

Rows stream in chunks with their referrals and replies prefetched per chunk: a fixed number of queries per
chunk, never one per row. Contact details are masked, as everywhere outside the staff detail page. Every cell
goes through liaison.exports, so a constituent's text never becomes a formula.
"""

import csv
import tempfile

from django.db.models import Prefetch
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.exports import safe_row
from liaison.privacy import mask_name, mask_phone
from stations.models import Area

from .models import Referral, Reply, Suggestion
from .stats import Period

MAX_ROWS = 200_000
CHUNK = 2000


def headers() -> list[str]:
    return [
        _("序号"),
        _("查询码"),
        _("登记日期"),
        _("来源渠道"),
        _("区划"),
        _("联络站"),
        _("反映人"),
        _("联系电话"),
        _("类别"),
        _("反映问题"),
        _("具体内容"),
        _("受理情况"),
        _("承办单位"),
        _("转办日期"),
        _("答复期限"),
        _("答复日期"),
        _("办理结果"),
        _("答复内容"),
        _("群众评价"),
        _("当前状态"),
    ]


def _queryset(area: Area, period: Period):
    lo, hi = period.bounds()
    return (
        Suggestion.objects.filter(area__path__startswith=area.path, created_at__gte=lo, created_at__lt=hi)
        .select_related("area", "station")
        .prefetch_related(
            Prefetch(
                "referrals", queryset=Referral.objects.select_related("unit").order_by("round", "role", "id")
            ),
            Prefetch("replies", queryset=Reply.objects.select_related("referral").order_by("at", "id")),
        )
        .order_by("created_at", "id")
    )


def _local(d):
    return timezone.localtime(d).strftime("%Y-%m-%d") if d else ""


def rows(area: Area, period: Period):
    for n, s in enumerate(_queryset(area, period)[:MAX_ROWS].iterator(chunk_size=CHUNK), start=1):
        refs = [r for r in s.referrals.all() if r.round == s.round and r.status != Referral.Status.CANCELLED]
        lead = next((r for r in refs if r.role == Referral.Role.LEAD), None)
        lead_reply = next(
            (r for r in reversed(list(s.replies.all())) if r.referral.role == Referral.Role.LEAD), None
        )
        units = "、".join(f"{r.unit.name}（{r.get_role_display()}）" for r in refs)
        triage = s.get_status_display() if s.status in ("submitted", "rejected", "merged") else _("已受理")
        if s.status == "rejected":
            triage = f"{triage}：{s.reject_reason}"
        yield [
            n,
            s.tracking_code,
            _local(s.created_at),
            s.get_channel_display(),
            s.area.name,
            s.station.name if s.station_id else "",
            mask_name(s.submitter_name),
            mask_phone(s.submitter_phone),
            s.get_category_display(),
            s.title,
            s.content,
            triage,
            units,
            _local(lead.created_at) if lead else "",
            lead.due.isoformat() if lead else "",
            _local(lead_reply.at) if lead_reply else "",
            lead_reply.get_result_display() if lead_reply else "",
            lead_reply.content if lead_reply else "",
            s.get_rating_display() if s.rating else "",
            s.get_status_display(),
        ]


class _Echo:
    def write(self, value):
        return value


def _filename(area: Area, period: Period, ext: str) -> str:
    return f"register-{area.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{ext}"


def response(area: Area, period: Period, kind: str):
    if kind == "csv":
        writer = csv.writer(_Echo())

        def stream():
            yield "\ufeff"
            yield writer.writerow(safe_row(headers()))
            for row in rows(area, period):
                yield writer.writerow(safe_row(row))

        resp = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="{_filename(area, period, "csv")}"'
        return resp

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_("转办反馈记录簿")[:31])
    ws.append(safe_row([_("选民反映问题转办反馈记录簿") + f"（{area.name} {period.start} — {period.end}）"]))
    header = []
    for h in headers():
        c = WriteOnlyCell(ws, value=h)
        c.font = Font(bold=True)
        header.append(c)
    ws.append(header)
    for row in rows(area, period):
        # Formula-like text is written as text (safe_row); control characters a client once typed are kept in
        # the database, but the XML of a worksheet cannot hold them (openpyxl raises IllegalCharacterError).
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in safe_row(row)])
    tmp = tempfile.TemporaryFile()
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=_filename(area, period, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
