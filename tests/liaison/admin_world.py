"""A 商州区 with an object of every back-office model, built through the services, for the admin scope tests.

Objects are left in states where each admin action would succeed on them (a draft and an open ballot, a
submitted and a lapsed suggestion, an accepted appointment …), so an action that escaped the area scope
would change something the tests can see.
"""

import datetime as dt

from django.utils import timezone

from liaison.accounts.models import User
from open311.services import client_issue
from stations import services as stations_services
from stations.models import Appointment, ReceptionLogItem, Station, StationMembership
from suggestions.models import Suggestion
from suggestions.services.intake import suggestion_submit
from suggestions.services.ratings import suggestion_rate
from suggestions.services.referrals import extension_request, referral_reply, suggestion_refer
from suggestions.services.triage import suggestion_accept
from supervision.models import Topic
from supervision.services.activities import activity_create, activity_start
from supervision.services.assessments import assessment_create, assessment_open
from supervision.services.questions import opinion_issue, question_ask
from supervision.services.rectifications import rectification_report
from supervision.services.topics import collection_window_open, topic_propose, topic_select
from tests.duties import admin_world as duties_world
from tests.factories import (
    AppointmentFactory,
    DelegateFactory,
    ReceptionDayFactory,
    ScheduleFactory,
    UserFactory,
)
from voting.services.ballots import ballot_cast, ballot_close, ballot_create, ballot_open, ballot_publish
from voting.services.evaluations import evaluation_create
from voting.services.projects import progress_report_create, project_create
from voting.services.proposals import proposal_shortlist, proposal_submit, proposal_window_open

PHONE = "13812345678"
MASKED = "138****5678"


def _suggestions(station, unit, staff, unit_user) -> dict:
    today = timezone.localdate()

    def submitted(title):
        return suggestion_submit(
            title=title, content="东关社区3号楼前的路灯坏了一个月。", station=station, submitter_phone=PHONE
        )

    def referred(title):
        s = submitted(title)
        suggestion_accept(suggestion_id=s.pk, actor=staff)
        suggestion_refer(suggestion_id=s.pk, lead_unit=unit, actor=staff)
        return s

    def replied(title):
        s = referred(title)
        referral_reply(
            referral_id=s.referrals.get().pk, result="solved", content="已修复路灯。", actor=unit_user
        )
        return s

    waiting = submitted("商州区待受理的意见")
    lapsed = replied("商州区评价期满的意见")
    Suggestion.objects.filter(pk=lapsed.pk).update(rating_due=today - dt.timedelta(days=1))
    extended = referred("商州区申请延期的意见")
    ref = extended.referrals.get()
    extension_request(
        referral_id=ref.pk, requested_due=ref.due + dt.timedelta(days=10), reason="需要协调", actor=unit_user
    )
    rated = replied("商州区已评价的意见")
    rating = suggestion_rate(suggestion_id=rated.pk, rating="satisfied")
    return {
        "suggestions.suggestion": [waiting, lapsed, extended, rated],
        "suggestions.referral": [lapsed.referrals.get(), ref, rated.referrals.get()],
        "suggestions.reply": [lapsed.replies.get(), rated.replies.get()],
        "suggestions.rating": [rating],
        "suggestions.extensionrequest": [ref.extensions.get()],
    }


