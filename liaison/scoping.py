"""Area scoping for querysets: a user sees their area and everything below it, nothing beside it."""

from django.db.models import QuerySet


def scope_to_area(qs: QuerySet, user, area_field: str = "area") -> QuerySet:
    """Filter `qs` to objects whose `area_field` lies in the user's area subtree (none for users without one)."""
    path = getattr(user, "area_path", None)
    if path is None or not getattr(user, "is_area_staff", False) and not user.is_superuser:
        return qs.none()
    if path == "":
        return qs
    lookup = "path__startswith" if area_field == "" else f"{area_field}__path__startswith"
    return qs.filter(**{lookup: path})


def user_sees_area(user, area) -> bool:
    """Whether `area` (an Area, or its materialised path) lies in the user's area subtree.

    The one test of "is this area mine": fails closed for a user without an area or an area without a path; a
    superuser without an area sees everything.
    """
    base = getattr(user, "area_path", None)
    if base is None or not (getattr(user, "is_area_staff", False) or getattr(user, "is_superuser", False)):
        return False
    path = area if isinstance(area, str) else getattr(area, "path", None)
    if not path:
        return False
    return path.startswith(base)
