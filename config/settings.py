"""TrainerHub settings: one file, every value from the environment, safe defaults for one machine.

Every variable is documented in the README's Configuration section.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
import dj_email_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.env import env, env_bool, env_int, env_list, persistent_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "data")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = persistent_secret_key(DATA_DIR)
# Encrypts the secrets trainers enter (trainerhub/core/crypto.py); derived from SECRET_KEY when
# unset. Comma-separated to rotate: the first encrypts, every one decrypts.
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    "axes",
    # Gap-free numbers (invoices, credit notes, receipts) from a locked counter row.
    "sequences.apps.SequencesConfig",
    "trainerhub.core",
    "trainerhub.accounts",
    "trainerhub.plans",
    "trainerhub.scheduling",
    "trainerhub.clients",
    "trainerhub.portal",
    "trainerhub.notifications",
    "trainerhub.calendars",
    "trainerhub.webhooks",
    "trainerhub.coaching",
    "trainerhub.contracts",
    "trainerhub.packages",
    "trainerhub.billing",
    "trainerhub.insights",
    "trainerhub.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Gzip for JSON answers over 2 KB only, never HTML (trainerhub/core/compress.py).
    "trainerhub.core.compress.JsonGzipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files keep their own caching (trainerhub/core/middleware.py).
    "trainerhub.core.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "trainerhub.core.logging.RequestLogMiddleware",
    # A NUL in the path or the query string is a 400 before anything reads it.
    "trainerhub.core.middleware.RefuseControlCharactersMiddleware",
    # An unmatched /api/v1/ address answers JSON, not the HTML 404 page.
    "trainerhub.core.middleware.ApiJsonNotFoundMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "trainerhub.core.timezones.TimezoneMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost, so it wraps the view alone: a write request that ends in a 5xx commits nothing
    # (trainerhub/core/middleware.py says why this rather than ATOMIC_REQUESTS).
    "trainerhub.core.middleware.AtomicWritesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "trainerhub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trainerhub.core.context_processors.site",
                "trainerhub.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'trainerhub.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL,
        # PostgreSQL keeps a web worker's connection for a minute (a new one per request cost
        # a backend start and a login each time: bookings under load 37 -> 56 a second with
        # it), checked before each request reuses it, so a restarted server costs nothing.
        # SQLite opens a file: 0 keeps a restored database file from meeting an old handle.
        conn_max_age=env_int(
            "DB_CONN_MAX_AGE", 60 if _DATABASE_URL.startswith(("postgres", "pgsql")) else 0
        ),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so a booking's
    # "is the slot free?" check and its insert can never interleave with another writer.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so the concurrency tests' threads share one database; named by
    # process so two test runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker ----------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a cached slot listing may be served (scheduling/slot_cache.py); 0 turns it off.
# On by default only with a shared cache (Redis): with in-process memory each web process
# would keep its own copy and not see another's bookings, offering a taken time for a while.
SLOTS_CACHE_SECONDS = env_int("SLOTS_CACHE_SECONDS", 15 if REDIS_URL else 0)

# Background work: "worker" (the default, a process started by `make run`) or "celery".
TASK_BACKEND = env("TASK_BACKEND", "worker")
# /healthz answers 503 when the worker (or Celery beat) has not finished a pass for this long.
WORKER_STALE_SECONDS = env_int("WORKER_STALE_SECONDS", 120)
CELERY_BROKER_URL = REDIS_URL or "redis://127.0.0.1:6379/0"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60 * 3)

# Lockout after repeated failed logins, per account, for web and API alike.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "email"
# Every failure, lock check and reset is counted under the one canonical spelling of the address.
AXES_USERNAME_CALLABLE = "trainerhub.accounts.emails.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "trainerhub.accounts.lockout.lockout_response"

# --- Email ------------------------------------------------------------------------------------
_email = dj_email_url.parse(env("EMAIL_URL", "console:"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
EMAIL_TIMEOUT = 20
# How long a worker's claim on an outbox row lasts (pushed forward while a send is in
# progress). Well above EMAIL_TIMEOUT: a worker silent for this long is presumed dead and its
# rows not yet handed over are given to another worker (see notifications/dispatcher.py).
NOTIFY_LEASE_SECONDS = env_int("NOTIFY_LEASE_SECONDS", 300)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "TrainerHub <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# "required": a new trainer's booking page goes public once they follow the link mailed to
# their address; "off": the operator vouches for every account (accounts/verification.py).
EMAIL_VERIFICATION = env("EMAIL_VERIFICATION", "required").strip().lower()
if EMAIL_VERIFICATION not in {"required", "off"}:
    raise ImproperlyConfigured(
        f"EMAIL_VERIFICATION must be required or off, got {EMAIL_VERIFICATION!r}"
    )

# --- Outgoing webhooks (trainerhub/webhooks) ------------------------------------------------
# Private, loopback and link-local receivers are refused (SSRF) unless this is on (tests, a
# receiver on the operator's own network).
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE", False)

# --- Third-party channels (a channel without credentials is off) ---------------------------
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER")
TWILIO_API_BASE = env("TWILIO_API_BASE", "https://api.twilio.com")
TELEGRAM_BOT_TOKEN = env("TELEGRAM_BOT_TOKEN")
TELEGRAM_BOT_NAME = env("TELEGRAM_BOT_NAME")
TELEGRAM_API_BASE = env("TELEGRAM_API_BASE", "https://api.telegram.org")
# Online payments: each trainer's own Stripe keys (Settings -> Payments); tests point this at
# a local stand-in.
STRIPE_API_BASE = env("STRIPE_API_BASE", "https://api.stripe.com")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- The trainer's own calendars (ICS subscriptions; trainerhub/calendars) -----------------
CALENDAR_FETCH_MINUTES = env_int("CALENDAR_FETCH_MINUTES", 10)
CALENDAR_FETCH_TIMEOUT = env_int("CALENDAR_FETCH_TIMEOUT", 15)
CALENDAR_MAX_BYTES = env_int("CALENDAR_MAX_BYTES", 5 * 1024 * 1024)
# A trainer-typed URL is fetched by the server (an SSRF risk): loopback, private and
# link-local addresses (and plain http) are refused unless this is set (tests, a LAN server).
CALENDAR_ALLOW_PRIVATE = env_bool("CALENDAR_ALLOW_PRIVATE", False)
# Two-way sync with Google Calendar and Microsoft 365 (the operator's OAuth apps; a provider
# is offered only when its client id and secret are set); trainerhub/calendars/conf.py reads
# them. The base URLs are the real services'; tests point them at a local stand-in.
GOOGLE_CLIENT_ID = env("GOOGLE_CLIENT_ID")
GOOGLE_CLIENT_SECRET = env("GOOGLE_CLIENT_SECRET")
GOOGLE_AUTH_URL = env("GOOGLE_AUTH_URL", "https://accounts.google.com/o/oauth2/v2/auth")
GOOGLE_OAUTH_BASE = env("GOOGLE_OAUTH_BASE", "https://oauth2.googleapis.com")
GOOGLE_API_BASE = env("GOOGLE_API_BASE", "https://www.googleapis.com")
MICROSOFT_CLIENT_ID = env("MICROSOFT_CLIENT_ID")
MICROSOFT_CLIENT_SECRET = env("MICROSOFT_CLIENT_SECRET")
MICROSOFT_TENANT = env("MICROSOFT_TENANT", "common")
MICROSOFT_LOGIN_BASE = env("MICROSOFT_LOGIN_BASE", "https://login.microsoftonline.com")
MICROSOFT_GRAPH_BASE = env("MICROSOFT_GRAPH_BASE", "https://graph.microsoft.com")

# --- Video meetings of online services (trainerhub/scheduling/meetings/conf.py reads them) --
# Jitsi Meet: a room for each booking, no account needed; any Jitsi server of the operator's.
JITSI_BASE_URL = env("JITSI_BASE_URL", "https://meet.jit.si")
# Zoom: a meeting created for each booking through a Server-to-Server OAuth app of the
# operator's Zoom account; offered to trainers only when all three are set.
ZOOM_ACCOUNT_ID = env("ZOOM_ACCOUNT_ID")
ZOOM_CLIENT_ID = env("ZOOM_CLIENT_ID")
ZOOM_CLIENT_SECRET = env("ZOOM_CLIENT_SECRET")
# The Zoom user who hosts the meetings ("me": the app's own user).
ZOOM_USER_ID = env("ZOOM_USER_ID", "me")
ZOOM_API_BASE = env("ZOOM_API_BASE", "https://api.zoom.us")
ZOOM_OAUTH_BASE = env("ZOOM_OAUTH_BASE", "https://zoom.us")

# --- Contracts: the key and certificate that seal signed PDFs (trainerhub/contracts) -------
# Paths of a PEM key and certificate; empty: made on first use in DATA_DIR/contracts/.
CONTRACTS_SEAL_KEY = env("CONTRACTS_SEAL_KEY")
CONTRACTS_SEAL_CERT = env("CONTRACTS_SEAL_CERT")

# --- The assistant on the Insights page (an OpenAI-compatible endpoint; off while unset) ---
ASSISTANT_API_BASE = env("ASSISTANT_API_BASE")
ASSISTANT_API_KEY = env("ASSISTANT_API_KEY")
ASSISTANT_MODEL = env("ASSISTANT_MODEL")

# --- Plans for trainers, with Paddle Billing (trainerhub/plans; off: no plans, no limits) ---
PLANS_ENABLED = env_bool("PLANS_ENABLED", False)
# Days a past-due (or lapsed) trainer may still take new bookings; they are told the date.
PLANS_GRACE_DAYS = env_int("PLANS_GRACE_DAYS", 7)
PADDLE_API_BASE = env("PADDLE_API_BASE", "https://api.paddle.com")
PADDLE_API_KEY = env("PADDLE_API_KEY")
# The notification destination's secret key; comma-separated while rotating it.
PADDLE_WEBHOOK_SECRET = env("PADDLE_WEBHOOK_SECRET")

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "static/"
# Where collectstatic writes; a web server in front (deploy/nginx) serves it from there.
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "trainerhub" / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = (MAX_UPLOAD_MB + 1) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The worker's daily backup of a SQLite database into DATA_DIR/backups/daily (7 daily, 4 weekly).
BACKUP_DAILY = env_bool("BACKUP_DAILY", True)
_S3_BUCKET = env("S3_BUCKET")
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if _S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL") or None,
            "access_key": env("S3_ACCESS_KEY_ID"),
            "secret_key": env("S3_SECRET_ACCESS_KEY"),
            "region_name": env("S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
WHITENOISE_USE_FINDERS = DEBUG

# --- Security -------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and env_bool("HTTPS", False))
# Health checks (Docker's HEALTHCHECK, a load balancer) ask gunicorn directly over plain HTTP;
# a redirect to HTTPS would read as "unhealthy".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("HTTPS", False)
CSRF_COOKIE_SECURE = env_bool("HTTPS", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if env_bool("HTTPS", False) else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# Preloading is a promise to browsers' built-in lists that is slow to undo: only on request.
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0 and env_bool("HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)
# Per-address rate limits count the client's address the proxy passed on, not the proxy's own
# (config/proxy.py); the API's throttles likewise take the address the one proxy added.
RATELIMIT_IP_META_KEY = "config.proxy.client_ip" if env_bool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): scripts only from our own files, never inline; inline
# <style> only with the request's nonce (a trainer's brand colours); no style="" attributes
# (classes in static/css; per-row colours are set by static/js/app.js from data-* attributes).
# The booking page's ?embed=1 relaxes frame-ancestors (trainerhub/portal/embedding.py).
_img_sources = [SELF, "data:"]
if _S3_BUCKET:
    # Uploaded photos and logos are served from the bucket's signed addresses.
    _img_sources.append(env("S3_ENDPOINT_URL") or "https://*.amazonaws.com")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "style-src-attr": [NONE],
        "img-src": _img_sources,
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # simplejwt's, refusing an access token whose sign-in has ended (accounts/tokens.py).
        "trainerhub.accounts.tokens.FamilyJWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["trainerhub.core.permissions.IsTrainer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "trainerhub.core.permissions.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "trainerhub.core.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "auth": env("AUTH_THROTTLE_RATE", "20/min"),
        "public": env("PUBLIC_THROTTLE_RATE", "60/min"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies only: a form field cannot say 0 from "0" or false from absent, so a form
    # body slipped past the documented types. Uploads take multipart on their own views.
    "DEFAULT_PARSER_CLASSES": [
        # DRF's JSON parser with a nesting limit and the text rule (trainerhub/core/jsonbody.py).
        "trainerhub.core.jsonbody.LimitedJSONParser",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Directly on the internet X-Forwarded-For is whatever the client wrote: ignore it.
    "NUM_PROXIES": 1 if env_bool("BEHIND_PROXY", False) else 0,
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": SECRET_KEY,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TrainerHub API",
    "DESCRIPTION": "Bookings, availability and clients of one trainer's practice.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No validator badge: Swagger UI would otherwise send the schema to validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # The shared error answers on every operation (trainerhub/core/api.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "trainerhub.core.api.document_error_answers",
    ],
    "ENUM_NAME_OVERRIDES": {
        "IntakeFieldKindEnum": "trainerhub.clients.models.IntakeField.Kind",
        "ClientFileKindEnum": "trainerhub.clients.models.ClientFile.Kind",
        # A user's role and a signer's role are the same two words.
        "RoleEnum": "trainerhub.accounts.models.User.Role",
        "PaymentMethodEnum": "trainerhub.billing.models.Payment.Method",
        "BookingPaymentStatusEnum": ["unpaid", "partial", "paid", "refunded", "covered"],
        "InvoicePaymentStatusEnum": ["unpaid", "partial", "paid", "refunded"],
        # Coaching: primary and secondary muscles are one list; a measurement's kind.
        "MuscleEnum": "trainerhub.coaching.models.Muscle",
        "MeasureKindEnum": "trainerhub.coaching.models.MeasureKind",
    },
}

# --- Logging: one JSON line per request and per event ------------------------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # httpx logs every request's full URL at INFO: calendar addresses and bot tokens
        # are secrets in the URL itself.
        "httpx": {"level": "WARNING"},
    },
}

# The single-machine cache is per process; ratelimit knows and is told it is fine.
# auth.W004: email is unique case-insensitively (a UniqueConstraint on Lower("email")), which
# the check cannot see. axes.W006: the lockout is per account on purpose (the issue asks to lock
# an account); login attempts per address are throttled separately by the API's "auth" scope.
SILENCED_SYSTEM_CHECKS = [
    "django_ratelimit.E003",
    "django_ratelimit.W001",
    "auth.W004",
    "axes.W006",
    # HSTS preload is a promise to browsers' built-in lists that is slow to undo: the operator
    # opts in with HSTS_PRELOAD=true, so its absence is not a deployment mistake.
    "security.W021",
]
RATELIMIT_VIEW = "trainerhub.core.views.ratelimited"
