"""Swagger UI (/api/v1/docs/) under the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY).

The split view serves the page's start-up script as a separate same-origin request instead of an inline
<script>, and our template (api/swagger_ui.html) gives the page's one inline <style> the request's nonce.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
