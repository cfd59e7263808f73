"""Area scoping: a user sees their area and everything below it, nothing beside it.

The only place that compares materialised area paths: selectors call `scope_to_area`, object checks call
`user_sees_area` (or `Area.contains`, which delegates to `path_contains`). A superuser is staff at the root
(`area_path == ""`, see `liaison.permissions`); every check fails closed on a missing path.
"""

from django.db.models import QuerySet


def scope_to_area(qs: QuerySet, user, area_field: str = "area") -> QuerySet:
    """Filter `qs` to objects whose `area_field` lies in the user's area subtree (none for users without one)."""
    path = getattr(user, "area_path", None)
    if path is None or not getattr(user, "is_area_staff", False):
        return qs.none()
    if path == "":
        return qs
    lookup = "path__startswith" if area_field == "" else f"{area_field}__path__startswith"
    return qs.filter(**{lookup: path})


def path_contains(base: str | None, area) -> bool:
    """Whether `area` (an Area, or a materialised path) lies at or below the materialised path `base`.

    Fails closed: False when `base` is None or the area has no path; the root `base == ""` contains every
    area that has one.
    """
    path = area if isinstance(area, str) else getattr(area, "path", None)
    if base is None or not path:
        return False
    return path.startswith(base)


def user_sees_area(user, area) -> bool:
    """Whether `area` (an Area, or its materialised path) lies in the user's area subtree.

    The one test of "is this area mine": fails closed for a user who is not area staff, a user without an area
    or an area without a path; a superuser without an area sees everything.
    """
    if not getattr(user, "is_area_staff", False):
        return False
    return path_contains(getattr(user, "area_path", None), area)
