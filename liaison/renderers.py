"""DRF's browsable API under the Content-Security-Policy (settings.CONTENT_SECURITY_POLICY).

Its templates carry an inline <style> (code highlighting) and a few style attributes. Its responses alone may
use inline styles; scripts stay same-origin only. (Not in liaison.api_docs: drf-spectacular's views import the
renderer settings, so this module must not import them.)
"""

from csp.constants import SELF, UNSAFE_INLINE
from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            # What django-csp's @csp_replace sets; the renderer is where we know the response is this HTML page.
            response._csp_replace = {"style-src": [SELF, UNSAFE_INLINE], "style-src-attr": [UNSAFE_INLINE]}
        return super().render(data, accepted_media_type, renderer_context)
