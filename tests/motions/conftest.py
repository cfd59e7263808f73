"""Helpers for the formal-suggestion tests; personas come from tests/conftest.py."""

import datetime as dt
import io
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from liaison.accounts.models import User
from motions.models import Session
from stations.models import Delegate
from tests.factories import DelegateFactory, UserFactory

TZ = ZoneInfo("Asia/Shanghai")


@contextmanager
def at(day: dt.date, hour: int = 10):
    """Pretend it is `day` (services read timezone.now())."""
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def png_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def session(tree):
    return Session.objects.create(
        area=tree.county,
        term=19,
        number=3,
        name="商州区第十九届人民代表大会第三次会议",
        starts_on=dt.date(2026, 6, 29),
        ends_on=dt.date(2026, 7, 2),
    )


@pytest.fixture
def cosigner_users(tree):
    """Two delegates of the same congress (商州区, county level, 19th term), each with an account."""
    out = []
    for i, name in enumerate(["张明", "刘芳"]):
        d = DelegateFactory(name=name, level=Delegate.Level.COUNTY, area=tree.county)
        out.append(UserFactory(username=f"cosigner{i}", role=User.Role.DELEGATE, delegate=d))
    return out
