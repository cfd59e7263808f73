"""Issue 14, "Done when": the whole life of a formal suggestion through the API."""

import datetime as dt
from unittest import mock

import pytest

from liaison.notifications.models import Notification
from motions.models import FormalSuggestion
from suggestions import tasks
from suggestions.models import Referral

from .conftest import at

pytestmark = pytest.mark.django_db


def test_story(
    tree,
    session,
    staff,
    unit,
    other_unit,
    unit_user,
    other_unit_user,
    delegate_user,
    cosigner_users,
    client_for,
    api,
):
    lead = client_for(delegate_user)
    acts = []
    record = lambda **kw: acts.append((kw["delegate_id"], kw["kind"]))  # noqa: E731
    with (
        mock.patch("motions.services.filing.delegate_act", side_effect=record),
        mock.patch("motions.services.handling.delegate_act", side_effect=record),
    ):
        # 2026-07-01, during the session: the delegate files with two co-signers.
        with at(dt.date(2026, 7, 1)):
            r = lead.post(
                "/api/v1/motions/",
                {
                    "title": "关于改善城关街道老旧小区排水的建议",
                    "content": "城关街道多个老旧小区雨季积水，建议纳入改造计划。",
                    "cosigners": [c.delegate_id for c in cosigner_users],
                },
                format="json",
            )
            assert r.status_code == 201, r.content
            assert set(r.json()) == {"id", "code", "status"} and r.json()["status"] == "submitted"
            pk = r.json()["id"]
            m = FormalSuggestion.objects.get(pk=pk)
            assert m.session == session and m.suggestion.channel == "formal"
            for c in cosigner_users:
                assert client_for(c).post(f"/api/v1/motions/{pk}/cosign/").status_code == 200
            detail = lead.get(f"/api/v1/motions/{pk}/").json()
            assert [c["confirmed"] for c in detail["cosigners"]] == [True, True]

            # Staff register and refer it as a key suggestion with a leader.
            staff_api = client_for(staff)
            assert staff_api.post(f"/api/v1/motions/{pk}/register/").json()["status"] == "registered"
            r = staff_api.post(
                f"/api/v1/motions/{pk}/refer/",
                {
                    "lead_unit": unit.pk,
                    "cohandling_units": [other_unit.pk],
                    "key": True,
                    "leader": "王副主任",
                },
                format="json",
            )
            assert r.status_code == 200, r.content
            assert r.json()["status"] == "referred"
        m.refresh_from_db()
        assert m.suggestion.is_key and m.leader == "王副主任"
        assert m.suggestion.reply_due == dt.date(2026, 10, 1)  # three months

        unit_api = client_for(unit_user)
        with at(dt.date(2026, 8, 20)):
            reply = {"class": "B", "content": "已列入明年改造计划。", "public": True}
            r = unit_api.post(f"/api/v1/motions/{pk}/reply/", reply, format="json")
            assert r.status_code == 409, r.content  # 先沟通后答复
            assert m.suggestion.replies.count() == 0
            r = unit_api.post(
                f"/api/v1/motions/{pk}/contact/", {"way": "visit", "note": "上门走访李代表"}, format="json"
            )
            assert r.status_code == 201, r.content
            r = unit_api.post(f"/api/v1/motions/{pk}/reply/", reply, format="json")
            assert r.status_code == 200 and r.json()["status"] == "replied", r.content
            # The co-handling unit's reply is attached (no contact needed).
            r = client_for(other_unit_user).post(
                f"/api/v1/motions/{pk}/reply/", {"class": "B", "content": "配合办理。"}, format="json"
            )
            assert r.status_code == 200, r.content

        # 2026-09-05: unsatisfied → re-handled by the same units, due in one month (2026-10-05, in the
        # National Day holiday).
        with at(dt.date(2026, 9, 5)):
            r = client_for(cosigner_users[0]).post(
                f"/api/v1/motions/{pk}/rating/", {"rating": "satisfied"}, format="json"
            )
            assert r.status_code == 403  # only the lead delegate rates
            r = lead.post(f"/api/v1/motions/{pk}/rating/", {"rating": "unsatisfied"}, format="json")
            assert r.status_code == 200 and r.json()["status"] == "rehandling", r.content
        m.refresh_from_db()
        assert m.suggestion.round == 2 and m.suggestion.reply_due == dt.date(2026, 10, 5)
        assert set(Referral.objects.filter(suggestion=m.suggestion, round=2).values_list("unit", "role")) == {
            (unit.pk, "lead"),
            (other_unit.pk, "assisting"),
        }

        # Reminder two working days ahead, once; the overdue warning the day after, once.
        with at(dt.date(2026, 9, 28)):
            tasks.remind_referrals()
        assert not Notification.objects.filter(kind="referral_reminder", recipient=unit_user).exists()
        for day in (dt.date(2026, 9, 29), dt.date(2026, 9, 30)):
            with at(day):
                tasks.remind_referrals()
                tasks.mark_overdue()
        for day in (dt.date(2026, 10, 6), dt.date(2026, 10, 7)):
            with at(day):
                tasks.remind_referrals()
                tasks.mark_overdue()
        inbox = Notification.objects.filter(channel="inbox")
        assert inbox.filter(kind="referral_reminder", recipient=unit_user).count() == 1
        # One warning per referral (the lead and the co-handling unit), though the sweep ran twice.
        assert inbox.filter(kind="referral_overdue", recipient=staff).count() == 2
        assert inbox.filter(kind="referral_overdue_unit", recipient=unit_user).count() == 1

        # Re-handled: a contact again, then a class A reply, rated satisfied → closed.
        with at(dt.date(2026, 10, 9)):
            r = unit_api.post(f"/api/v1/motions/{pk}/reply/", {**reply, "class": "A"}, format="json")
            assert r.status_code == 409
            unit_api.post(
                f"/api/v1/motions/{pk}/contact/", {"way": "phone", "note": "电话沟通"}, format="json"
            )
            r = unit_api.post(f"/api/v1/motions/{pk}/reply/", {**reply, "class": "A"}, format="json")
            assert r.json()["status"] == "replied", r.content
            r = lead.post(f"/api/v1/motions/{pk}/rating/", {"rating": "satisfied"}, format="json")
            assert r.json()["status"] == "closed", r.content

    d, c0, c1 = delegate_user.delegate_id, cosigner_users[0].delegate_id, cosigner_users[1].delegate_id
    assert acts == [
        (d, "formal_suggestion_filed"),
        (c0, "formal_suggestion_cosigned"),
        (c1, "formal_suggestion_cosigned"),
        (d, "formal_suggestion_satisfied"),
    ]

    stats = (
        client_for(staff).get(f"/api/v1/motions/stats/?session={session.pk}&area={tree.county.code}").json()
    )
    assert stats["filed"] == 1 and stats["registered"] == 1 and stats["replied"] == 1
    assert stats["done_rate"] == 1.0 and stats["satisfaction_rate"] == 1.0
    assert stats["by_unit"][0]["name"] == unit.name

    pub = api.get(f"/api/v1/motions/public/?session={session.pk}").json()["results"]
    assert len(pub) == 1
    row = pub[0]
    assert row["delegates"] == [delegate_user.delegate.name, "张明", "刘芳"]
    assert row["unit"] == unit.name and row["reply_class"] == "A" and row["leader"] == "王副主任"
    assert "phone" not in str(row) and "mobile" not in str(row)
