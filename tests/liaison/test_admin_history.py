"""History in the back office is for reading: scoped like the change view, never a revert, and personal
numbers masked. Every page that shows a full number writes the audit record."""

import logging

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from liaison.accounts.models import User
from liaison.admin_scope import AreaScopedAdmin
from liaison.core.models import WorkdayOverride
from suggestions.models import Suggestion
from tests.factories import UserFactory

from . import admin_world
from .admin_world import MASKED, PHONE

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _history_form(obj) -> str:
    info = obj._meta.label_lower.replace(".", "_")
    return reverse(f"admin:{info}_simple_history", args=[obj.pk, obj.history.latest().history_id])


@pytest.fixture
def world(tree, station, delegate, unit, staff, unit_user, admin_user):
    return admin_world.build(tree, station, delegate, unit, staff, unit_user, admin_user)


@pytest.fixture
def other_admin(tree):
    return UserFactory(username="admin_ln", role=User.Role.ADMIN, area=tree.other_county, is_staff=True)


def test_another_countys_staff_cannot_read_or_revert_a_suggestion_through_its_history(world, other_staff):
    s = world["suggestions.suggestion"][0]
    client = _login(other_staff)
    assert client.get(_history_form(s)).status_code == 404
    r = client.post(_history_form(s), {"title": "洛南县改的标题", "content": s.content, "status": s.status})
    assert r.status_code == 404
    s.refresh_from_db()
    assert s.title == "商州区待受理的意见"


def test_a_reply_cannot_be_rewritten_through_its_history(world, other_admin, admin_user):
    reply = world["suggestions.reply"][0]
    for user in (other_admin, admin_user):
        r = _login(user).post(_history_form(reply), {"content": "改写的答复", "result": reply.result})
        assert r.status_code in (404, 405), user.username
    reply.refresh_from_db()
    assert reply.content == "已修复路灯。"


def test_inside_the_area_a_history_form_is_read_only(world, staff):
    s = world["suggestions.suggestion"][0]
    area_id = s.area_id
    client = _login(staff)
    r = client.get(_history_form(s))
    assert r.status_code == 200
    assert r.context["revert_disabled"] is True
    assert list(r.context["adminform"].form.fields) == []  # every field is shown read-only
    r = client.post(
        _history_form(s), {"title": s.title, "content": s.content, "status": "closed", "area": s.area_id + 1}
    )
    assert r.status_code == 405
    s.refresh_from_db()
    assert (s.status, s.area_id) == (Suggestion.Status.SUBMITTED, area_id)


TRACKED_SCOPED = sorted(
    model._meta.label_lower
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, AreaScopedAdmin)
    and getattr(model._meta, "simple_history_manager_attribute", None)
)


@pytest.mark.parametrize("label", TRACKED_SCOPED)
def test_no_history_form_saves_for_the_city_admin(label, world, admin_user):
    """The city admin may read every history form of the city; posting one back is refused, whatever it holds."""
    obj = world[label][0]
    client = _login(admin_user)
    before = type(obj)._default_manager.filter(pk=obj.pk).values().get()
    assert client.get(_history_form(obj)).status_code == 200
    data = {
        f.name: "改" for f in obj._meta.concrete_fields if f.get_internal_type() in ("CharField", "TextField")
    }
    assert client.post(_history_form(obj), data).status_code == 405
    assert type(obj)._default_manager.filter(pk=obj.pk).values().get() == before


def test_the_calendar_history_is_read_only_too(admin_user):
    import datetime as dt

    override = WorkdayOverride.objects.create(date=dt.date(2030, 10, 8), is_workday=True, note="调休")
    r = _login(admin_user).post(
        _history_form(override), {"date": "2030-10-09", "is_workday": "", "note": "改"}
    )
    assert r.status_code == 405
    override.refresh_from_db()
    assert (override.date, override.note) == (dt.date(2030, 10, 8), "调休")