def _voting(tree, unit, admin_user, unit_user) -> dict:
    today = timezone.localdate()
    window = proposal_window_open(
        area=tree.county,
        year=today.year,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
        actor=admin_user,
    )
    proposals = [
        proposal_submit(title=f"候选项目{i}", description="内容", area=tree.township, phone=PHONE)
        for i in range(4)
    ]
    waiting = proposals.pop()
    for p in proposals:
        proposal_shortlist(proposal_id=p.pk, actor=admin_user)
    roll = [DelegateFactory(area=tree.county, level="county") for _ in range(3)]

    def ballot(title):
        return ballot_create(
            title=title, area=tree.county, seats=1, roll=roll, candidates=proposals, actor=admin_user
        )

    draft, open_, closed, published = (
        ballot(t) for t in ("草稿表决", "进行中表决", "已结束表决", "已公布表决")
    )
    for b in (open_, closed, published):
        ballot_open(ballot_id=b.pk, actor=admin_user)
        first = b.candidates.order_by("position").first()
        for d in roll:
            ballot_cast(
                ballot_id=b.pk,
                delegate=d,
                choices={c.pk: "for" if c.pk == first.pk else "against" for c in b.candidates.all()},
            )
    for b in (closed, published):
        ballot_close(ballot_id=b.pk, actor=admin_user)
    ballot_publish(ballot_id=published.pk, actor=admin_user)
    project = project_create(
        candidate_id=published.candidates.order_by("position").first().pk,
        unit=unit,
        budget=10,
        target_date=today + dt.timedelta(days=200),
    )
    report = progress_report_create(project_id=project.pk, percent=30, text="开工", actor=unit_user)
    evaluation = evaluation_create(project_id=project.pk, roll=roll, actor=admin_user)
    return {
        "voting.proposalwindow": [window],
        "voting.projectproposal": [waiting, *proposals],
        "voting.ballot": [draft, open_, closed, published],
        "voting.ballotpaper": list(published.papers.all()),
        "voting.vote": list(published.votes.all()),
        "voting.livelihoodproject": [project],
        "voting.progressreport": [report],
        "voting.evaluation": [evaluation],
        "_roll": roll,
    }


def _supervision(tree, unit, delegate, staff, admin_user, unit_user) -> dict:
    today = timezone.localdate()
    window = collection_window_open(
        area=tree.county, year=today.year, opens=today, closes=today + dt.timedelta(days=30), actor=admin_user
    )
    proposed = topic_propose(title="商州区停车难", area=tree.county, proposer_kind=Topic.Proposer.STAFF)
    selected = topic_propose(title="商州区老旧小区改造", area=tree.county, proposer_kind=Topic.Proposer.STAFF)
    topic_select(topic_id=selected.pk, year=today.year, actor=staff)
    selected.refresh_from_db()
    planned = activity_create(kind="inspection", title="商州区视察", area=tree.county, units=[unit])
    running = activity_create(kind="inspection", title="商州区调研", area=tree.county, units=[unit])
    activity_start(activity_id=running.pk, actor=staff)
    question = question_ask(activity_id=running.pk, unit=unit, text="何时完工？", actor=staff)
    opinion = opinion_issue(
        activity_id=running.pk, unit=unit, title="审议意见", content="限期整改", actor=staff
    )
    rect = opinion.rectifications.get()
    rectification_report(rectification_id=rect.pk, unit=unit, content="已整改", actor=unit_user)
    draft = assessment_create(
        title="商州区满意度测评",
        area=tree.county,
        unit=unit,
        subject="department",
        roll=[delegate],
        actor=admin_user,
    )
    open_ = assessment_create(
        title="商州区专项测评",
        area=tree.county,
        unit=unit,
        subject="department",
        roll=[delegate],
        actor=admin_user,
    )
    assessment_open(assessment_id=open_.pk, actor=admin_user)
    return {
        "supervision.supervisionplan": [selected.plan],
        "supervision.collectionwindow": [window],
        "supervision.topic": [proposed, selected],
        "supervision.activity": [planned, running],
        "supervision.question": [question],
        "supervision.opinion": [opinion],
        "supervision.rectification": [rect],
        "supervision.assessment": [draft, open_],
    }


def _motions(tree, delegate, staff) -> dict:
    from motions.models import Session
    from motions.services.filing import motion_save
    from motions.services.handling import motion_register

    today = timezone.localdate()
    session = Session.objects.create(
        area=tree.county, term=19, number=1, name="第十九届一次会议", starts_on=today, ends_on=today
    )
    m = motion_save(lead=delegate, title="关于路灯的建议", content="内容")
    motion_register(motion_id=m.pk, actor=staff)
    return {"motions.session": [session], "motions.formalsuggestion": [m]}


