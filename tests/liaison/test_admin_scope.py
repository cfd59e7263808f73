"""Every back-office admin goes through the one area scope.

Staff and an admin of 洛南县 walk every registered admin — list, change, delete, history, history form (GET and
POST), every action and the autocomplete — against 商州区's objects: each answer is a 403/404 (or the login
page), and nothing anywhere in the back office changes.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db.models import ForeignKey, ManyToManyField
from django.test import Client
from django.urls import reverse

from liaison.accounts.models import User
from liaison.admin_scope import AreaScopedAdmin
from tests.factories import UserFactory

from . import admin_world

pytestmark = pytest.mark.django_db

# Admins outside the area scope, each for a reason: Django's groups, API tokens and the login-failure records
# are for superusers only (no portal role opens them), and the working-day calendar has no area.
GLOBAL_ADMINS = {
    "auth.group",
    "authtoken.tokenproxy",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "core.workdayoverride",
    "notifications.notification",
    "duties.dutyrule",
}
OPEN_TO_PORTAL_ADMINS = {"core.workdayoverride", "duties.dutyrule"}


def _registry() -> dict[str, admin.ModelAdmin]:
    return {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}


SCOPED = sorted(label for label in _registry() if label not in GLOBAL_ADMINS)


def _login(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _denied(r) -> bool:
    """A 403, a 404, or the login page: never the object, never a save."""
    return r.status_code in (403, 404) or (r.status_code == 302 and "/admin/login/" in r["Location"])


def _fingerprint() -> dict[str, list[dict]]:
    """Every row of every back-office model: an action or a revert that escaped the scope shows up here."""
    return {
        label: list(model_admin.model._default_manager.order_by("pk").values())
        for label, model_admin in _registry().items()
        if label not in GLOBAL_ADMINS
    }


def _tracked(model) -> bool:
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


def _object_urls(label: str, obj) -> list[str]:
    info = label.replace(".", "_")
    urls = [
        reverse(f"admin:{info}_change", args=[obj.pk]),
        reverse(f"admin:{info}_history", args=[obj.pk]),
        reverse(f"admin:{info}_delete", args=[obj.pk]),
    ]
    if _tracked(type(obj)):
        version = obj.history.latest().history_id
        urls.append(reverse(f"admin:{info}_simple_history", args=[obj.pk, version]))
    if label == "accounts.user":
        urls.append(reverse("admin:auth_user_password_change", args=[obj.pk]))
    return urls


def _form_data(obj) -> dict:
    """The object's own fields as a form would post them, with the text changed: what a revert would save."""
    data = {"post": "yes", "_save": "1"}
    for field in obj._meta.concrete_fields:
        value = field.value_from_object(obj)
        if value is None or field.primary_key:
            continue
        data[field.name] = "改" if isinstance(value, str) and field.choices is None and value else value
    return data


def _action_names(model_admin) -> list[str]:
    declared = [getattr(a, "__name__", a) for a in (model_admin.actions or [])]
    return [*declared, "delete_selected"]


@pytest.fixture
def world(tree, station, delegate, unit, staff, unit_user, admin_user):
    return admin_world.build(tree, station, delegate, unit, staff, unit_user, admin_user)


@pytest.fixture
def attackers(tree, other_staff):
    other_admin = UserFactory(
        username="admin_ln", role=User.Role.ADMIN, area=tree.other_county, is_staff=True
    )
    return [other_staff, other_admin]


def test_every_registered_admin_is_area_scoped_or_listed_as_global():
    unscoped = [
        label
        for label, model_admin in _registry().items()
        if label not in GLOBAL_ADMINS and not isinstance(model_admin, AreaScopedAdmin)
    ]
    assert unscoped == []


def test_global_admins_are_closed_to_county_staff_and_admins(tree, attackers):
    for user in attackers:
        client = _login(user)
        for label in sorted(GLOBAL_ADMINS):
            r = client.get(reverse(f"admin:{label.replace('.', '_')}_changelist"))
            expected = 200 if label in OPEN_TO_PORTAL_ADMINS and user.role == User.Role.ADMIN else 403
            assert r.status_code == expected, (user.username, label)


@pytest.mark.parametrize("label", SCOPED)
def test_another_countys_staff_and_admin_reach_nothing(label, world, attackers):
    model_admin = _registry()[label]
    targets = world.get(label)
    assert targets, f"admin_world builds no {label}: add one so its admin is walked"
    info = label.replace(".", "_")
    changelist = reverse(f"admin:{info}_changelist")
    clients = [(user.username, _login(user)) for user in attackers]
    before = _fingerprint()

    for who, client in clients:
        r = client.get(changelist)
        assert r.status_code in (200, 403), (who, r.status_code)
        if r.status_code == 200:
            listed = {o.pk for o in r.context["cl"].result_list}
            assert listed.isdisjoint(t.pk for t in targets), who
        for obj in targets:
            for url in _object_urls(label, obj):
                r = client.get(url)
                assert _denied(r), (who, url, r.status_code)
                r = client.post(url, _form_data(obj))
                assert _denied(r), (who, "POST", url, r.status_code)
        pks = [t.pk for t in targets]
        for action in _action_names(model_admin):
            r = client.post(changelist, {"action": action, "_selected_action": pks, "post": "yes"})
            assert r.status_code in (200, 302, 403), (who, action, r.status_code)

    assert _fingerprint() == before


def _autocomplete_sources() -> dict[str, tuple[str, str, str]]:
    """For each registered admin with search fields: one relation that points at its model, which is what the
    autocomplete view takes (any model's relation will do: Django checks only the target's admin)."""
    registry = _registry()
    out: dict[str, tuple[str, str, str]] = {}
    for model in apps.get_models():
        if model._meta.model_name.startswith("historical"):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, ForeignKey | ManyToManyField):
                continue
            target = field.related_model._meta.label_lower
            if target in SCOPED and registry[target].search_fields:
                out.setdefault(target, (model._meta.app_label, model._meta.model_name, field.name))
    return out


AUTOCOMPLETE = _autocomplete_sources()


@pytest.mark.parametrize("label", sorted(AUTOCOMPLETE))
def test_autocomplete_offers_nothing_of_another_county(label, world, attackers):
    app_label, model_name, field_name = AUTOCOMPLETE[label]
    targets = {str(t.pk) for t in world[label]}
    for user in attackers:
        client = _login(user)
        page, offered = 1, set()
        while True:
            r = client.get(
                reverse("admin:autocomplete"),
                {"app_label": app_label, "model_name": model_name, "field_name": field_name, "page": page},
            )
            assert r.status_code in (200, 403), (user.username, r.status_code)
            if r.status_code == 403:
                break
            offered |= {row["id"] for row in r.json()["results"]}
            if not r.json()["pagination"]["more"]:
                break
            page += 1
        assert offered.isdisjoint(targets), (user.username, offered & targets)


def test_the_world_covers_every_scoped_admin(world):
    assert sorted(k for k in world if not k.startswith("_")) == SCOPED
