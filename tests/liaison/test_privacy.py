"""One phone rule and one set of masks for every app (liaison.privacy), and an SMS log that leaks neither."""

import datetime as dt
import logging

import pytest
from django.test import override_settings
from django.utils import timezone

from liaison.notifications.sms import send_sms
from liaison.privacy import mask_name, mask_phone, normalise_phone
from supervision.models import SmsCode
from voting.models import ProposalWindow

pytestmark = pytest.mark.django_db

NOT_A_MOBILE = "12345678901"  # 11 digits, but no mobile range begins 12


def _field_errors(body: dict) -> dict:
    # Field errors: {"phone": [...]}, or nested under "errors" in the {"detail", "code", "errors"} shape.
    return body.get("errors", body)


@pytest.fixture
def entry_points(tree, delegate):
    today = timezone.localdate()
    ProposalWindow.objects.create(
        area=tree.county, year=today.year, opens_on=today, closes_on=today + dt.timedelta(days=30)
    )
    return {
        "/api/v1/suggestions/": {"title": "路灯不亮", "content": "东关路口", "area": tree.county.code},
        "/api/v1/proposals/": {"title": "加装电梯", "description": "老旧小区", "area": tree.village.code},
        "/api/v1/appointments/": {"delegate": delegate.pk, "name": "王小明", "subject": "停车难"},
    }


def test_every_form_of_the_api_applies_the_one_phone_rule(api, entry_points):
    for url, body in entry_points.items():
        r = api.post(url, {**body, "phone": NOT_A_MOBILE}, format="json")
        assert r.status_code == 400, url
        assert _field_errors(r.json())["phone"] == ["请输入11位手机号码。"], url
    r = api.post("/api/v1/sms-codes/", {"phone": NOT_A_MOBILE, "purpose": "support"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    assert not SmsCode.objects.exists()

    for url, body in entry_points.items():
        assert api.post(url, {**body, "phone": "13812341234"}, format="json").status_code == 201, url


@pytest.mark.parametrize(
    "typed", ["13812341234", "138 1234 1234", "138-1234-1234", "+8613812341234", " 13812341234 "]
)
def test_a_number_typed_with_spaces_or_country_code_is_normalised(typed):
    assert normalise_phone(typed) == "13812341234"


def test_masks():
    assert (mask_phone("13812341234"), mask_phone(""), mask_phone("12345")) == ("138****1234", "", "****")
    assert [mask_name(n) for n in ("王小明", "张三", "", "王")] == ["王**", "张*", "", "王*"]


def test_the_logging_backend_masks_the_number_and_with_codes_off_logs_no_text(caplog):
    caplog.set_level(logging.INFO, logger="liaison.sms")
    text = "【人大代表联络站】您的验证码是482913，10分钟内有效。"
    with override_settings(DEBUG=False, SMS_LOG_CODES=False):
        send_sms("13812341234", text)
    (line,) = [r.getMessage() for r in caplog.records if r.name == "liaison.sms"]
    assert line.startswith("SMS to 138****1234: ")
    assert "13812341234" not in line and "482913" not in line


def test_with_codes_on_the_line_carries_the_text_for_developers_and_tests(caplog):
    caplog.set_level(logging.INFO, logger="liaison.sms")
    with override_settings(SMS_LOG_CODES=True):
        send_sms("13812341234", "您的验证码是482913")
    (record,) = [r for r in caplog.records if r.name == "liaison.sms"]
    assert record.levelno == logging.INFO
    assert record.getMessage() == "SMS to 138****1234: 您的验证码是482913"
