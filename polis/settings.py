"""Polis settings: one file, every value read from the environment with a safe default."""

import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("POLIS_DATA_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """Use POLIS_SECRET_KEY, else a key generated once and kept in the data directory."""
    if os.environ.get("POLIS_SECRET_KEY"):
        return os.environ["POLIS_SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    try:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        return key_file.read_text().strip()
    except OSError:
        # An unwritable data directory: `polis serve` refuses to start and says why
        # (polis/core/management/commands/serve.py); a one-off command still runs.
        return secrets.token_urlsafe(50)


def _database(url: str) -> dict:
    if not url or url.startswith("sqlite"):
        # sqlite:///relative/path or sqlite:////absolute/path, as elsewhere in Python.
        path = urlparse(url).path[1:] if url else ""
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path or str(DATA_DIR / "polis.sqlite3"),
            "OPTIONS": {
                # WAL lets readers run beside one writer; IMMEDIATE avoids lock upgrades
                # failing mid-transaction under concurrent writes. Reads go through a memory
                # map (the OS page cache, shared by every process) and a 32 MB page cache per
                # connection, so a full-text doclist is not copied through read() each time.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
                    " PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            "TEST": {"NAME": os.environ.get("POLIS_TEST_SQLITE_NAME") or None},
        }
    parsed = urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL scheme {parsed.scheme!r} is not supported")
    options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "polis",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
        "CONN_MAX_AGE": int(os.environ.get("POLIS_CONN_MAX_AGE", "60")),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": options,
    }


SECRET_KEY = _secret_key()
DEBUG = env_bool("POLIS_DEBUG", False)
ALLOWED_HOSTS = env_list("POLIS_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("POLIS_CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("POLIS_SITE_NAME", "Polis")

INSTALLED_APPS = [
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
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "polis.core",
    "polis.accounts",
    "polis.tags",
    "polis.works",
    "polis.downloads",
    "polis.search",
    "polis.api",
    "polis.engagement",
    "polis.feeds",
    "polis.collections",
    "polis.opds",
    "polis.moderation",
    "polis.rights",
    "polis.imports",
    "polis.backups",
]

MIDDLEWARE = [
    # The reader's address behind POLIS_TRUSTED_PROXIES, before anything reads it.
    "polis.core.security.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "polis.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Guests' repeat downloads, sent like static files (polis/downloads/guest.py).
    "polis.downloads.guest.GuestDownloadMiddleware",
    # After the file senders above: pages, JSON and feeds only (polis/core/compression.py).
    "polis.core.compression.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # NUL or a lone surrogate in the address or query string: 404/400, never a database error.
    "polis.core.storable.StorableInputMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff roles need two-factor sign-in before staff pages (polis/accounts/mfa.py).
    "polis.accounts.mfa.StaffMfaMiddleware",
    # Last, so it sees a view's exception first: a full or read-only disk answers 503.
    "polis.core.degraded.StorageFailureMiddleware",
]

ROOT_URLCONF = "polis.urls"
WSGI_APPLICATION = "polis.wsgi.application"

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
                "polis.core.context_processors.site",
                "polis.accounts.context_processors.standing",
                "polis.accounts.context_processors.reading_preferences",
                "polis.engagement.context_processors.inbox",
            ],
        },
    },
]

DATABASES = {"default": _database(os.environ.get("DATABASE_URL", ""))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("POLIS_CACHE_PREFIX", "polis"),
        }
    }
else:
    # Blurb fragments live here too (polis.search.fragments): room for many pages of them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

TASKS = {
    "default": {
        "BACKEND": os.environ.get("POLIS_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# RQ on Redis (`pip install polis[rq]`, POLIS_TASK_BACKEND=django_tasks_rq.RQBackend): the
# jobs live in POLIS_RQ_URL (default REDIS_URL); `polis rqworker` runs them (docs/deploy.md).
POLIS_RQ_URL = os.environ.get("POLIS_RQ_URL", REDIS_URL)
if "django_tasks_rq" in TASKS["default"]["BACKEND"]:
    if not POLIS_RQ_URL:
        raise ValueError("POLIS_TASK_BACKEND is RQ: set REDIS_URL or POLIS_RQ_URL")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": POLIS_RQ_URL, "DEFAULT_TIMEOUT": 3600}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# The sign-up policy the archive starts with: "open", "invitations" (an invitation code is
# required) or "closed". Only the first value: staff change it in the site settings
# (polis/core/site_settings.py), and the database decides from then on.
POLIS_SIGNUP = os.environ.get("POLIS_SIGNUP", "open")
if POLIS_SIGNUP not in {"open", "invitations", "closed"}:
    raise ValueError("POLIS_SIGNUP must be open, invitations or closed")

# django-allauth
ACCOUNT_ADAPTER = "polis.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("POLIS_EMAIL_VERIFICATION", "optional")
if ACCOUNT_EMAIL_VERIFICATION not in {"none", "optional", "mandatory"}:
    raise ValueError("POLIS_EMAIL_VERIFICATION must be none, optional or mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_VALIDATORS = "polis.accounts.validators.username_validators"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "polis.accounts.forms.SignupExtraForm"
ACCOUNT_FORMS = {"change_password": "polis.accounts.password_forms.PasswordChangeForm"}
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Two-factor sign-in (allauth.mfa): an authenticator app (TOTP) and recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Staff roles must set up two-factor sign-in before staff pages open (polis/accounts/mfa.py).
POLIS_STAFF_MFA_REQUIRED = env_bool("POLIS_STAFF_MFA_REQUIRED", True)

EMAIL_BACKEND = os.environ.get(
    "POLIS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = os.environ.get("POLIS_FROM_EMAIL", "polis@localhost")
EMAIL_HOST = os.environ.get("POLIS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("POLIS_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("POLIS_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("POLIS_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("POLIS_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("POLIS_EMAIL_USE_SSL", False)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Compressed, with content-hashed names once collected (cached for good); plain
        # names before collectstatic has run (polis/core/static_storage.py).
        "BACKEND": "polis.core.static_storage.StaticStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("POLIS_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if env_bool("POLIS_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Browsers that once reached the archive over TLS keep to it for a year.
    SECURE_HSTS_SECONDS = 365 * 24 * 3600

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("POLIS_LOG_LEVEL", "WARNING")},
}

# A 510,000-character chapter of non-ASCII text, form-encoded, is several megabytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024

# Every POLIS_* setting is declared here once, with its one default; code reads settings.X
# (never getattr with a default of its own), so tests can override it (tests/core/
# test_settings_once.py keeps it so).

# Rates are "N/s", "N/m", "N/h" or "N/d". API rate limits, per token (or user, or address).
POLIS_API_RATE_READ = os.environ.get("POLIS_API_RATE_READ", "120/m")
POLIS_API_RATE_WRITE = os.environ.get("POLIS_API_RATE_WRITE", "30/m")
# Tag autocomplete, per address: it asks once per pause in typing; this only stops scripts.
POLIS_AUTOCOMPLETE_RATE = os.environ.get("POLIS_AUTOCOMPLETE_RATE", "300/m")
# Comments, per account or guest: guests and new accounts post slowly; "" means no limit.
POLIS_COMMENT_RATE_GUEST = os.environ.get("POLIS_COMMENT_RATE_GUEST", "10/h")
POLIS_COMMENT_RATE_NEW_ACCOUNT = os.environ.get("POLIS_COMMENT_RATE_NEW_ACCOUNT", "30/h")
POLIS_COMMENT_RATE_USER = os.environ.get("POLIS_COMMENT_RATE_USER", "")
# Reports (polis.moderation) one reader (an account, or an address for guests) may send.
POLIS_REPORT_RATE = os.environ.get("POLIS_REPORT_RATE", "10/h")
# An account is "new" (for POLIS_COMMENT_RATE_NEW_ACCOUNT) for this many days.
POLIS_NEW_ACCOUNT_DAYS = int(os.environ.get("POLIS_NEW_ACCOUNT_DAYS", "7"))
# A comment (not from the work's creators or moderators) with more links is marked spam.
POLIS_COMMENT_MAX_LINKS = int(os.environ.get("POLIS_COMMENT_MAX_LINKS", "3"))
# Notification digests are sent every this many minutes (0: only by `polis send_digests`).
POLIS_DIGEST_MINUTES = int(os.environ.get("POLIS_DIGEST_MINUTES", "60"))
# Scheduled posting (polis/works/scheduling.py): while anything is scheduled, the worker
# also sweeps for due posts this often, so a lost task only delays a post (0: no sweep but
# `polis post_scheduled`, e.g. from cron).
POLIS_SCHEDULE_SWEEP_MINUTES = int(os.environ.get("POLIS_SCHEDULE_SWEEP_MINUTES", "10"))

# Hits (polis/engagement/hits.py): queued, and written when the queue is this old or long.
POLIS_HITS_ENABLED = env_bool("POLIS_HITS_ENABLED", True)
POLIS_HITS_FLUSH_SECONDS = float(os.environ.get("POLIS_HITS_FLUSH_SECONDS", "60"))
POLIS_HITS_FLUSH_AT = int(os.environ.get("POLIS_HITS_FLUSH_AT", "500"))
# A thread in each process flushes its local hit queue every interval (off in most tests).
POLIS_HITS_FLUSH_THREAD = env_bool("POLIS_HITS_FLUSH_THREAD", True)
# Where hits queue: "local", "redis" or "cache"; "" chooses from the default cache.
POLIS_HITS_STORE = os.environ.get("POLIS_HITS_STORE", "")
if POLIS_HITS_STORE not in {"", "local", "redis", "cache"}:
    raise ValueError("POLIS_HITS_STORE must be local, redis, cache or empty")

# Works above this many words are prepared by the task worker (PDFs above a fifth of it).
POLIS_DOWNLOAD_SYNC_WORDS = int(os.environ.get("POLIS_DOWNLOAD_SYNC_WORDS", "100000"))
# A build (in the worker or the CLI) stopped after this many seconds is remembered as failed
# for that version and format; 0 means no limit.
POLIS_DOWNLOAD_BUILD_SECONDS = float(os.environ.get("POLIS_DOWNLOAD_BUILD_SECONDS", "300"))
# For this many seconds after the view sent a guest a public work's file, guests get it again
# without the checks (0 turns this off); changes reach guests that much later.
POLIS_DOWNLOAD_GUEST_SECONDS = int(os.environ.get("POLIS_DOWNLOAD_GUEST_SECONDS", "2"))
# The download cache's class (a path; it takes the root directory); "" is the file system's.
POLIS_DOWNLOAD_CACHE = os.environ.get("POLIS_DOWNLOAD_CACHE", "")
# Public address of the archive, for absolute links in downloaded files and e-mails.
POLIS_SITE_URL = os.environ.get("POLIS_SITE_URL", "")
# The in-process search accelerator (numpy arrays of the index); off falls back to SQL only.
POLIS_SEARCH_ACCEL = env_bool("POLIS_SEARCH_ACCEL", True)
# Where the search accelerator's snapshot is kept (memory-mapped by every app process).
# Days the search change log keeps a row the saved snapshot no longer needs
# (polis/search/changelog.py).
POLIS_CHANGELOG_KEEP_DAYS = int(os.environ.get("POLIS_CHANGELOG_KEEP_DAYS", "7"))
POLIS_SEARCH_SNAPSHOT_DIR = Path(os.environ.get("POLIS_SEARCH_SNAPSHOT_DIR", DATA_DIR / "search"))

# Proxies whose X-Forwarded-For names the client (comma-separated addresses or networks,
# e.g. "127.0.0.1,10.0.0.0/8"); empty: REMOTE_ADDR is the client (polis/core/security.py).
POLIS_TRUSTED_PROXIES = os.environ.get("POLIS_TRUSTED_PROXIES", "")
# The Content-Security-Policy of every page: scripts and styles from the archive only, none
# inline; images also from https (chapters may show hot-linked images).
POLIS_CSP = os.environ.get(
    "POLIS_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'",
)

# Account data exports (polis/rights/export.py): where the ZIPs are kept (never served
# publicly) and for how many days their owner may download one.
POLIS_EXPORT_DIR = Path(os.environ.get("POLIS_EXPORT_DIR", DATA_DIR / "exports"))
POLIS_EXPORT_DAYS = int(os.environ.get("POLIS_EXPORT_DAYS", "7"))
# Imports (polis/imports/fetch.py): hosts fetched even on private or loopback addresses
# (comma-separated; empty: only public addresses), the whole fetch's timeout in seconds, the
# largest page or file, and the most a zip (EPUB, .docx, export) may unpack to.
POLIS_IMPORT_ALLOWED_HOSTS = os.environ.get("POLIS_IMPORT_ALLOWED_HOSTS", "")
POLIS_IMPORT_TIMEOUT = float(os.environ.get("POLIS_IMPORT_TIMEOUT", "20"))
# A URL import whose worker has been silent this long (it beats after every page and draft,
# each page bounded by the timeout above) lost its worker: it is resumed, at most
# POLIS_IMPORT_MAX_ATTEMPTS times in all, then failed (polis/imports/jobs.py).
POLIS_IMPORT_STALE_SECONDS = float(os.environ.get("POLIS_IMPORT_STALE_SECONDS", "300"))
POLIS_IMPORT_MAX_ATTEMPTS = int(os.environ.get("POLIS_IMPORT_MAX_ATTEMPTS", "3"))
POLIS_IMPORT_MAX_BYTES = int(os.environ.get("POLIS_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
POLIS_IMPORT_MAX_UNPACKED = int(os.environ.get("POLIS_IMPORT_MAX_UNPACKED", str(50 * 1024 * 1024)))

# Works: AO3's limits.
POLIS_MAX_USER_TAGS = 75
# The most chapters one request may post (POST /api/v1/works sends them all at once).
POLIS_MAX_CHAPTERS_PER_POST = int(os.environ.get("POLIS_MAX_CHAPTERS_PER_POST", "200"))
POLIS_WORKS_PER_PAGE = 20
# How long a rendered blurb stays in the cache (a change starts a new key at once anyway).
POLIS_FRAGMENT_SECONDS = int(os.environ.get("POLIS_FRAGMENT_SECONDS", str(7 * 24 * 3600)))
# Gift exchanges: potential givers kept per recipient (0 keeps them all); see PotentialGivers.
POLIS_EXCHANGE_GIVERS_KEPT = int(os.environ.get("POLIS_EXCHANGE_GIVERS_KEPT", "50"))
CSRF_FAILURE_VIEW = "polis.core.views.csrf_failure"
