"""Start-up guards for the processes that serve (web and task workers) and the matching deploy check."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY = "SECRET_KEY must be set (or DEBUG=True for local development)."
WEAK_KEY = (
    "SECRET_KEY is a placeholder or too weak: use at least 50 random characters, e.g. "
    "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
)
# The example value in .env.example begins so; it is refused even padded out to 50 characters.
PLACEHOLDER = "change-me"


def secret_key_problem() -> str | None:
    """Why the configured key must not serve, or None. Django's own rule (security.W009): at least 50
    characters, at least 5 different ones, not a `django-insecure-` key; and never the example value."""
    if getattr(settings, "SECRET_KEY_MISSING", False):
        return MISSING_KEY
    key = str(settings.SECRET_KEY)
    if (
        key.startswith(PLACEHOLDER)
        or len(key) < 50
        or len(set(key)) < 5
        or key.startswith("django-insecure-")
    ):
        return WEAK_KEY
    return None


def require_secret_key() -> None:
    """Refuse to serve with a throwaway or guessable key: sessions, tokens in links and phone hashes need a
    stable secret one. DEBUG (local development) may use its throwaway key."""
    if settings.DEBUG:
        return
    problem = secret_key_problem()
    if problem:
        raise ImproperlyConfigured(problem)


@checks.register(checks.Tags.security, deploy=True)
def secret_key_is_set(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    problem = secret_key_problem()
    return [checks.Error(problem, id="liaison.E001")] if problem else []
