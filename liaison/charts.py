"""Charts as server-rendered SVG: readable without JavaScript, no library, no inline style (the page's CSP).

Each chart is an <svg role="img"> with a <title> and a <desc>; a page puts the same numbers in a table beside
it. Colours come from classes styled in static/css/portal.css (.chart-*). Used by the public figures page and
the staff statistics: a view calls `render(chart, "unique-id")` and puts the result in its context.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # "columns" (a trend by month), "bars" (a breakdown) or "rates" (shares out of 100%)
    rows: list[tuple[str, int | float | None]]

    @property
    def table(self) -> list[tuple[str, str]]:
        """The rows as the table beside the chart shows them."""
        return [(label, _pct(v) if self.kind == "rates" else _num(v)) for label, v in self.rows]


WIDTH = 640


def _num(v) -> str:
    if v is None:
        return "—"
    return f"{v:,}" if isinstance(v, int) else f"{v:,.1f}"


def _pct(v) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _svg(chart: Chart, uid: str, height: int, body: list[str]) -> SafeString:
    summary = "；".join(f"{label} {_pct(v) if chart.kind == 'rates' else _num(v)}" for label, v in chart.rows)
    head = (
        f'<svg class="chart chart-{escape(chart.kind)}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{uid}-t {uid}-d" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{uid}-t">{escape(chart.title)}</title><desc id="{uid}-d">{escape(summary)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text above is escaped


def _empty(chart: Chart, uid: str) -> SafeString:
    body = [
        f'<text class="chart-empty" x="{WIDTH // 2}" y="40" text-anchor="middle">{escape(_("暂无数据"))}</text>'
    ]
    return _svg(chart, uid, 70, body)


def columns(chart: Chart, uid: str) -> SafeString:
    """A trend: one column per row (month), the value above it."""
    values = [v or 0 for _label, v in chart.rows]
    if not values or not any(values):
        return _empty(chart, uid)
    top, bottom, left, right = 24, 28, 8, 8
    height = 220
    plot_h = height - top - bottom
    step = (WIDTH - left - right) / len(values)
    peak = max(values)
    body = [
        f'<line class="chart-axis" x1="{left}" y1="{top + plot_h}" x2="{WIDTH - right}" y2="{top + plot_h}"/>'
    ]
    for i, ((label, _v), value) in enumerate(zip(chart.rows, values, strict=True)):
        h = plot_h * value / peak
        x = left + i * step + step * 0.15
        w = step * 0.7
        y = top + plot_h - h
        body.append(f'<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"/>')
        cx = x + w / 2
        body.append(
            f'<text class="chart-value" x="{cx:.1f}" y="{y - 4:.1f}" text-anchor="middle">{_num(value)}</text>'
        )
        body.append(
            f'<text class="chart-label" x="{cx:.1f}" y="{height - 8}" text-anchor="middle">{escape(label)}</text>'
        )
    return _svg(chart, uid, height, body)


def bars(chart: Chart, uid: str, *, rates: bool = False) -> SafeString:
    """A breakdown (or shares out of 100%): one horizontal bar per row, the label left, the value right."""
    rows = chart.rows
    values = [v or 0 for _label, v in rows]
    if not rows or (not rates and not any(values)):
        return _empty(chart, uid)
    row_h, label_w, value_w = 30, 170, 70
    height = row_h * len(rows) + 8
    span = WIDTH - label_w - value_w
    peak = 1.0 if rates else max(values)
    body = []
    for i, ((label, raw), value) in enumerate(zip(rows, values, strict=True)):
        y = 4 + i * row_h
        w = span * value / peak if peak else 0
        body.append(
            f'<text class="chart-label" x="{label_w - 8}" y="{y + 19}" text-anchor="end">{escape(label)}</text>'
        )
        if rates:
            body.append(f'<rect class="chart-track" x="{label_w}" y="{y + 5}" width="{span}" height="18"/>')
        body.append(f'<rect class="chart-bar" x="{label_w}" y="{y + 5}" width="{w:.1f}" height="18"/>')
        text = _pct(raw) if rates else _num(raw)
        body.append(
            f'<text class="chart-value" x="{label_w + (span if rates else w) + 6:.1f}" y="{y + 19}">{text}</text>'
        )
    return _svg(chart, uid, height, body)


def render(chart: Chart, uid: str) -> SafeString:
    if chart.kind == "columns":
        return columns(chart, uid)
    return bars(chart, uid, rates=chart.kind == "rates")
