"""Bulletin's one settings module.

Every deployment difference is read from the environment (see `.env.example`).
With nothing set it runs the embedded default: DEBUG on, SQLite under `var/`,
Celery tasks in-process, emails written to `var/outbox/`.
"""

import datetime
import os
from pathlib import Path

import environ
from django.templatetags.static import static
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from config.env import (
    ConfigError,
    allowed_hosts,
    anymail_settings,
    cache_config,
    database_config,
    dkim_settings,
    email_config,
    proxy_ssl_header,
    redis_url,
    require,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("BULLETIN_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

SECRET_KEY = env.str("SECRET_KEY", default="")
if DEBUG and not SECRET_KEY:
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
require(SECRET_KEY, "SECRET_KEY", "required when DEBUG is off")
if not DEBUG and len(SECRET_KEY) < 50:
    raise ConfigError("SECRET_KEY is too short: use at least 50 random characters.")
if not DEBUG and SECRET_KEY.startswith("change-me"):
    raise ConfigError("SECRET_KEY is still the placeholder from .env.example: generate one.")
# Old keys after a rotation (README, "Rotating SECRET_KEY"): signatures made with
# them (sessions, unsubscribe links in sent emails) stay valid.
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])

if DEBUG:
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
else:
    ALLOWED_HOSTS = allowed_hosts(env.str("ALLOWED_HOSTS", default=""))
    require(env.str("DATABASE_URL", default=""), "DATABASE_URL", "e.g. postgres://user:pw@host/db")

# Absolute base URL of the public site, used in emails, feeds and canonical links.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="Belarus Weekly")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])
# Under /admin/ the admin's own 403 page, elsewhere Django's (config/denied.py).
CSRF_FAILURE_VIEW = "config.denied.csrf_failure"

# --- Production hardening (DEBUG off) --------------------------------------
# `manage.py check --deploy` is clean with the environment of .env.example
# (tests/ops/test_deploy_settings.py). Behind a TLS-terminating proxy, set
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto so Django knows the request was https.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = proxy_ssl_header(env.str("SECURE_PROXY_SSL_HEADER", default=""))
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp 4), in every mode so that a page that
# breaks under it breaks in development and tests too. No inline script or
# style anywhere: the admin (with modeltranslation's tabs) works under it
# (tests/e2e/test_csp_browser.py). The pages that need inline styles, the
# web version of the newsletter email and its admin preview, relax
# style-src for themselves.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # The article form in the admin adds a nonce for its rich-text editor's
        # import map and base styles (bulletin/admin.py), on that page only.
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Article bodies may show images from other https sites (bulletin/sanitize.py);
        # emails and their previews show uploaded images at SITE_URL's absolute URLs.
        "img-src": ["'self'", "data:", "https:", SITE_URL],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **(
            {"report-uri": [env.str("CSP_REPORT_URI")]}
            if env.str("CSP_REPORT_URI", default="")
            else {}
        ),
    },
}
# --- end of production hardening --------------------------------------------

