"""The two formats of GeoReport v2: JSON, and XML with the element names of the specification."""

import datetime as dt
import json
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpResponse
from django.utils import timezone

# The element of each item of a list, by the list's element name.
LIST_ITEMS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 with the offset, to the second (the specification's w3 subset)."""
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: Element, tag: str, value) -> None:
    el = SubElement(parent, tag)
    if isinstance(value, list):
        for item in value:
            _append(el, LIST_ITEMS.get(tag, "item"), item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _append(el, key, item)
    else:
        el.text = _text(value)


def to_xml(root: str, item: str, data) -> str:
    top = Element(root)
    if isinstance(data, list):
        for row in data:
            _append(top, item, row)
    else:
        for key, value in data.items():
            _append(top, key, value)
    return XML_DECLARATION + tostring(top, encoding="unicode")


def respond(fmt: str, data, *, root: str, item: str = "", status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, item, data), content_type="text/xml; charset=utf-8", status=status)
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/json; charset=utf-8", status=status
    )


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The specification's error body: `[{"code", "description"}]` (XML: errors/error)."""
    return respond(
        fmt, [{"code": status, "description": str(description)}], root="errors", item="error", status=status
    )
