"""Settings, read from the environment. Every variable is listed in .env.example."""

import importlib
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_float, env_int, env_list, env_optional_int, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LIAISON_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
# Without SECRET_KEY, maintenance commands (makemigrations --check, showmigrations, …) still run with a
# throwaway key, but nothing serves with one: wsgi/asgi and the Celery worker refuse to start
# (liaison.startup.require_secret_key) and `check --deploy` reports it as an error. The same goes for the
# placeholder of .env.example and for any key Django calls weak (under 50 characters or 5 distinct ones).
SECRET_KEY_MISSING = not SECRET_KEY
if not SECRET_KEY:
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production" if DEBUG else secrets.token_urlsafe(50)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "simple_history",
    "django_htmx",
    "csp",
    "liaison.core",
    "liaison.accounts",
    "liaison.notifications",
    "stations",
    "bodies",
    "suggestions",
    "voting",
    "supervision",
    "duties",
    "motions",
    "legislation",
    "open311",
    "figures",
    "councils",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "liaison.middleware.RejectNulMiddleware",  # after auth and messages: its error page uses them
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "liaison.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "liaison.urls"
WSGI_APPLICATION = "liaison.wsgi.application"
ASGI_APPLICATION = "liaison.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liaison.context_processors.portal",
            ],
        },
    },
]

# --- Database: SQLite file by default, anything dj-database-url understands when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("DB_CONN_HEALTH_CHECKS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes; the busy timeout waits instead of failing.
    # Connections persist (DB_CONN_MAX_AGE): reopening one per request costs ~1 ms and a WAL checkpoint.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# History is for reading: no Revert button on any history form (the back office's history form also refuses
# every POST, see liaison.admin_history; this setting alone only hides the button).
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Redis: broker and cache when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # liaison.cache degrades to "no cache" while Redis is unreachable; short timeouts keep a Redis that does not
    # answer at all (a dead host, not a refused connection) from holding a request for long.
    CACHES = {
        "default": {
            "BACKEND": "liaison.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    # Per-process cache: acceptable for the single-process demo; rate limits are then per process.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "liaison"}}

# --- Celery. Without Redis the broker is kombu's filesystem transport under var/: no server needed,
# and `manage.py run_portal` starts a worker with an embedded beat scheduler next to the web server.
CELERY_BROKER_URL = REDIS_URL or "filesystem://localhost//"  # kombu warns when no host is named
if not REDIS_URL:
    _queue_dir = VAR_DIR / "celery-queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery-processed"),
        "control_folder": str(VAR_DIR / "celery-control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The scheduler creates the schedule's directory and records a heartbeat that /healthz reads (liaison.beat).
# It wakes at least once a minute; /healthz calls it failed after three minutes without a heartbeat.
CELERY_BEAT_SCHEDULER = "liaison.beat:Scheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 60
BEAT_STALE_AFTER = env_int("BEAT_STALE_AFTER", 3 * CELERY_BEAT_MAX_LOOP_INTERVAL)
# Users who chose the daily digest get it at this hour (local time, 0-23).
DIGEST_HOUR = env_int("DIGEST_HOUR", 18)
if not 0 <= DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("DIGEST_HOUR must be an hour from 0 to 23")
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "liaison.notifications.tasks.sweep_pending",
        "schedule": timedelta(minutes=5),
    },
    "notifications-digest": {
        "task": "liaison.notifications.tasks.send_digests",
        "schedule": crontab(hour=DIGEST_HOUR, minute=0),
    },
}

# Each app lists its periodic jobs in <app>/schedule.py (BEAT_SCHEDULE); they are merged here into one schedule.
for _app in ("stations", "suggestions", "voting", "supervision", "duties"):
    try:
        CELERY_BEAT_SCHEDULE.update(importlib.import_module(f"{_app}.schedule").BEAT_SCHEDULE)
    except ModuleNotFoundError as _exc:
        if _exc.name != f"{_app}.schedule":
            raise

# --- Auth
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace"
# After login each role starts on its own workspace (URL names; liaison.accounts.views.LoginView).
LOGIN_LANDING = {
    "staff": "suggestions-queue",
    "unit": "suggestions-unit-queue",
    "delegate": "workspace",
    "admin": "workspace",
    "informant": "legislation:workspace",
}
LOGOUT_REDIRECT_URL = "home"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "liaison.views.lockout_response"  # JSON for the API, a page otherwise

