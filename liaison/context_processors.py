import functools

from django.apps import apps
from django.conf import settings
from django.urls import reverse


@functools.cache
def _public_nav_hooks() -> tuple:
    return tuple(
        config.public_nav
        for config in apps.get_app_configs()
        if callable(getattr(config, "public_nav", None))
    )


def public_nav() -> list[tuple[str, str]]:
    """Links an app adds to the public menu after the built-in ones: its AppConfig defines
    `public_nav(self) -> [(label, url_name)]`, so an app above `liaison` adds its page without editing base.html."""
    return [(label, reverse(name)) for hook in _public_nav_hooks() for label, name in hook()]


def portal(request):
    user = getattr(request, "user", None)
    ctx = {"PORTAL_NAME": settings.PORTAL_NAME, "calendar_notice_years": [], "public_nav": public_nav}
    if user is not None and user.is_authenticated and getattr(user, "is_portal_admin", False):
        from liaison.workdays import unknown_years

        ctx["calendar_notice_years"] = unknown_years()
    return ctx
