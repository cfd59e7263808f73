"""Who receives a message: the one rule every app uses for "the unit" and "the staff of an area".

- **Unit users** (`unit_users`, `unit_recipients`): the active users of role *unit* attached to the handling unit.
  Each gets the message in the inbox and on their own email or phone. The unit's contact email is added when none
  of them can be reached outside the portal (no user, or no user with an email or a phone), so a unit without
  accounts — or with accounts nobody gave an address — still hears of its work.
- **Handling staff** (`handling_staff`): the active staff and admins of the nearest area, at or above the given
  one, that has any. A village with no staff of its own is looked after by its township, then its county, …
- **Supervising staff** (`supervising_staff`): the tier above the handling staff — staff and admins of the next
  area above theirs that has any (督办). When the handling staff are the top tier, they supervise themselves.

Query cost is fixed: one query for a unit (none when its `users` were prefetched), one for the staff of an area
whatever the depth of the tree; never a query per user.
"""

from django.contrib.auth import get_user_model

from .services import Recipient

STAFF_ROLES = ("staff", "admin")
UNIT_ROLE = "unit"


def _codes(path: str) -> list[str]:
    return [c for c in (path or "").split("/") if c]


def unit_users(unit) -> list:
    """Active users of role unit of `unit`, by id. Uses `unit.users` when prefetched (no query), else one query."""
    if unit is None:
        return []
    cache = getattr(unit, "_prefetched_objects_cache", {})
    if "users" in cache:
        users = [u for u in cache["users"] if u.is_active and u.role == UNIT_ROLE]
        return sorted(users, key=lambda u: u.pk)
    User = get_user_model()
    return list(User.objects.filter(unit=unit, is_active=True, role=UNIT_ROLE).order_by("pk"))


def unit_recipients(unit) -> list[Recipient]:
    """The unit users, plus the unit's contact email when none of them has an email or a phone."""
    users = unit_users(unit)
    out = [Recipient(user=u) for u in users]
    if unit is not None and unit.contact_email and not any(u.email or u.phone for u in users):
        out.append(Recipient(email=unit.contact_email))
    return out


def staff_tiers(area) -> list[list]:
    """Active staff and admins of `area` and of every area above it, grouped by area, nearest first (one query)."""
    if area is None:
        return []
    codes = _codes(area.path)
    if not codes:
        return []
    User = get_user_model()
    by_path: dict[str, list] = {}
    staff = (
        User.objects.filter(is_active=True, role__in=STAFF_ROLES, area__code__in=codes)
        .select_related("area")
        .order_by("pk")
    )
    for u in staff:
        if area.path.startswith(u.area.path):  # codes are unique; this guards a stale path all the same
            by_path.setdefault(u.area.path, []).append(u)
    return [by_path[p] for p in sorted(by_path, key=len, reverse=True)]


def handling_staff(area) -> list:
    """Staff and admins of the nearest area at or above `area` that has any."""
    tiers = staff_tiers(area)
    return tiers[0] if tiers else []


def supervising_staff(area) -> list:
    """Staff and admins one tier above the handling staff; the handling staff when there is no tier above."""
    tiers = staff_tiers(area)
    return tiers[1] if len(tiers) > 1 else (tiers[0] if tiers else [])


def staff_recipients(users) -> list[Recipient]:
    return [Recipient(user=u) for u in users]


def handling_staff_recipients(area) -> list[Recipient]:
    return staff_recipients(handling_staff(area))


def supervising_staff_recipients(area) -> list[Recipient]:
    return staff_recipients(supervising_staff(area))
