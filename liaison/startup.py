"""Start-up guards for the processes that serve (web and task workers) and the matching deploy check."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY = "SECRET_KEY must be set (or DEBUG=True for local development)."


def require_secret_key() -> None:
    """Refuse to serve with a throwaway key: sessions, tokens in links and phone hashes need a stable one."""
    if getattr(settings, "SECRET_KEY_MISSING", False) and not settings.DEBUG:
        raise ImproperlyConfigured(MISSING_KEY)


@checks.register(checks.Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if getattr(settings, "SECRET_KEY_MISSING", False) and not settings.DEBUG:
        return [checks.Error(MISSING_KEY, id="liaison.E001")]
    return []
