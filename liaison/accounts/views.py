"""Login that lands each role on its own workspace."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import NoReverseMatch, reverse


def landing_url(user) -> str:
    """Where `user` starts work: settings.LOGIN_LANDING by role (URL names), else LOGIN_REDIRECT_URL."""
    name = settings.LOGIN_LANDING.get(getattr(user, "role", "") or "", settings.LOGIN_REDIRECT_URL)
    try:
        return reverse(name)
    except NoReverseMatch:
        return reverse(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Django's login; a safe `next` still wins (LoginView checks it is on this site), else the role's landing."""

    def get_default_redirect_url(self):
        return landing_url(self.request.user)
