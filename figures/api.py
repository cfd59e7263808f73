"""GET /api/v1/figures/?area=CODE&year=Y (public): API.md "Public figures"; `&format=csv` for a spreadsheet."""

import csv
import io

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.exports import safe_row

from . import selectors
from .compute import as_json, as_rows


class CsvRenderer(BaseRenderer):
    """UTF-8 with a BOM (Excel opens it in Chinese); every cell through safe_cell."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        for row in data:
            writer.writerow(safe_row(row))
        return out.getvalue().encode("utf-8")


class FiguresView(APIView):
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "area", OpenApiTypes.STR, description="area code (default: the top of the tree)"
            ),
            OpenApiParameter("year", OpenApiTypes.INT, description="default: this year"),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
        ],
        responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.STR},
        auth=[],
    )
    def get(self, request):
        area, year = selectors.resolve(request.query_params.get("area"), request.query_params.get("year"))
        sections = selectors.sections(area, year)
        if isinstance(request.accepted_renderer, CsvRenderer):
            header = ["section", "item", "label", "value"]
            response = Response([header, *as_rows(sections)])
            response["Content-Disposition"] = f'attachment; filename="figures-{area.code}-{year}.csv"'
            return response
        return Response(as_json(area, year, sections))

    def handle_exception(self, exc):
        # Errors are JSON whatever format was asked for (API.md: `{"detail", "code", "errors"}`).
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)
