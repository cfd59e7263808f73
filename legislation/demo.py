"""Demo data for `manage.py seed_demo`: at the demo's 基层立法联系点, one finished consultation (一审稿, with
public and forum opinions, forwarded, outcomes recorded and feedback published) and the open second stage of
the same law, whose diff shows what changed beside the opinions. Idempotent."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import User
from liaison.notifications.services import notifications_muted
from stations.models import Station

from .models import Draft, Expert
from .services.compilation import draft_publish_feedback, opinion_forward, opinion_merge, opinion_outcome
from .services.drafts import draft_close, draft_create, draft_open, draft_report
from .services.opinions import ForumOpinion, forum_create, opinion_record, opinion_submit

TITLE = "物业管理条例（草案）"

FIRST = """{city}物业管理条例（草案征求意见稿）

第一章　总则
第一条　为了规范物业管理活动，维护业主、物业服务人的合法权益，营造和谐宜居的生活环境，制定本条例。
第二条　本条例适用于本市行政区域内的物业管理活动及其监督管理。
第三条　市、县（区）人民政府应当加强对物业管理工作的领导，履行下列职责：
（一）将物业管理纳入社区治理体系；
（二）建立物业管理协调机制。
第三条之一　街道办事处、乡镇人民政府负责指导本辖区业主大会的成立和业主委员会的选举。
第二章　业主和业主大会
第四条　房屋的所有权人为业主。
第五条　业主大会应当每年召开一次会议。
第六条　物业服务人应当公示物业服务收费标准。
第三章　附则
第七条　本条例自公布之日起施行。
"""

SECOND_CHANGES = {
    "第五条　业主大会应当每年召开一次会议。": "第五条　业主大会应当每年至少召开一次会议，并公开会议记录。",
    "第六条　物业服务人应当公示物业服务收费标准。": (
        "第六条　物业服务人应当在物业管理区域显著位置公示物业服务收费标准和公共收益收支情况，每半年更新一次。"
    ),
}

PUBLIC = [
    ("第五条", "业主大会的会议记录应当公开，方便业主查阅。"),
    ("第五条", "建议会议记录在小区公告栏公开。"),
    ("第六条", "公共收益（停车费、广告费）的收支也应当公示。"),
    (None, "建议增加物业服务质量评价的规定。"),
]


def _staff_for(point: Station):
    for u in User.objects.filter(
        is_active=True, role__in=["admin", "staff"], area__isnull=False
    ).select_related("area"):
        if point.area.path.startswith(u.area.path):
            return u
    return None


@transaction.atomic
def seed() -> int:
    if Draft.objects.filter(title__endswith=TITLE).exists():
        return 0
    point = Station.objects.filter(kind=Station.Kind.LEGISLATIVE).select_related("area").first()
    staff = _staff_for(point) if point else None
    if point is None or staff is None:
        return 0
    city = point.name.split("人大常委会")[0] or ""
    today = timezone.localdate()
    first_text = FIRST.format(city=city)
    expert, _ = Expert.objects.get_or_create(station=point, name="周明远", defaults={"field": "民商法"})
    with notifications_muted():
        first = draft_create(
            user=staff,
            title=f"{city}{TITLE}",
            issuer=f"{city}人大常委会法制工作委员会",
            stage="一审稿",
            opens_on=today - dt.timedelta(days=90),
            closes_on=today - dt.timedelta(days=60),
            text=first_text,
            background="为解决物业服务收费不透明、业主大会召开难等问题，起草本条例。",
            station_ids=[point.pk],
        )
        draft_open(user=staff, draft_id=first.pk)
        arts = {a.label: a.pk for a in first.articles.all()}
        opinions = [
            opinion_submit(draft_id=first.pk, article_id=arts.get(label) if label else None, content=text)
            for label, text in PUBLIC
        ]
        forum = forum_create(
            user=staff,
            draft_id=first.pk,
            station_id=point.pk,
            held_on=today - dt.timedelta(days=75),
            attendance=23,
            place=point.address or point.name,
            minutes="社区居民、业主委员会成员、物业企业代表参加座谈。",
            opinions=[
                ForumOpinion("物业服务收费标准应当在小区显著位置公示。", arts["第六条"]),
                ForumOpinion("第三条之一应写明居委会的协助职责。", arts["第三条之一"]),
            ],
        )
        expert_opinion = opinion_record(
            user=staff,
            draft_id=first.pk,
            content="第六条公示内容应包括公共收益的收支情况。",
            source="expert",
            station_id=point.pk,
            article_id=arts["第六条"],
            expert_id=expert.pk,
        )
        opinion_merge(user=staff, opinion_id=opinions[1].pk, into_id=opinions[0].pk)
        forum_ops = list(forum.opinions.order_by("id"))
        forwarded = [opinions[0], opinions[2], forum_ops[0], expert_opinion, forum_ops[1]]
        for o in forwarded:
            opinion_forward(user=staff, opinion_id=o.pk)
        draft_close(user=staff, draft_id=first.pk)
        draft_report(user=staff, draft_id=first.pk)
        outcomes = ["adopted", "adopted", "partly", "adopted", "not_adopted"]
        notes = ["第五条已修改", "第六条已增加公共收益公示", "第六条已修改", "第六条已修改", "由实施细则规定"]
        for o, outcome, note in zip(forwarded, outcomes, notes, strict=True):
            opinion_outcome(user=staff, opinion_id=o.pk, outcome=outcome, note=note)
        draft_publish_feedback(user=staff, draft_id=first.pk)

        second_text = first_text
        for old, new in SECOND_CHANGES.items():
            second_text = second_text.replace(old, new)
        second = draft_create(
            user=staff,
            title=first.title,
            issuer=first.issuer,
            stage="二审稿",
            opens_on=today - dt.timedelta(days=3),
            closes_on=today + dt.timedelta(days=27),
            text=second_text + "第八条　本条例由市人民政府负责解释。\n",
            previous=first,
            station_ids=[point.pk],
        )
        draft_open(user=staff, draft_id=second.pk)
    return 2