INSTALLED_APPS = [
    "modeltranslation",  # must come before django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "csp",
    "django_prose_editor",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "bulletin",
    "newsletter",
    "accounts",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "config.health.HealthzMiddleware",  # /healthz, before host checks and the https redirect
    # A view that cannot reach the database answers 503 (config/unavailable.py).
    "config.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "bulletin.middleware.LiveLanguageMiddleware",
    "bulletin.middleware.LanguageCookieMiddleware",
    # Cached reader pages for visitors without a session leave here; every
    # middleware above still shapes their headers (bulletin/pagecache/).
    "bulletin.pagecache.middleware.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "bulletin.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(
        env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'bulletin.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = redis_url(env.str("REDIS_URL", default=""))
# The page cache may live in a Redis of its own (CACHE_REDIS_URL, with maxmemory
# and an LRU policy), apart from the broker, which must never evict a task.
CACHE_REDIS_URL = redis_url(env.str("CACHE_REDIS_URL", default="")) or REDIS_URL
CACHES = cache_config(CACHE_REDIS_URL, env.float("CACHE_TIMEOUT_SECONDS", default=0.5))
# Reader pages are cached this long at most; publishing or editing bumps a
# generation key, so nothing stale survives a change (bulletin/pagecache/generation.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# Each process keeps up to this many cached responses of the current generation
# in its own memory (0: none), and trusts the generation it read for this many
# seconds (0: it asks the shared cache on every request; 1: a cached page costs
# no round trip, and other processes show a publication up to 1 s late).
PAGE_CACHE_LOCAL_ITEMS = env.int("PAGE_CACHE_LOCAL_ITEMS", default=200)
PAGE_CACHE_GENERATION_TTL = env.float("PAGE_CACHE_GENERATION_TTL", default=0)
# A publication renders its pages ahead of its commit for this long at most
# (bulletin/pagecache/prerender.py); 0: not at all.
PAGE_CACHE_AHEAD_SECONDS = env.float("PAGE_CACHE_AHEAD_SECONDS", default=10)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages. Adding one: an entry here, a migration (modeltranslation adds the
# columns), and one bulletin.Language row.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("be", _("Belarusian")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Minsk")
LANGUAGE_COOKIE_NAME = "bulletin_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # a year: the site remembers the reader's language
LANGUAGE_COOKIE_SAMESITE = "Lax"

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
# No silent fallback: a Belarusian page must never show English text because a
# translation is missing. Each place that may fall back says so explicitly.
MODELTRANSLATION_FALLBACK_LANGUAGES = ()
# modeltranslation reads this name unprefixed; served locally, no CDN (CSP, offline).
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "/static/"
# Uploaded images live here (in the file-system storage; bulletin/urls.py serves
# them). Never empty: that makes Django's live test server try every request path
# as a media file first ("/../" then failed there with a 500).
MEDIA_URL = "/media/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded media (images): a folder under var/ by default, served by `make run`;
# S3-compatible object storage (django-storages) when MEDIA_S3_BUCKET is set, so
# several web and worker machines share one store (README, "Media storage").
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": MEDIA_S3_BUCKET,
                "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
                "region_name": env.str("MEDIA_S3_REGION", default="") or None,
                "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
                "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
                # Public URLs (a CDN or the bucket's own), not signed ones that expire
                # inside a sent email.
                "custom_domain": env.str("MEDIA_S3_PUBLIC_DOMAIN", default="") or None,
                "querystring_auth": False,
                "file_overwrite": False,
                "default_acl": env.str("MEDIA_S3_ACL", default="") or None,
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        }
        if MEDIA_S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: EMAIL_URL = outbox:///path | smtp://user:pass@host:port[?tls|?ssl] | anymail://<esp>
# | console:// | locmem:// (config/env.py; README "Email in production")
EMAIL_URL = env.str("EMAIL_URL", default=f"outbox://{VAR_DIR / 'outbox'}")
globals().update(email_config(EMAIL_URL))
# django-anymail (EMAIL_URL=anymail://<provider>): its settings from ANYMAIL_* variables.
# ANYMAIL_WEBHOOK_SECRET=user:password protects the tracking webhooks (basic auth).
ANYMAIL = anymail_settings(os.environ)
INSTALLED_APPS.append("anymail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="bulletin@localhost")
# DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY (PEM text or a path): every message
# Bulletin sends is signed (newsletter/dkim_signature.py; README "Deliverability").
DKIM = dkim_settings(os.environ)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis is the broker when REDIS_URL is set; otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Why these (see also newsletter/tasks.py):
# - acks_late + reject_on_worker_lost: a batch whose worker is SIGKILLed goes back
#   to the queue and is redone. That is safe because every recipient is claimed
#   in the database before sending and marked sent right after.
# - prefetch 1: a worker holds one unacknowledged batch at a time, so a kill
#   returns at most one batch to the queue and others keep flowing.
# - visibility_timeout: far longer than any batch (a batch is seconds to a few
#   minutes), so Redis never re-delivers a batch that is still running.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# - max_retries 1: queueing a task while the broker is down fails within a
#   fraction of a second (instead of ~6 s of retries inside a reader's request)
#   and the task waits in the outbox (newsletter/dispatch/queue.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_SOFT_TIME_LIMIT = 600
CELERY_TASK_TIME_LIMIT = 900
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=2)


def _every(seconds_variable: str, default: float, task: str) -> dict:
    """A beat entry: `task` every so many seconds, read from `seconds_variable`."""
    return {"task": task, "schedule": env.float(seconds_variable, default=default)}


# Intervals in seconds; the tests shorten them to drive a real beat quickly.
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-issues": _every(
        "BEAT_PUBLISH_SECONDS", 60.0, "bulletin.tasks.publish_scheduled"),
    "start-due-dispatches": _every(
        "BEAT_DISPATCH_SECONDS", 60.0, "newsletter.tasks.start_due_dispatches"),
    "process-bounce-mailbox": _every(
        "BEAT_BOUNCES_SECONDS", 60.0, "newsletter.tasks.process_bounce_mailbox"),
    "sweep-dispatches": _every("BEAT_SWEEP_SECONDS", 30.0, "newsletter.tasks.sweep"),
    # Old per-recipient ledger rows (newsletter/dispatch/retention.py).
    "prune-ledger": _every(
        "BEAT_PRUNE_LEDGER_SECONDS", 86400.0, "newsletter.tasks.prune_ledger"),
    # Tasks kept in the outbox while the broker was unreachable (dispatch/queue.py).
    "drain-outbox": _every("BEAT_OUTBOX_SECONDS", 10.0, "newsletter.tasks.outbox_drain"),
}

