"""Test settings: the real settings, tweaked only for speed and isolation."""

import os
import tempfile

os.environ.setdefault("DEBUG", "True")
os.environ.setdefault("LIAISON_VAR_DIR", tempfile.mkdtemp(prefix="liaison-test-var-"))
if os.environ.get("PYTEST_XDIST_WORKER"):
    # Parallel workers inherit the controller's directory: each gets its own, so one worker's station writes
    # (which bump the network version file there) do not expire another worker's cached public reads.
    os.environ["LIAISON_VAR_DIR"] = os.path.join(os.environ["LIAISON_VAR_DIR"], os.environ["PYTEST_XDIST_WORKER"])
    os.makedirs(os.environ["LIAISON_VAR_DIR"], exist_ok=True)
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
