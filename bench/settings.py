"""Settings for the benchmark server: the real settings, plus a trivial view to compare against.

Everything else is production-like (DEBUG comes from the environment and the bench script sets it False);
only static files are served from the plain storage, so no collectstatic is needed.
BENCH_SQLITE_CONN_MAX_AGE (set by `foundation.py --sqlite-conn-max-age N`) overrides the CONN_MAX_AGE=0
that liaison.settings forces for SQLite, to measure what persistent connections would change.
"""

import os

from liaison.settings import *  # noqa: F403
from liaison.settings import DATABASES

ROOT_URLCONF = "bench.urls"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("BENCH_SQLITE_CONN_MAX_AGE") and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_SQLITE_CONN_MAX_AGE"])