# Newsletter sending (the newsletter/dispatch package).
NEWSLETTER_SEND_AT = env.str("NEWSLETTER_SEND_AT", default="mon 09:00")
# A scheduled dispatch found later than this (workers were down) waits for an editor.
NEWSLETTER_MAX_LATENESS = env.int("NEWSLETTER_MAX_LATENESS", default=6 * 3600)
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=250)
# Rows claimed by a worker that stops renewing its claim for this long go back to
# pending (the worker died). Batches renew their claim every third of this.
NEWSLETTER_LEASE_SECONDS = env.int("NEWSLETTER_LEASE_SECONDS", default=120)
# Per-recipient Delivery rows are kept this long after their dispatch finished;
# then only the counts on the Dispatch remain (docs/SENDING.md, retention).
NEWSLETTER_LEDGER_RETENTION_DAYS = env.int("NEWSLETTER_LEDGER_RETENTION_DAYS", default=396)
NEWSLETTER_MAX_ATTEMPTS = env.int("NEWSLETTER_MAX_ATTEMPTS", default=6)
NEWSLETTER_RETRY_BASE_SECONDS = env.float("NEWSLETTER_RETRY_BASE_SECONDS", default=30.0)
NEWSLETTER_RETRY_MAX_SECONDS = env.float("NEWSLETTER_RETRY_MAX_SECONDS", default=3600.0)
# Messages per second, and per hour, for the whole send across every worker
# process and machine (a shared limiter in Redis; per process without Redis).
# 0 = as fast as the server takes them / no hourly cap.
NEWSLETTER_RATE_PER_SECOND = env.float("NEWSLETTER_RATE_PER_SECOND", default=0.0)
NEWSLETTER_RATE_PER_HOUR = env.int("NEWSLETTER_RATE_PER_HOUR", default=0)
# A dispatch pauses itself, with a note for the editor (newsletter/dispatch/guard.py),
# when more than NEWSLETTER_PAUSE_FAILURE_PERCENT of its first NEWSLETTER_PAUSE_WINDOW
# attempts (counted once NEWSLETTER_PAUSE_MIN_ATTEMPTS were made) failed for good or
# drew a complaint, or when NEWSLETTER_PAUSE_IN_A_ROW recipients in a row failed for good.
NEWSLETTER_PAUSE_FAILURE_PERCENT = env.float("NEWSLETTER_PAUSE_FAILURE_PERCENT", default=5.0)
NEWSLETTER_PAUSE_WINDOW = env.int("NEWSLETTER_PAUSE_WINDOW", default=500)
NEWSLETTER_PAUSE_MIN_ATTEMPTS = env.int("NEWSLETTER_PAUSE_MIN_ATTEMPTS", default=100)
NEWSLETTER_PAUSE_IN_A_ROW = env.int("NEWSLETTER_PAUSE_IN_A_ROW", default=50)
# Off (the default): a batch's per-recipient ledger writes (PostgreSQL) commit
# without waiting for the disk, which doubles what two workers send against a
# fast SMTP server (bench/RESULTS.md). Worker kills, dropped connections,
# redelivered tasks and second clicks are safe either way; what it gives up is
# a PostgreSQL *server* crash: the last ~0.6 s of "sent" marks may be lost and
# those recipients get the issue twice. Set 1 to wait for the disk on every mark.
# See newsletter/dispatch/ledger.py (relax_commits) and docs/SENDING.md.
NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT = env.bool(
    "NEWSLETTER_LEDGER_SYNCHRONOUS_COMMIT", default=False
)

# After the send (newsletter/bounces.py, webhooks.py, reports.py, docs/DELIVERABILITY.md).
# Deferred or soft-bounced sends in a row before a subscriber counts as bounced.
NEWSLETTER_SOFT_BOUNCE_LIMIT = env.int("NEWSLETTER_SOFT_BOUNCE_LIMIT", default=3)
# VERP: with a bounce domain set, each newsletter's envelope sender (Return-Path)
# is <local>+<signed delivery token>@<domain>, so a bounce names its delivery.
NEWSLETTER_BOUNCE_DOMAIN = env.str("NEWSLETTER_BOUNCE_DOMAIN", default="")
NEWSLETTER_BOUNCE_LOCAL_PART = env.str("NEWSLETTER_BOUNCE_LOCAL_PART", default="bounces")
# imaps://user:password@host[:port]/INBOX: a mailbox of bounces and abuse reports,
# read by beat (process_bounces). Processed messages are deleted.
BOUNCE_MAILBOX_URL = env.str("BOUNCE_MAILBOX_URL", default="")
# Largest provider webhook body accepted (bytes); a larger one is answered 400.
NEWSLETTER_WEBHOOK_MAX_BYTES = env.int("NEWSLETTER_WEBHOOK_MAX_BYTES", default=1_000_000)

