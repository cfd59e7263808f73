"""Photo checks: JPEG or PNG by content (Pillow), never by file name or the browser's content type."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from liaison.errors import ValidationFailed

from .conf import conf

FORMATS = {"JPEG": "jpg", "PNG": "png"}
MAX_PIXELS = 50_000_000  # a decompression bomb is refused before it is decoded


@dataclass(frozen=True)
class CheckedPhoto:
    file: object
    ext: str
    width: int
    height: int
    size: int


def check_photo(f) -> CheckedPhoto:
    size = getattr(f, "size", None)
    if size is None:
        f.seek(0, 2)
        size = f.tell()
    if size > conf.PHOTO_MAX_BYTES:
        raise ValidationFailed(
            _("图片不能超过 %(mb)s MB。") % {"mb": conf.PHOTO_MAX_BYTES // (1024 * 1024)},
            code="photo_too_large",
        )
    if size == 0:
        raise ValidationFailed(_("图片文件是空的。"), code="photo_invalid")
    try:
        f.seek(0)
        with Image.open(f) as img:
            fmt = img.format
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise ValidationFailed(_("图片尺寸过大。"), code="photo_invalid")
            img.verify()
    except ValidationFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationFailed(_("只能上传 JPEG 或 PNG 图片。"), code="photo_invalid") from None
    finally:
        f.seek(0)
    if fmt not in FORMATS:
        raise ValidationFailed(_("只能上传 JPEG 或 PNG 图片。"), code="photo_invalid")
    return CheckedPhoto(file=f, ext=FORMATS[fmt], width=width, height=height, size=size)


def check_photos(files) -> list[CheckedPhoto]:
    files = [f for f in files or [] if f]
    if len(files) > conf.PHOTOS_MAX:
        raise ValidationFailed(_("最多上传 %(n)s 张图片。") % {"n": conf.PHOTOS_MAX}, code="too_many_photos")
    return [check_photo(f) for f in files]
