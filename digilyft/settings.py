"""Digilyft settings, read from environment variables with safe defaults.

Every variable is documented in the README; a malformed value stops start-up with a
message that names the variable (see ``lib/env.py``).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DIGILYFT_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("DIGILYFT_REQUIRE_SECRET_KEY", False):
        raise RuntimeError("SECRET_KEY must be set in production")
    # A development key: fine for `make run` and tests, never for production
    # (`manage.py check --deploy` flags it).
    SECRET_KEY = "django-insecure-development-key-change-me-in-production-0123456789"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so that its registration/ templates win over the admin's.
    "core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "registry",
    "frameworks",
    "assessments",
    "results",
    "pulse",
    "learning",
    "webinars",
    "programme",
    "plans",
    "api",
    "invitations",
    "demo",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database that is down gives a 503 page that needs no database (core/unavailable.py).
    "core.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # With a read replica: a browser that just wrote reads published figures from the primary.
    "lib.replica.RecentWriterMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "core.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Home, login form, privacy, accessibility: shown to a visitor not logged in when the
    # database cannot say who is logged in (core/unavailable.py).
    "core.unavailable.PagesWithoutDatabaseMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Staff reach no page but logging in and the code pages until they typed a TOTP code.
    "core.second_factor.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.HeadLikeGetMiddleware",
    # CORS and the language of Accept-Language for /api/v1/ (before the limit: 429s too).
    "api.cors.OpenApiManners",
    "api.middleware.RateLimitMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "digilyft.urls"
WSGI_APPLICATION = "digilyft.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

if "DATABASE_URL" not in os.environ:
    # The embedded default: SQLite creates its file, but not the folder it lives in.
    VAR_DIR.mkdir(parents=True, exist_ok=True)


def _database(url: str) -> dict:
    """One entry of DATABASES from its URL, PostgreSQL with the settings below."""
    database = dj_database_url.parse(
        url,
        # Each worker keeps its connection this many seconds; before reusing it, Django checks
        # that it still works, so a connection the database killed (a restart) is replaced
        # instead of failing the request.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    if database["ENGINE"] != "django.db.backends.postgresql":
        return database
    # Django's backend, whose connections give up on a database that stops answering when
    # the web server sets a limit (lib/dbwait.py, DATABASE_REQUEST_WAIT_LIMIT below).
    database["ENGINE"] = "lib.postgresql"
    options = database.setdefault("OPTIONS", {})
    # Give up connecting after this many seconds (libpq waits forever by default): a silent
    # database gives a quick 503, not requests hanging until the server kills the worker.
    options.setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
    # Parameters sent apart from the SQL (server-side binding), so that psycopg prepares a
    # statement that a connection has run DATABASE_PREPARE_THRESHOLD times and PostgreSQL stops
    # planning it anew: planning an autosave cost four times running it (bench/respondents.py).
    # Behind a pooler in transaction mode (PgBouncer), set DATABASE_PREPARE_THRESHOLD=0.
    options.setdefault("server_side_binding", env_bool("DATABASE_SERVER_SIDE_BINDING", True))
    prepare_threshold = env_int("DATABASE_PREPARE_THRESHOLD", 5)
    options.setdefault("prepare_threshold", prepare_threshold or None)
    # No statement runs longer than this (milliseconds; 0 turns the limit off, e.g. for a long
    # one-off management command). Below gunicorn's worker timeout (GUNICORN_TIMEOUT, 30 s).
    statement_timeout = env_int("DATABASE_STATEMENT_TIMEOUT", 15000)
    if statement_timeout > 0:
        options["options"] = " ".join(
            part
            for part in (options.get("options", ""), f"-c statement_timeout={statement_timeout}")
            if part
        )
    return database


DATABASES = {
    "default": _database(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'digilyft.sqlite3'}"))
}
# A streaming read replica of the primary (e.g. postgres://user:pass@replica:5432/digilyft):
# the pages, exports and API that serve published figures read from it (lib/replica.py); empty,
# everything reads from DATABASE_URL as before.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
# A replica further behind than this (seconds of replay) is not read; the primary serves instead.
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 5)
# Each server process asks the replica how far behind it is at most this often (seconds).
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 2)
# A browser that sent a write reads published figures from the primary for this long (seconds),
# so that a coordinator who has just closed a round sees its results at once.
DATABASE_REPLICA_PRIMARY_WINDOW_SECONDS = env_int(
    "DATABASE_REPLICA_PRIMARY_WINDOW_SECONDS", DATABASE_REPLICA_MAX_LAG_SECONDS + 5
)
DATABASE_ROUTERS = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL)
    # Tests read the replica's rows from the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["lib.replica.PublishedReadsRouter"]
# In the web server only (digilyft/wsgi.py): milliseconds a request waits for an answer from
# PostgreSQL (connecting, a statement, a fetch) before it asks, on a fresh connection, whether the
# server answers at all (lib/postgresql/base.py, PROBE_SECONDS = 0.5). A server that does not
# answer gets the request a 503 and the connection dropped; a slow but living one is waited for
# (up to DATABASE_STATEMENT_TIMEOUT). 0 turns it off. The background worker and management
# commands have no such limit.
DATABASE_REQUEST_WAIT_LIMIT = env_int("DATABASE_REQUEST_WAIT_LIMIT", 700)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Request size limits, explicit so that a change of Django's defaults cannot widen them. A page of
# answers is a few kilobytes; a form's fields (files excluded) may hold at most this much:
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)  # 2.5 MiB
# ... and this many fields (the admin's bulk actions are the largest forms):
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000)
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("DATA_UPLOAD_MAX_NUMBER_FILES", 10)
# An uploaded file larger than this is streamed to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)  # 2.5 MiB

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out login before the password is even hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login lockout (django-axes, attempts kept in the database): after LOGIN_FAILURE_LIMIT wrong
# passwords for one username from one client, that pair is locked for LOGIN_LOCKOUT_MINUTES.
# The same person from another device, and everyone else, log in as usual.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "lib.clientip.client_ip"
# No log of successful logins (addresses and browsers are personal data); failed attempts are
# deleted once their lockout period is over.
AXES_DISABLE_ACCESS_LOG = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Password spraying: after this many wrong passwords from one client address in an hour, for
# any usernames, that address may not try another until the hour is over (a 429 page; the
# counter is in CACHES["limits"]). Other addresses log in as usual. 0 turns it off.
DIGILYFT_LOGIN_FAILURES_PER_ADDRESS_PER_HOUR = env_int("LOGIN_FAILURES_PER_ADDRESS_PER_HOUR", 30)
# Behind this many proxies of our own, the client is the address the outermost of them put in
# X-Forwarded-For (lib/clientip.py): the one rule for every limit, the lockout and the API.
DIGILYFT_TRUSTED_PROXY_COUNT = env_int("DIGILYFT_TRUSTED_PROXY_COUNT", 0)
# Staff (the programme office) need a TOTP code from an authenticator app after the password
# (core/second_factor.py). Only the local demo (`make run`) turns this off.
DIGILYFT_STAFF_OTP_REQUIRED = env_bool("STAFF_OTP_REQUIRED", True)
OTP_TOTP_ISSUER = "Digilyft"
# The admin shows no one's TOTP secret or its QR code (django-otp's own pages for them would
# also answer a missing device with a 500); a device is set up by its owner only.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# django-otp's throttling: after each wrong code the next waits twice as long (1, 2, 4 … s).
OTP_TOTP_THROTTLE_FACTOR = 1
# Password-reset mails: at most this many to one address per PASSWORD_RESET_WINDOW_MINUTES.
DIGILYFT_PASSWORD_RESET_LIMIT = env_int("PASSWORD_RESET_LIMIT", 3)
DIGILYFT_PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60)

# "limits": counters shared by all server processes (lib/ratelimit.py): every rate limit, the
# API's included. The database cache by default (its table is created by `migrate`); e.g.
# LIMITS_CACHE_BACKEND=django.core.cache.backends.redis.RedisCache
# LIMITS_CACHE_LOCATION=redis://127.0.0.1:6379/1 (with the redis package installed).
# "default": the local-memory cache serves one process (the API's cached responses). With
# several app servers a shared one (CACHE_BACKEND and CACHE_LOCATION) keeps one copy for all.
# REDIS_URL (e.g. redis://127.0.0.1:6379/0; needs the optional `redis` package, pip install
# -e ".[redis]") makes both caches Django's RedisCache unless their own variables say otherwise.
REDIS_URL = env_str("REDIS_URL", "")
# How many app servers (machines or containers running gunicorn) serve the site behind one
# balancer. Above 1, `manage.py check --deploy` warns about anything kept in one process
# (core/checks.py, digilyft.W003): both caches must then be shared (REDIS_URL).
DIGILYFT_APP_SERVERS = env_int("DIGILYFT_APP_SERVERS", 1)
_REDIS = "django.core.cache.backends.redis.RedisCache"
CACHES = {
    "default": {
        "BACKEND": env_str(
            "CACHE_BACKEND",
            _REDIS if REDIS_URL else "django.core.cache.backends.locmem.LocMemCache",
        ),
        "LOCATION": env_str("CACHE_LOCATION", REDIS_URL),
    },
    "limits": {
        "BACKEND": env_str(
            "LIMITS_CACHE_BACKEND",
            _REDIS if REDIS_URL else "django.core.cache.backends.db.DatabaseCache",
        ),
        "LOCATION": env_str("LIMITS_CACHE_LOCATION", REDIS_URL or "digilyft_limits_cache"),
        # Counters of several apps may share one Redis database.
        "KEY_PREFIX": "digilyft",
    },
}
if CACHES["limits"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    # The database cache counts its rows on every write and deletes expired ones only once
    # there are more than MAX_ENTRIES (then live ones too, a third at a time). Django's 300
    # would forget live counters in a busy hour; a million would let expired rows pile up and
    # make every counted request count them. 50,000 live counters is a flood of addresses.
    CACHES["limits"]["OPTIONS"] = {"MAX_ENTRIES": env_int("LIMITS_CACHE_MAX_ENTRIES", 50_000)}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:after_login"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own additions to Django's number formats (digilyft/formats/sv: a thin, unbreakable space
# between thousands). Grouping is asked for where a number needs it (lib.numbers, ``floatformat``
# with "g"), not switched on for every number, so years and codes stay as they are (2026, 0180).
FORMAT_MODULE_PATH = ["digilyft.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# In production (not DEBUG) static files carry their content's hash in their names
# (core/site.3f9a….css) and are compressed by `collectstatic` (`make serve` runs it); WhiteNoise
# serves such a file with "cache forever" (a year, immutable), since a changed file gets a new
# name. With DEBUG (`make run`) they are served from the apps' folders as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds a mail server may take to answer; without it a silent server holds the worker forever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# How long a worker's claim on an invitation it is sending holds: longer than one mail can take
# (EMAIL_TIMEOUT), so that only the claim of a worker that died runs out (invitations.tasks).
DIGILYFT_INVITATION_CLAIM_SECONDS = env_int("DIGILYFT_INVITATION_CLAIM_SECONDS", 120)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Digilyft <noreply@digilyft.example>")

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG and env_bool("HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
# X-Forwarded-Proto is believed only behind a proxy of our own that sets it (anyone can send
# the header): TRUST_X_FORWARDED_PROTO=true, or by default when DIGILYFT_TRUSTED_PROXY_COUNT > 0.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("TRUST_X_FORWARDED_PROTO", DIGILYFT_TRUSTED_PROXY_COUNT > 0)
    else None
)
# Content-Security-Policy (django-csp): scripts and <style> elements only from our own static
# files or with the page's nonce (``request.csp_nonce``); no plugins, frames, foreign forms.
# Style attributes (a bar's width, a chart's colour) stay allowed: they run no code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Django logs the path of every 4xx/5xx; a respondent's path is a secret (lib/redact.py).
    "filters": {"redact_secret_paths": {"()": "lib.redact.RedactSecretPaths"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secret_paths"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Background work (emails, reminders) goes through a database-backed queue; the worker is
# `manage.py db_worker` (started by `make run`).
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Digilyft's own settings -------------------------------------------------
# No aggregate over fewer respondents than this is shown anywhere.
DIGILYFT_ANONYMITY_THRESHOLD = env_int("DIGILYFT_ANONYMITY_THRESHOLD", 5)
# The programme-effect page (and the report) says "too few to tell" below this many
# organisations on either side of a goal.
DIGILYFT_EFFECT_MIN_ORGANISATIONS = env_int("DIGILYFT_EFFECT_MIN_ORGANISATIONS", 5)
# Unsubmitted responses are deleted this many days after their round closed.
DIGILYFT_UNSUBMITTED_RETENTION_DAYS = env_int("DIGILYFT_UNSUBMITTED_RETENTION_DAYS", 30)
# How long a respondent's resume cookie lives (days).
DIGILYFT_RESUME_COOKIE_DAYS = env_int("DIGILYFT_RESUME_COOKIE_DAYS", 60)
# Webinar registrations: name and email are erased this many days after the session ended.
DIGILYFT_WEBINAR_RETENTION_DAYS = env_int("DIGILYFT_WEBINAR_RETENTION_DAYS", 365)
# Open (shared) links: at most this many new responses per link from one client address per
# hour. A tablet passed round a meeting stays below it; a script filling a group does not.
DIGILYFT_OPEN_STARTS_PER_HOUR = env_int("DIGILYFT_OPEN_STARTS_PER_HOUR", 30)
# Other anonymous actions that store rows or send mail, per client address per hour (through
# CACHES["limits"], lib/ratelimit.py; 0 turns one off). Over the limit: a 429 page, nothing done.
# Personal invitation links begun (a new draft each on a new device):
DIGILYFT_PERSONAL_BEGINS_PER_HOUR = env_int("DIGILYFT_PERSONAL_BEGINS_PER_HOUR", 60)
# "Stop reminders" from invitation mails:
DIGILYFT_OPT_OUTS_PER_HOUR = env_int("DIGILYFT_OPT_OUTS_PER_HOUR", 60)
# Webinar registrations (each sends a confirmation mail), and confirming/cancelling/erasing one:
DIGILYFT_WEBINAR_REGISTRATIONS_PER_HOUR = env_int("DIGILYFT_WEBINAR_REGISTRATIONS_PER_HOUR", 20)
DIGILYFT_WEBINAR_CHANGES_PER_HOUR = env_int("DIGILYFT_WEBINAR_CHANGES_PER_HOUR", 60)
# Workshop evaluations sent (a room of participants on one network stays below):
DIGILYFT_EVALUATIONS_PER_HOUR = env_int("DIGILYFT_EVALUATIONS_PER_HOUR", 120)
# Resident pulse answers per client address per hour (a library's or a service desk's shared
# computer answers more than one; a flood from one address does not get through).
DIGILYFT_PULSE_ANSWERS_PER_HOUR = env_int("DIGILYFT_PULSE_ANSWERS_PER_HOUR", 30)
# A pulse form sent back sooner than this after it was served is dropped quietly (a person
# reads eleven statements in well over ten seconds; a script does not).
DIGILYFT_PULSE_MIN_SECONDS = env_int("DIGILYFT_PULSE_MIN_SECONDS", 10)
# The address people reach the site on (e.g. https://digilyft.example), for links in emails sent
# by the background worker and the full links coordinators share. Empty: the host a request
# came in on, and for the worker the development server's (``lib.urls.absolute_url``).
DIGILYFT_SITE_URL = env_str("DIGILYFT_SITE_URL", "")

# Open data API (api/): licence and attribution of the published figures, rate limit per
# address for anonymous use, and how long responses are cached (they are also keyed by the
# latest publication, so a new publication is served at once).
DIGILYFT_OPEN_DATA_LICENCE = env_str("DIGILYFT_OPEN_DATA_LICENCE", "CC-BY-4.0")
if DIGILYFT_OPEN_DATA_LICENCE not in ("CC-BY-4.0", "CC0-1.0"):
    raise ImproperlyConfigured(
        "DIGILYFT_OPEN_DATA_LICENCE must be CC-BY-4.0 or CC0-1.0, "
        f"got {DIGILYFT_OPEN_DATA_LICENCE!r}"
    )
DIGILYFT_OPEN_DATA_ATTRIBUTION = env_str(
    "DIGILYFT_OPEN_DATA_ATTRIBUTION",
    "Digilyft – självskattningar av digital mognad i Sveriges kommuner och regioner",
)
DIGILYFT_API_RATE_LIMIT = env_int("DIGILYFT_API_RATE_LIMIT", 120)
DIGILYFT_API_RATE_WINDOW = env_int("DIGILYFT_API_RATE_WINDOW", 60)
DIGILYFT_API_CACHE_SECONDS = env_int("DIGILYFT_API_CACHE_SECONDS", 600)
