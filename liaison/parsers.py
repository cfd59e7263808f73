"""The API's JSON parser: a body is one JSON object.

DRF's own parser answers a malformed body with an English 400, lets a deeply nested one (`[[[[…`) raise
RecursionError, a 500, and hands any JSON value to the view, so a view that reads `request.data.get(...)`
fails on a list. Every endpoint of this API takes an object, so anything else is refused here, once, with the
same 400 `{"detail", "code": "invalid"}` as any other bad input.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONObjectParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except ParseError:
            raise ParseError(_("请求内容不是有效的 JSON。"), code="invalid") from None
        except RecursionError:  # the C decoder's own guard against deep nesting
            raise ParseError(_("请求内容嵌套过深。"), code="invalid") from None
        if not isinstance(data, dict):
            raise ParseError(_("请求内容必须是一个 JSON 对象。"), code="invalid")
        return data
