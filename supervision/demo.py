"""Demo data for `manage.py seed_demo`: a collection window, topics with supports, a plan, a special inquiry
with questions, an opinion and its rectification, and a closed assessment. Idempotent."""

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from liaison.accounts.models import User

from .models import CollectionWindow, Topic, TopicSupport
from .services.activities import activity_create, activity_start
from .services.assessments import assessment_close, assessment_create, assessment_open, assessment_vote
from .services.questions import opinion_issue, question_answer, question_ask
from .services.sms_codes import phone_hash
from .services.topics import topic_propose, topic_select

TOPICS = [
    ("老旧小区加装电梯推进缓慢", "多个小区两年前提交申请，至今未动工。", 86),
    ("城区学校周边交通拥堵", "上下学高峰接送车辆占道，存在安全隐患。", 54),
    ("农村饮水安全工程运行维护", "部分村组管网老化，夏季常停水。", 41),
    ("菜市场食品安全监管", "希望加强农药残留抽检并公开结果。", 17),
]


@transaction.atomic
def seed() -> int:
    if Topic.objects.filter(title=TOPICS[0][0]).exists():
        return 0
    staff = User.objects.filter(username="staff").first()
    unit_user = User.objects.filter(username="unit").select_related("unit__area").first()
    if staff is None or unit_user is None or unit_user.unit is None:
        return 0
    unit, county = unit_user.unit, unit_user.unit.area
    delegates = [
        u.delegate
        for u in User.objects.filter(username__startswith="delegate", delegate__isnull=False)
        .select_related("delegate")
        .order_by("username")[:5]
    ]
    today = timezone.localdate()
    CollectionWindow.objects.create(
        area=staff.area,
        year=today.year,
        opens=today - dt.timedelta(days=7),
        closes=today + dt.timedelta(days=60),
        title=f"{staff.area.name}{today.year}年度监督议题征集",
        created_by=staff,
    )
    topics = []
    for title, description, supports in TOPICS:
        t = topic_propose(title=title, description=description, area=county)
        # Demo supports: keyed hashes of made-up numbers, counted like real ones.
        TopicSupport.objects.bulk_create(
            TopicSupport(topic=t, phone_hash=phone_hash(f"1990000{t.pk:02d}{i:02d}")) for i in range(supports)
        )
        Topic.objects.filter(pk=t.pk).update(supports_count=F("supports_count") + supports)
        topics.append(t)
    first = topic_select(topic_id=topics[0].pk, year=today.year, actor=staff)
    activity = activity_create(
        kind="special_inquiry",
        title="关于老旧小区加装电梯工作的专题询问",
        area=county,
        topic=first,
        actor=staff,
        starts_at=timezone.now() - dt.timedelta(days=3),
        place="区人大常委会会议室",
        delegates=delegates,
        units=[unit],
        committee_members="区人大常委会副主任",
    )
    q = question_ask(
        activity_id=activity.pk,
        unit=unit,
        text="今年计划加装多少部电梯？目前进度如何？",
        asked_by=delegates[0] if delegates else None,
        actor=staff,
    )
    question_answer(
        question_id=q.pk,
        unit=unit,
        answer="全年计划加装120部，已完成45部，其余正在审批或施工。",
        mode="on_site",
        answered_by_label="局长",
    )
    follow = question_ask(
        activity_id=activity.pk, unit=unit, text="审批为什么这么慢？", parent_id=q.pk, actor=staff
    )
    question_answer(
        question_id=follow.pk,
        unit=unit,
        answer="涉及多个部门联审，将推行并联审批。",
        mode="on_site",
        answered_by_label="局长",
    )
    opinion_issue(
        activity_id=activity.pk,
        unit=unit,
        title="关于加快推进老旧小区加装电梯工作的审议意见",
        content="一、推行并联审批，压缩审批时限；二、年底前完成全年计划；三、建立进度公开机制。",
        actor=staff,
    )
    if delegates:
        a = assessment_create(
            title="对区住建局专题询问答复的满意度测评",
            area=county,
            unit=unit,
            subject="answer",
            roll=delegates,
            activity=activity,
            actor=staff,
        )
        assessment_open(assessment_id=a.pk)
        for d, choice in zip(
            delegates,
            ["satisfied", "basically_satisfied", "satisfied", "unsatisfied", "satisfied"],
            strict=False,
        ):
            assessment_vote(assessment_id=a.pk, delegate=d, choice=choice)
        assessment_close(assessment_id=a.pk)
    activity_start(activity_id=activity.pk)
    return len(topics)