def _legislation(tree, station, delegate, staff) -> dict:
    from legislation.models import Expert, Informant
    from legislation.services.drafts import draft_create, draft_open
    from legislation.services.opinions import ForumOpinion, forum_create, opinion_submit

    today = timezone.localdate()
    draft = draft_create(
        user=staff,
        title="商州区物业管理条例（草案）",
        issuer="区人大常委会法工委",
        stage="一审稿",
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
        text="第一章 总则\n第一条 为了规范物业管理。\n第二条 本条例适用于本区。",
        station_ids=[station.pk],
    )
    draft_open(user=staff, draft_id=draft.pk)
    forum = forum_create(
        user=staff,
        draft_id=draft.pk,
        station_id=station.pk,
        held_on=today,
        attendance=12,
        opinions=[ForumOpinion("建议明确物业费公示。")],
    )
    opinion = opinion_submit(draft_id=draft.pk, content="第一条应写明目的。", phone=PHONE, name="张三")
    expert = Expert.objects.create(station=station, name="王教授", field="民法")
    informant_user = UserFactory(username="informant_sz", role=User.Role.INFORMANT, area=tree.township)
    informant = Informant.objects.create(user=informant_user, station=station)
    return {
        "legislation.draft": [draft],
        "legislation.forum": [forum],
        "legislation.opinion": [opinion],
        "legislation.expert": [expert],
        "legislation.informant": [informant],
    }


def _bodies(tree, delegate) -> dict:
    from bodies.models import Body
    from bodies.services import body_create, member_add

    council = body_create(name="城关街道议政代表会", kind=Body.Kind.STREET_COUNCIL, area=tree.township)
    member_add(body=council, delegate=delegate)
    member_add(body=council, name="王秀兰", phone=PHONE)
    return {"bodies.body": [council]}


def build(tree, station: Station, delegate, unit, staff, unit_user, admin_user) -> dict:
    """{"app_label.model": [objects of 商州区]} for every area-scoped back-office model."""
    today = timezone.localdate()
    ScheduleFactory(station=station, day_of_month=min(today.day + 1, 28))
    day = ReceptionDayFactory(station=station)
    log = stations_services.reception_log_create(
        delegate=delegate, station=station, held_on=today, visitors=2, summary="接待群众", items=["路灯不亮"]
    )
    ReceptionLogItem.objects.filter(log=log).update(constituent_phone=PHONE)
    appointment = AppointmentFactory(
        delegate=delegate,
        station=station,
        phone=PHONE,
        status=Appointment.Status.ACCEPTED,
        scheduled_at=timezone.now() + dt.timedelta(days=1),
    )
    delegate.mobile = PHONE
    delegate.save()
    sz_user = UserFactory(username="clerk_sz", role=User.Role.STAFF, area=tree.township, phone=PHONE)
    world = {
        "accounts.user": [staff, sz_user],
        "stations.area": [tree.county, tree.township, tree.village],
        "stations.handlingunit": [unit],
        "stations.station": [station],
        "stations.delegate": [delegate],
        "stations.stationmembership": list(StationMembership.objects.filter(station=station)),
        "stations.receptionday": [day],
        "stations.receptionlog": [log],
        "stations.appointment": [appointment],
    }
    world |= _suggestions(station, unit, staff, unit_user)
    world |= _voting(tree, unit, admin_user, unit_user)
    world |= _supervision(tree, unit, delegate, staff, admin_user, unit_user)
    world |= _motions(tree, delegate, staff)
    world |= _legislation(tree, station, delegate, staff)
    world["open311.apiclient"] = [client_issue(name="商州区12345", area=tree.county).client]
    world |= _bodies(tree, delegate)
    world |= duties_world.build(tree, station, delegate, staff)
    for label, objects in world.items():
        if not label.startswith("_"):
            for obj in objects:
                obj.refresh_from_db()  # as stored, after every service has run
    return world
