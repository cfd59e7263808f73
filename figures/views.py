"""The public figures page (数据公开) and its downloads; the JSON/CSV API is figures.api."""

from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from liaison import charts
from liaison.errors import DomainError
from liaison.pages import error_page
from stations.cache import public_key

from . import selectors


def page(request):
    try:
        area, year = selectors.resolve(request.GET.get("area"), request.GET.get("year"))
    except DomainError as exc:
        status = 404 if exc.status_code == 404 or "area" in (exc.field_errors or {}) else 400
        return error_page(request, status, _("无法显示数据"), exc.text)
    # The rendered sections (charts and tables) are cached like the sections themselves.
    key = public_key("figures-html", area.code, year)
    sections_html = cache.get(key)
    if sections_html is None:
        rendered = [
            {
                "section": s,
                "charts": [{"chart": c, "svg": charts.render(c, f"chart-{s.key}-{c.key}")} for c in s.charts],
            }
            for s in selectors.sections(area, year)
        ]
        sections_html = render_to_string("figures/_sections.html", {"sections": rendered}, request)
        cache.set(key, sections_html, selectors.TIMEOUT)
    query = urlencode({"area": area.code, "year": year})
    api = reverse("api-figures")
    return render(
        request,
        "figures/page.html",
        {
            "area": area,
            "year": year,
            "years": selectors.years(),
            "areas": selectors.picker_areas(),
            "sections_html": mark_safe(sections_html),  # noqa: S308 - rendered by our template above
            "json_url": f"{api}?{query}",
            "csv_url": f"{api}?{query}&format=csv",
        },
    )