def test_no_back_office_action_closes_lapsed_rating_windows(world, other_staff, staff):
    """The old `close_expired` action swept every area whatever was selected (a 洛南县 user closed 商州区's
    suggestions). Lapsed rating windows are the hourly sweep's job; the back office has no such action."""
    lapsed = world["suggestions.suggestion"][1]
    assert lapsed.status == Suggestion.Status.REPLIED
    changelist = reverse("admin:suggestions_suggestion_changelist")
    for user in (other_staff, staff):
        _login(user).post(changelist, {"action": "close_expired", "_selected_action": [lapsed.pk]})
    lapsed.refresh_from_db()
    assert lapsed.status == Suggestion.Status.REPLIED


def test_reply_rating_and_extension_admins_list_only_the_area(world, other_admin, admin_user):
    for label in ("suggestions.reply", "suggestions.rating", "suggestions.extensionrequest"):
        url = reverse(f"admin:{label.replace('.', '_')}_changelist")
        mine = {o.pk for o in world[label]}
        assert {o.pk for o in _login(admin_user).get(url).context["cl"].result_list} == mine
        assert {o.pk for o in _login(other_admin).get(url).context["cl"].result_list} == set()


# --- personal numbers ----------------------------------------------------------------------------------------
def _audit(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "liaison.audit"]


@pytest.mark.parametrize("label", ["stations.appointment", "stations.delegate", "accounts.user"])
def test_history_views_show_no_full_phone_number(label, world, admin_user, caplog):
    """The history forms show what the history recorded: the appointment's and the delegate's numbers are kept
    out of it (and so out of the form); the user's is recorded, and shown masked."""
    obj = world[label][-1]
    client = _login(admin_user)
    info = label.replace(".", "_")
    with caplog.at_level(logging.INFO, logger="liaison.audit"):
        for url in (reverse(f"admin:{info}_history", args=[obj.pk]), _history_form(obj)):
            r = client.get(url)
            assert r.status_code == 200, url
            assert PHONE not in r.content.decode(), url
    assert _audit(caplog) == []  # nothing shown in full, nothing to record


def test_the_user_history_form_masks_the_phone_and_shows_no_password(world, admin_user):
    clerk = world["accounts.user"][-1]
    r = _login(admin_user).get(_history_form(clerk))
    fields = [f for fieldset in r.context["adminform"] for line in fieldset for f in line]
    shown = {f.field["name"]: str(f.contents()) for f in fields}
    assert shown["phone"] == MASKED and shown["username"] == "clerk_sz"
    assert "password" not in shown and clerk.password not in r.content.decode()


def test_a_phone_change_shows_masked_in_the_history_list(world, admin_user):
    clerk = world["accounts.user"][-1]
    clerk.phone = "13998765432"
    clerk.save()
    body = _login(admin_user).get(reverse("admin:accounts_user_history", args=[clerk.pk])).content.decode()
    assert PHONE not in body and "13998765432" not in body
    assert MASKED in body and "139****5432" in body


@pytest.mark.parametrize("label", ["stations.appointment", "stations.delegate", "accounts.user"])
def test_every_page_with_a_full_number_writes_the_audit_record(label, world, admin_user, caplog):
    obj = world[label][-1]
    url = reverse(f"admin:{label.replace('.', '_')}_change", args=[obj.pk])
    with caplog.at_level(logging.INFO, logger="liaison.audit"):
        r = _login(admin_user).get(url)
    assert r.status_code == 200
    assert PHONE in r.content.decode()
    records = _audit(caplog)
    assert len(records) == 1
    assert f"user={admin_user.pk}" in records[0] and f"{obj._meta.label_lower}={obj.pk}" in records[0]


def test_reception_log_items_show_the_constituents_phone_masked_and_log_nothing(world, admin_user, caplog):
    log = world["stations.receptionlog"][-1]
    with caplog.at_level(logging.INFO, logger="liaison.audit"):
        r = _login(admin_user).get(reverse("admin:stations_receptionlog_change", args=[log.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    assert PHONE not in body and MASKED in body
    assert _audit(caplog) == []


def test_a_refused_change_view_writes_no_audit_record(world, other_admin, caplog):
    appointment = world["stations.appointment"][0]
    with caplog.at_level(logging.INFO, logger="liaison.audit"):
        r = _login(other_admin).get(reverse("admin:stations_appointment_change", args=[appointment.pk]))
    assert r.status_code == 404
    assert _audit(caplog) == []
