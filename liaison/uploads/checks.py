"""The one check every upload goes through, and the one way it is named on disk.

A photo is decoded by Pillow (only the JPEG and PNG decoders are tried), refused above a byte and a pixel
limit, and stored under a random name with the extension of the format Pillow found; a PDF must start with
the PDF signature and stay under its byte limit. The client's file name and content type are never used.
"""

import uuid
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import File
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image

from liaison.errors import ValidationFailed

MB = 1024 * 1024

# Pillow's format name → (extension on disk, content type served).
IMAGE_TYPES = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
PHOTO_FORMATS = ("JPEG", "PNG")
PDF_TYPE = ("pdf", "application/pdf")
# Every extension a checked upload can be stored with; anything else is stored (and served) as opaque bytes.
STORED_EXTENSIONS = {ext for ext, _type in IMAGE_TYPES.values()} | {PDF_TYPE[0]}


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed its check. `file` is named `upload.<ext>`; save it through a field whose
    upload_to is an UploadTo, which gives it a random name with that extension."""

    file: File
    ext: str
    content_type: str
    size: int
    width: int = 0
    height: int = 0


def _client_name(f) -> str:
    name = str(getattr(f, "name", "") or "")
    return name if len(name) <= 60 else f"{name[:57]}…"


def _size_of(f) -> int:
    size = getattr(f, "size", None)
    if size is None:
        f.seek(0, 2)
        size = f.tell()
        f.seek(0)
    return size


def _megabytes(n: int) -> str:
    return f"{n / MB:.1f}".removesuffix(".0") if n >= MB // 10 else f"{n / MB:.2f}"


def _check_size(f, *, max_bytes: int, code_prefix: str) -> int:
    size = _size_of(f)
    if size == 0:
        raise ValidationFailed(
            _("“%(name)s”是空文件。") % {"name": _client_name(f)}, code=f"{code_prefix}_invalid"
        )
    if size > max_bytes:
        raise ValidationFailed(
            _("“%(name)s”超过 %(mb)s MB，请压缩后再上传。")
            % {"name": _client_name(f), "mb": _megabytes(max_bytes)},
            code=f"{code_prefix}_too_large",
        )
    return size


def _too_many_pixels(f, max_pixels: int) -> ValidationFailed:
    return ValidationFailed(
        _("“%(name)s”的像素过多（最多 %(mp)s 百万像素），请缩小后再上传。")
        % {"name": _client_name(f), "mp": f"{max_pixels / 1_000_000:g}"},
        code="photo_too_large",
    )


def check_image(
    f,
    *,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
    formats: Sequence[str] = PHOTO_FORMATS,
) -> CheckedUpload:
    """Decode `f` with Pillow and return it as a CheckedUpload, or raise ValidationFailed (400).

    Codes: `photo_invalid` (empty, not an image, or a format not in `formats`), `photo_too_large` (over
    `max_bytes` or `max_pixels`; both default to the UPLOAD_IMAGE_* settings). An already checked upload is
    returned as it is.
    """
    if isinstance(f, CheckedUpload):
        return f
    max_bytes = max_bytes or settings.UPLOAD_IMAGE_MAX_BYTES
    max_pixels = max_pixels or settings.UPLOAD_IMAGE_MAX_PIXELS
    size = _check_size(f, max_bytes=max_bytes, code_prefix="photo")
    invalid = ValidationFailed(
        _("“%(name)s”不是有效的图片，只能上传 %(formats)s 格式。")
        % {"name": _client_name(f), "formats": "/".join(formats)},
        code="photo_invalid",
    )
    try:
        # Pillow warns above Image.MAX_IMAGE_PIXELS and raises above twice that, while reading the header; the
        # warning is made an error so that the header alone refuses it. (Filters are process-wide: the web
        # server runs sync workers, one request per process at a time.)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            f.seek(0)
            with Image.open(f, formats=formats) as img:
                fmt, (width, height) = img.format, img.size
                if width * height > max_pixels:
                    raise _too_many_pixels(f, max_pixels)
                img.verify()  # structure and checksums, without decoding the pixels
            f.seek(0)
            with Image.open(f, formats=formats) as img:
                if fmt == "JPEG":
                    # Decoding at 1/8 scale still reads every block (a truncated or corrupt stream fails)
                    # in 1/64 of the memory.
                    img.draft(img.mode, (max(width // 8, 1), max(height // 8, 1)))
                img.load()
    except ValidationFailed:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(f, max_pixels) from None
    except Exception:
        # Whatever a malformed file makes a decoder raise (OSError, SyntaxError, ValueError, struct.error,
        # IndexError …) means the same to the client: not a photo we can read.
        raise invalid from None
    finally:
        f.seek(0)
    ext, content_type = IMAGE_TYPES[fmt]
    return CheckedUpload(
        file=File(f, name=f"upload.{ext}"),
        ext=ext,
        content_type=content_type,
        size=size,
        width=width,
        height=height,
    )


def check_images(
    files: Iterable, *, max_count: int, max_bytes: int | None = None, max_pixels: int | None = None
) -> list[CheckedUpload]:
    """Several photos of one submission: at most `max_count` (code `too_many_photos`), each as check_image."""
    files = [f for f in files or () if f]
    if len(files) > max_count:
        raise ValidationFailed(_("最多上传 %(n)s 张图片。") % {"n": max_count}, code="too_many_photos")
    return [check_image(f, max_bytes=max_bytes, max_pixels=max_pixels) for f in files]


def check_pdf(f, *, max_bytes: int | None = None) -> CheckedUpload:
    """A PDF document: the `%PDF-` signature at the start and an end-of-file marker near the end, at most
    `max_bytes` (default UPLOAD_DOCUMENT_MAX_BYTES). Codes `document_invalid`, `document_too_large`."""
    if isinstance(f, CheckedUpload):
        return f
    size = _check_size(f, max_bytes=max_bytes or settings.UPLOAD_DOCUMENT_MAX_BYTES, code_prefix="document")
    try:
        f.seek(0)
        head = f.read(5)
        f.seek(max(size - 1024, 0))
        tail = f.read(1024)
    finally:
        f.seek(0)
    if head != b"%PDF-" or b"%%EOF" not in tail:
        raise ValidationFailed(
            _("“%(name)s”不是有效的 PDF 文件。") % {"name": _client_name(f)}, code="document_invalid"
        )
    ext, content_type = PDF_TYPE
    return CheckedUpload(file=File(f, name=f"upload.{ext}"), ext=ext, content_type=content_type, size=size)


@deconstructible
class UploadTo:
    """`upload_to` for every uploaded file: `<prefix>/<year>/<month>/<random>.<ext>`.

    The extension is the one the check put in the name (`upload.png`); a name that did not come from a check
    gets `.bin`, which is served as an opaque download, so no client-chosen extension ever reaches the disk.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if ext not in STORED_EXTENSIONS:
            ext = "bin"
        return f"{self.prefix}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadTo) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)
