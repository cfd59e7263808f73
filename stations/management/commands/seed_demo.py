"""Build a realistic demo city: 商洛市 with its counties, townships, villages, stations and delegates.

    python manage.py seed_demo [--password P] [--force] [--scale S]

What it creates (at --scale 1, in well under a minute on SQLite):

- a five-tier area tree 陕西省 → 商洛市 → its 7 real counties/districts (real codes) → 98 townships/streets
  (real names, generated 9-digit-prefix codes) → about 1,200 villages/communities (generated names and codes);
- about 480 stations: a 代表之家 per county, a centre station per township, ~340 village stations/points,
  29 professional, 1 mobile, 3 industry stations and 1 legislative contact point;
- 6,800 delegates of the five congress levels, each grouped into a station (one head per station);
- a monthly reception schedule per station with 2–3 duty delegates, and the reception days of the next
  62 days (`stations.services.reception_days_generate`);
- 12 handling units at the city and in every county;
- demo accounts admin, staff, unit, delegate01 … delegate10, all with the same password
  (--password, default ``liaison-demo-2026``).

Everything is generated deterministically and looked up by its natural key (area code, station area+name,
delegate code, username) before it is created, so running the command again creates nothing new and only
resets the demo accounts' password. ``--scale`` (default 1.0) shrinks the counts, e.g. 0.05 for tests.
Rows are written with ``bulk_create`` in batches; no audit history is written for the seed itself.
With DEBUG off the command refuses to run unless ``--force`` is given.

Hook for other apps: after the network is built, every installed AppConfig that defines a method
``seed_demo(self, stdout)`` is called with the command's stdout, in INSTALLED_APPS order. Each app adds its
own demo data there (suggestions, ballots, supervision topics…) and must itself be idempotent; it can
find the demo accounts by username and the areas by code. An exception in a hook stops the command with
a non-zero exit. ``--no-hooks`` builds the network only (the stations tests use it).
"""

import datetime as dt
import random
import time
import unicodedata
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from liaison.accounts.models import User
from liaison.notifications.services import notifications_muted
from stations import demo_data as D
from stations.cache import bump_network_version
from stations.demo_plan import (  # noqa: F401 - DEFAULT_PASSWORD is imported from here by stations.apps
    BATCH,
    DEFAULT_PASSWORD,
    DEMO_EMAIL_DOMAIN,
    Plan,
    _fake_landline,
)
from stations.models import (
    Area,
    Delegate,
    HandlingUnit,
    ReceptionSchedule,
    Station,
    StationMembership,
)
from stations.services import reception_days_generate


