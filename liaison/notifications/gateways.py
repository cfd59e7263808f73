"""SMS gateways for production: a configurable HTTP gateway (a government SMS platform) and Tencent Cloud SMS.

Choose one with SMS_BACKEND:

- `liaison.notifications.gateways.HttpSMSBackend` — any platform that takes one HTTP request per message.
  SMS_HTTP_URL, SMS_HTTP_METHOD (POST or GET), SMS_HTTP_FORMAT (json or form), SMS_HTTP_BODY (a template with
  `{phone}`, `{text}`, `{key}` and `{timestamp}`, each escaped for the format), SMS_HTTP_SECRET with
  SMS_HTTP_SIGNATURE_HEADER (hex HMAC-SHA256 of "<timestamp>\\n<body>", the timestamp in X-Timestamp),
  SMS_HTTP_SUCCESS (a regular expression the answer's body must match; without it any 2xx is success),
  SMS_HTTP_TIMEOUT (seconds).
- `liaison.notifications.gateways.TencentSMSBackend` — Tencent Cloud SMS through its official SDK
  (`tencentcloud-sdk-python-sms`). SMS_TENCENT_SECRET_ID, SMS_TENCENT_SECRET_KEY, SMS_TENCENT_APP_ID,
  SMS_TENCENT_SIGN_NAME, SMS_TENCENT_TEMPLATE_ID (an approved template with one variable, which receives the
  message text), SMS_TENCENT_REGION, SMS_TENCENT_ENDPOINT.

Every failure — the gateway unreachable, a non-2xx answer, an answer that fails the success test, an SDK error —
raises SMSError: the outbox keeps the message pending and retries it like an email, and after the last attempt
marks it failed, where admins see it (通知发送记录 in the admin) with the gateway's error. Numbers never reach a
log line unmasked.
"""

import hashlib
import hmac
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .sms import BaseSMSBackend, SMSError


def _sms_settings(prefix: str) -> dict:
    return getattr(settings, prefix)


class HttpSMSBackend(BaseSMSBackend):
    """One HTTP request per message to a configurable gateway (see the module docstring)."""

    def __init__(self) -> None:
        conf = _sms_settings("SMS_HTTP")
        if not conf.get("URL"):
            raise ImproperlyConfigured("SMS_HTTP_URL must be set to use the HTTP SMS gateway")
        if conf["METHOD"] not in ("POST", "GET"):
            raise ImproperlyConfigured(f"SMS_HTTP_METHOD must be POST or GET, not {conf['METHOD']!r}")
        if conf["FORMAT"] not in ("json", "form"):
            raise ImproperlyConfigured(f"SMS_HTTP_FORMAT must be json or form, not {conf['FORMAT']!r}")
        try:
            self.success = re.compile(conf["SUCCESS"]) if conf.get("SUCCESS") else None
        except re.error as exc:
            raise ImproperlyConfigured(f"SMS_HTTP_SUCCESS is not a regular expression: {exc}") from exc
        self.conf = conf

    def _escape(self, value: str) -> str:
        if self.conf["FORMAT"] == "json":
            return json.dumps(value, ensure_ascii=False)[1:-1]
        return urllib.parse.quote_plus(value)

    def body(self, phone: str, text: str, key: str, timestamp: str) -> str:
        body = self.conf["BODY"]
        for name, value in (("phone", phone), ("text", text), ("key", key), ("timestamp", timestamp)):
            body = body.replace(f"{{{name}}}", self._escape(value))
        return body

    def send(self, phone: str, text: str, *, idempotency_key: str | None = None) -> None:
        conf = self.conf
        timestamp = str(int(time.time()))
        body = self.body(phone, text, idempotency_key or "", timestamp)
        headers = {"X-Timestamp": timestamp}
        if conf.get("SECRET"):
            signature = hmac.new(
                conf["SECRET"].encode(), f"{timestamp}\n{body}".encode(), hashlib.sha256
            ).hexdigest()
            headers[conf["SIGNATURE_HEADER"]] = signature
        url, data = conf["URL"], body.encode()
        if conf["METHOD"] == "GET":
            url, data = f"{url}{'&' if '?' in url else '?'}{body}", None
        else:
            headers["Content-Type"] = (
                "application/json; charset=utf-8"
                if conf["FORMAT"] == "json"
                else "application/x-www-form-urlencoded; charset=utf-8"
            )
        request = urllib.request.Request(url, data=data, headers=headers, method=conf["METHOD"])
        try:
            with urllib.request.urlopen(request, timeout=conf["TIMEOUT"]) as response:
                answer = response.read(65536).decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            raise SMSError(f"SMS gateway answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SMSError(f"SMS gateway unreachable: {exc}") from exc
        if self.success is not None and not self.success.search(answer):
            raise SMSError(f"SMS gateway refused the message: {answer[:200]}")


class TencentSMSBackend(BaseSMSBackend):
    """Tencent Cloud SMS (SendSms, API 2021-01-11) through the official SDK."""

    def __init__(self) -> None:
        conf = _sms_settings("SMS_TENCENT")
        missing = [
            name
            for name in ("SECRET_ID", "SECRET_KEY", "APP_ID", "SIGN_NAME", "TEMPLATE_ID")
            if not conf.get(name)
        ]
        if missing:
            raise ImproperlyConfigured(
                "Tencent Cloud SMS needs " + ", ".join(f"SMS_TENCENT_{name}" for name in missing)
            )
        self.conf = conf

    def _client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        conf = self.conf
        endpoint = conf["ENDPOINT"]
        protocol = "https"
        if "://" in endpoint:
            protocol, endpoint = endpoint.split("://", 1)
        http = HttpProfile(protocol=protocol, endpoint=endpoint, reqTimeout=conf["TIMEOUT"])
        return sms_client.SmsClient(
            credential.Credential(conf["SECRET_ID"], conf["SECRET_KEY"]),
            conf["REGION"],
            ClientProfile(httpProfile=http),
        )

    def send(self, phone: str, text: str, *, idempotency_key: str | None = None) -> None:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.PhoneNumberSet = ["+86" + phone]
        request.SmsSdkAppId = self.conf["APP_ID"]
        request.SignName = self.conf["SIGN_NAME"]
        request.TemplateId = self.conf["TEMPLATE_ID"]
        request.TemplateParamSet = [text]
        request.SessionContext = idempotency_key or ""
        try:
            response = self._client().SendSms(request)
        except TencentCloudSDKException as exc:
            raise SMSError(f"Tencent Cloud SMS error {exc.get_code()}: {exc.get_message()}") from exc
        except OSError as exc:  # pragma: no cover - the SDK wraps most network errors itself
            raise SMSError(f"Tencent Cloud SMS unreachable: {exc}") from exc
        statuses = response.SendStatusSet or []
        if not statuses or statuses[0].Code != "Ok":
            detail = f"{statuses[0].Code}: {statuses[0].Message}" if statuses else "no status"
            raise SMSError(f"Tencent Cloud SMS refused the message ({detail})")
