"""Demo data for `manage.py seed_demo`: a few inbox messages for the demo accounts, and the demo unit user on the
daily digest. Inbox rows only (no demo email or SMS goes out), keyed like notify()'s, so a second run adds
nothing."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from liaison.accounts.models import User

from .models import Notification

MESSAGES = {
    "staff": [
        ("demo_welcome", "欢迎使用联络站工作台：新的意见建议会在这里提醒您", "workspace"),
        ("demo_queue", "今天有待受理的意见建议，请在工作台查看", "workspace"),
    ],
    "unit": [
        ("demo_welcome", "欢迎使用承办单位工作台：新的转办件会在这里提醒您", "workspace"),
        ("demo_digest", "您已选择每日汇总：邮件每天汇总发送一次，站内消息即时显示", "inbox"),
    ],
    "delegate01": [
        ("demo_welcome", "欢迎使用代表工作台：接待日安排和群众预约会在这里提醒您", "workspace"),
        ("demo_duty", "请查看本月的进站接待安排", "workspace-duty"),
    ],
    "admin": [("demo_welcome", "欢迎使用管理后台：系统消息会在这里提醒您", "workspace")],
}


@transaction.atomic
def seed() -> int:
    made = 0
    users = {u.username: u for u in User.objects.filter(username__in=list(MESSAGES))}
    unit = users.get("unit")
    if unit is not None and unit.digest != User.Digest.DAILY:
        unit.digest = User.Digest.DAILY
        unit.save(update_fields=["digest"])
    for username, items in MESSAGES.items():
        user = users.get(username)
        if user is None:
            continue
        for kind, subject, url_name in items:
            _row, created = Notification.objects.get_or_create(
                dedupe_key=f"demo:{kind}|{Notification.Channel.INBOX}|u{user.pk}",
                defaults={
                    "channel": Notification.Channel.INBOX,
                    "kind": kind,
                    "recipient": user,
                    "subject": subject,
                    "link": reverse(url_name),
                    "status": Notification.Status.SENT,
                    "sent_at": timezone.now(),
                },
            )
            made += created
    return made


def seed_demo(stdout) -> None:
    made = seed()
    stdout.write(f"notifications: {made} demo messages" if made else "notifications: demo messages present")
