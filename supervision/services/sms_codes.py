"""One-time SMS codes that confirm a public supporter's phone number, and the keyed phone hash."""

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import RateLimited, SmsUnavailable, ValidationFailed
from liaison.privacy import mask_phone, normalise_phone

from ..conf import conf
from ..models import SmsCode

logger = logging.getLogger(__name__)


def phone_hash(phone: str) -> str:
    """A keyed hash of the number: the same number gives the same value, the value does not give the number."""
    return hmac.new(settings.SECRET_KEY.encode(), f"phone:{phone}".encode(), hashlib.sha256).hexdigest()


def _code_hash(p_hash: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"code:{p_hash}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def sms_code_request(*, phone: str, purpose: str = SmsCode.Purpose.SUPPORT) -> SmsCode:
    """Send a 6-digit one-time code. Rate-limited per number (the per-client limit is the caller's)."""
    from liaison import ratelimit
    from liaison.notifications.sms import SMSError, send_sms

    if purpose not in SmsCode.Purpose.values:
        raise ValidationFailed(_("未知的验证码用途。"))
    phone = normalise_phone(phone)
    p_hash = phone_hash(phone)
    wait = ratelimit.hit("sms_code_phone", p_hash)
    if wait is not None:
        raise RateLimited(_("该号码获取验证码太频繁，请稍后再试。"), retry_after=wait)
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = conf.SMS_CODE_MINUTES
    sms = SmsCode.objects.create(
        phone_hash=p_hash,
        purpose=purpose,
        code_hash=_code_hash(p_hash, code),
        expires_at=timezone.now() + timedelta(minutes=minutes),
    )
    # Sent directly, not through the outbox: the outbox would keep the code in clear text, and a lost code
    # is simply requested again.
    text = _("【%(portal)s】您的验证码是%(code)s，%(minutes)s分钟内有效。如非本人操作请忽略。") % {
        "portal": settings.PORTAL_NAME,
        "code": code,
        "minutes": minutes,
    }
    try:
        send_sms(phone, text)
    except SMSError:
        logger.warning("SMS code to %s could not be sent", mask_phone(phone), exc_info=True)
        sms.delete()
        raise SmsUnavailable() from None
    return sms


def _live_code(p_hash: str, purpose: str, now: dt.datetime) -> Subquery:
    live = SmsCode.objects.filter(phone_hash=p_hash, purpose=purpose, used_at=None, expires_at__gt=now)
    return Subquery(live.order_by("-created_at").values("pk")[:1])


def sms_code_claim(*, phone: str, code: str, purpose: str, now: dt.datetime | None = None) -> str:
    """Use up the number's live code for `purpose` and return the number's keyed hash. Call it inside the
    transaction of what the code confirms, so a refusal later in that transaction leaves the code unused; on
    the ValidationFailed it raises, call `sms_code_refused` after that transaction rolled back.

    Only the latest unused, unexpired code counts, and only one request can claim it (a conditional UPDATE).
    (topic_support does the same in raw SQL on its hot path.)
    """
    now = now or timezone.now()
    code = str(code or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        raise ValidationFailed({"code": [_("验证码错误或已过期，请重新获取。")]})
    p_hash = phone_hash(normalise_phone(phone))
    claimed = SmsCode.objects.filter(
        pk=_live_code(p_hash, purpose, now),
        used_at=None,
        code_hash=_code_hash(p_hash, code),
        failed_attempts__lt=conf.SMS_CODE_MAX_ATTEMPTS,
    ).update(used_at=now)
    if claimed != 1:
        raise ValidationFailed({"code": [_("验证码错误或已过期，请重新获取。")]})
    return p_hash


def sms_code_refused(*, phone: str, code: str, purpose: str, now: dt.datetime | None = None) -> None:
    """A wrong guess counts against the live code: `sms_code_max_attempts` of them and it is dead."""
    now = now or timezone.now()
    p_hash = phone_hash(normalise_phone(phone))
    SmsCode.objects.filter(pk=_live_code(p_hash, purpose, now)).exclude(
        code_hash=_code_hash(p_hash, str(code or "").strip())
    ).update(failed_attempts=F("failed_attempts") + 1)


def sms_codes_purge(*, now: dt.datetime | None = None, keep: timedelta = timedelta(days=1)) -> int:
    """Delete one-time codes that expired more than `keep` ago: they can never be used again, and a phone
    hash need not be kept longer than the code's life (PIPL: keep personal data no longer than needed)."""
    cutoff = (now or timezone.now()) - keep
    deleted, _by_model = SmsCode.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
