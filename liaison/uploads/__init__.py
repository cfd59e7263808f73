"""Uploads: the one check (decode, byte and pixel limits), random names by detected type, safe serving."""

from .checks import (
    PHOTO_FORMATS,
    CheckedUpload,
    UploadTo,
    check_image,
    check_images,
    check_pdf,
)

__all__ = ["PHOTO_FORMATS", "CheckedUpload", "UploadTo", "check_image", "check_images", "check_pdf"]
