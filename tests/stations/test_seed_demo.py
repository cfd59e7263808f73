"""`manage.py seed_demo`: the demo city, its accounts, idempotency and the DEBUG guard."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from liaison.accounts.models import User
from stations.models import (
    Area,
    Delegate,
    HandlingUnit,
    ReceptionDay,
    ReceptionDuty,
    ReceptionSchedule,
    Station,
    StationMembership,
)

pytestmark = pytest.mark.django_db

PASSWORD = "liaison-demo-2026"
COUNTED = [
    Area,
    HandlingUnit,
    Station,
    Delegate,
    StationMembership,
    ReceptionSchedule,
    ReceptionDay,
    ReceptionDuty,
    User,
    User.history.model,
]


def seed(**kw) -> str:
    """The network only: other apps' demo hooks are theirs to test (see test_calls_app_hooks)."""
    out = io.StringIO()
    kw.setdefault("no_hooks", True)
    call_command("seed_demo", scale=0.05, stdout=out, **kw)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in COUNTED}


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    return seed()


def test_builds_five_tiers_with_consistent_codes_and_paths(seeded):
    areas = {a.pk: a for a in Area.objects.all()}
    assert {a.tier for a in areas.values()} == set(Area.Tier.values)
    assert Area.objects.get(code="610000000000").name == "陕西省"
    assert Area.objects.get(code="611000000000").name == "商洛市"
    counties = dict(Area.objects.filter(tier="county").values_list("code", "name"))
    assert counties == {
        "611002000000": "商州区",
        "611021000000": "洛南县",
        "611022000000": "丹凤县",
        "611023000000": "商南县",
        "611024000000": "山阳县",
        "611025000000": "镇安县",
        "611026000000": "柞水县",
    }
    for area in areas.values():
        assert re.fullmatch(r"\d{12}", area.code), area.code
        parent = areas.get(area.parent_id)
        assert area.path == (parent.path if parent else "") + area.code + "/"
        if area.tier == "township":
            assert area.code.endswith("000") and area.code[:6] == parent.code[:6]
            assert re.search(r"(镇|街道)$", area.name)
        if area.tier == "village":
            assert area.code[:9] == parent.code[:9] and not area.code.endswith("000")
            assert re.search(r"(村|社区)$", area.name)


def test_stations_delegates_and_schedules(seeded):
    kinds = set(Station.objects.values_list("kind", flat=True))
    assert kinds == set(Station.Kind.values)
    assert Station.objects.filter(kind="home").count() == 7  # one 代表之家 per county
    assert set(Delegate.objects.values_list("level", flat=True)) == set(Delegate.Level.values)
    assert Delegate.objects.filter(level="county", term=19).exists()
    # Every delegate is grouped into a station, and every station with members has exactly one head.
    assert not Delegate.objects.filter(memberships__isnull=True).exists()
    for station in Station.objects.filter(memberships__isnull=False).distinct():
        assert station.memberships.filter(role="head").count() == 1
    # A monthly schedule per station with duty delegates who are its members, and dated days generated.
    assert ReceptionSchedule.objects.count() == Station.objects.count()
    for schedule in ReceptionSchedule.objects.prefetch_related("duty_delegates"):
        assert schedule.frequency == "monthly" and 1 <= schedule.day_of_month <= 28
        members = set(schedule.station.memberships.values_list("delegate_id", flat=True))
        assert {d.pk for d in schedule.duty_delegates.all()} <= members
    assert ReceptionDay.objects.exists() and ReceptionDuty.objects.exists()
    assert HandlingUnit.objects.filter(name="商州区住房和城乡建设局").exists()
    assert HandlingUnit.objects.filter(area__code="611000000000").count() == 12


@pytest.mark.parametrize(
    "username,role,area_code",
    [
        ("admin", "admin", "611000000000"),
        ("staff", "staff", "611000000000"),
        ("unit", "unit", "611002000000"),
    ],
)
def test_accounts_obtain_a_token_and_see_their_role(seeded, api, username, role, area_code):
    r = api.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    assert r.status_code == 200, r.content
    api.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    me = api.get("/api/v1/me/").json()
    assert me["roles"][0] == role and me["area"] == area_code
    user = User.objects.get(username=username)
    assert user.is_staff == (role != "unit")
    if role == "unit":
        assert user.unit.name == "商州区住房和城乡建设局" and me["unit"] == user.unit_id


def test_delegate_accounts_are_linked_to_distinct_county_delegates_on_duty(seeded, api):
    users = list(User.objects.filter(username__startswith="delegate").select_related("delegate__area"))
    assert sorted(u.username for u in users) == [f"delegate{i:02d}" for i in range(1, 11)]
    assert len({u.delegate_id for u in users}) == 10
    for user in users:
        assert user.role == "delegate"
        assert user.delegate.level == "county" and user.delegate.area.code == "611002000000"
        assert user.delegate.memberships.exists()
        assert ReceptionDuty.objects.filter(delegate=user.delegate).exists()
    r = api.post("/api/v1/auth/token/", {"username": "delegate01", "password": PASSWORD}, format="json")
    api.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    me = api.get("/api/v1/me/").json()
    assert me["roles"] == ["delegate"]
    assert me["delegate"] == User.objects.get(username="delegate01").delegate_id


def test_prints_accounts_and_password(seeded):
    assert "delegate10" in seeded and f"password: {PASSWORD}" in seeded
    assert "Done in" in seeded


def test_second_run_creates_nothing(seeded, settings):
    before = counts()
    out = seed()
    assert counts() == before
    assert "+0" in out


def test_password_option_resets_the_accounts(seeded, api):
    seed(password="another-Demo-pass-7")
    r = api.post(
        "/api/v1/auth/token/", {"username": "staff", "password": "another-Demo-pass-7"}, format="json"
    )
    assert r.status_code == 200
    r = api.post("/api/v1/auth/token/", {"username": "staff", "password": PASSWORD}, format="json")
    assert r.status_code == 400


def test_weak_password_is_refused(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="密码"):
        seed(password="12345678")
    assert not Area.objects.exists()


def test_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not Area.objects.exists() and not User.objects.exists()
    seed(force=True)
    assert Area.objects.filter(code="611002000000").exists()


def test_calls_app_hooks(settings, monkeypatch):
    """Every AppConfig with a seed_demo(stdout) method is called once the network exists."""
    settings.DEBUG = True
    seen = []

    class WithHook:
        label = "withhook"

        def seed_demo(self, stdout):
            seen.append(Station.objects.count())
            stdout.write("hook ran")

    class WithoutHook:
        label = "plain"

    from stations.management.commands import seed_demo

    monkeypatch.setattr(seed_demo.apps, "get_app_configs", lambda: [WithoutHook(), WithHook()])
    out = seed(no_hooks=False)
    assert seen and seen[0] > 0  # called after the network exists
    assert "hook ran" in out
    seed(no_hooks=True)
    assert len(seen) == 1
