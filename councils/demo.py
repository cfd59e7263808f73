"""Demo data for `manage.py seed_demo`: a street council (街道议政代表会) in each street (街道) of the demo city's
county-level districts — or in its townships, when it has no street — with 15 members (three delegates of the
county, residents, enterprises, social organisations; one member with an account, password as the demo
accounts'), and one held meeting with minutes and two opinions, which become `council` suggestions.

Idempotent: a street that has a council already is skipped. Writes go through bodies.services and
councils.services, so the demo obeys the same rules as real use. (No council ballot: the voting app is not
touched here.)"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from bodies.models import Body, BodyMember
from bodies.services import body_create, member_add
from liaison.accounts.models import User
from liaison.scoping import user_sees_area
from stations import demo_data as D
from stations.demo_plan import DEFAULT_PASSWORD, DEMO_EMAIL_DOMAIN
from stations.models import Area, Delegate

from .services import meeting_record

DELEGATES = 3
OTHERS = [  # sector, how many
    (BodyMember.Sector.RESIDENT, 6),
    (BodyMember.Sector.ENTERPRISE, 3),
    (BodyMember.Sector.SOCIAL_ORG, 2),
    (BodyMember.Sector.PUBLIC_SERVICE, 1),
]
AGENDA = "通报街道办事处上半年工作和下半年计划\n协商辖区背街小巷改造和停车难问题\n征集明年民生实事项目建议"
MINUTES = (
    "会议由议政代表会召集人主持。街道办事处通报了上半年重点工作完成情况；与会成员围绕背街小巷改造、"
    "停车难等问题开展协商，提出意见建议两条，会后转交有关部门办理。会议还就明年民生实事项目建议进行了征集。"
)
OPINIONS = [
    ("{street}部分背街小巷路灯损坏、路面坑洼，夜间出行不安全，建议纳入年度改造计划。", "urban"),
    ("{street}农贸市场周边早晚高峰车辆乱停，建议增设临时停车位并加强疏导。", "transport"),
]


def streets() -> list[Area]:
    """The streets under the demo city's county-level districts (or its townships, when there is no street)."""
    city = Area.objects.filter(tier=Area.Tier.CITY, code=D.CITY[0]).first() or (
        Area.objects.filter(tier=Area.Tier.CITY).order_by("path").first()
    )
    if city is None:
        return []
    townships = Area.objects.filter(
        tier=Area.Tier.TOWNSHIP, parent__tier=Area.Tier.COUNTY, path__startswith=city.path
    ).select_related("parent")
    found = list(townships.filter(name__endswith="街道").order_by("path"))
    return found or list(townships.order_by("path"))


def _password_hash() -> str:
    """The demo accounts' password (seed_demo --password): copied from the demo admin, else the default."""
    admin = User.objects.filter(username="admin", email__endswith=DEMO_EMAIL_DOMAIN).first()
    if admin is not None and admin.has_usable_password():
        return admin.password
    return make_password(settings.DEMO_PASSWORD or DEFAULT_PASSWORD)


def _name(i: int) -> str:
    surname = D.SURNAMES[(i * 7) % len(D.SURNAMES)]
    given = D.GIVEN_FEMALE if i % 2 else D.GIVEN_MALE
    return surname + given[(i * 5) % len(given)] + given[(i * 11 + 3) % len(given)]


def _actor() -> User | None:
    return User.objects.filter(username="admin", is_active=True).first()


@transaction.atomic
def _council(street: Area, n: int, password_hash: str, actor) -> Body:
    today = timezone.localdate()
    joined = today - dt.timedelta(days=365)
    body = body_create(
        name=f"{street.name}议政代表会",
        kind=Body.Kind.STREET_COUNCIL,
        area=street,
        term=1,
        description=f"{street.name}议政代表会由辖区人大代表和居民、企业、社会组织等各界代表组成。",
    )
    delegates = list(
        Delegate.objects.filter(is_active=True, area__path__in=[street.parent.path, street.path])
        .select_related("area")
        .order_by("code")[:DELEGATES]
    )
    members = [member_add(body=body, delegate=d, joined_on=joined)[0] for d in delegates]
    i = n * 20
    for sector, count in OTHERS:
        for _k in range(count):
            i += 1
            member, _pw = member_add(
                body=body, name=_name(i), sector=sector, phone=f"1350914{i:04d}", joined_on=joined
            )
            members.append(member)
    # One member votes online: an account named like the other demo accounts, with their password.
    first = next(m for m in members if m.delegate_id is None)
    username = f"member{n + 1:02d}"
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role, user.first_name, user.is_active = User.Role.MEMBER, first.name, True
    user.email, user.password = f"{username}{DEMO_EMAIL_DOMAIN}", password_hash
    user.save()
    first.user = user
    first.save(update_fields=["user"])

    present = [m.pk for k, m in enumerate(members) if k % 5 != 4]  # most attend
    others = [m for m in members if m.delegate_id is None]
    meeting_record(
        body=body,
        held_on=today - dt.timedelta(days=20),
        title="第一届第二次全体会议",
        place=f"{street.name}便民服务中心会议室",
        agenda=AGENDA,
        attendance=present,
        minutes=MINUTES,
        opinions=[
            {
                "content": text.format(street=street.name),
                "category": cat,
                "member": others[k].pk if others[k].pk in present else None,
            }
            for k, (text, cat) in enumerate(OPINIONS)
        ],
        actor=actor if actor is not None and user_sees_area(actor, street) else None,
    )
    return body


def seed() -> int:
    made = 0
    password_hash = None
    actor = _actor()
    for n, street in enumerate(streets()):
        if Body.objects.filter(kind=Body.Kind.STREET_COUNCIL, area=street).exists():
            continue
        password_hash = password_hash or _password_hash()
        _council(street, n, password_hash, actor)
        made += 1
    return made
