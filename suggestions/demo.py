"""Demo and benchmark data: suggestions in realistic states, generated in bulk (no per-row service calls).

`generate()` yields model instances with explicit primary keys, so the same rows can go through
`bulk_create` (the demo seeder) or PostgreSQL COPY (bench/suggestions.py). Deterministic for a given seed.
"""

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from liaison.codes import CODE_ALPHABET
from liaison.satisfaction import Satisfaction

from . import search
from .models import Rating, Referral, Reply, Suggestion, SuggestionEvent

S = Suggestion.Status
K = SuggestionEvent.Kind
CAT = Suggestion.Category

TOPICS = [
    (
        CAT.URBAN,
        "{p}小区路灯损坏",
        "{p}小区内多盏路灯已损坏一个多月，晚上出行很不方便，老人孩子容易摔倒，希望尽快维修。",
    ),
    (
        CAT.URBAN,
        "{p}老旧小区改造进度慢",
        "{p}老旧小区改造去年开工，至今外墙和管网仍未完工，施工围挡影响居民出行。",
    ),
    (CAT.URBAN, "{p}雨污管道堵塞", "{p}一带雨污管道经常堵塞，下雨时污水漫到路面，气味很大，请有关部门疏通。"),
    (CAT.TRANSPORT, "{p}公交班次太少", "{p}到城区的公交车每天只有三班，上班上学很不方便，建议增加班次。"),
    (CAT.TRANSPORT, "{p}路口缺少红绿灯", "{p}学校门口的路口车流量大，没有红绿灯和斑马线，学生过马路很危险。"),
    (
        CAT.TRANSPORT,
        "{p}乡村道路坑洼",
        "{p}通村公路多处坑洼破损，雨天积水，农用车和摩托车经常出事故，希望修补。",
    ),
    (CAT.TRANSPORT, "{p}停车难问题", "{p}周边停车位严重不足，车辆乱停占用消防通道，建议规划建设公共停车场。"),
    (
        CAT.EDUCATION,
        "{p}幼儿园学位紧张",
        "{p}适龄儿童多，公办幼儿园学位不够，民办收费太高，希望增加普惠性学位。",
    ),
    (
        CAT.EDUCATION,
        "{p}学校周边安全隐患",
        "{p}学校周边有流动摊贩和三轮车聚集，上下学时段拥堵，存在安全隐患。",
    ),
    (CAT.HEALTH, "{p}卫生室缺医少药", "{p}村卫生室医生只有一人，常用药品经常缺货，村民看病要跑到镇上。"),
    (
        CAT.HEALTH,
        "{p}医保报销手续繁琐",
        "{p}异地就医医保报销需要来回跑多次，材料复杂，希望简化手续、开通线上办理。",
    ),
    (CAT.SOCIAL, "{p}养老金认证不方便", "{p}高龄老人每年养老金资格认证不会用手机，希望提供上门认证服务。"),
    (
        CAT.SOCIAL,
        "{p}缺少日间照料中心",
        "{p}独居老人多，没有日间照料中心和老年食堂，建议建设社区养老服务设施。",
    ),
    (CAT.ENVIRONMENT, "{p}垃圾清运不及时", "{p}垃圾箱满了好几天没人清运，夏天蚊蝇滋生，影响环境卫生。"),
    (CAT.ENVIRONMENT, "{p}河道污染", "{p}河道有人倾倒建筑垃圾和生活污水，水质变差，希望加强治理和巡查。"),
    (CAT.ENVIRONMENT, "{p}夜间施工噪音扰民", "{p}附近工地经常夜间施工到凌晨，噪音很大，居民无法休息。"),
    (
        CAT.AGRICULTURE,
        "{p}灌溉水渠年久失修",
        "{p}灌溉水渠多处渗漏垮塌，春灌用水困难，影响粮食生产，希望维修。",
    ),
    (
        CAT.AGRICULTURE,
        "{p}农产品销路不畅",
        "{p}今年核桃和香菇丰收但销路不畅，价格低，希望帮助对接电商和销售渠道。",
    ),
    (CAT.ECONOMY, "{p}农民工工资拖欠", "{p}某工地拖欠农民工工资半年，多次讨要无果，请劳动监察部门介入。"),
    (CAT.ECONOMY, "{p}小微企业融资难", "{p}小微企业贷款门槛高、手续多，希望出台贴息和担保支持政策。"),
    (CAT.SAFETY, "{p}山体滑坡隐患", "{p}村后山坡出现裂缝，雨季有滑坡危险，希望尽快勘察治理并设置警示。"),
    (
        CAT.SAFETY,
        "{p}电动车充电安全",
        "{p}居民楼道里私拉电线给电动车充电，存在火灾隐患，建议建设集中充电桩。",
    ),
    (
        CAT.GOVERNANCE,
        "{p}便民服务中心办事难",
        "{p}便民服务中心窗口少、排队时间长，部分事项要跑多个部门，希望一窗通办。",
    ),
    (
        CAT.GOVERNANCE,
        "{p}村务公开不及时",
        "{p}村里的财务收支和项目资金公示不及时，群众有疑问，希望按时公开。",
    ),
    (CAT.OTHER, "{p}网络信号差", "{p}手机信号和宽带网络覆盖差，网课和线上办事都受影响，希望加快建设基站。"),
    # As people write them at a reception day or on the phone: street names, run-on phrases and colloquial
    # words that jieba does not split into the words a searcher types (东街路灯不亮 is 东街/路/灯不亮).
    (CAT.URBAN, "{p}东街路灯不亮", "东街路灯不亮已经一个月了，晚上黑灯瞎火，骑车的人好几次差点撞到人。"),
    (CAT.URBAN, "{p}小区停水不通知", "小区三天两头停水，物业也不提前通知，老人孩子用水很不方便。"),
    (CAT.URBAN, "{p}主干道路面塌陷", "镇上主干道路面塌陷了一个大坑，晚上看不清，已经有骑电动车的摔倒了。"),
    (CAT.TRANSPORT, "{p}北新街停车难", "北新街停车难，车位被长期占用，晚上回家只能把车停到很远的地方。"),
    (CAT.TRANSPORT, "{p}村道路面坑洼", "村道路面坑洼不平，雨天积水，摩托车都过不去，请修一修。"),
    (CAT.TRANSPORT, "{p}校门口没有斑马线", "学校门口车多，没有斑马线和减速带，孩子上学放学过马路很危险。"),
    (CAT.ENVIRONMENT, "{p}垃圾站臭气熏天", "菜市场旁边的垃圾站臭气熏天，垃圾桶天天满溢，苍蝇到处飞。"),
    (CAT.ENVIRONMENT, "{p}自来水发黄", "这几天自来水发黄有异味，烧开了也不敢喝，希望查一下水质。"),
    (CAT.HEALTH, "{p}村卫生室缺医少药", "村卫生室缺医少药，老人看个感冒都要跑到镇上去。"),
    (
        CAT.SOCIAL,
        "{p}独居老人没人照顾",
        "村里独居老人多，子女在外打工，生病了没人照顾，希望有人定期上门看看。",
    ),
    (
        CAT.SAFETY,
        "{p}楼道里给电动车充电",
        "有人在楼道里私拉电线给电动车充电，整夜不拔，万一着火跑都跑不出去。",
    ),
    (CAT.AGRICULTURE, "{p}麦地浇不上水", "今年天旱，水渠漏水严重，地里浇不上水，麦子都快旱死了。"),
]
RESULT_WEIGHTS = [(Reply.Result.SOLVED, 70), (Reply.Result.IN_PROGRESS, 20), (Reply.Result.CANNOT_SOLVE, 10)]
RATING_WEIGHTS = [
    (Satisfaction.SATISFIED, 62),
    (Satisfaction.BASICALLY_SATISFIED, 26),
    (Satisfaction.UNSATISFIED, 12),
]
CHANNEL_WEIGHTS = [
    (Suggestion.Channel.WEB, 45),
    (Suggestion.Channel.RECEPTION, 30),
    (Suggestion.Channel.DELEGATE, 8),
    (Suggestion.Channel.LETTER, 5),
    (Suggestion.Channel.VISIT, 5),
    (Suggestion.Channel.HOTLINE, 7),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"


def _pick(rng: random.Random, weights):
    return rng.choices([w[0] for w in weights], weights=[w[1] for w in weights])[0]


@dataclass
class Context:
    """What the generator draws on: stations (with area), areas without stations, units per county path."""

    stations: list[tuple[int, int, str]]  # (station_id, area_id, area_path)
    areas: list[tuple[int, str, str]]  # (area_id, area_path, name)
    units: dict[str, list[tuple[int, str]]]  # county path → [(unit_id, name)]
    area_names: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "Context":
        from stations.models import Area, HandlingUnit, Station

        stations = list(
            Station.objects.filter(is_active=True).order_by("id").values_list("id", "area_id", "area__path")
        )
        areas = list(
            Area.objects.exclude(tier__in=["province"]).order_by("id").values_list("id", "path", "name")
        )
        units: dict[str, list[tuple[int, str]]] = {}
        for uid, name, path in (
            HandlingUnit.objects.filter(is_active=True).order_by("id").values_list("id", "name", "area__path")
        ):
            units.setdefault(path, []).append((uid, name))
        names = {a[0]: a[2] for a in areas}
        return cls(stations=stations, areas=areas, units=units, area_names=names)

    def units_for(self, path: str) -> list[tuple[int, str]]:
        """Units of the nearest area at or above `path` that has any."""
        parts = [p for p in path.split("/") if p]
        for i in range(len(parts), 0, -1):
            key = "/".join(parts[:i]) + "/"
            if self.units.get(key):
                return self.units[key]
        return []


class _Ids:
    def __init__(self):
        self.next = {}
        for model in (Suggestion, Referral, Reply, Rating, SuggestionEvent):
            self.next[model] = (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1

    def take(self, model) -> int:
        n = self.next[model]
        self.next[model] = n + 1
        return n


@dataclass
class Batch:
    suggestions: list = field(default_factory=list)
    referrals: list = field(default_factory=list)
    replies: list = field(default_factory=list)
    ratings: list = field(default_factory=list)
    events: list = field(default_factory=list)

    def __len__(self):
        return len(self.suggestions)


def _code(rng: random.Random) -> str:
    """Like liaison.codes.new_code, but from the seeded generator so the demo is the same on every run."""
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(10))


def _add_workdays_approx(day: dt.date, n: int) -> dt.date:
    """Weekdays only: bulk data need plausible dates, not the holiday calendar (services use the real one)."""
    while n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def generate(
    n: int,
    *,
    ctx: Context,
    seed: int = 2026,
    now: dt.datetime | None = None,
    days: int = 365,
    batch_size: int = 5000,
    with_search: bool = True,
) -> Iterator[Batch]:
    """Yield batches of rows for `n` suggestions created over the last `days` days, in realistic states."""
    rng = random.Random(seed)
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    today = now.astimezone(tz).date()

    def localdate(moment: dt.datetime) -> dt.date:
        return moment.astimezone(tz).date()

    ids = _Ids()
    index_cache: dict[tuple[int, str], str] = {}
    places = ctx.stations or [(None, a[0], a[1]) for a in ctx.areas]
    if not places:
        return
    batch = Batch()
    for _i in range(n):
        station_id, area_id, area_path = rng.choice(places)
        if ctx.stations and rng.random() < 0.15:
            station_id = None
        place = ctx.area_names.get(area_id, "")
        t = rng.randrange(len(TOPICS))
        category, title_t, content_t = TOPICS[t]
        title, content = title_t.format(p=place), content_t.format(p=place)
        if with_search:
            key = (t, place)
            if key not in index_cache:
                index_cache[key] = search.index_text(title, content)
            search_text = index_cache[key]
        else:
            search_text = ""
        # In time order, as a real table fills: rows of one period sit together on disk.
        created = now - dt.timedelta(seconds=days * 86400 * (1 - (_i + rng.random()) / n))
        cday = localdate(created)
        channel = _pick(rng, CHANNEL_WEIGHTS)
        s = Suggestion(
            id=ids.take(Suggestion),
            tracking_code=_code(rng),
            title=title,
            content=content,
            category=category,
            channel=channel,
            area_id=area_id,
            station_id=station_id,
            submitter_name=(rng.choice(SURNAMES) + rng.choice(GIVEN)) if rng.random() < 0.4 else "",
            submitter_phone=f"13{rng.randrange(10**9):09d}" if rng.random() < 0.6 else "",
            triage_due=_add_workdays_approx(cday, 3),
            search_text=search_text,
            created_at=created,
            status=S.SUBMITTED,
        )
        batch.suggestions.append(s)

        def ev(kind, at, public=True, data=None, referral=None, _s=s, _b=batch):
            _b.events.append(
                SuggestionEvent(
                    id=ids.take(SuggestionEvent),
                    suggestion_id=_s.id,
                    kind=kind,
                    at=at,
                    public=public,
                    data=data or {},
                    referral_id=referral,
                )
            )

        ev(K.SUBMITTED, created, data={"channel": channel})
        age = (now - created).total_seconds() / 86400
        triage_after = rng.uniform(0.05, 4.5)
        if age < triage_after:
            continue  # still waiting for triage
        triaged = created + dt.timedelta(days=triage_after)
        s.triaged_at = triaged
        s.responded_on_time = localdate(triaged) <= s.triage_due
        roll = rng.random()
        if roll < 0.05:
            s.status, s.reject_reason, s.closed_at = (
                S.REJECTED,
                "不属于人大代表联络站受理范围，已告知反映人。",
                triaged,
            )
            ev(K.REJECTED, triaged, data={"reason": s.reject_reason})
            continue
        s.status = S.ACCEPTED
        ev(K.ACCEPTED, triaged)
        units = ctx.units_for(area_path)
        if not units or roll < 0.07:
            continue  # accepted, waiting for a unit
        rounds = 1
        while True:
            referred = triaged + dt.timedelta(hours=rng.uniform(0.5, 30))
            if referred > now:
                break
            lead = rng.choice(units)
            assisting = [u for u in units if u != lead]
            assisting = [rng.choice(assisting)] if assisting and rng.random() < 0.3 else []
            rday = localdate(referred)
            due = _add_workdays_approx(rday, 15) if channel != "delegate" else rday + dt.timedelta(days=91)
            refs = []
            for unit, role in [(lead, "lead")] + [(u, "assisting") for u in assisting]:
                refs.append(
                    Referral(
                        id=ids.take(Referral),
                        suggestion_id=s.id,
                        area_id=s.area_id,
                        unit_id=unit[0],
                        role=role,
                        round=s.round,
                        due=due,
                        original_due=due,
                        created_at=referred,
                        status=Referral.Status.PENDING,
                    )
                )
            batch.referrals.extend(refs)
            s.status, s.referred_at, s.reply_due = S.REFERRED, referred, due
            ev(
                K.REFERRED,
                referred,
                data={"lead": lead[1], "assisting": [u[1] for u in assisting], "due": due.isoformat()},
                referral=refs[0].id,
            )
            reply_days = rng.uniform(1, 26) if channel != "delegate" else rng.uniform(10, 95)
            replied = referred + dt.timedelta(days=reply_days)
            if replied > now:
                if today > due:
                    s.is_overdue = True
                    for r in refs:
                        r.overdue_at = dt.datetime.combine(
                            due + dt.timedelta(days=1), dt.time(1), tzinfo=now.tzinfo
                        )
                if rng.random() < 0.7:
                    refs[0].status, refs[0].accepted_at = (
                        Referral.Status.ACCEPTED,
                        referred + dt.timedelta(hours=3),
                    )
                break
            for r in refs:
                r.accepted_at = referred + dt.timedelta(hours=3)
                r.replied_at = replied + dt.timedelta(hours=rng.uniform(0, 20) if r.role != "lead" else 0)
                r.status = Referral.Status.REPLIED
                r.replied_on_time = localdate(r.replied_at) <= due
                if not r.replied_on_time:
                    r.overdue_at = dt.datetime.combine(
                        due + dt.timedelta(days=1), dt.time(1), tzinfo=now.tzinfo
                    )
                result = _pick(rng, RESULT_WEIGHTS)
                r.reply_result = result
                batch.replies.append(
                    Reply(
                        id=ids.take(Reply),
                        referral_id=r.id,
                        suggestion_id=s.id,
                        result=result,
                        content="经现场核实，已安排专人负责，"
                        + ("问题已解决。" if result == "solved" else "正在推进。"),
                        at=r.replied_at,
                    )
                )
                unit_name = (
                    lead[1] if r.role == "lead" else next(u[1] for u in assisting if u[0] == r.unit_id)
                )
                ev(
                    K.REPLIED,
                    r.replied_at,
                    data={"unit": unit_name, "role": r.role, "result": result},
                    referral=r.id,
                )
                if r.role == "lead":
                    s.reply_result = result
            s.status, s.replied_at = S.REPLIED, replied
            s.replied_on_time = refs[0].replied_on_time
            s.rating_due = localdate(replied) + dt.timedelta(days=15)
            s.rating_requested_at = replied
            ev(K.RATING_REQUESTED, replied, data={"due": s.rating_due.isoformat()})
            rated_after = rng.uniform(0.2, 25)
            rated = replied + dt.timedelta(days=rated_after)
            if rated_after > 15:  # no rating in the window
                if today > s.rating_due:
                    s.status, s.closed_at = S.CLOSED, replied + dt.timedelta(days=16)
                    ev(K.CLOSED, s.closed_at, data={"expired": True})
                break
            if rated > now:
                break
            value = (
                _pick(rng, RATING_WEIGHTS)
                if rounds == 1
                else rng.choice(
                    [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.UNSATISFIED]
                )
            )
            batch.ratings.append(
                Rating(id=ids.take(Rating), suggestion_id=s.id, round=s.round, rating=value, at=rated)
            )
            ev(K.RATED, rated, data={"rating": value})
            s.rating, s.rating_due = value, None
            if value != Satisfaction.UNSATISFIED:
                s.status, s.closed_at = S.CLOSED, rated
                ev(K.CLOSED, rated)
                break
            s.round += 1
            rounds += 1
            if rounds > 2:
                s.status, s.step_from = S.SUPERVISED, localdate(rated)
                ev(K.SUPERVISED, rated)
                break
            s.status, s.step_from = S.REOPENED, localdate(rated)
            ev(K.REOPENED, rated, data={"round": s.round})
            triaged = rated
        if len(batch) >= batch_size:
            _finish(batch, today, localdate)
            yield batch
            batch = Batch()
    if len(batch):
        _finish(batch, today, localdate)
        yield batch


def _finish(batch: Batch, today: dt.date, localdate) -> None:
    """Each suggestion's current step, overdue flag and queue rank, as the services would have left them."""
    for s in batch.suggestions:
        if s.status == S.SUBMITTED:
            s.step_from, s.step_due = localdate(s.created_at), s.triage_due
        elif s.status == S.REFERRED:
            s.step_from, s.step_due = localdate(s.referred_at), s.reply_due
        elif s.status == S.REPLIED:
            s.step_from, s.step_due = localdate(s.replied_at), s.rating_due
        elif s.status in (S.ACCEPTED, S.REOPENED, S.SUPERVISED):
            if s.status == S.ACCEPTED:
                s.step_from = localdate(s.triaged_at)
            s.step_due = _add_workdays_approx(s.step_from, 3)
        else:
            s.step_from = s.step_due = None
        if s.status in Suggestion.STAFF_STEP_STATUSES and s.step_due < today:
            s.is_overdue = True
        s.queue_rank = s.rank()


def save_batch(batch: Batch) -> None:
    with transaction.atomic():
        Suggestion.objects.bulk_create(batch.suggestions, batch_size=1000)
        Referral.objects.bulk_create(batch.referrals, batch_size=1000)
        Reply.objects.bulk_create(batch.replies, batch_size=1000)
        Rating.objects.bulk_create(batch.ratings, batch_size=1000)
        SuggestionEvent.objects.bulk_create(batch.events, batch_size=2000)


def reset_sequences() -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's sequences past them."""
    from django.core.management.color import no_style

    models = [Suggestion, Referral, Reply, Rating, SuggestionEvent]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


DEMO_SEED = 4242
DEMO_COUNT = 400


def seed(count: int = DEMO_COUNT) -> int:
    """The demo seeder's suggestions: idempotent (a fixed seed makes the same first tracking code, which is
    looked up first) and fast (bulk inserts, no per-row service calls or notifications)."""
    ctx = Context.load()
    if not (ctx.stations or ctx.areas):
        return 0
    made = 0
    for batch in generate(count, ctx=ctx, seed=DEMO_SEED, days=120, batch_size=500):
        # The first code depends only on the seed and the (ordered) network, not on today's date.
        if not made and Suggestion.objects.filter(tracking_code=batch.suggestions[0].tracking_code).exists():
            return 0
        save_batch(batch)
        made += len(batch)
    reset_sequences()
    if made:
        from .stats import refresh

        refresh(full=True)  # the rows went in with past dates: recompute the statistics cells now
    return made