# Newsletter subscription (newsletter/ratelimit.py, newsletter/services.py).
# Rates are "<count>/<s|m|h|d>"; counters live in the cache (Redis in production,
# so every web process shares them).
NEWSLETTER_SUBSCRIBE_RATE_PER_IP = env.str("NEWSLETTER_SUBSCRIBE_RATE_PER_IP", default="10/h")
NEWSLETTER_SUBSCRIBE_RATE_PER_ADDRESS = env.str(
    "NEWSLETTER_SUBSCRIBE_RATE_PER_ADDRESS", default="5/h"
)
# At most one confirmation email per address in this many seconds, however many
# times the form is submitted.
NEWSLETTER_CONFIRMATION_INTERVAL = env.int("NEWSLETTER_CONFIRMATION_INTERVAL", default=300)
# Confirmation emails for an imported list go out in Celery batches of this size.
NEWSLETTER_CONFIRMATION_BATCH_SIZE = env.int("NEWSLETTER_CONFIRMATION_BATCH_SIZE", default=200)
# How many reverse proxies (load balancer, nginx) sit in front of gunicorn and
# append to X-Forwarded-For. 0: the client address is REMOTE_ADDR, and the
# header, which anyone can forge, is ignored.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

LOGIN_URL = "admin:login"

# --- Staff sign-in (accounts/, docs/SECURITY.md) -----------------------------
# django-axes counts failed admin logins (in the database, so every web process
# shares them) and locks out, separately, a username and a client address after
# AXES_FAILURE_LIMIT failures in a row, for LOGIN_COOLOFF_MINUTES. The client
# address is the one the rate limits use (NUM_PROXIES above).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "newsletter.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_ENABLE_ADMIN = False  # accounts/admin.py registers its admin, with bounded dates
AXES_VERBOSE = False
# Members of these groups must use two-factor authentication in the admin
# (comma-separated; add Editors to require it of every editor). Anyone else
# may turn it on for their own account.
TWO_FACTOR_REQUIRED_GROUPS = env.list("TWO_FACTOR_REQUIRED_GROUPS",
                                      default=["Two-factor required"])
OTP_TOTP_ISSUER = SITE_NAME
# Nobody, superusers included, can read another account's authenticator secret
# in the admin (they could copy its codes); they can only remove the device.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Logs go to stdout. LOG_FORMAT=json (the default when DEBUG is off): one JSON
# object per line, the traceback of an error folded into its line, every line
# of a request with its request id (config/logs.py); line: readable text.
# Either way subscribers' link tokens are masked (config/logs.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="line" if DEBUG else "json")
if LOG_FORMAT not in ("line", "json"):
    raise ConfigError("LOG_FORMAT is malformed (json or line).")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.middleware.RequestIdFilter"}},
    "formatters": {
        "line": {
            "()": "config.logs.LineFormatter",
            "fmt": "%(asctime)s level=%(levelname)s logger=%(name)s "
            "request_id=%(request_id)s %(message)s",
        },
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["stdout"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Only through the root handler above (Django's own console handler
        # would print request errors a second time, on stderr, in DEBUG).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
# Celery workers and beat log through the configuration above too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Uploaded images (bulletin/images.py): decoded and cleaned on upload, renditions
# made by a worker. Limits on the upload (bytes, decoded pixels) keep a huge file
# or a decompression bomb out.
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=10 * 2**20)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
IMAGE_RENDITION_WIDTHS = (480, 960, 1600)
# The admin's rich-text editor (django-prose-editor): our extensions of it, which
# add no markup: one keeps pasted h1/h4-h6 headings as the editor's h2/h3, the
# other gives the toolbar's tooltips the admin's language (the package writes
# them in English; its dialogs go through the admin's JavaScript catalogue).
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [lazy(static, str)("bulletin/prose_paste.js")],
        "extensions": {"PasteHeadings": lambda config, allowlist: None},
    },
    {
        "js": [lazy(static, str)("bulletin/prose_i18n.js")],
        "extensions": {"TranslatedMenus": lambda config, allowlist: None},
    },
]