# --- i18n: Chinese first, English complete.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["liaison.formats"]  # DATE_FORMAT, MONTH_DAY_FORMAT per language
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media: served by the app itself (no CDN; an intranet may have no internet).
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Uploads (liaison.uploads): every photo is decoded by Pillow and refused above these limits; each use may
# lower them (and sets how many files it takes). 40 megapixels admits any phone camera's photo while bounding
# the memory one decode may take (~160 MB at 4 bytes per pixel).
UPLOAD_IMAGE_MAX_BYTES = env_int("UPLOAD_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
UPLOAD_IMAGE_MAX_PIXELS = env_int("UPLOAD_IMAGE_MAX_PIXELS", 40_000_000)
UPLOAD_DOCUMENT_MAX_BYTES = env_int("UPLOAD_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)

# --- Email and SMS
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@liaison.local")
SMS_BACKEND = env_str("SMS_BACKEND", "liaison.notifications.sms.LoggingSMSBackend")
# The logging backend always masks the number; it writes the text (one-time codes, tracking links) only when on.
SMS_LOG_CODES = env_bool("SMS_LOG_CODES", DEBUG)
# The gateways' settings (liaison/notifications/gateways.py); a check at start-up tells what the chosen one lacks.
SMS_HTTP = {
    "URL": env_str("SMS_HTTP_URL", ""),
    "METHOD": (env_str("SMS_HTTP_METHOD", "POST") or "POST").upper(),
    "FORMAT": (env_str("SMS_HTTP_FORMAT", "json") or "json").lower(),
    "BODY": env_str("SMS_HTTP_BODY", '{"mobile": "{phone}", "content": "{text}", "requestId": "{key}"}'),
    "SECRET": env_str("SMS_HTTP_SECRET", ""),
    "SIGNATURE_HEADER": env_str("SMS_HTTP_SIGNATURE_HEADER", "X-Signature"),
    "SUCCESS": env_str("SMS_HTTP_SUCCESS", ""),
    "TIMEOUT": env_int("SMS_HTTP_TIMEOUT", 10),
}
SMS_TENCENT = {
    "SECRET_ID": env_str("SMS_TENCENT_SECRET_ID", ""),
    "SECRET_KEY": env_str("SMS_TENCENT_SECRET_KEY", ""),
    "APP_ID": env_str("SMS_TENCENT_APP_ID", ""),
    "SIGN_NAME": env_str("SMS_TENCENT_SIGN_NAME", ""),
    "TEMPLATE_ID": env_str("SMS_TENCENT_TEMPLATE_ID", ""),
    "REGION": env_str("SMS_TENCENT_REGION", "ap-guangzhou"),
    "ENDPOINT": env_str("SMS_TENCENT_ENDPOINT", "sms.tencentcloudapi.com"),
    "TIMEOUT": env_int("SMS_TENCENT_TIMEOUT", 10),
}

# --- REST API
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "liaison.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # A JSON body must be one object (liaison/parsers.py); forms and multipart as DRF parses them.
    "DEFAULT_PARSER_CLASSES": [
        "liaison.parsers.JSONObjectParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "liaison.api.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "liaison.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "liaison.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "人大代表联络站 API",
    "DESCRIPTION": "Public API v1 of the delegate liaison station portal.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI is served from the sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Domain defaults (each configurable per deployment)
# Rate limits of the anonymous endpoints, parsed here: a bad RATE_LIMIT_* stops the start-up with its name.
RATE_LIMITS = {
    "appointment": env_rate("RATE_LIMIT_APPOINTMENT", "5/h"),
    "auth": env_rate("RATE_LIMIT_AUTH", "20/m"),
    "suggestion": env_rate("RATE_LIMIT_SUGGESTION", "10/h"),
    "rating": env_rate("RATE_LIMIT_RATING", "20/h"),
    "proposal": env_rate("RATE_LIMIT_PROPOSAL", "10/h"),
    "topic": env_rate("RATE_LIMIT_TOPIC", "10/h"),
    "sms_code_phone": env_rate("RATE_LIMIT_SMS_CODE_PHONE", "3/h"),
    "sms_code_client": env_rate("RATE_LIMIT_SMS_CODE_CLIENT", "10/h"),
    "support": env_rate("RATE_LIMIT_SUPPORT", "30/h"),
    "report_back_rating": env_rate("RATE_LIMIT_REPORT_BACK_RATING", "30/h"),
    "legislative_opinion": env_rate("RATE_LIMIT_LEGISLATIVE_OPINION", "20/h"),
}
RECEPTION_DAYS_AHEAD = env_int("RECEPTION_DAYS_AHEAD", 62, minimum=1)
# The demo accounts' password (manage.py seed_demo); the demo's own default when unset.
DEMO_PASSWORD = env_str("DEMO_PASSWORD")

# --- App rules: each app reads these through its AppConf (`conf.NAME`); all listed in .env.example.
# Suggestions (意见建议). Deadlines in working days unless said otherwise.
SUGGESTION_TRIAGE_WORKDAYS = env_int("SUGGESTION_TRIAGE_WORKDAYS", 3, minimum=1)  # accept or reject
SUGGESTION_REFER_WORKDAYS = env_int(
    "SUGGESTION_REFER_WORKDAYS", 3, minimum=1
)  # refer after acceptance/reopening
SUGGESTION_REPLY_WORKDAYS = env_int(
    "SUGGESTION_REPLY_WORKDAYS", 15, minimum=1
)  # a unit replies after referral
# A delegate's formal suggestion: answered within this many calendar months, extended to at most the maximum.
SUGGESTION_DELEGATE_REPLY_MONTHS = env_int("SUGGESTION_DELEGATE_REPLY_MONTHS", 3, minimum=1)
SUGGESTION_DELEGATE_REPLY_MAX_MONTHS = env_int(
    "SUGGESTION_DELEGATE_REPLY_MAX_MONTHS", 6, minimum=SUGGESTION_DELEGATE_REPLY_MONTHS
)
# An extension may push an ordinary referral's due date at most this far past the original.
# Formal suggestions (motions): a motion (议案) needs this many confirmed co-signers (a county congress: 10),
# otherwise it is handled as a suggestion; attachments (PDF/JPEG/PNG) per suggestion and their size; co-signers.
MOTION_COSIGNERS_REQUIRED = env_int("MOTION_COSIGNERS_REQUIRED", 10, minimum=1)
MOTION_ATTACHMENT_MAX_BYTES = env_int("MOTION_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
MOTION_ATTACHMENTS_MAX = env_int("MOTION_ATTACHMENTS_MAX", 5, minimum=0)
MOTION_COSIGNERS_MAX = env_int("MOTION_COSIGNERS_MAX", 50, minimum=1)
# A formal suggestion (channel `formal`, the motions app) is due like a delegate's (the two above); an unsatisfied
# rating has it re-handled once, due this many months later; the lead delegate rates within this many days.
SUGGESTION_FORMAL_REHANDLE_MONTHS = env_int("SUGGESTION_FORMAL_REHANDLE_MONTHS", 1, minimum=1)
SUGGESTION_FORMAL_RATING_DAYS = env_int("SUGGESTION_FORMAL_RATING_DAYS", 30, minimum=1)
SUGGESTION_EXTENSION_MAX_WORKDAYS = env_int("SUGGESTION_EXTENSION_MAX_WORKDAYS", 15, minimum=0)
SUGGESTION_RATING_DAYS = env_int(
    "SUGGESTION_RATING_DAYS", 15, minimum=1
)  # calendar days to rate; then it closes
SUGGESTION_REMINDER_WORKDAYS = env_int(
    "SUGGESTION_REMINDER_WORKDAYS", 2, minimum=0
)  # remind the unit before due
# 三色督办: share of the working-day deadline used at which an item turns yellow, then red.
SUGGESTION_YELLOW_AT = env_float("SUGGESTION_YELLOW_AT", 0.5, minimum=0.0, maximum=1.0)
SUGGESTION_RED_AT = env_float("SUGGESTION_RED_AT", 0.8, minimum=SUGGESTION_YELLOW_AT, maximum=1.0)
# Statistics: a dashboard folds recent changes into the monthly cells unless that was done this recently.
SUGGESTION_STATS_FOLD_SECONDS = env_int("SUGGESTION_STATS_FOLD_SECONDS", 15, minimum=0)
# Cells are per ancestor area at this depth (3: the county in a tree that starts at the province).
SUGGESTION_STATS_KEY_DEPTH = env_int("SUGGESTION_STATS_KEY_DEPTH", 3, minimum=1)
# Similar opinions are looked for under the ancestor at this depth (3: the county).
SUGGESTION_SIMILAR_SCOPE_DEPTH = env_int("SUGGESTION_SIMILAR_SCOPE_DEPTH", 3, minimum=1)
SUGGESTION_TITLE_MAX = env_int("SUGGESTION_TITLE_MAX", 100, minimum=1, maximum=100)  # the column holds 100
SUGGESTION_CONTENT_MAX = env_int("SUGGESTION_CONTENT_MAX", 5000, minimum=1, maximum=5000)
SUGGESTION_PHOTO_MAX_BYTES = env_optional_int("SUGGESTION_PHOTO_MAX_BYTES")  # unset: UPLOAD_IMAGE_MAX_BYTES
SUGGESTION_PHOTOS_MAX = env_int("SUGGESTION_PHOTOS_MAX", 3, minimum=0)
# Supervision (人大监督).
SUPERVISION_RECTIFICATION_MONTHS = env_int("SUPERVISION_RECTIFICATION_MONTHS", 3, minimum=1, maximum=24)
SUPERVISION_REMINDER_WORKDAYS = env_int("SUPERVISION_REMINDER_WORKDAYS", 5, minimum=0)
SUPERVISION_QUESTION_WORKDAYS = env_int("SUPERVISION_QUESTION_WORKDAYS", 10, minimum=1)
SUPERVISION_SMS_CODE_MINUTES = env_int("SUPERVISION_SMS_CODE_MINUTES", 10, minimum=1)
SUPERVISION_SMS_CODE_MAX_ATTEMPTS = env_int("SUPERVISION_SMS_CODE_MAX_ATTEMPTS", 5, minimum=1)
# Livelihood projects (民生实事).
VOTING_PHOTO_MAX_COUNT = env_int("VOTING_PHOTO_MAX_COUNT", 3, minimum=0)
VOTING_PHOTO_MAX_BYTES = env_optional_int("VOTING_PHOTO_MAX_BYTES")  # unset: UPLOAD_IMAGE_MAX_BYTES
VOTING_PROGRESS_REMINDER_DAY = env_int("VOTING_PROGRESS_REMINDER_DAY", 1, minimum=1, maximum=28)
# An evaluation is "unsatisfied" when unsatisfied votes exceed this share of the votes cast (0 < share < 1).
VOTING_EVALUATION_UNSATISFIED_SHARE = env_float(
    "VOTING_EVALUATION_UNSATISFIED_SHARE", 0.5, minimum=0.01, maximum=0.99
)

# --- Security (check --deploy is clean when production settings are given)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
# includeSubDomains covers only the portal's own host name and the names below it (the portal has its own host).
# Preloading is opt-in: it is decided for the whole registered domain by its owner (see README).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp) on every response: scripts, styles, images and fonts only from the portal
# itself. The portal's pages carry no inline script, handler or style attribute (static/js/portal.js does what
# they did), so its pages need no nonce and can be cached whole. NONCE is added to the header only on a response
# whose template used {{ request.csp_nonce }}: the API docs (liaison.api_docs). `data:` images are Swagger UI's
# icons. The browsable API's own inline styles are allowed on its responses alone (liaison.renderers).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # Style attributes: only `border-top: 0`, the one django-simple-history's admin history page carries.
        "style-src-attr": ["'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The language cookie (liaison.views.switch_language and Django's set_language) travels like the session's.
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", SESSION_COOKIE_SECURE)
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True  # no script reads it
# models.W040: SQLite ignores the non-key (INCLUDE) columns of a covering index, which only PostgreSQL needs.
SILENCED_SYSTEM_CHECKS = ["models.W040", *env_list("SILENCED_SYSTEM_CHECKS", [])]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # The handler's level too: Django's own loggers (django.request…) pass records up to it at their level.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "level": env_str("LOG_LEVEL", "INFO"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "jieba": {"level": "WARNING"}},
}

PORTAL_NAME = _("人大代表联络站")

# OpenAPI enum names for the station network's choice fields (other apps add theirs the same way), so that
# several `status`/`kind` fields do not collide into hashed names like "Status0f9Enum".
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "AreaTierEnum": "stations.models.Area.Tier",
        "StationKindEnum": "stations.models.Station.Kind",
        "DelegateLevelEnum": "stations.models.Delegate.Level",
        "AppointmentStatusEnum": "stations.models.Appointment.Status",
    }
)
