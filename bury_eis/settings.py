"""Settings for the Education and Inclusion Strategy tracker.

Everything that differs between a developer's laptop and production comes from
environment variables (see .env.example). Production is the default: DEBUG is
off and SECRET_KEY is required unless EIS_DEV_MODE=true, the clearly named
development mode that `make run` sets.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from bury_eis.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEV_MODE = env_bool("EIS_DEV_MODE", False)
DEBUG = env_bool("DEBUG", DEV_MODE)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEV_MODE:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set EIS_DEV_MODE=true "
            "on a developer machine."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEV_MODE else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "bury_eis",
    "actions",
    "kpis",
    "spreadsheets",
    "boards",
    "risks",
    # Demo data for trying the service: only `seed_demo` reads it.
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything else but static files, so error pages get it too.
    "bury_eis.security.NoStoreMiddleware",
    # The feed's errors as JSON, including those raised by the middleware below it.
    "boards.feed_views.FeedErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The audit trail (bury_eis.audit) reads who made a change from the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages (it says why it signed someone out), before LoginRequired (which then
    # sends them to sign in).
    "bury_eis.security.SessionIdleTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bury_eis.security.ContentSecurityPolicyMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bury_eis.urls"
WSGI_APPLICATION = "bury_eis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bury_eis.context_processors.service",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
# Connections are kept for a minute between requests; each request first checks that the one
# it inherits still works (a restarted database or a dropped connection would otherwise fail
# the next request on it) and opens a new one if not.
try:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL could not be read: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite keeps no persistent connections; WAL lets the dev server read while
    # a command writes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spends longer compiling the dashboard's counting
    # queries than running them (670 ms of 1.7 s at 100x the plan); short queries
    # are this service's whole workload, so it is off for our connections.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Work too long for a request (checking and applying uploaded workbooks, preparing board
# packs, rendering PDFs) is queued in the database and run by `manage.py db_worker`, in
# every mode: nothing else to run or secure, and jobs survive restarts and backups.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out sign-in before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password guessing (bury_eis/lockout.py): AXES_FAILURE_LIMIT wrong passwords for one
# username from one address lock that username at that address, so someone guessing
# elsewhere cannot lock the real person out; SIGN_IN_ADDRESS_FAILURE_LIMIT failed sign-ins
# from one address, for any usernames, lock the address. Both last AXES_COOLOFF_TIME and
# are counted in django-axes' database table, which every process shares. The address is
# the client's, read from the council's proxy when BEHIND_PROXY (lockout.client_address).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("SIGN_IN_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "bury_eis.lockout.SignInLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "bury_eis.lockout.client_address"
# A refused attempt is not recorded: refusing costs no write, and a lock ends
# AXES_COOLOFF_TIME after the failures that caused it, however often it is tried meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "bury_eis.lockout.locked_out"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"  # bury_eis.views.start: by role
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves collected files from STATIC_ROOT; development serves them
# straight from static/ so no collectstatic step is needed.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles"))) if not DEV_MODE else None
WHITENOISE_USE_FINDERS = DEV_MODE
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEV_MODE
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security. Production sits behind the council's TLS-terminating proxy, which sets
# X-Forwarded-Proto and appends the client's address to X-Forwarded-For.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEV_MODE)
SESSION_COOKIE_SECURE = not DEV_MODE
CSRF_COOKIE_SECURE = not DEV_MODE
# Absolute limit from sign-in, and an idle limit (bury_eis.security): an hour without a
# request signs out; the last-seen time is written at most every five minutes. Pages warn
# SESSION_TIMEOUT_WARNING seconds before the idle limit and offer to stay signed in
# (WCAG 2.2.1, Timing Adjustable).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 60 * 60)
SESSION_IDLE_REFRESH = env_int("SESSION_IDLE_REFRESH", 5 * 60)
SESSION_TIMEOUT_WARNING = env_int("SESSION_TIMEOUT_WARNING", 5 * 60)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEV_MODE else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEV_MODE
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEV_MODE)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No page has inline script, inline style or event-handler attributes, and everything is
# served from this site (charts are SVG drawn on the server), so 'self' is all it needs.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEV_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "eis-noreply@bury.gov.uk")
# Where e-mails link to; the service's own address.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every unsupported CSS property and each rendering step; keep only
    # its errors (such as a refused fetch).
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        # Server errors reach the console with their traceback (django.request logs them
        # at ERROR with exc_info); the host's log collection keeps them. Pages never show it.
        "django.request": {"level": "ERROR", "propagate": True},
    },
}

# Every list table in the GOV.UK pattern (templates/django_tables2/govuk.html).
DJANGO_TABLES2_TEMPLATE = "django_tables2/govuk.html"

# Plan imports: the largest file accepted and the most rows one sheet may have
# (the real plan is 541 rows; a hundred times it is 54,100).
PLAN_UPLOAD_MAX_BYTES = env_int("PLAN_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
PLAN_IMPORT_MAX_ROWS = env_int("PLAN_IMPORT_MAX_ROWS", 100_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = PLAN_UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = PLAN_UPLOAD_MAX_BYTES + 1024 * 1024

# The tracker holds aggregate figures only; counts under this are suppressed in
# public board packs (DfE practice).
SMALL_NUMBER_THRESHOLD = env_int("SMALL_NUMBER_THRESHOLD", 5)