def _pad(text: str, width: int) -> str:
    """Left-justify to a display width, counting a Chinese character as two columns."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - shown)


def _row(*cells: str) -> str:
    return "".join(_pad(c, w) for c, w in zip(cells[:-1], (18, 12, 12), strict=True)) + cells[-1]


class Command(BaseCommand):
    help = "生成演示数据（商洛市）。Build the demo city: areas, stations, delegates, schedules, accounts."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="演示账户密码 / demo password")
        parser.add_argument("--force", action="store_true", help="DEBUG 关闭时也运行 / run with DEBUG off")
        parser.add_argument("--scale", type=float, default=1.0, help="数量比例 / scale of the counts (1.0)")
        parser.add_argument(
            "--no-hooks",
            action="store_true",
            help="只生成联络站网络，不调用各应用的 seed_demo / build the network only, skip the apps' hooks",
        )

    def handle(self, *args, password: str, force: bool, scale: float, no_hooks: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG 未开启：演示数据只应在开发或演示环境中生成。确需在此环境生成，请加 --force。\n"
                "DEBUG is off: demo data belongs on a development or demo machine. "
                "Add --force if you really want it here."
            )
        if not 0 < scale <= 5:
            raise CommandError("--scale 必须在 0 到 5 之间 / --scale must be in (0, 5].")
        self._check_password(password)
        self.started = time.perf_counter()
        # The demo loads a state, it does not live through it: its back-dated ballots, opinions and activities must
        # not send anyone a message (nor leave any waiting in the outbox).
        with notifications_muted():
            accounts = self._seed(password, scale, no_hooks)
        elapsed = time.perf_counter() - self.started
        self.stdout.write(self.style.SUCCESS(f"完成 Done in {elapsed:.1f} s"))
        for line in accounts_table(accounts, password):
            self.stdout.write(line)

    def _seed(self, password: str, scale: float, no_hooks: bool) -> list[User]:
        plan = Plan(scale)
        with transaction.atomic():
            areas = self._stage("行政区划 areas", lambda: self._areas(plan))
            self._stage("承办单位 handling units", lambda: self._units(plan, areas))
            stations = self._stage("联络站 stations", lambda: self._stations(plan, areas))
            delegates = self._stage("人大代表 delegates", lambda: self._delegates(plan, areas))
            self._stage("编组进站 memberships", lambda: self._memberships(plan, stations, delegates))
            account_codes = plan.account_delegates()
            self._stage(
                "接待日安排 schedules", lambda: self._schedules(plan, stations, delegates, account_codes)
            )
        self._stage("接待日 reception days (62 天)", lambda: (reception_days_generate(days_ahead=62), None))
        with transaction.atomic():
            accounts = self._stage("演示账户 accounts", lambda: self._accounts(password, account_codes))
        # Rows were bulk-created (no post_save): invalidate the cached public reads (stations/cache.py).
        bump_network_version()
        for config in [] if no_hooks else apps.get_app_configs():
            hook = getattr(config, "seed_demo", None)
            if callable(hook):
                t = time.perf_counter()
                hook(self.stdout)
                self.stdout.write(f"  · {config.label}.seed_demo ({time.perf_counter() - t:.1f} s)")
        return accounts

    # --- plumbing
    def _check_password(self, password: str) -> None:
        for username in ["admin", "staff", "unit", "delegate01"]:
            try:
                validate_password(password, User(username=username))
            except ValidationError as exc:
                raise CommandError(
                    "密码不符合要求 / the password is rejected: " + " ".join(exc.messages)
                ) from None

    def _stage(self, label: str, fn):
        t = time.perf_counter()
        created, result = fn()
        self.stdout.write(f"  {label}: +{created} ({time.perf_counter() - t:.1f} s)")
        return result

    # --- stages: each returns (rows created, lookup for later stages)
    def _areas(self, plan: Plan):
        existing = {code: (pk, path) for code, pk, path in Area.objects.values_list("code", "id", "path")}
        created = 0
        for tier in Area.Tier.values:  # parents before children
            batch = []
            for a in plan.areas:
                if a.tier != tier or a.code in existing:
                    continue
                parent_id, parent_path = existing[a.parent] if a.parent else (None, "")
                batch.append(
                    Area(
                        code=a.code,
                        name=a.name,
                        tier=a.tier,
                        parent_id=parent_id,
                        path=f"{parent_path}{a.code}/",
                    )
                )
            if batch:
                Area.objects.bulk_create(batch, batch_size=BATCH)
                created += len(batch)
                existing.update(
                    {
                        code: (pk, path)
                        for code, pk, path in Area.objects.filter(tier=tier).values_list("code", "id", "path")
                    }
                )
        return created, {code: pk for code, (pk, _path) in existing.items()}

    def _units(self, plan: Plan, areas: dict[str, int]):
        existing = set(HandlingUnit.objects.values_list("area_id", "name"))
        batch = []
        for area in [plan.city, *plan.counties]:
            prefix = area.name
            for i, (_short, full) in enumerate(D.UNITS, start=1):
                name = f"{prefix}{full}"
                if (areas[area.code], name) in existing:
                    continue
                rng = random.Random(name)
                batch.append(
                    HandlingUnit(
                        name=name,
                        area_id=areas[area.code],
                        contact_email=f"unit{area.code[:6]}{i:02d}@units.example.cn",
                        contact_phone=_fake_landline(rng),
                    )
                )
        HandlingUnit.objects.bulk_create(batch, batch_size=BATCH)
        return len(batch), None

    @staticmethod
    def _station_map() -> dict[tuple[str, str], int]:
        return {
            (code, name): pk for code, name, pk in Station.objects.values_list("area__code", "name", "id")
        }

    def _stations(self, plan: Plan, areas: dict[str, int]):
        existing = self._station_map()
        batch = [
            Station(
                name=s.name,
                kind=s.kind,
                area_id=areas[s.area],
                address=s.address,
                phone=s.phone,
                opening_hours=s.opening_hours,
                description=s.description,
                latitude=Decimal(f"{s.latlon[0]:.6f}"),
                longitude=Decimal(f"{s.latlon[1]:.6f}"),
            )
            for key, s in plan.stations.items()
            if key not in existing
        ]
        Station.objects.bulk_create(batch, batch_size=BATCH)
        return len(batch), (self._station_map() if batch else existing)

    def _delegates(self, plan: Plan, areas: dict[str, int]):
        existing = set(Delegate.objects.values_list("code", flat=True))
        batch = [
            Delegate(
                code=d.code,
                name=d.name,
                level=d.level,
                term=D.TERMS[d.level],
                area_id=areas[d.area],
                constituency=d.constituency,
                occupation=d.occupation,
                public_phone=d.public_phone,
                mobile=d.mobile,
            )
            for d in plan.delegates
            if d.code not in existing
        ]
        Delegate.objects.bulk_create(batch, batch_size=BATCH)
        return len(batch), dict(Delegate.objects.values_list("code", "id"))

    def _memberships(self, plan: Plan, stations, delegates):
        existing = set(StationMembership.objects.values_list("station_id", "delegate_id"))
        batch = []
        for d in plan.delegates:
            pair = (stations[d.station], delegates[d.code])
            if pair in existing:
                continue
            existing.add(pair)
            role = (
                StationMembership.Role.HEAD
                if plan.heads.get(d.station) == d.code
                else StationMembership.Role.MEMBER
            )
            batch.append(
                StationMembership(station_id=pair[0], delegate_id=pair[1], role=role, joined_on=d.joined_on)
            )
        StationMembership.objects.bulk_create(batch, batch_size=BATCH)
        return len(batch), None

    def _schedules(self, plan: Plan, stations, delegates, account_codes: list[str]):
        has_schedule = set(ReceptionSchedule.objects.values_list("station_id", flat=True))
        station_of = {d.code: d.station for d in plan.delegates}
        forced: dict[tuple[str, str], list[str]] = {}
        for code in account_codes:
            forced.setdefault(station_of[code], []).append(code)
        new, duties = [], {}
        for key, s in plan.stations.items():
            sid = stations[key]
            if sid in has_schedule:
                continue
            rng = random.Random(f"schedule:{key}")
            new.append(
                ReceptionSchedule(
                    station_id=sid,
                    frequency=ReceptionSchedule.Frequency.MONTHLY,
                    day_of_month=rng.choice(D.RECEPTION_DAYS_OF_MONTH),
                    start_time=dt.time(9, 0),
                    end_time=dt.time(11, 30),
                )
            )
            on_duty = list(forced.get(key, []))
            others = [c for c in s.members if c not in on_duty]
            want = max(0, rng.choice((2, 3)) - len(on_duty))
            on_duty += rng.sample(others, min(want, len(others)))
            duties[sid] = [delegates[c] for c in on_duty]
        ReceptionSchedule.objects.bulk_create(new, batch_size=BATCH)
        if new:
            through = ReceptionSchedule.duty_delegates.through
            made = ReceptionSchedule.objects.filter(station_id__in=list(duties)).values_list(
                "id", "station_id"
            )
            through.objects.bulk_create(
                [
                    through(receptionschedule_id=schedule_id, delegate_id=did)
                    for schedule_id, sid in made
                    for did in duties[sid]
                ],
                batch_size=BATCH,
                ignore_conflicts=True,
            )
        return len(new), None

    def _accounts(self, password: str, account_codes: list[str]):
        city = Area.objects.get(code=D.CITY[0])
        county = Area.objects.get(code=D.COUNTIES[0][0])
        unit = HandlingUnit.objects.get(area=county, name=f"{county.name}{D.UNITS[0][1]}")
        linked = {d.code: d for d in Delegate.objects.filter(code__in=account_codes)}
        specs = [
            (
                "admin",
                dict(
                    role=User.Role.ADMIN,
                    area_id=city.pk,
                    unit_id=None,
                    delegate_id=None,
                    is_staff=True,
                    is_superuser=True,
                    first_name="系统管理员",
                    email="admin@demo.example.cn",
                ),
            ),
            (
                "staff",
                dict(
                    role=User.Role.STAFF,
                    area_id=city.pk,
                    unit_id=None,
                    delegate_id=None,
                    is_staff=True,
                    is_superuser=False,
                    first_name="市人大常委会工作人员",
                    email="staff@demo.example.cn",
                ),
            ),
            (
                "unit",
                dict(
                    role=User.Role.UNIT,
                    area_id=county.pk,
                    unit_id=unit.pk,
                    delegate_id=None,
                    is_staff=False,
                    is_superuser=False,
                    first_name=unit.name,
                    email="unit@demo.example.cn",
                ),
            ),
        ]
        for i, code in enumerate(account_codes, start=1):
            d = linked[code]
            specs.append(
                (
                    f"delegate{i:02d}",
                    dict(
                        role=User.Role.DELEGATE,
                        area_id=county.pk,
                        unit_id=None,
                        delegate_id=d.pk,
                        is_staff=False,
                        is_superuser=False,
                        first_name=d.name,
                        email=f"delegate{i:02d}@demo.example.cn",
                    ),
                )
            )
        existing = {u.username: u for u in User.objects.filter(username__in=[n for n, _ in specs])}
        hashes = {u.password for u in existing.values()}
        # One hash for all demo accounts: hashing is the slow part, and they share one password anyway.
        unchanged = (
            len(existing) == len(specs) and len(hashes) == 1 and check_password(password, hashes.pop())
        )
        new_hash = None if unchanged else make_password(password)
        created, rows = 0, []
        for username, values in specs:
            user = existing.get(username) or User(username=username)
            dirty = user._state.adding
            values = {**values, "is_active": True}
            for attr, value in values.items():
                if getattr(user, attr) != value:
                    setattr(user, attr, value)
                    dirty = True
            if new_hash:
                user.password, dirty = new_hash, True
            if dirty:
                created += user._state.adding
                user.save()
            rows.append(user)
        return created, rows


def demo_accounts() -> list[User]:
    """The demo accounts seed_demo made (admin, staff, unit, delegate01 …), in that order."""
    users = User.objects.filter(
        Q(username__in=["admin", "staff", "unit"]) | Q(username__regex=r"^delegate\d{2}$")
    )
    users = users.filter(email__endswith=DEMO_EMAIL_DOMAIN)
    order = {"admin": 0, "staff": 1, "unit": 2}
    return sorted(users, key=lambda u: (order.get(u.username, 3), u.username))


def accounts_table(users: list[User], password: str | None) -> list[str]:
    """The table of demo accounts printed at the end of seed_demo and when the portal starts."""
    if not users:
        return []
    areas = {a.pk: a.name for a in Area.objects.filter(pk__in={u.area_id for u in users})}
    delegates = {
        d.pk: f"{d.name}（{d.get_level_display()}，{d.code}）"
        for d in Delegate.objects.filter(pk__in=[u.delegate_id for u in users if u.delegate_id])
    }
    units = {
        u.pk: u.name for u in HandlingUnit.objects.filter(pk__in=[u.unit_id for u in users if u.unit_id])
    }
    lines = ["", _row("用户名 username", "角色 role", "区划 area", "关联 linked to")]
    for u in users:
        link = delegates.get(u.delegate_id) or units.get(u.unit_id) or ""
        lines.append(_row(u.username, u.role, areas.get(u.area_id, ""), link))
    if password:
        lines.append(f"密码 password: {password}")
    else:
        lines.append("密码 password: seed_demo --password 所设 / the one given to seed_demo --password")
    return lines
