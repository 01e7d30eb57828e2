"""Frågestund settings: everything that varies comes from the environment.

`.env.example` lists every variable. Development needs none of them (SQLite
under var/, e-mail on the console, jobs on kombu's filesystem transport);
with DEBUG off the ones production needs are required and checked here.
"""

import secrets
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import holidays
from django.utils.translation import gettext_lazy as _

from officehours.env import (
    ConfigError,
    database_from_url,
    email_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_timezone,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", True)


def _development_secret_key() -> str:
    """A key generated once per checkout, so sessions survive restarts."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ConfigError("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = _development_secret_key()

_site_url = env_url(
    "SITE_URL", "http://127.0.0.1:8000" if DEBUG else None, schemes={"http", "https"}
)
if _site_url is None:
    raise ConfigError(
        "SITE_URL is required when DEBUG is off (e.g. https://fragestund.example.se)."
    )
SITE_URL = _site_url.rstrip("/")
_site = urlsplit(SITE_URL)
SITE_ORIGIN = f"{_site.scheme}://{_site.netloc}"
SITE_IS_HTTPS = _site.scheme == "https"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    [_site.hostname or ""] + (["127.0.0.1", "localhost", "[::1]"] if DEBUG else []),
)
CSRF_TRUSTED_ORIGINS = [SITE_ORIGIN]

INSTALLED_APPS = [
    "officehours.accounts",
    "officehours",
    "officehours.booking",
    "officehours.questions",
    "officehours.privacy",
    "officehours.notifications",
    "officehours.live",
    "faq",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "ninja",
]

# The JSON API (/api/) passes by the officehours.middleware subclasses of others'
# middleware: static files, slash redirects, messages, htmx. (Deploy checks and allauth
# look for their own by name: those stay as they are.)
MIDDLEWARE = [
    # First and last: request latency for /metrics covers every other middleware.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "officehours.middleware.UnstorableInputMiddleware",  # before anything reads input
    "officehours.middleware.StaticFilesMiddleware",  # whitenoise
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "officehours.middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "officehours.middleware.UserLanguageMiddleware",
    "officehours.middleware.UserTimezoneMiddleware",
    "officehours.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "officehours.middleware.HtmxMiddleware",
    "officehours.api.ApiJsonErrorsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "officehours.urls"
WSGI_APPLICATION = "officehours.wsgi.application"

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
                "officehours.context_processors.navigation",
            ],
        },
    },
]

# Database
# DATABASE_POOLER=pgbouncer: PostgreSQL is reached through PgBouncer in transaction mode.
DATABASE_POOLER = env_choice("DATABASE_POOLER", "none", {"none", "pgbouncer"})
DATABASES = {
    "default": database_from_url(
        "DATABASE_URL",
        env_str("DATABASE_URL", "sqlite:///var/db.sqlite3"),
        BASE_DIR,
        transaction_pooler=DATABASE_POOLER == "pgbouncer",
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when there is one (shared by all processes, so allauth's rate
# limits hold across gunicorn workers), process memory otherwise.
REDIS_URL = env_url("REDIS_URL", None, schemes={"redis", "rediss"})
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "officehours.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "fragestund",
            # Fail fast when Redis is away: pages that only count things carry on.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Users and sign-in
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Sign-up is open only to these e-mail domains (comma-separated); empty allows any.
ALLOWED_EMAIL_DOMAINS = [d.lower().lstrip("@") for d in env_list("ALLOWED_EMAIL_DOMAINS", [])]

ACCOUNT_ADAPTER = "officehours.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "officehours.accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "officehours.accounts.forms.SignupNameForm"
# A taken address costs what a new one does (accounts/signup.py).
ACCOUNT_FORMS = {"signup": "officehours.accounts.signup.SignupForm"}
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Frågestund] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = _site.scheme
# allauth's defaults, written out so nobody switches them off by accident.
ACCOUNT_RATE_LIMITS = {
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reset_password": "20/m/ip,5/m/key",
    "reauthenticate": "10/m/user",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/3m/key",
    "request_login_code": "20/m/ip,3/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Frågestund"

# Single sign-on through OpenID Connect, switched on by OIDC_SERVER_URL and
# OIDC_CLIENT_ID (e.g. Microsoft Entra ID: https://login.microsoftonline.com/<tenant>/v2.0).
OIDC_SERVER_URL = env_url("OIDC_SERVER_URL", None, schemes={"https", "http"})
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_PROVIDER_ID = env_str("OIDC_PROVIDER_ID", "sso")
OIDC_NAME = env_str("OIDC_NAME") or _("Single sign-on")
# The organisation's own identity provider vouches for its addresses.
OIDC_VERIFIED_EMAIL = env_bool("OIDC_VERIFIED_EMAIL", True)
if bool(OIDC_SERVER_URL) != bool(OIDC_CLIENT_ID):
    raise ConfigError("OIDC_SERVER_URL and OIDC_CLIENT_ID must be set together.")
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": (
            [
                {
                    "provider_id": OIDC_PROVIDER_ID,
                    "name": OIDC_NAME,
                    "client_id": OIDC_CLIENT_ID,
                    "secret": OIDC_CLIENT_SECRET,
                    "settings": {
                        "server_url": OIDC_SERVER_URL,
                        "verified_email": OIDC_VERIFIED_EMAIL,
                        "email_authentication": True,
                    },
                }
            ]
            if OIDC_SERVER_URL
            else []
        ),
    }
}

# Languages and time
LANGUAGE_CODE = env_choice("LANGUAGE_CODE", "sv", {"sv", "en"})
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["officehours.formats"]
LANGUAGE_COOKIE_NAME = "fragestund_language"
LANGUAGE_COOKIE_SECURE = SITE_IS_HTTPS and not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env_timezone("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

# Static files: whitenoise serves them (hashed, compressed) when DEBUG is off.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail
EMAIL_URL = env_str("EMAIL_URL", "consolemail://" if DEBUG else None)
if EMAIL_URL is None:
    raise ConfigError(
        "EMAIL_URL is required when DEBUG is off (e.g. smtp+tls://user:password@smtp.example.se)."
    )
globals().update(email_from_url("EMAIL_URL", EMAIL_URL, BASE_DIR))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Frågestund <fragestund@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The comms mailbox that organises every calendar invitation (never an attendee).
_from_name, _from_address = parseaddr(DEFAULT_FROM_EMAIL)
CALENDAR_ORGANIZER_EMAIL = env_str("CALENDAR_ORGANIZER_EMAIL", _from_address)
CALENDAR_ORGANIZER_NAME = env_str("CALENDAR_ORGANIZER_NAME", _from_name or "Frågestund")

# Background jobs: Redis when REDIS_URL is set; otherwise kombu's filesystem
# transport under var/celery, so `make run` needs no broker installed.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A publish while Redis is away fails within seconds; the outbox sweep sends later.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, int | str | bool] = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
else:
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    # With a host named, kombu does not warn "No hostname was supplied" at every start.
    CELERY_BROKER_URL = "filesystem://localhost//"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "officehours.tasks.record_heartbeat", "schedule": 60.0},
    "sync-sessions": {"task": "officehours.booking.tasks.sync_sessions", "schedule": 3600.0},
    "apply-retention": {"task": "officehours.privacy.tasks.apply_retention", "schedule": 86400.0},
    "expire-waitlist-offers": {
        "task": "officehours.booking.tasks.expire_waitlist_offers",
        "schedule": 60.0,
    },
    # The outbox sweep: pending e-mails (a lost task, an SMTP retry) and due reminders.
    "send-due-notifications": {
        "task": "officehours.notifications.tasks.send_due_notifications",
        "schedule": 60.0,
    },
    "queue-digests": {
        "task": "officehours.notifications.tasks.queue_digests",
        "schedule": 900.0,
    },
}
# With Redis, one beat per host may run: redbeat keeps the schedule (and each job's last
# run) in Redis, and a lock lets one beat send. The others wait; when the active one dies
# its lock lapses and the next takes over within lock timeout + loop interval (35 s).
# Without Redis (`make run`) the one beat inside the worker keeps its schedule file.
if REDIS_URL:
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_BEAT_MAX_LOOP_INTERVAL = 5  # the active beat extends its lock at every tick
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_REDBEAT_REDIS_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
    CELERY_REDBEAT_LOCK_TIMEOUT = 30

# Security. Cookies are secure and HTTPS enforced whenever the site is served over https.
SESSION_COOKIE_SECURE = SITE_IS_HTTPS and not DEBUG
CSRF_COOKIE_SECURE = SITE_IS_HTTPS and not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SITE_IS_HTTPS and not DEBUG)
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 31536000 if SITE_IS_HTTPS and not DEBUG else 0, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles, fonts and requests from our own
# origin only, nothing inline. Pages keep their CSS in static/css, htmx is told not to
# add its indicator <style> nor to eval (base.html's htmx-config), and the QR code of
# the TOTP set-up is a data: image. The SSO button posts to us and we redirect to the
# identity provider, a redirect browsers hold to form-action too.
_identity_provider = (
    [f"{urlsplit(OIDC_SERVER_URL).scheme}://{urlsplit(OIDC_SERVER_URL).netloc}"]
    if OIDC_SERVER_URL
    else []
)
CONTENT_SECURITY_POLICY: dict[str, dict[str, list[str]]] = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'", *_identity_provider],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
# Where browsers report what the policy refused (optional).
_csp_report_uri = env_url("CSP_REPORT_URI", None, schemes={"https", "http"})
if _csp_report_uri:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [_csp_report_uri]
if env_bool("TRUST_PROXY_HEADERS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    # Rate limits and sign-in lockouts count per client: behind the proxy that is the
    # address it appends to X-Forwarded-For, not the proxy's own.
    ALLAUTH_TRUSTED_PROXY_COUNT = 1
SESSION_COOKIE_NAME = "fragestund_session"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# The question hour. Public holidays of this country skip a week (ISO 3166 code).
HOLIDAY_COUNTRY = env_choice("HOLIDAY_COUNTRY", "SE", set(holidays.list_supported_countries()))
# How long a waitlist offer holds a freed seat before it passes to the next in line.
WAITLIST_OFFER_MINUTES = env_int("WAITLIST_OFFER_MINUTES", 120, minimum=1)
# How long a booking waits for a busy session's lock before answering "busy, try again".
BOOKING_LOCK_TIMEOUT_MS = env_int("BOOKING_LOCK_TIMEOUT_MS", 5000, minimum=1)

# Questions: how many a person may ask, and "me too"s they may give, per hour.
QUESTION_RATE_PER_HOUR = env_int("QUESTION_RATE_PER_HOUR", 20, minimum=1)
ME_TOO_RATE_PER_HOUR = env_int("ME_TOO_RATE_PER_HOUR", 120, minimum=1)

# Personal data on closed questions and past bookings is anonymised after this many days.
RETENTION_DAYS = env_int("RETENTION_DAYS", 365, minimum=1)

# E-mail delivery: an SMTP failure is retried after 1, 2, 4 ... minutes (capped at an
# hour) up to this many attempts, then shown to advisers as failed. A send claimed
# longer ago than the stale limit (a worker that died mid-send) is tried again: keep it
# well above the longest an SMTP send may take, or a slow send is made twice.
NOTIFICATION_MAX_ATTEMPTS = 8
NOTIFICATION_RETRY_SECONDS = 60
NOTIFICATION_STALE_SECONDS = env_int("NOTIFICATION_STALE_SECONDS", 600, minimum=10)
# The e-mail after a live hour (what was answered) goes this long after the hour ends,
# leaving the advisers time to publish FAQ entries from it; they can send it sooner.
LIVE_SUMMARY_DELAY_MINUTES = env_int("LIVE_SUMMARY_DELAY_MINUTES", 120, minimum=0)
# One wake-up of the sender per rush of commits needs a cache the worker shares.
NOTIFICATION_WAKE_COALESCE = bool(REDIS_URL)

# Published FAQ entries readable without signing in (an intranet); otherwise employees only.
FAQ_PUBLIC = env_bool("FAQ_PUBLIC", False)

# API tokens: how often a token's "last used" time is written (seconds).
API_TOKEN_LAST_USED_RESOLUTION = 60

LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING", "ERROR"})
# json: one JSON object per line (officehours/logs.py), for a log collector.
LOG_FORMAT = env_choice("LOG_FORMAT", "text", {"text", "json"})
# Celery logs every task it receives and finishes, and beat every job it sends: eight
# lines a minute from the schedule alone. In development (DEBUG) only their warnings
# and errors show, so the e-mails logged by officehours.mail_log stand out.
_CELERY_CHATTER = "WARNING" if DEBUG and LOG_LEVEL != "DEBUG" else LOG_LEVEL
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "officehours.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        name: {"level": _CELERY_CHATTER}
        for name in ("celery.app.trace", "celery.worker.strategy", "celery.beat")
    },
}

# Observability (README "Observability"). /metrics answers only a scraper sending
# "Authorization: Bearer <METRICS_TOKEN>"; without a token it is not there (404).
METRICS_TOKEN = env_str("METRICS_TOKEN")
# /health/ready/ fails when the worker heartbeat (every minute) is older than this.
HEALTH_WORKER_MAX_AGE = env_int("HEALTH_WORKER_MAX_AGE", 180, minimum=60)
# Errors to Sentry, only when a DSN is set; no personal data is sent.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from officehours.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"),
    )
