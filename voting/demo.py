"""Demo data for `manage.py seed_demo`: proposals, one published ballot with its projects, one open ballot.

Idempotent: everything is looked up by a natural key (proposal code, ballot title, candidate) first, so a second
run creates nothing. Votes go through `ballot_cast`, so the demo obeys the same rules as real use.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from liaison.accounts.models import User
from stations.models import Area, Delegate, HandlingUnit

from .models import Ballot, LivelihoodProject, ProjectProposal, ProposalWindow
from .services.ballots import ballot_cast, ballot_close, ballot_create, ballot_open, ballot_publish
from .services.projects import (
    milestone_add,
    milestone_complete,
    progress_report_create,
    project_create,
    site_add,
    site_assign_leads,
    site_complete,
)
from .services.proposals import proposal_decline, proposal_shortlist

COUNTY_CODE = "611002000000"  # 商州区, where the demo accounts live

PROPOSALS = [
    # code, title, description, cost (万元), outcome
    (
        "DEMOA001",
        "老旧小区加装电梯",
        "城关街道6个老旧小区多为六层无电梯楼，老人上下楼困难。",
        480,
        "shortlisted",
    ),
    (
        "DEMOA002",
        "农村饮水安全巩固提升",
        "部分村组水源不稳定，夏季常停水，需新建蓄水池和管网。",
        320,
        "shortlisted",
    ),
    (
        "DEMOA003",
        "城区学校周边交通安全设施",
        "上下学时段学校门口拥堵，缺少护栏、减速带和信号灯。",
        150,
        "shortlisted",
    ),
    ("DEMOA004", "社区老年助餐点", "独居老人吃饭难，建议在社区建设助餐点。", 90, "shortlisted"),
    ("DEMOA005", "背街小巷路灯改造", "多条背街小巷路灯损坏，夜间出行不安全。", 60, "shortlisted"),
    ("DEMOA006", "新建城区体育公园", "城区缺少群众健身场地。", 2600, "declined"),
    ("DEMOA007", "增设农贸市场停车位", "早市车辆乱停乱放。", 40, "submitted"),
    ("DEMOA008", "村卫生室标准化建设", "部分村卫生室设备陈旧，群众看小病要跑远路。", 200, "shortlisted"),
]
DECLINE_REASON = "投资规模超出年度民生实事项目范围，已转交城市规划部门研究。"


def seed(stdout) -> None:
    county = Area.objects.filter(code=COUNTY_CODE).first()
    if county is None:
        stdout.write("voting: 商州区 not found, skipped.")
        return
    admin = User.objects.filter(username="admin").first()
    with transaction.atomic():
        made = _seed(county, admin)
    stdout.write(f"voting: {made} (proposals, ballots, projects; idempotent)")


def _seed(county: Area, admin) -> str:
    today = timezone.localdate()
    window, _ = ProposalWindow.objects.get_or_create(
        area=county,
        year=today.year,
        defaults={
            "opens_on": today - dt.timedelta(days=20),
            "closes_on": today + dt.timedelta(days=40),
            "created_by": admin,
        },
    )
    township = county.children.order_by("code").first() or county
    proposals = {}
    for code, title, desc, cost, outcome in PROPOSALS:
        p = ProjectProposal.objects.filter(code=code).first()
        if p is None:
            p = ProjectProposal.objects.create(
                code=code,
                window=window,
                title=title,
                description=desc,
                area=township,
                rough_cost=cost,
                name="王小明" if code.endswith("1") else "",
                phone="13800001234" if code.endswith("1") else "",
            )
            if outcome == "shortlisted":
                proposal_shortlist(proposal_id=p.pk, note="群众呼声高，条件成熟", actor=admin)
            elif outcome == "declined":
                proposal_decline(proposal_id=p.pk, reason=DECLINE_REASON, actor=admin)
        proposals[code] = p

    roll = list(
        Delegate.objects.filter(area=county, level=Delegate.Level.COUNTY, is_active=True).order_by("code")[
            :60
        ]
    )
    account_delegates = list(Delegate.objects.filter(user__username__startswith="delegate").order_by("code"))
    roll = list({d.pk: d for d in account_delegates + roll}.values())
    if len(roll) < 3:
        return "not enough delegates for a ballot"

    # A published ballot of last session: three candidates, two seats, with its projects under way.
    title = f"商州区{today.year}年民生实事项目票决"
    if not Ballot.objects.filter(title=title).exists():
        cands = [proposals[c] for c in ("DEMOA001", "DEMOA002", "DEMOA003")]
        ballot = ballot_create(
            title=title,
            area=county,
            session_name=f"商州区第十九届人民代表大会第{today.year - 2022}次会议",
            seats=2,
            roll=roll,
            candidates=cands,
            secret=True,
            actor=admin,
        )
        ballot_open(ballot_id=ballot.pk, actor=admin)
        rng = random.Random(2026)
        candidates = list(ballot.candidates.order_by("position"))
        weights = [(0.85, 0.1), (0.75, 0.15), (0.45, 0.4)]
        # Demo accounts are left out, so delegate01 can see a clean receipt-free history.
        for d in roll[len(account_delegates) :] or roll:
            choices = {}
            for c, (p_for, p_against) in zip(candidates, weights, strict=True):
                x = rng.random()
                choices[c.pk] = "for" if x < p_for else ("against" if x < p_for + p_against else "abstain")
            ballot_cast(ballot_id=ballot.pk, delegate=d, choices=choices)
        ballot_close(ballot_id=ballot.pk, actor=admin)
        ballot = ballot_publish(ballot_id=ballot.pk, actor=admin)
        # The demo "unit" account's unit owns the first project, so that account has something to report on.
        demo_unit_id = User.objects.filter(username="unit").values_list("unit_id", flat=True).first()
        units = sorted(HandlingUnit.objects.filter(area=county), key=lambda u: (u.pk != demo_unit_id, u.name))
        elected = [
            c
            for c in candidates
            if c.pk in {x["id"] for x in ballot.published_result["candidates"] if x["elected"]}
        ]
        for i, c in enumerate(elected):
            if LivelihoodProject.objects.filter(candidate=c).exists() or not units:
                continue
            project = project_create(
                candidate_id=c.pk,
                unit=units[i % len(units)],
                budget=c.proposal.rough_cost or 100,
                target_date=dt.date(today.year, 12, 20),
                year=today.year,
                lead_delegates=roll[:3],
                actor=admin,
            )
            tender = milestone_add(
                project_id=project.pk, title="完成立项和招标", due=dt.date(today.year, 4, 30)
            )
            milestone_complete(milestone_id=tender.pk, done_on=min(dt.date(today.year, 4, 28), today))
            milestone_add(project_id=project.pk, title="主体工程完工", due=dt.date(today.year, 10, 31))
            for n, (lat, lng) in enumerate(
                [(33.868, 109.940), (33.872, 109.931), (33.861, 109.952)], start=1
            ):
                site = site_add(
                    project_id=project.pk, name=f"{c.proposal.title}第{n}号点位", latitude=lat, longitude=lng
                )
                site_assign_leads(site_id=site.pk, delegates=[roll[n - 1]])
                if n == 1:
                    site_complete(site_id=site.pk)
            progress_report_create(
                project_id=project.pk,
                text="已完成招标，首个点位已销号，其余点位正在施工。",
            )

    # An open ballot for the coming year, so the demo delegates have something to vote on.
    title_next = f"商州区{today.year + 1}年民生实事项目票决"
    if not Ballot.objects.filter(title=title_next).exists():
        cands = [proposals[c] for c in ("DEMOA004", "DEMOA005", "DEMOA008")]
        ballot = ballot_create(
            title=title_next,
            area=county,
            session_name=f"商州区第十九届人民代表大会第{today.year - 2021}次会议",
            seats=2,
            roll=roll,
            candidates=cands,
            secret=True,
            actor=admin,
        )
        ballot_open(ballot_id=ballot.pk, actor=admin)
    return f"{len(proposals)} proposals, {Ballot.objects.filter(area=county).count()} ballots, {LivelihoodProject.objects.count()} projects"
