from django.conf import settings


def portal(request):
    user = getattr(request, "user", None)
    ctx = {"PORTAL_NAME": settings.PORTAL_NAME, "calendar_notice_years": []}
    if user is not None and user.is_authenticated and getattr(user, "is_portal_admin", False):
        from liaison.workdays import unknown_years

        ctx["calendar_notice_years"] = unknown_years()
    return ctx
