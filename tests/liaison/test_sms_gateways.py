"""The production SMS gateways, driven through the outbox against a local fake server.

A message queued with notify() is delivered by deliver_notification(): the HTTP gateway receives the
configured body, signed with the shared secret; Tencent Cloud SMS receives a SendSms call through its SDK. A
gateway that fails keeps the message pending for the outbox to retry, and after the last attempt the admin's
通知发送记录 shows it failed, with the gateway's answer, and can send it again.
"""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from liaison.notifications import services
from liaison.notifications.models import Notification
from liaison.notifications.services import Recipient, deliver_notification, notify
from liaison.notifications.sms import SMSError

pytestmark = pytest.mark.django_db

PHONE = "13800001111"


class FakeGateway:
    """A local HTTP server answering every request with the next queued (status, body); it records requests."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, str]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                gateway.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length).decode(),
                    }
                )
                status, body = gateway.answers.pop(0) if gateway.answers else (200, '{"code": 0}')
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_POST = do_GET = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    fake = FakeGateway()
    yield fake
    fake.close()


@pytest.fixture
def http_gateway(settings, gateway):
    settings.SMS_BACKEND = "liaison.notifications.gateways.HttpSMSBackend"
    settings.SMS_HTTP = {
        "URL": gateway.url + "/api/send",
        "METHOD": "POST",
        "FORMAT": "json",
        "BODY": '{"mobile": "{phone}", "content": "{text}", "requestId": "{key}"}',
        "SECRET": "s3cret",
        "SIGNATURE_HEADER": "X-Signature",
        "SUCCESS": r'"code"\s*:\s*0\b',
        "TIMEOUT": 5,
    }
    return gateway


@pytest.fixture
def tencent_gateway(settings, gateway):
    settings.SMS_BACKEND = "liaison.notifications.gateways.TencentSMSBackend"
    settings.SMS_TENCENT = {
        "SECRET_ID": "AKIDtest",
        "SECRET_KEY": "key",
        "APP_ID": "1400000000",
        "SIGN_NAME": "人大代表联络站",
        "TEMPLATE_ID": "123456",
        "REGION": "ap-guangzhou",
        "ENDPOINT": gateway.url,
        "TIMEOUT": 5,
    }
    return gateway


def _queue_sms(key="occasion:1") -> Notification:
    notify([Recipient(phone=PHONE)], kind="test_kind", key=key, subject="您的意见已答复", link="/track/ABC/")
    return Notification.objects.get(channel=Notification.Channel.SMS)


def test_http_gateway_receives_the_signed_body_and_the_message_is_sent(http_gateway):
    n = _queue_sms()
    assert deliver_notification(notification_id=n.pk) is True

    [req] = http_gateway.requests
    assert req["method"] == "POST" and req["path"] == "/api/send"
    body = json.loads(req["body"])
    assert body["mobile"] == PHONE
    assert body["requestId"] == str(n.pk)  # the idempotency key: the same on every attempt
    assert "您的意见已答复" in body["content"] and body["content"].endswith("/track/ABC/")
    expected = hmac.new(
        b"s3cret", f"{req['headers']['X-Timestamp']}\n{req['body']}".encode(), hashlib.sha256
    ).hexdigest()
    assert req["headers"]["X-Signature"] == expected
    n.refresh_from_db()
    assert n.status == Notification.Status.SENT and n.last_error == ""


def test_http_gateway_form_body_is_url_encoded_and_get_puts_it_in_the_query(settings, http_gateway):
    settings.SMS_HTTP = {
        **settings.SMS_HTTP,
        "METHOD": "GET",
        "FORMAT": "form",
        "BODY": "to={phone}&msg={text}",
        "SUCCESS": "",
    }
    n = _queue_sms()
    assert deliver_notification(notification_id=n.pk) is True
    [req] = http_gateway.requests
    assert req["method"] == "GET" and req["body"] == ""
    query = parse_qs(req["path"].split("?", 1)[1])
    assert query["to"] == [PHONE]
    assert query["msg"][0].startswith("【")


@pytest.mark.parametrize(
    "answer", [(500, "server error"), (200, '{"code": 17, "msg": "blacklisted"}'), (403, "{}")]
)
def test_a_refusing_gateway_leaves_the_message_pending_with_the_reason(http_gateway, answer):
    http_gateway.answers.append(answer)
    n = _queue_sms()
    with pytest.raises(SMSError):
        deliver_notification(notification_id=n.pk)
    n.refresh_from_db()
    assert n.status == Notification.Status.PENDING
    assert n.attempts == 1 and n.last_error


def test_an_unreachable_gateway_is_retried_and_then_failed(settings, http_gateway, monkeypatch):
    settings.SMS_HTTP = {**settings.SMS_HTTP, "URL": "http://127.0.0.1:9/nothing-listens-here"}
    monkeypatch.setattr(services, "MAX_ATTEMPTS", 2)
    n = _queue_sms()
    for _ in range(2):
        with pytest.raises(SMSError):
            deliver_notification(notification_id=n.pk)
    n.refresh_from_db()
    assert n.status == Notification.Status.FAILED and "unreachable" in n.last_error


def test_tencent_gateway_through_the_official_sdk(tencent_gateway):
    tencent_gateway.answers.append(
        (
            200,
            json.dumps(
                {
                    "Response": {
                        "SendStatusSet": [
                            {
                                "SerialNo": "1",
                                "PhoneNumber": "+86" + PHONE,
                                "Fee": 1,
                                "Code": "Ok",
                                "Message": "send success",
                                "SessionContext": "",
                                "IsoCode": "CN",
                            }
                        ],
                        "RequestId": "r-1",
                    }
                }
            ),
        )
    )
    n = _queue_sms()
    assert deliver_notification(notification_id=n.pk) is True
    [req] = tencent_gateway.requests
    assert req["headers"]["X-TC-Action"] == "SendSms"
    assert req["headers"]["Authorization"].startswith("TC3-HMAC-SHA256 Credential=AKIDtest/")
    sent = json.loads(req["body"])
    assert sent["PhoneNumberSet"] == ["+86" + PHONE]
    assert sent["SmsSdkAppId"] == "1400000000" and sent["TemplateId"] == "123456"
    assert sent["SessionContext"] == str(n.pk)
    assert "您的意见已答复" in sent["TemplateParamSet"][0]
    n.refresh_from_db()
    assert n.status == Notification.Status.SENT


@pytest.mark.parametrize(
    "response",
    [
        {
            "Error": {"Code": "FailedOperation.SignatureIncorrectOrUnapproved", "Message": "bad sign"},
            "RequestId": "r",
        },
        {
            "SendStatusSet": [{"Code": "LimitExceeded.PhoneNumberDailyLimit", "Message": "limit"}],
            "RequestId": "r",
        },
    ],
)
def test_tencent_gateway_errors_are_retried(tencent_gateway, response):
    tencent_gateway.answers.append((200, json.dumps({"Response": response})))
    n = _queue_sms()
    with pytest.raises(SMSError):
        deliver_notification(notification_id=n.pk)
    n.refresh_from_db()
    assert n.status == Notification.Status.PENDING and "Tencent" in n.last_error


def test_a_gateway_missing_settings_stops_start_up(settings):
    settings.SMS_BACKEND = "liaison.notifications.gateways.TencentSMSBackend"
    settings.SMS_TENCENT = {
        **settings.SMS_TENCENT,
        "SECRET_ID": "",
        "SECRET_KEY": "k",
        "APP_ID": "",
        "SIGN_NAME": "s",
        "TEMPLATE_ID": "1",
    }
    with pytest.raises(SystemCheckError, match="SMS_TENCENT_SECRET_ID, SMS_TENCENT_APP_ID"):
        call_command("check")


def test_admins_see_failed_messages_masked_and_can_send_them_again(
    client, admin_user, http_gateway, monkeypatch
):
    monkeypatch.setattr(services, "MAX_ATTEMPTS", 1)
    http_gateway.answers.append((500, "down"))
    n = _queue_sms()
    with pytest.raises(SMSError):
        deliver_notification(notification_id=n.pk)
    client.force_login(admin_user)
    url = reverse("admin:notifications_notification_changelist")
    page = client.get(url, {"status__exact": "failed"})
    assert page.status_code == 200
    rows = page.context["cl"].result_list
    assert [r.pk for r in rows] == [n.pk]
    html = page.content.decode()
    assert "138****1111" in html and PHONE not in html

    r = client.post(url, {"action": "send_again", "_selected_action": [n.pk]})
    assert r.status_code == 302
    n.refresh_from_db()
    assert n.status == Notification.Status.PENDING and n.attempts == 0


def test_area_staff_do_not_see_the_send_log(client, staff):
    client.force_login(staff)
    assert client.get(reverse("admin:notifications_notification_changelist")).status_code == 403
