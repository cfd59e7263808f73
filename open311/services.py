"""Writes of the Open311 app: issuing and revoking keys, and filing a request as a suggestion."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison import ratelimit
from liaison.codes import save_with_new_code
from liaison.errors import NotPermitted, RateLimited, ValidationFailed
from stations.models import Area, Station
from stations.nearest import nearest
from suggestions.models import Suggestion
from suggestions.services.intake import suggestion_submit

from .models import KEY_PREFIX_LENGTH, ApiClient, ServiceRequest, hash_key, new_key

# The specification's limit on `description`.
DESCRIPTION_MAX = 4000
TITLE_LENGTH = 40


@dataclass(frozen=True)
class Issued:
    client: ApiClient
    key: str  # shown once to the admin, never stored


@transaction.atomic
def client_issue(
    *, name: str, area: Area, rate_limit: str = "60/h", contact: str = "", actor=None, client=None
) -> Issued:
    """A new client with a fresh key (or a fresh key for `client`, if given: the old key stops working)."""
    key = new_key()
    c = client or ApiClient(name=name, area=area, rate_limit=rate_limit, contact=contact)
    if c.pk is None:
        c.created_by = actor
    c.key_prefix, c.key_hash = key[:KEY_PREFIX_LENGTH], hash_key(key)
    c.is_active, c.revoked_at = True, None
    c.save()
    return Issued(c, key)


@transaction.atomic
def client_revoke(*, client_id: int, actor=None) -> ApiClient:
    c = ApiClient.objects.select_for_update().get(pk=client_id)
    if c.is_active:
        c.is_active, c.revoked_at = False, timezone.now()
        c.save(update_fields=["is_active", "revoked_at"])
    return c


def authenticate(raw_key: str) -> ApiClient:
    """The active client holding `raw_key`, counted against its rate; NotPermitted (403) or RateLimited (429)."""
    raw_key = (raw_key or "").strip()
    if not raw_key:
        raise NotPermitted(_("缺少 api_key。"))
    client = (
        ApiClient.objects.select_related("area")
        .filter(key_hash=hash_key(raw_key[:200]), is_active=True)
        .first()
    )
    if client is None:
        raise NotPermitted(_("api_key 无效或已吊销。"))
    wait = ratelimit.hit("open311", f"client-{client.pk}", client.rate_limit)
    if wait is not None:
        raise RateLimited(retry_after=wait)
    return client


def _coordinate(raw: str, *, field: str, limit: int) -> Decimal | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) > limit:
        raise ValidationFailed({field: [_("坐标超出范围。")]})
    return value.quantize(Decimal("0.000001"))


def _area_for(client: ApiClient, jurisdiction_id: str, lat: Decimal | None, lng: Decimal | None) -> Area:
    """The jurisdiction given, else the area of the nearest station in the client's area, else that area."""
    if jurisdiction_id:
        area = Area.objects.filter(code=jurisdiction_id.strip()[:12]).first()
        if area is None:
            raise ValidationFailed({"jurisdiction_id": [_("未知的区划代码。")]})
        if not area.path.startswith(client.area.path):
            raise NotPermitted(_("该客户端无权向这一区划提交。"))
        return area
    if lat is not None and lng is not None:
        found = nearest(
            float(lat),
            float(lng),
            limit=1,
            queryset=Station.objects.filter(area__path__startswith=client.area.path),
        )
        if found:
            return Station.objects.select_related("area").get(pk=found[0].station_id).area
    return client.area


@transaction.atomic
def request_create(*, client: ApiClient, data) -> ServiceRequest:
    """File an Open311 POST as a suggestion (channel `open311`). `data` is the request's parameters."""
    code = (data.get("service_code") or "").strip()
    if not code:
        raise ValidationFailed({"service_code": [_("缺少 service_code。")]})
    if code not in Suggestion.Category.values:
        raise ValidationFailed({"service_code": [_("未知的 service_code。")]})
    description = (data.get("description") or "").strip()
    if not description:
        raise ValidationFailed({"description": [_("缺少 description。")]})
    if len(description) > DESCRIPTION_MAX:
        raise ValidationFailed(
            {"description": [_("description 不能超过 %(max)s 个字符。") % {"max": DESCRIPTION_MAX}]}
        )
    lat = _coordinate(data.get("lat"), field="lat", limit=90)
    lng = _coordinate(data.get("long"), field="long", limit=180)
    address = (data.get("address_string") or "").strip()
    if (lat is None) != (lng is None):
        raise ValidationFailed({"long" if lng is None else "lat": [_("lat 与 long 须同时给出。")]})
    if lat is None and not address and not (data.get("address_id") or "").strip():
        raise ValidationFailed({"lat": [_("须给出 lat/long 或 address_string。")]})
    if len(address) > 250:
        raise ValidationFailed({"address_string": [_("地址过长。")]})
    area = _area_for(client, data.get("jurisdiction_id") or "", lat, lng)
    name = f"{(data.get('last_name') or '').strip()}{(data.get('first_name') or '').strip()}"
    title = description.splitlines()[0].strip()[:TITLE_LENGTH] or Suggestion.Category(code).label
    s = suggestion_submit(
        title=title,
        content=description,
        channel=Suggestion.Channel.OPEN311,
        category=code,
        area=area,
        submitter_name=name,
        submitter_phone=(data.get("phone") or "").strip(),
        submitter_email=(data.get("email") or "").strip() if "@" in (data.get("email") or "") else "",
    )
    return save_with_new_code(
        lambda token: ServiceRequest.objects.create(
            suggestion=s,
            client=client,
            token=token,
            lat=lat,
            long=lng,
            address_string=address,
            created_at=s.created_at,
        ),
        length=24,
    )
