"""A suggestion's photos: the shared upload check (liaison.uploads) with this app's limits."""

from liaison.uploads import CheckedUpload, check_images

from .conf import conf

CheckedPhoto = CheckedUpload


def check_photos(files) -> list[CheckedPhoto]:
    """At most SUGGESTION_PHOTOS_MAX JPEG/PNG photos, each within SUGGESTION_PHOTO_MAX_BYTES (when set) and the
    shared UPLOAD_IMAGE_* limits."""
    return check_images(files, max_count=conf.PHOTOS_MAX, max_bytes=conf.PHOTO_MAX_BYTES)
