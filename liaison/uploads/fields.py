"""Form and API fields that hand uploads to the one check (liaison.uploads.checks)."""

from collections.abc import Callable

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from liaison.errors import ValidationFailed

from .checks import CheckedUpload, check_image

PHOTO_ACCEPT = "image/jpeg,image/png"


def _form_error(exc: ValidationFailed) -> forms.ValidationError:
    return forms.ValidationError(str(exc.message), code=exc.code)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input. `check(files) -> list[CheckedUpload]` applies the use's limits (count,
    size) at validation time, so changed settings apply without a restart; cleaned data is that list."""

    def __init__(self, *, check: Callable[[list], list[CheckedUpload]], **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": PHOTO_ACCEPT}))
        super().__init__(**kwargs)
        self.check = check

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(PhotosField, self).clean(f, initial) for f in files if f]
        try:
            return self.check(files)
        except ValidationFailed as exc:
            raise _form_error(exc) from None


class SingleFileInput(forms.ClearableFileInput):
    """A file input that reports several files sent under its name (as a list) instead of keeping the last."""

    def value_from_datadict(self, data, files, name):
        if hasattr(files, "getlist") and len(files.getlist(name)) > 1:
            return files.getlist(name)
        return super().value_from_datadict(data, files, name)


class PhotoField(forms.FileField):
    """One photo in a model form: a new upload is checked and cleaned to a file named by its detected type
    (stored under a random name by the model field's UploadTo); an unchanged or cleared value passes."""

    def __init__(self, *, max_bytes: int | None = None, max_pixels: int | None = None, **kwargs):
        kwargs.setdefault("widget", SingleFileInput(attrs={"accept": PHOTO_ACCEPT}))
        super().__init__(**kwargs)
        self.max_bytes, self.max_pixels = max_bytes, max_pixels

    def clean(self, data, initial=None):
        if isinstance(data, list):
            raise forms.ValidationError(_("最多上传 %(n)s 张图片。") % {"n": 1}, code="too_many_photos")
        value = super().clean(data, initial)
        if not isinstance(value, UploadedFile):
            return value
        try:
            return check_image(value, max_bytes=self.max_bytes, max_pixels=self.max_pixels).file
        except ValidationFailed as exc:
            raise _form_error(exc) from None


class SingleFileField(serializers.FileField):
    """An API file field that refuses several files under its name instead of silently keeping the last."""

    default_error_messages = {"multiple": _("只能上传一个文件。")}

    def get_value(self, dictionary):
        if hasattr(dictionary, "getlist"):
            files = dictionary.getlist(self.field_name)
            if len(files) > 1:
                return files
        return super().get_value(dictionary)

    def to_internal_value(self, data):
        if isinstance(data, list):
            self.fail("multiple")
        return super().to_internal_value(data)
