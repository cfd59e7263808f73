"""Done-when: a delegate's year through the API and pages, and the record, points and books show exactly it."""

import datetime as dt

import pytest
from django.utils import timezone

from duties.models import DutyEntry, ReportBack
from liaison.accounts.models import User
from stations.models import ReceptionLog
from tests.factories import DelegateFactory, UserFactory
from voting.models import ProposalWindow
from voting.services.proposals import proposal_shortlist, proposal_submit

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_a_delegates_year(
    client, api, client_for, tree, station, delegate, delegate_user, staff, staff2, admin_user, sms_code
):
    today = timezone.localdate()
    # A reception day with two opinions (the delegate's page).
    web = _login(client, delegate_user)
    r = web.post(
        "/workspace/reception-log/",
        {
            "station": station.pk,
            "held_on": today.isoformat(),
            "visitors": 9,
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-content": "东关路灯不亮",
            "items-1-content": "小区停车难",
        },
    )
    assert r.status_code == 302
    # A suggestion of their own.
    r = web.post(
        "/workspace/my-suggestions/new/",
        {"title": "建议增设公交站", "content": "北新街缺少公交站", "category": "other", "area": ""},
    )
    assert r.status_code == 302, r.content
    # A secret ballot.
    others = [DelegateFactory(area=tree.county, name=f"代表{i}") for i in range(2)]
    ProposalWindow.objects.create(
        area=tree.county,
        year=today.year,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=9),
    )
    props = [
        proposal_shortlist(
            proposal_id=proposal_submit(title=f"项目{i}", description="内容", area=tree.township).pk
        )
        for i in range(2)
    ]
    adm = client_for(admin_user)
    r = adm.post(
        "/api/v1/ballots/",
        {
            "title": "票决",
            "area": tree.county.code,
            "seats": 1,
            "roll": [delegate.pk, *(d.pk for d in others)],
            "candidates": [p.pk for p in props],
            "threshold_basis": "roll",
            "secret": True,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    ballot = r.json()
    assert adm.post(f"/api/v1/ballots/{ballot['id']}/open/").status_code == 200
    me = client_for(delegate_user)
    choices = [{"candidate": c["id"], "choice": "for"} for c in ballot["candidates"]]
    assert (
        me.post(f"/api/v1/ballots/{ballot['id']}/votes/", {"choices": choices}, format="json").status_code
        == 201
    )
    # A supervision activity joined.
    st = client_for(staff)
    r = st.post(
        "/api/v1/activities/",
        {"kind": "inspection", "title": "视察农贸市场", "area": tree.county.code, "delegates": [delegate.pk]},
        format="json",
    )
    assert r.status_code == 201, r.content
    act = r.json()["id"]
    assert st.post(f"/api/v1/activities/{act}/start/").status_code == 200
    assert st.post(f"/api/v1/activities/{act}/finish/").status_code == 200
    # A training.
    r = st.post(
        "/api/v1/trainings/",
        {
            "title": "代表履职培训",
            "held_on": today.isoformat(),
            "area": tree.county.code,
            "attendees": [delegate.pk],
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    # A report-back, held, rated online by two phones and on paper.
    r = st.post(
        "/api/v1/report-backs/",
        {"delegate": delegate.pk, "station": station.pk, "scheduled_on": today.isoformat()},
        format="json",
    )
    assert r.status_code == 201 and r.json()["status"] == "scheduled", r.content
    rb = r.json()["id"]
    r = me.post(f"/api/v1/report-backs/{rb}/held/", {"report": "一年来我……", "attendance": 40}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "held", r.content
    for phone, rating in [("13800000011", "satisfied"), ("13800000012", "unsatisfied")]:
        code = sms_code(phone)
        r = api.post(
            f"/api/v1/report-backs/{rb}/ratings/",
            {"phone": phone, "code": code, "rating": rating},
            format="json",
        )
        assert r.status_code == 201, r.content
    paper = {"satisfied": 20, "basically_satisfied": 10, "unsatisfied": 2}
    assert st.post(f"/api/v1/report-backs/{rb}/paper-tally/", paper, format="json").status_code == 200
    assert st.post(f"/api/v1/report-backs/{rb}/paper-tally/confirm/").status_code == 403  # same user
    assert client_for(staff2).post(f"/api/v1/report-backs/{rb}/paper-tally/confirm/").status_code == 200
    # The window closes after 7 days: the result is public.
    ReportBack.objects.filter(pk=rb).update(rating_closes_at=timezone.now() - dt.timedelta(seconds=1))
    r = api.get(f"/api/v1/report-backs/{rb}/result/")
    assert r.json() == {
        "votes": 34,
        "satisfied": 21,
        "basically_satisfied": 10,
        "unsatisfied": 3,
        "satisfaction_rate": 31 / 34,
    }

    # The record: exactly those acts.
    r = me.get(f"/api/v1/duty-entries/?year={today.year}&page_size=50")
    assert r.status_code == 200
    kinds = sorted(e["kind"] for e in r.json()["results"])
    assert kinds == sorted(
        [
            "reception_day",
            "opinion_recorded",
            "opinion_recorded",
            "suggestion_raised",
            "ballot_voted",
            "activity_joined",
            "training",
            "report_back",
        ]
    )
    ballot_entry = next(e for e in r.json()["results"] if e["kind"] == "ballot_voted")
    assert ballot_entry["source"] == {"type": "voting.ballot", "id": ballot["id"]}
    assert "for" not in str(ballot_entry).replace("format", "")  # no choice anywhere
    # Points: 5 + 1 + 1 + 1 + 1 + 3 + 2 + 10 = 24.
    r = st.get(f"/api/v1/duty-scores/?year={today.year}")
    row = next(x for x in r.json()["results"] if x["delegate"] == delegate.pk)
    assert row["score"] == 24 and row["rank"] == 1
    assert row["counts"]["opinion_recorded"] == 2
    # The public record: counts, never points.
    r = api.get(f"/api/v1/delegates/{delegate.pk}/record/")
    body = r.json()
    assert body["counts"] == {
        "reception_days": 1,
        "people_received": 9,
        "opinions_recorded": 2,
        "report_backs": 1,
    }
    assert body["report_backs"][0]["satisfaction_rate"] == pytest.approx(31 / 34)
    assert "score" not in str(body) and "points" not in str(body)

    # The books: the activity book lists exactly those acts; the report-back book the result.
    r = st.get(f"/api/v1/books/activities/?station={station.pk}")
    assert sorted(row[2] for row in r.json()["sheets"][0]["rows"]) == sorted(
        str(DutyEntry(kind=k).get_kind_display()) for k in kinds
    )
    r = st.get(f"/api/v1/books/report-backs/?station={station.pk}")
    assert r.json()["sheets"][0]["rows"][0][4:7] == [21, 10, 3]
    r = st.get(f"/api/v1/books/trainings/?station={station.pk}")
    assert [row[1] for row in r.json()["sheets"][0]["rows"]] == ["代表履职培训"]

    # A reception log deleted in the admin: reversing entries, the score falls back.
    log = ReceptionLog.objects.get()
    admin = UserFactory(username="root", is_superuser=True, is_staff=True, role=User.Role.ADMIN)
    adminweb = client_for(admin)  # noqa: F841 - API client unused; the admin uses a session
    client.force_login(admin)
    r = client.post(f"/admin/stations/receptionlog/{log.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302, r.content
    assert DutyEntry.objects.filter(sign=-1).count() == 3
    r = st.get(f"/api/v1/duty-scores/?year={today.year}")
    row = next(x for x in r.json()["results"] if x["delegate"] == delegate.pk)
    assert row["score"] == 24 - 7
    assert "opinion_recorded" not in row["counts"]
