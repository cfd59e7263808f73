"""Helpers for the suggestions tests; personas come from tests/conftest.py."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from suggestions.models import Suggestion
from suggestions.services.intake import suggestion_submit
from suggestions.services.referrals import suggestion_refer
from suggestions.services.triage import suggestion_accept


def png_bytes(size=(40, 30), colour=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format="PNG")
    return buf.getvalue()


def jpeg_bytes(size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buf, format="JPEG")
    return buf.getvalue()


@pytest.fixture
def png_upload():
    def make(name="photo.png"):
        return SimpleUploadedFile(name, png_bytes(), content_type="image/png")

    return make


@pytest.fixture
def make_suggestion(tree, station):
    """`make_suggestion(**kw)`: a web suggestion through the real service (status submitted)."""

    def make(**kw) -> Suggestion:
        data = {
            "title": "小区路灯不亮",
            "content": "东关社区3号楼前的路灯坏了一个月，晚上出门很不方便。",
            "station": station,
            "submitter_name": "王小明",
            "submitter_phone": "13812341234",
        }
        data.update(kw)
        return suggestion_submit(**data)

    return make


@pytest.fixture
def referred(make_suggestion, staff, unit, other_unit, unit_user, other_unit_user):
    """A suggestion accepted and referred to `unit` (lead) and `other_unit` (assisting)."""
    s = make_suggestion()
    suggestion_accept(suggestion_id=s.pk, actor=staff)
    suggestion_refer(suggestion_id=s.pk, lead_unit=unit, assisting_units=[other_unit], actor=staff)
    s.refresh_from_db()
    return s
