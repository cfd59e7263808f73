"""Serving uploaded files (MEDIA_ROOT) so that none can run in the portal's origin.

The content type comes from the stored name's extension, which for anything uploaded through the check is
the detected type; only images are shown inline, everything else is a download. Every response carries
`nosniff` and a CSP that forbids scripts and sandboxes the document, so even a file stored before the check
existed (an `.html` or `.svg` under an old name) cannot act as a page of the portal. The README's proxy
snippet sends the same headers when the web server serves /media/ itself.
"""

import posixpath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.utils.http import content_disposition_header
from django.views import static
from django.views.decorators.http import require_safe

# The only types served as themselves; older uploads may carry the legacy image extensions.
INLINE_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}
DOWNLOAD_TYPES = {"pdf": "application/pdf"}
MEDIA_CSP = "default-src 'none'; img-src 'self'; sandbox"


def harden(response, name: str):
    """Set the type, disposition and protective headers of a response carrying the stored file `name`."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    filename = posixpath.basename(name)
    if ext in INLINE_TYPES:
        response["Content-Type"] = INLINE_TYPES[ext]
        response["Content-Disposition"] = content_disposition_header(False, filename)
    else:
        response["Content-Type"] = DOWNLOAD_TYPES.get(ext, "application/octet-stream")
        response["Content-Disposition"] = content_disposition_header(True, filename)
    if "Content-Encoding" in response:  # `x.html.gz` must not be unpacked by the browser into a page
        del response["Content-Encoding"]
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_CSP
    return response


@require_safe
def serve_media(request, path: str):
    try:
        response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation:  # a path that leads outside MEDIA_ROOT
        raise Http404(path) from None
    return harden(response, path)
