"""Django settings, all from ``KNEECAP_*`` environment variables (docs/configuration.md)."""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from pathlib import Path

from kneecap import __version__, config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()
SECRET_KEY = config.secret_key(DATA_DIR)
# The numbers of the evidence brief's rules in force here (kneecap.core.rules), read and
# checked at start from the data dir's rules.toml or KNEECAP_RULES_FILE.
KNEECAP_RULES = config.rules(DATA_DIR)
DEBUG = config.env_bool("KNEECAP_DEBUG", False)
ALLOWED_HOSTS = config.env_list("KNEECAP_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list("KNEECAP_CSRF_TRUSTED_ORIGINS", [])
HTTPS = config.env_bool("KNEECAP_HTTPS", False)
SIGNUP_OPEN = config.env_bool("KNEECAP_SIGNUP_OPEN", True)
UPLOAD_MAX_BYTES = config.env_int("KNEECAP_UPLOAD_MAX_BYTES", 1 << 30)
MEDIA_ROOT = config.files_dir(DATA_DIR)
UPLOAD_DIR = DATA_DIR / "uploads"
FILE_UPLOAD_TEMP_DIR = UPLOAD_DIR / "partial"  # half-finished uploads, swept by imports
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)

# Background imports: a real queue in the database (django-tasks), worked by `kneecap worker`
# (started by `kneecap serve` too); KNEECAP_TASKS_IMMEDIATE runs them in the request instead.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if config.env_bool("KNEECAP_TASKS_IMMEDIATE", False)
        else "django_tasks_db.DatabaseBackend"
    }
}

DATABASES = {"default": config.database(config.env_str("KNEECAP_DATABASE_URL"), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs page from local static files, not a CDN
    "kneecap.db.accounts",
    "kneecap.db.catalog",
    "kneecap.db.training",
    "kneecap.db.runs",
    "kneecap.web",  # the admin, template tags and the application's start-up
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kneecap.web.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kneecap.web.audit.AuditMiddleware",
    "kneecap.web.viewer.UnitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kneecap.web.accounts.middleware.FirstRunMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Login throttling shared by the web and the API (django-axes): 10 failures from one address,
# or against one username from anywhere, lock for 15 minutes; the answer is the same whether
# or not the account exists.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = config.env_int("KNEECAP_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=config.env_int("KNEECAP_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False

ROOT_URLCONF = "kneecap.web.urls"
WSGI_APPLICATION = "kneecap.web.wsgi.application"

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
                "kneecap.web.context.kneecap",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "kc-login"
LOGIN_REDIRECT_URL = "kc-home"
LOGOUT_REDIRECT_URL = "kc-login"

LANGUAGE_CODE = "en"
TIME_ZONE = config.env_str("KNEECAP_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT.mkdir(exist_ok=True)
# Over HTTPS (production, docs/deploy.md) `collectstatic` gives files hashed names and long
# cache lifetimes; a file missing from the manifest is still served under its plain name. On
# a laptop whitenoise serves them straight from the package.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if HTTPS
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_USE_FINDERS = True

# Safe by default: cookies HTTP-only and same-site; secure flags when served over HTTPS.
# Sessions are read from the shared cache and written through to the database: one query
# less per request, and signing out anywhere removes the session for every process.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Shared state of the web processes (rate-limit counts, sessions): files in the data dir by
# default, shared by every process of the machine; Redis (KNEECAP_REDIS_URL) when several
# machines serve the instance. The runners' domain values (reports, plans, load summaries,
# kneecap.application.cache) are kept under each runner's version in ``values``: each
# process's own memory on one machine, Redis across machines.
REDIS_URL = config.env_str("KNEECAP_REDIS_URL", "")
if REDIS_URL and importlib.util.find_spec("redis") is None:
    raise config.ConfigError("KNEECAP_REDIS_URL is set but the redis package is not installed")
_REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
CACHES = {
    "default": {
        **(
            _REDIS
            if REDIS_URL
            else {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(DATA_DIR / "cache"),
                # each set lists the folder to cull it: a few thousand entries keep that ~1 ms
                "OPTIONS": {"MAX_ENTRIES": 3000},
            }
        ),
        "KEY_PREFIX": f"kneecap-{__version__}",
    },
    "values": {
        **(
            _REDIS
            if REDIS_URL
            else {
                "BACKEND": "kneecap.application.cache.ProcessValues",
                "OPTIONS": {"MAX_ENTRIES": 2000},
            }
        ),
        # A release, or other rules, may change what a kept value holds: either starts from
        # an empty cache.
        "KEY_PREFIX": f"kneecap-values-{__version__}-{config.fingerprint(KNEECAP_RULES)}",
    },
}
# Per account and per hour (kneecap.web.ratelimit); 0 turns a limit off.
RATE_LIMITS = {
    "upload": (config.env_int("KNEECAP_UPLOADS_PER_HOUR", 20), 3600),
    "export": (config.env_int("KNEECAP_EXPORTS_PER_HOUR", 10), 3600),
}

EMAIL_BACKEND = config.env_str(
    "KNEECAP_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = config.env_str("KNEECAP_FROM_EMAIL", "kneecap@localhost")
# Reminder emails (docs/reminders.md): their links need the address runners open kneecap at,
# and `kneecap worker` looks for due ones every so many seconds (0: never; use cron).
BASE_URL = config.env_str("KNEECAP_BASE_URL", "").strip().rstrip("/")
REMINDER_SWEEP_S = config.env_int("KNEECAP_REMINDER_SWEEP_S", 300)
if not 0 <= REMINDER_SWEEP_S <= 3600:
    raise config.ConfigError(
        f"KNEECAP_REMINDER_SWEEP_S={REMINDER_SWEEP_S} must be between 0 and 3600 seconds"
    )
if BASE_URL and not BASE_URL.startswith(("http://", "https://")):
    raise config.ConfigError(f"KNEECAP_BASE_URL={BASE_URL!r} must start with https:// or http://")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"hide_tokens": {"()": "kneecap.web.audit.HideTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["hide_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": config.env_str("KNEECAP_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Sign-ins, lockouts and denied requests (kneecap.web.audit): kept at any log level.
        "kneecap.audit": {"level": "INFO"},
    },
}
