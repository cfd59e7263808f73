"""Back office: every supervision changelist renders for area staff, scoped; actions and adds call services."""

import pytest
from django.test import Client

from supervision.models import Opinion, Rectification
from supervision.services.activities import activity_create
from supervision.services.questions import opinion_issue
from supervision.services.rectifications import rectification_report

pytestmark = pytest.mark.django_db

MODELS = [
    "supervisionplan",
    "collectionwindow",
    "topic",
    "activity",
    "question",
    "opinion",
    "rectification",
    "assessment",
]


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_changelists_render_and_are_scoped(tree, staff, other_staff, admin_user, unit):
    activity = activity_create(kind="inspection", title="商州区视察", area=tree.county, units=[unit])
    opinion_issue(activity_id=activity.pk, unit=unit, title="商州区审议意见", content="整改")
    for user in (staff, admin_user):
        c = login(user)
        for m in MODELS:
            r = c.get(f"/admin/supervision/{m}/")
            assert r.status_code in (200, 403), (m, r.status_code)  # staff may not open collection windows
    c = login(staff)
    assert "商州区视察" in c.get("/admin/supervision/activity/").content.decode()
    assert c.get(f"/admin/supervision/activity/{activity.pk}/change/").status_code == 200
    other = login(other_staff)
    assert "商州区视察" not in other.get("/admin/supervision/activity/").content.decode()
    assert other.get(f"/admin/supervision/activity/{activity.pk}/change/").status_code == 404


def test_opinion_added_in_admin_opens_a_rectification(tree, admin_user, unit):
    activity = activity_create(kind="special_inquiry", title="专题询问", area=tree.county, units=[unit])
    r = login(admin_user).post(
        "/admin/supervision/opinion/add/",
        {"activity": activity.pk, "unit": unit.pk, "title": "审议意见", "content": "限期整改"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    op = Opinion.objects.get()
    assert op.rectifications.get().source == "opinion"


def test_rectification_accept_action(tree, staff, unit):
    activity = activity_create(kind="inspection", title="视察", area=tree.county, units=[unit])
    op = opinion_issue(activity_id=activity.pk, unit=unit, title="意见", content="整改")
    rect = op.rectifications.get()
    rectification_report(rectification_id=rect.pk, unit=unit, content="已整改")
    r = login(staff).post(
        "/admin/supervision/rectification/", {"action": "accept", "_selected_action": [rect.pk]}
    )
    assert r.status_code == 302
    assert Rectification.objects.get(pk=rect.pk).status == "accepted"
