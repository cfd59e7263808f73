"""QR codes (代表码, station posters) as inline SVG: no image files, no external service."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, title: str = "", scale: int = 4) -> SafeString:
    """An inline <svg> with a viewBox, so CSS can size it (see `.qr svg` in portal.css)."""
    code = segno.make(data, error="m")
    # segno escapes the title; the rest of the markup is generated, never user text.
    return mark_safe(code.svg_inline(scale=scale, border=2, omitsize=True, title=title or None))  # noqa: S308
