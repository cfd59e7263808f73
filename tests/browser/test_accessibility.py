"""Automated accessibility check: axe-core (shipped inside the axe-playwright-python package, injected by
Playwright, no CDN) over the public pages and the main workspace pages, with the data that makes their
interesting parts appear (a moved reception day, progress bars, photos, form errors, 三色督办 lights).
No page may have a serious or critical violation."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from stations.models import Delegate
from suggestions.services.intake import suggestion_submit
from suggestions.services.referrals import suggestion_refer
from suggestions.services.triage import suggestion_accept
from supervision.services.activities import activity_create, activity_record_add
from supervision.services.topics import topic_propose
from tests.factories import DelegateFactory, ReceptionDayFactory
from voting.models import ProposalWindow
from voting.services.ballots import ballot_cast, ballot_close, ballot_create, ballot_open, ballot_publish
from voting.services.projects import (
    milestone_add,
    progress_report_create,
    project_create,
    site_add,
    site_complete,
)
from voting.services.proposals import proposal_shortlist, proposal_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}


def _png(name: str) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 160)).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


@pytest.fixture
def portal(tree, station, delegate, delegate_user, staff, unit, unit_user, admin_user):
    today = timezone.localdate()
    # A reception day moved by a holiday, and one rescheduled: both show a notice on the station page.
    ReceptionDayFactory(
        station=station, date=today + dt.timedelta(days=2), planned_date=today + dt.timedelta(days=1)
    ).duties.create(delegate=delegate)
    ReceptionDayFactory(
        station=station,
        date=today + dt.timedelta(days=30),
        planned_date=today + dt.timedelta(days=30),
        previous_date=today + dt.timedelta(days=29),
    )
    # An opinion with a photo, accepted and referred: the tracking page, the staff queue and the unit's list.
    s = suggestion_submit(
        title="小区路灯不亮",
        content="东关社区3号楼前的路灯坏了一个月。",
        station=station,
        submitter_phone="13812341234",
        photos=[_png("lamp.png")],
    )
    suggestion_accept(suggestion_id=s.pk, actor=staff)
    suggestion_refer(suggestion_id=s.pk, lead_unit=unit, actor=staff, due_workdays=1)  # a yellow light
    suggestion_submit(title="背街小巷没有路灯", content="晚上出行不安全。", station=station)
    # The livelihood-project cycle up to a project under way (幸福账单 progress bars).
    ProposalWindow.objects.create(
        area=tree.county, year=today.year, opens_on=today, closes_on=today + dt.timedelta(days=9)
    )
    proposals = [
        proposal_shortlist(
            proposal_id=proposal_submit(title=t, description="群众反映", area=tree.township).pk
        )
        for t in ["老旧小区加装电梯", "农村饮水安全提升", "学校周边交通设施"]
    ]
    roll = [delegate] + [DelegateFactory(level=Delegate.Level.COUNTY, area=tree.county) for _ in range(3)]
    ballot = ballot_create(
        title="商州区民生实事项目票决",
        area=tree.county,
        seats=1,
        roll=roll,
        candidates=proposals,
        actor=admin_user,
    )
    ballot_open(ballot_id=ballot.pk, actor=admin_user)
    cands = list(ballot.candidates.order_by("position"))
    for d in roll:
        ballot_cast(
            ballot_id=ballot.pk,
            delegate=d,
            choices={c.pk: "for" if c == cands[0] else "against" for c in cands},
        )
    ballot_close(ballot_id=ballot.pk, actor=admin_user)
    ballot_publish(ballot_id=ballot.pk, actor=admin_user)
    project = project_create(
        candidate_id=cands[0].pk, unit=unit, budget=100, target_date=today + dt.timedelta(days=200)
    )
    first = site_add(project_id=project.pk, name="东关社区1号楼")
    site_add(project_id=project.pk, name="东关社区2号楼")
    milestone_add(project_id=project.pk, title="完成招标", due=today + dt.timedelta(days=60))
    site_complete(site_id=first.pk)
    progress_report_create(project_id=project.pk, text="1号楼已完工。", photos=[_png("site.png")])
    # Supervision: a topic and an activity with a public photo.
    topic_propose(
        title="背街小巷路灯改造",
        description="多条小巷路灯损坏。",
        area=tree.county,
        proposer_kind="staff",
        actor=staff,
    )
    activity = activity_create(kind="inspection", title="路灯改造视察", area=tree.county, units=[unit])
    activity_record_add(activity_id=activity.pk, text="现场查看了3条小巷。", photo=_png("visit.png"))
    return {"suggestion": s, "project": project, "activity": activity}


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page).response
    return [
        f"{page.url} {v['impact']} {v['id']}: {v['help']} — "
        + "; ".join(f"{n['target'][0]} {n['html'][:120]}" for n in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


def _log_in(page, live_server, user) -> None:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}]
    )


def _check(page, paths) -> list[str]:
    found = []
    for path in paths:
        response = page.goto(path)
        assert response.ok, f"{path}: {response.status}"
        found += _violations(page)
    return found


def test_public_pages_have_no_serious_or_critical_violations(page, portal, station, delegate):
    found = _check(
        page,
        [
            "/",
            f"/stations/{station.pk}/",
            "/delegates/",
            f"/delegates/{delegate.pk}/",
            f"/delegates/{delegate.pk}/appointment/",
            "/suggest/",
            "/track/",
            f"/track/{portal['suggestion'].tracking_code}/",
            "/projects/",
            f"/projects/{portal['project'].pk}/",
            "/proposals/",
            "/proposals/new/",
            "/supervision/",
            f"/supervision/activities/{portal['activity'].pk}/",
            "/figures/",
        ],
    )
    # A form sent back with errors (the browser's own checks switched off, as a screen reader user may meet it).
    for path in ["/suggest/", f"/delegates/{delegate.pk}/appointment/", "/proposals/new/"]:
        page.goto(path)
        form = page.locator("main form[method=post]").last
        form.evaluate("f => { f.noValidate = true; }")
        form.locator("button[type=submit]").last.click()
        page.wait_for_load_state()
        found += _violations(page)
    assert not found, "\n".join(found)


def test_workspace_pages_have_no_serious_or_critical_violations(
    page, live_server, portal, staff, unit_user, delegate_user
):
    s, project = portal["suggestion"], portal["project"]
    page.set_viewport_size({"width": 1280, "height": 900})
    _log_in(page, live_server, staff)
    found = _check(
        page,
        [
            "/workspace/",
            "/workspace/suggestions/",
            f"/workspace/suggestions/{s.pk}/",
            "/workspace/suggestions/stats/",
            "/workspace/supervision/",
            f"/workspace/voting/projects/{project.pk}/",
        ],
    )
    _log_in(page, live_server, unit_user)
    found += _check(
        page,
        [
            "/workspace/referrals/",
            f"/workspace/referrals/{s.referrals.get().pk}/",
            f"/workspace/voting/projects/{project.pk}/report/",
            "/workspace/inbox/",  # the referral's notice, unread: the header's count too
        ],
    )
    _log_in(page, live_server, delegate_user)
    found += _check(page, ["/workspace/", "/workspace/duty/", "/workspace/appointments/", "/vote/"])
    assert not found, "\n".join(found)
