"""Object permissions. Querysets are scoped in selectors (see liaison.scoping); these predicates
decide what a user may do with one object and are checked again on every object a view returns."""

import rules


def _path_of(obj) -> str | None:
    if obj is None:
        return None
    if hasattr(obj, "path") and hasattr(obj, "tier"):
        return obj.path
    area = getattr(obj, "area", None)
    return area.path if area is not None else None


def _paths_of(obj) -> list[str]:
    """The area paths an object belongs to: its own area, or (for objects without one, such as an appointment)
    the area of its station and of its delegate, matching how selectors scope them."""
    path = _path_of(obj)
    if path is not None:
        return [path]
    paths = []
    for related in ("station", "delegate"):
        p = _path_of(getattr(obj, related, None)) if hasattr(obj, f"{related}_id") else None
        if p is not None:
            paths.append(p)
    return paths


@rules.predicate
def is_portal_admin(user) -> bool:
    return getattr(user, "is_portal_admin", False)


@rules.predicate
def is_area_staff(user) -> bool:
    return getattr(user, "is_area_staff", False)


@rules.predicate
def in_users_area(user, obj) -> bool:
    base = getattr(user, "area_path", None)
    if base is None:
        return False
    return any(path.startswith(base) for path in _paths_of(obj))


@rules.predicate
def is_delegate_user(user) -> bool:
    return getattr(user, "is_delegate_user", False)


@rules.predicate
def is_own_delegate(user, obj) -> bool:
    delegate_id = getattr(obj, "delegate_id", None)
    return delegate_id is not None and getattr(user, "delegate_id", None) == delegate_id


staff_in_area = is_area_staff & in_users_area

rules.add_perm("stations.manage_area_object", staff_in_area)
rules.add_perm("stations.view_unit", staff_in_area)
rules.add_perm("stations.manage_appointment", is_own_delegate | staff_in_area)
rules.add_perm("stations.log_reception", is_delegate_user)
