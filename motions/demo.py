"""Demo data for `manage.py seed_demo`: a session of the demo delegates' congress with formal suggestions in
every state (submitted, co-signed, registered, reference, referred as key, replied and public, re-handled,
closed), all through the services, so the timelines, deadlines and statistics are the real ones. Idempotent.

Size: DEMO_COUNT suggestions (default 48, some 20 s of CPU); the issue wishes for a few hundred, which
`seed(count=300)` gives in about six times the time."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import User
from stations.models import Delegate, HandlingUnit

from .models import Session
from .services.filing import motion_cosign, motion_save
from .services.handling import (
    motion_contact,
    motion_rate,
    motion_refer,
    motion_reference,
    motion_register,
    motion_reply,
)

DEMO_COUNT = 48
SESSION_NAME = "第十九届人民代表大会第三次会议"

TITLES = [
    "关于加快老旧小区改造的建议",
    "关于改善城区停车难问题的建议",
    "关于加强农村饮水安全保障的建议",
    "关于增加城区公办幼儿园学位的建议",
    "关于完善社区养老服务设施的建议",
    "关于整治河道污染的建议",
    "关于优化公交线路的建议",
    "关于支持特色农业发展的建议",
    "关于加强校园周边交通安全的建议",
    "关于推进垃圾分类的建议",
]
# The state each suggestion is left in, in turn.
STATES = ["submitted", "registered", "reference", "referred", "key", "replied", "rehandling", "closed"]


@transaction.atomic
def seed(count: int | None = None) -> int:
    count = count or DEMO_COUNT
    staff = User.objects.filter(username="staff").first()
    unit_user = User.objects.filter(username="unit").select_related("unit__area").first()
    delegate_user = (
        User.objects.filter(username__startswith="delegate", delegate__isnull=False)
        .select_related("delegate__area")
        .order_by("username")
        .first()
    )
    if staff is None or unit_user is None or unit_user.unit is None or delegate_user is None:
        return 0
    lead = delegate_user.delegate
    if Session.objects.filter(area=lead.area, name=SESSION_NAME).exists():
        return 0
    today = timezone.localdate()
    session = Session.objects.create(
        area=lead.area,
        term=lead.term,
        number=3,
        name=SESSION_NAME,
        starts_on=today - dt.timedelta(days=60),
        ends_on=today - dt.timedelta(days=57),
    )
    peers = list(
        Delegate.objects.filter(area=lead.area, level=lead.level, term=lead.term, is_active=True)
        .exclude(pk=lead.pk)
        .select_related("area")
        .order_by("pk")
    )
    peer_leads = [lead, *peers[:4]]
    unit = unit_user.unit
    others = list(HandlingUnit.objects.filter(area=unit.area, is_active=True).exclude(pk=unit.pk)[:2])
    for i in range(count):
        state = STATES[i % len(STATES)]
        by = peer_leads[i % len(peer_leads)]
        cosign = [d for d in [lead, *peers] if d.pk != by.pk][: 2 + i % 3]
        m = motion_save(
            lead=by,
            title=TITLES[i % len(TITLES)],
            content="代表在调研中发现群众反映集中，建议有关部门研究解决。",
            session=session,
            cosigners=[d.pk for d in cosign],
        )
        for d in cosign[:2]:
            motion_cosign(motion_id=m.pk, delegate=d)
        if state == "submitted":
            continue
        if state == "reference":
            motion_reference(motion_id=m.pk, reason="属于工作意见，转有关部门参阅", actor=staff)
            continue
        motion_register(motion_id=m.pk, actor=staff)
        if state == "registered":
            continue
        key = state == "key" or i % 5 == 0
        motion_refer(
            motion_id=m.pk,
            lead_unit=unit,
            cohandling_units=others[: i % 2 + 1],
            key=key,
            leader="区人大常委会副主任" if key else "",
            actor=staff,
        )
        if state in ("referred", "key"):
            continue
        motion_contact(
            motion_id=m.pk,
            way=["visit", "phone", "meeting"][i % 3],
            note="与领衔代表当面沟通办理方案",
            actor=unit_user,
        )
        motion_reply(
            motion_id=m.pk,
            reply_class="ABC"[i % 3] if state != "rehandling" else "C",
            content="经研究，已纳入年度工作计划，分步实施。",
            public=True,
            actor=unit_user,
        )
        if state == "replied":
            continue
        rating = "unsatisfied" if state == "rehandling" else ["satisfied", "basically_satisfied"][i % 2]
        motion_rate(motion_id=m.pk, delegate=by, rating=rating)
    return count
