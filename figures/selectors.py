"""Reads behind the figures page: which area and year, and the cached sections."""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.errors import NotFound, ValidationFailed
from stations.cache import public_key
from stations.models import Area

from .compute import compute
from .sections import Section

# Cached sections live this long at most (the keys also change with the date, the language and any change
# to the station network); the opinions inside are at most this much older than the statistics cells.
TIMEOUT = 600
PICKER_TIERS = (Area.Tier.PROVINCE, Area.Tier.CITY, Area.Tier.COUNTY)


def first_year() -> int:
    return int(getattr(settings, "FIGURES_FIRST_YEAR", 2018))


def years(today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(range(today.year, first_year() - 1, -1))


def picker_areas() -> list[Area]:
    return list(
        Area.objects.filter(tier__in=PICKER_TIERS).only("code", "name", "tier", "path").order_by("path")
    )


def resolve(code: str | None, year: str | int | None) -> tuple[Area, int]:
    """The area (default: the top of the tree) and year (default: this year); ValidationFailed / NotFound."""
    today = timezone.localdate()
    if year in (None, ""):
        y = today.year
    else:
        try:
            y = int(str(year).strip())
        except ValueError:
            raise ValidationFailed({"year": [_("年度须为四位数字。")]}) from None
        if y not in years(today):
            raise ValidationFailed(
                {
                    "year": [
                        _("年度须在 %(first)s–%(last)s 之间。") % {"first": first_year(), "last": today.year}
                    ]
                }
            )
    qs = Area.objects.only("id", "code", "name", "tier", "path")
    area = (
        qs.filter(code=str(code).strip()[:12]).first()
        if code
        else qs.filter(parent=None).order_by("code").first()
    )
    if area is None:
        if code:
            raise ValidationFailed({"area": [_("未知的区划代码：%(code)s") % {"code": str(code)[:12]}]})
        raise NotFound()
    return area, y


def sections(area: Area, year: int) -> list[Section]:
    key = public_key("figures", area.code, year)
    found = cache.get(key)
    if found is None:
        found = compute(area, year)
        cache.set(key, found, TIMEOUT)
    return found
