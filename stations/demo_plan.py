"""The demo city as a plan, before anything is written: 商洛市's areas, stations, delegates and their rosters,
made from stations.demo_data with a seeded random generator (the same plan on every run, at any scale).

`manage.py seed_demo` writes a plan to the database; nothing here touches the database.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from stations.models import (
    Area,
    Station,
)

from . import demo_data as D

DEFAULT_PASSWORD = "liaison-demo-2026"
DEMO_EMAIL_DOMAIN = "@demo.example.cn"
BATCH = 500
LEVEL_RANK = {"national": 0, "provincial": 1, "city": 2, "county": 3, "township": 4}
ROADS = ["北新街", "人民路", "工农路", "通江路", "东大街", "西大街", "南大街", "新华路", "莲湖路", "商鞅大道"]


@dataclass
class AreaPlan:
    code: str
    name: str
    tier: str
    parent: str | None
    latlon: tuple[float, float] = (0.0, 0.0)
    is_community: bool = False


@dataclass
class StationPlan:
    area: str
    name: str
    kind: str
    address: str
    phone: str
    opening_hours: str
    description: str
    latlon: tuple[float, float]
    members: list[str] = field(default_factory=list)  # delegate codes, in plan order

    @property
    def key(self) -> tuple[str, str]:
        return (self.area, self.name)


@dataclass
class DelegatePlan:
    code: str
    name: str
    level: str
    area: str
    constituency: str
    occupation: str
    public_phone: str
    mobile: str
    station: tuple[str, str]
    joined_on: dt.date


def _scaled(n: float, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(n * scale))


def _fake_landline(rng: random.Random) -> str:
    # A local number starting with 0 does not exist in China: obviously fake, never someone's real line.
    return f"0914-0{rng.randint(0, 999999):06d}"


def _person_name(rng: random.Random) -> str:
    given = D.GIVEN_MALE if rng.random() < 0.72 else D.GIVEN_FEMALE
    return rng.choice(D.SURNAMES) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2, 2))))


def _jitter(rng: random.Random, latlon: tuple[float, float], spread: float) -> tuple[float, float]:
    return (latlon[0] + rng.uniform(-spread, spread), latlon[1] + rng.uniform(-spread, spread))


class Plan:
    """The whole city, computed in memory and deterministically from the scale alone."""

    def __init__(self, scale: float):
        self.scale = scale
        self.areas: list[AreaPlan] = []
        self.stations: dict[tuple[str, str], StationPlan] = {}
        self.delegates: list[DelegatePlan] = []
        self.townships_of: dict[str, list[AreaPlan]] = {}
        self.villages_of: dict[str, list[AreaPlan]] = {}
        self._build_areas()
        self._build_stations()
        self._build_delegates()
        self._pick_heads()

    # --- areas
    def _build_areas(self) -> None:
        province = AreaPlan(*D.PROVINCE, tier=Area.Tier.PROVINCE, parent=None, latlon=(34.26, 108.94))
        city = AreaPlan(*D.CITY, tier=Area.Tier.CITY, parent=province.code, latlon=(33.87, 109.94))
        self.province, self.city = province, city
        self.areas += [province, city]
        self.counties: list[AreaPlan] = []
        villages_per_township = _scaled(12, self.scale, minimum=2)
        for code, name, _weight, latlon, streets, towns in D.COUNTIES:
            county = AreaPlan(code, name, Area.Tier.COUNTY, city.code, latlon)
            self.counties.append(county)
            self.areas.append(county)
            names = [(s, True) for s in streets] + [(t, False) for t in towns]
            names = names[: _scaled(len(names), self.scale)]
            townships = []
            n_street = n_town = 0
            for tname, is_street in names:
                if is_street:
                    n_street += 1
                    tcode = f"{code[:6]}{n_street:03d}000"
                else:
                    tcode = f"{code[:6]}{100 + n_town:03d}000"
                    n_town += 1
                rng = random.Random(tcode)
                township = AreaPlan(tcode, tname, Area.Tier.TOWNSHIP, code, _jitter(rng, latlon, 0.2))
                townships.append(township)
                self.areas.append(township)
                self.villages_of[tcode] = self._villages(township, is_street, villages_per_township, rng)
                self.areas += self.villages_of[tcode]
            self.townships_of[code] = townships

    @staticmethod
    def _villages(township: AreaPlan, is_street: bool, n: int, rng: random.Random) -> list[AreaPlan]:
        n_comm = max(1, n // 2) if is_street else 1
        communities = rng.sample(D.COMMUNITY_NAMES, min(n_comm, len(D.COMMUNITY_NAMES)))
        villages, seen = [], set()
        while len(villages) < n - len(communities):
            name = rng.choice(D.VILLAGE_HEADS) + rng.choice(D.VILLAGE_TAILS)
            if name not in seen:
                seen.add(name)
                villages.append(name)
        out = []
        prefix = township.code[:9]
        for i, name in enumerate(communities, start=1):
            out.append(
                AreaPlan(
                    f"{prefix}{i:03d}",
                    f"{name}社区",
                    Area.Tier.VILLAGE,
                    township.code,
                    _jitter(rng, township.latlon, 0.03),
                    is_community=True,
                )
            )
        for i, name in enumerate(villages, start=201):
            out.append(
                AreaPlan(
                    f"{prefix}{i:03d}",
                    f"{name}村",
                    Area.Tier.VILLAGE,
                    township.code,
                    _jitter(rng, township.latlon, 0.06),
                )
            )
        return out

    # --- stations
    def _add_station(self, area: AreaPlan, name: str, kind: str, address: str, hours: str, desc: str):
        rng = random.Random(f"{area.code}:{name}")
        plan = StationPlan(
            area=area.code,
            name=name,
            kind=kind,
            address=address,
            phone=_fake_landline(rng),
            opening_hours=hours,
            description=desc,
            latlon=_jitter(rng, area.latlon, 0.005),
        )
        self.stations[plan.key] = plan
        return plan

    def _build_stations(self) -> None:
        office_hours = "周一至周五 8:30-12:00，14:30-18:00"
        city = self.city
        self.home_of: dict[str, StationPlan] = {}
        self.centre_of: dict[str, StationPlan] = {}
        self.village_stations_of: dict[str, list[StationPlan]] = {}
        self.professional_of: dict[str, list[StationPlan]] = {city.code: []}
        self.city_level: list[StationPlan] = []
        for county in self.counties:
            rng = random.Random(county.code)
            seat = self.townships_of[county.code][0]
            self.home_of[county.code] = self._add_station(
                county,
                f"{county.name}人大代表之家",
                Station.Kind.HOME,
                f"{city.name}{county.name}{seat.name}{rng.choice(ROADS)}{rng.randint(1, 199)}号",
                office_hours,
                f"{county.name}人大常委会设立的代表之家，各级人大代表在此集中开展履职活动、接待群众。",
            )
            self.professional_of[county.code] = []
            for township in self.townships_of[county.code]:
                self.centre_of[township.code] = self._add_station(
                    township,
                    f"{township.name}人大代表中心联络站",
                    Station.Kind.CENTRE,
                    f"{county.name}{township.name}便民服务中心二楼",
                    office_hours,
                    f"{township.name}人大代表中心联络站，统筹辖区各村（社区）代表联络站（点）的接待和意见办理。",
                )
        # Village stations and points, spread evenly over the townships.
        townships = [t for c in self.counties for t in self.townships_of[c.code]]
        target = _scaled(340, self.scale)
        per, extra = divmod(target, len(townships))
        for i, township in enumerate(townships):
            county = next(c for c in self.counties if c.code == township.parent)
            villages = self.villages_of[township.code]
            chosen = villages[: min(len(villages), per + (1 if i < extra else 0))]
            made = []
            for j, village in enumerate(chosen):
                point = village.is_community or j % 4 == 3
                made.append(
                    self._add_station(
                        village,
                        f"{village.name}代表联络{'点' if point else '站'}",
                        Station.Kind.POINT if point else Station.Kind.STATION,
                        f"{county.name}{township.name}{village.name}党群服务中心",
                        "每月接待日 9:00-11:30，其余工作日预约接待",
                        f"{village.name}的代表联络{'点' if point else '站'}，方便群众就近反映意见建议。",
                    )
                )
            self.village_stations_of[township.code] = made
        # Professional stations: 8 at the city, then 3 per county (29 in all at scale 1).
        themes = D.PROFESSIONAL_THEMES
        wanted = [(city, t) for t in themes[:8]] + [
            (county, themes[(i * 3 + k) % len(themes)])
            for i, county in enumerate(self.counties)
            for k in range(3)
        ]
        for area, theme in wanted[: _scaled(29, self.scale)]:
            rng = random.Random(f"{area.code}:{theme}")
            self.professional_of[area.code].append(
                self._add_station(
                    area,
                    f"{area.name}{theme}专业代表联络站",
                    Station.Kind.PROFESSIONAL,
                    f"{city.name}{'' if area is city else area.name}{rng.choice(ROADS)}{rng.randint(1, 199)}号",
                    office_hours,
                    f"由{theme}领域的人大代表组成，围绕{theme}议题收集意见、开展专题调研。",
                )
            )
        seat = self.townships_of[self.counties[0].code][0]
        self.city_level.append(
            self._add_station(
                city,
                f"{city.name}流动代表联络站",
                Station.Kind.MOBILE,
                f"{city.name}人大常委会（流动接待，地点另行公布）",
                "按计划深入乡村、社区、企业流动接待",
                "流动联络站定期深入偏远村组、企业和园区，把接待搬到群众家门口。",
            )
        )
        self.city_level.append(
            self._add_station(
                seat,
                f"{city.name}人大常委会基层立法联系点（{seat.name}）",
                Station.Kind.LEGISLATIVE,
                f"{self.counties[0].name}{seat.name}便民服务中心三楼",
                office_hours,
                "征集群众对法律法规草案的意见建议，直接报送立法机关。",
            )
        )
        self.industry_of: dict[str, list[StationPlan]] = {}
        for county_code, township_name, name in D.INDUSTRY_STATIONS:
            tws = self.townships_of[county_code]
            township = next((t for t in tws if t.name == township_name), tws[-1])
            plan = self._add_station(
                township,
                name,
                Station.Kind.INDUSTRY,
                f"{township.name}产业园区服务中心",
                office_hours,
                f"{name}把代表、企业和种植户联系在一起，围绕产业发展收集意见建议。",
            )
            self.industry_of.setdefault(township.code, []).append(plan)
            self.city_level.append(plan)

    # --- delegates
    def _delegate(self, code, level, area, constituency, station, rng) -> None:
        plan = DelegatePlan(
            code=code,
            name=_person_name(rng),
            level=level,
            area=area.code,
            constituency=constituency,
            occupation=rng.choice(D.OCCUPATIONS),
            public_phone=_fake_landline(rng) if rng.random() < 0.8 else "",
            # "100…" is not a mobile prefix in China: fake, yet shaped like a mobile number for the SMS log.
            mobile=f"100{rng.randint(0, 99999999):08d}",
            station=station.key,
            joined_on=dt.date(2022, 1, 1) + dt.timedelta(days=rng.randint(0, 364)),
        )
        self.delegates.append(plan)
        station.members.append(code)

    def _build_delegates(self) -> None:
        s = self.scale
        city_wide = self.professional_of[self.city.code] + self.city_level
        for i in range(_scaled(D.COUNTS["national"], s)):
            code = f"N{i + 1:04d}"
            rng = random.Random(code)
            self._delegate(
                code, "national", self.province, "陕西省代表团", city_wide[i % len(city_wide)], rng
            )
        for i in range(_scaled(D.COUNTS["provincial"], s)):
            code = f"P{i + 1:04d}"
            rng = random.Random(code)
            station = city_wide[(i * 7 + 3) % len(city_wide)]
            self._delegate(code, "provincial", self.province, "商洛市选举单位", station, rng)
        weights = [c[2] for c in D.COUNTIES]
        total_weight = sum(weights)
        n_city = _scaled(D.COUNTS["city"], s, minimum=len(self.counties))
        for i in range(n_city):
            code = f"S{i + 1:04d}"
            rng = random.Random(code)
            county = rng.choices(self.counties, weights=weights)[0]
            roll = rng.random()
            pros = self.professional_of[county.code]
            if roll < 0.5 or (roll < 0.8 and not pros):
                station = self.home_of[county.code]
            elif roll < 0.8:
                station = rng.choice(pros)
            else:
                station = self.centre_of[rng.choice(self.townships_of[county.code]).code]
            self._delegate(code, "city", self.city, f"{county.name}选举单位", station, rng)
        n_county_total = _scaled(D.COUNTS["county"], s)
        for county, weight in zip(self.counties, weights, strict=True):
            minimum = 12 if county is self.counties[0] else 2  # delegate01…10 come from the first county
            n = max(minimum, round(n_county_total * weight / total_weight))
            townships = self.townships_of[county.code]
            for i in range(n):
                code = f"C{county.code[2:6]}{i + 1:04d}"
                rng = random.Random(code)
                township = townships[i % len(townships)]
                roll = rng.random()
                villages = self.village_stations_of[township.code]
                extra = [self.home_of[county.code], *self.professional_of[county.code]]
                if roll < 0.5 or (roll < 0.85 and not villages):
                    station = self.centre_of[township.code]
                elif roll < 0.85:
                    station = rng.choice(villages)
                else:
                    station = rng.choice(extra)
                constituency = f"{township.name}第{i // len(townships) + 1}选区"
                self._delegate(code, "county", county, constituency, station, rng)
        townships = [t for c in self.counties for t in self.townships_of[c.code]]
        rest = max(3 * len(townships), round(D.TOTAL_DELEGATES * s) - len(self.delegates))
        per, extra_n = divmod(rest, len(townships))
        for ti, township in enumerate(townships):
            stations = (
                [self.centre_of[township.code]]
                + self.village_stations_of[township.code]
                + self.industry_of.get(township.code, [])
            )
            villages = self.villages_of[township.code]
            for i in range(per + (1 if ti < extra_n else 0)):
                code = f"T{township.code[2:9]}{i + 1:03d}"
                rng = random.Random(code)
                # The centre station takes a larger share; every village station gets its own delegates.
                station = stations[0] if rng.random() < 0.35 else stations[i % len(stations)]
                constituency = f"{rng.choice(villages).name}选区"
                self._delegate(code, "township", township, constituency, station, rng)

    def _pick_heads(self) -> None:
        level_of = {d.code: d.level for d in self.delegates}
        self.heads = {}
        for key, station in self.stations.items():
            if station.members:
                self.heads[key] = min(station.members, key=lambda c: (LEVEL_RANK[level_of[c]], c))

    def account_delegates(self) -> list[str]:
        """Ten county delegates of the first county (商州区), from distinct stations where possible."""
        county = self.counties[0].code
        pool = [d for d in self.delegates if d.level == "county" and d.area == county]
        chosen, stations = [], set()
        for d in pool:
            if d.station not in stations:
                chosen.append(d)
                stations.add(d.station)
            if len(chosen) == 10:
                break
        for d in pool:
            if len(chosen) == 10:
                break
            if d not in chosen:
                chosen.append(d)
        return [d.code for d in chosen]
