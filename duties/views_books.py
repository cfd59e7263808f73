"""五簿一档 pages and downloads (staff, the station must be in their subtree)."""

import datetime as dt

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import NotFound, ValidationFailed
from liaison.page_access import staff_required
from liaison.parsing import parse_date, to_id
from liaison.scoping import scope_to_area
from stations.models import Station

from . import books


def book_request(request, book: str) -> tuple[Station, dt.date, dt.date]:
    """The station (in the user's subtree: else NotFound) and period of a book request. Default period: this
    year to today."""
    if book not in books.BOOKS:
        raise NotFound()
    q = request.GET if hasattr(request, "GET") else request.query_params
    sid = to_id(q.get("station"))
    if sid is None:
        raise ValidationFailed({"station": [_("请选择联络站。")]})
    station = scope_to_area(Station.objects.select_related("area"), request.user).filter(pk=sid).first()
    if station is None:
        raise NotFound()
    today = timezone.localdate()
    start = parse_date(q["from"], field="from") if q.get("from") else dt.date(today.year, 1, 1)
    end = parse_date(q["to"], field="to") if q.get("to") else today
    if end < start:
        raise ValidationFailed({"to": [_("结束日期不能早于开始日期。")]})
    return station, start, end


def book_file(book: str, station: Station, start: dt.date, end: dt.date, kind: str) -> HttpResponse:
    title = f"{books.BOOKS[book]}（{station.name} {start} — {end}）"
    sheets = books.build(book, station, start, end)
    name = f"{book}-{station.pk}-{start:%Y%m%d}-{end:%Y%m%d}"
    if kind == "csv":
        resp = HttpResponse(books.to_csv(sheets), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return resp
    resp = HttpResponse(
        books.to_xlsx(title, sheets),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    resp["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return resp


@staff_required
def books_index(request):
    stations = scope_to_area(Station.objects.select_related("area"), request.user).order_by(
        "area__code", "name"
    )
    return render(
        request,
        "duties/books.html",
        {"stations": stations[:500], "books": list(books.BOOKS.items()), "today": timezone.localdate()},
    )


@staff_required
def book_page(request, book):
    from liaison.errors import DomainError
    from liaison.pages import domain_error_page

    try:
        station, start, end = book_request(request, book)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise Http404 from None
        return domain_error_page(request, exc)
    kind = request.GET.get("file")
    if kind in ("csv", "xlsx"):
        return book_file(book, station, start, end, kind)
    ctx = {
        "title": books.BOOKS[book],
        "station": station,
        "start": start,
        "end": end,
        "sheets": books.build(book, station, start, end),
        "book": book,
    }
    return render(request, "duties/book.html", ctx)
