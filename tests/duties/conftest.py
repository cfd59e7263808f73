"""Duties fixtures: a second staff user of 商州区 (the paper tally's confirmer) and the SMS code reader."""

import logging
import re

import pytest

from liaison.accounts.models import User
from liaison.privacy import mask_phone
from tests.factories import UserFactory


@pytest.fixture
def staff2(tree):
    return UserFactory(username="staff_sz2", role=User.Role.STAFF, area=tree.county, is_staff=True)


@pytest.fixture
def sms_code(api, caplog):
    """`sms_code(phone)`: request a report-back code through the API and read it from the logging backend."""

    def get(phone: str) -> str:
        caplog.clear()
        with caplog.at_level(logging.INFO):
            r = api.post("/api/v1/sms-codes/", {"phone": phone, "purpose": "report_back"}, format="json")
        assert r.status_code == 202, r.content
        lines = [
            rec.getMessage() for rec in caplog.records if f"SMS to {mask_phone(phone)}" in rec.getMessage()
        ]
        return re.search(r"(\d{6})", lines[-1].split(":", 1)[1]).group(1)

    return get
