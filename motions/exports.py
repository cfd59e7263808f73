"""建议办理情况汇总表: the session's register as Excel (openpyxl, write-only). Every cell through
liaison.exports.safe_row; rows in chunks with their referrals and replies prefetched (fixed queries per chunk)."""

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.exports import safe_row

from . import selectors
from .models import RESULT_TO_CLASS

CHUNK = 1000


def headers() -> list[str]:
    return [
        _("序号"),
        _("编号"),
        _("会议"),
        _("标题"),
        _("领衔代表"),
        _("附议代表"),
        _("类别"),
        _("重点建议"),
        _("领衔督办领导"),
        _("主办单位"),
        _("会办单位"),
        _("答复期限"),
        _("答复类别"),
        _("代表评价"),
        _("状态"),
    ]


def rows(qs):
    qs = selectors.with_handling(selectors.with_people(qs)).order_by("created_at", "id")
    n = 0
    ids = list(qs.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        for m in qs.filter(pk__in=ids[start : start + CHUNK]):
            n += 1
            s = m.suggestion
            live = [r for r in s.referrals.all() if r.round == s.round and r.status != "cancelled"]
            lead = next((r.unit.name for r in live if r.role == "lead"), "")
            co = "、".join(r.unit.name for r in live if r.role == "assisting")
            yield safe_row(
                [
                    n,
                    s.tracking_code,
                    m.session.name if m.session_id else _("闭会期间"),
                    m.title,
                    m.lead.name,
                    "、".join(c.delegate.name for c in m.cosigners.all() if c.confirmed_at),
                    str(m.get_kind_display()),
                    _("是") if s.is_key else "",
                    m.leader,
                    lead,
                    co,
                    s.reply_due.isoformat() if s.reply_due else "",
                    RESULT_TO_CLASS.get(s.reply_result, ""),
                    str(s.get_rating_display()) if s.rating else "",
                    str(m.get_status_display()),
                ]
            )


def register_xlsx(qs, session) -> FileResponse:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("建议办理情况汇总表"))
    ws.append(safe_row([session.name if session else _("代表建议")]))
    ws.append(safe_row(headers()))
    for row in rows(qs):
        ws.append(row)
    tmp = tempfile.TemporaryFile()
    wb.save(tmp)
    tmp.seek(0)
    name = f"motions-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
