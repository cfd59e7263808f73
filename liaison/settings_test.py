"""Test settings: the real settings, tweaked only for speed and isolation."""

import os
import tempfile

os.environ.setdefault("DEBUG", "True")
os.environ.setdefault("LIAISON_VAR_DIR", tempfile.mkdtemp(prefix="liaison-test-var-"))
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from .settings import *  # noqa: E402,F403
from .settings import CACHES, REDIS_URL  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks queued by services go to an in-memory broker; tests call tasks and services directly.
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="liaison-test-media-")
if REDIS_URL:
    # Keep test keys apart from anything else on the same Redis.
    CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
LOGGING["loggers"]["liaison.sms"] = {"level": "INFO"}  # noqa: F405
SMS_LOG_CODES = True  # tests read one-time codes from the logging SMS backend's lines, whatever DEBUG is
