"""Convene settings: one module, overridden by the environment (twelve-factor).

SQLite is the zero-setup default; PostgreSQL is just `DATABASE_URL=postgres://…`.
Secrets come from the environment (or, for a local demo, a generated file under var/).
"""

import secrets
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parents[1]  # the repository root
VAR_DIR = Path(environ.Env().str("CONVENE_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
DEBUG = env.bool("CONVENE_DEBUG", default=False)


def _secret_key() -> str:
    """Production sets CONVENE_SECRET_KEY; a local checkout generates one, outside git."""
    if key := env.str("CONVENE_SECRET_KEY", default=""):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("CONVENE_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CONVENE_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "convene.core",
    "convene.accounts",
    "convene.audit",
    "convene.directory",
    "convene.delegations",
    "convene.accreditation",
    "convene.gates",
    "convene.programme",
    "convene.protocol",
    "convene.bilaterals",
    "convene.operations",
    "convene.treaty",
    "convene.reception",
    "convene.press",
    "convene.cooperation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: every view needs a login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "convene.accounts.middleware.RequireTwoFactorForStaffMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the outcome of the login view (django-axes docs).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "convene.urls"
WSGI_APPLICATION = "convene.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "convene.core.context_processors.convene",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'convene.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN, so two
    # writers queue instead of failing with "database is locked" half-way (Django 5.1 notes).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds the rate-limit counts and the two-factor codes already used, so every worker
# process must share it: the default is a directory under var/ (one host, any number of gunicorn
# workers). Several app servers need a cache they all reach: CONVENE_CACHE_URL=redis://… or
# dbcache://convene_cache after `convene createcachetable` (docs/security.md). A per-process
# cache (locmemcache://) would let each worker count alone and a used code be replayed.
CACHES = {"default": env.cache_url("CONVENE_CACHE_URL",
                                   default=f"filecache://{VAR_DIR / 'cache'}")}

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str("CONVENE_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")
    }
}

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out login before any password check (django-axes).
    "axes.backends.AxesStandaloneBackend",
    # Object-level permissions as predicates: convene/accounts/permissions.py.
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:after_login"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts are created by the secretariat, never by self-signup.
ACCOUNT_ADAPTER = "convene.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
# Rate limits of the login pages (django-allauth; counted in CACHES, so several app servers need
# a shared cache). These are the production values, each a setting of its own; the test settings
# (tests/settings.py) set them on purpose and tests/test_rate_limits.py tests each one.
ACCOUNT_RATE_LIMITS = {
    # Login attempts per client address, whatever the account.
    "login": env.str("CONVENE_RATE_LIMIT_LOGIN", default="30/m/ip"),
    # Lockout after failed logins is django-axes' job (stored in the database, see AXES_*).
    "login_failed": None,
    # Password-reset requests: per client address, and per e-mail address asked about.
    "reset_password": env.str("CONVENE_RATE_LIMIT_PASSWORD_RESET", default="20/m/ip,5/m/key"),
    "reset_password_from_key": env.str("CONVENE_RATE_LIMIT_PASSWORD_RESET_KEY",
                                       default="20/m/ip"),
}

# --- API tokens and rate limits (issue 16; docs/security.md) ---------------------------------
# Personal API tokens (convene/accounts/tokens.py): the lifetime a new token gets unless its
# owner picks a shorter one, and the longest it may have.
API_TOKENS = {
    "default_days": env.int("CONVENE_API_TOKEN_DEFAULT_DAYS", default=30),
    "max_days": env.int("CONVENE_API_TOKEN_MAX_DAYS", default=90),
}
# Rate limits ("<amount>/<s|m|h|d>", or e.g. "100/300s"; empty for none), counted per client in
# CACHES by convene/core/ratelimit.py and answered with 429 and Retry-After. Each client has
# its own bucket: a burst from one does not slow the others.
RATE_LIMITS = {
    # /api with a personal token: per token.
    "api_token": env.str("CONVENE_RATE_LIMIT_API_TOKEN", default="600/m") or None,
    # /api with a session or without login: per client address.
    "api_address": env.str("CONVENE_RATE_LIMIT_API_ADDRESS", default="300/m") or None,
    # The gate endpoints (bundle, scans, sync): per device (token, else session, else address).
    "gate_device": env.str("CONVENE_RATE_LIMIT_GATE_DEVICE", default="240/m") or None,
    # Visitors who are not logged in: pages read, and forms sent, per address.
    "public_pages": env.str("CONVENE_RATE_LIMIT_PUBLIC_PAGES", default="300/m") or None,
    "public_forms": env.str("CONVENE_RATE_LIMIT_PUBLIC_FORMS", default="10/m") or None,
}
# Behind a reverse proxy, the client address is the one the nearest proxy saw (X-Forwarded-For).
CONVENE_PROXY_COUNT = env.int("CONVENE_PROXY_COUNT", default=0)
# The limits run after the login is known (logged-in users do not count as public visitors).
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "convene.accounts.middleware.ApiRateLimitMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("convene.accounts.middleware.ApiRateLimitMiddleware") + 1,
                  "convene.core.ratelimit.PublicRateLimitMiddleware")
# --- end api tokens and rate limits -----------------------------------------------------------
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Convene"
# Staff roles must turn on two-factor login before they can work when this is on.
CONVENE_REQUIRE_2FA_FOR_STAFF = env.bool("CONVENE_REQUIRE_2FA_FOR_STAFF", default=False)

AXES_FAILURE_LIMIT = env.int("CONVENE_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("CONVENE_LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "convene.accounts.lockout.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("CONVENE_PROXY_COUNT", default=0)

# --- Internationalisation: the six official languages of the United Nations, and the host's ----
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ru", _("Russian")),
    ("zh-hans", _("Chinese")),
    ("ar", _("Arabic")),
    # The host's language, for the host staff who run reception, transport and the gates.
    ("vi", _("Vietnamese")),
]
LOCALE_PATHS = [SRC_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env.str("CONVENE_TIME_ZONE", default="Asia/Ho_Chi_Minh")

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [SRC_DIR / "static"]  # the project-wide files (CSS, page script, htmx)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        # Production turns this on after `convene collectstatic` (docs/deployment.md).
        if env.bool("CONVENE_MANIFEST_STATIC", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env.str("CONVENE_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security headers -----------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("CONVENE_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool(
    "CONVENE_BEHIND_TLS_PROXY", default=False) else None

# The address people reach this platform at: every link in an e-mail or a printed document is
# made absolute with it (convene.core.links.absolute_url), never from the request's Host header.
SITE_URL = env.str("CONVENE_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

EMAIL_BACKEND = env.str("CONVENE_EMAIL_BACKEND",
                        default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("CONVENE_FROM_EMAIL", default="convene@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("CONVENE_LOG_LEVEL", default="WARNING")},
}

# --- Reception and logistics (issue 13) -------------------------------------------------------
# --- end reception ---

# --- Press and communications (issue 14) ------------------------------------------------------
# Applications sent on the public media accreditation form, per client address: tighter than
# the platform's public_forms limit, since each one is read by the press office.
RATE_LIMITS["press_application"] = (
    env.str("CONVENE_RATE_LIMIT_PRESS_APPLICATION", default="20/h") or None)
# --- end press ---

# --- Cooperation between States Parties: this node's identity (issue 15) ----------------------
# Each State Party's authority runs its own node (docs/cooperation.md). The node's name in the
# directory, the State it acts for (ISO 3166 alpha-3 code, empty on the depositary's node), the
# address other nodes post to, and the depositary: where its signed directory is fetched and
# its public key, pinned here (a JWK, or a path to a file holding one or a JWKS) — a directory
# whose signature fails under this key is refused.
CONVENE_NODE_ID = env.str("CONVENE_NODE_ID", default="local")
CONVENE_NODE_STATE = env.str("CONVENE_NODE_STATE", default="VNM")  # the demo host; set per node
CONVENE_NODE_URL = env.str("CONVENE_NODE_URL", default=SITE_URL).rstrip("/")
CONVENE_NODE_IS_DEPOSITARY = env.bool("CONVENE_NODE_IS_DEPOSITARY", default=False)
CONVENE_DEPOSITARY_URL = env.str("CONVENE_DEPOSITARY_URL", default="").rstrip("/")
CONVENE_DEPOSITARY_PUBLIC_KEY = env.str("CONVENE_DEPOSITARY_PUBLIC_KEY", default="")
CONVENE_COOPERATION_KEY_DIR = env.str("CONVENE_COOPERATION_KEY_DIR", default="")
CONVENE_COOPERATION_EVIDENCE_DIR = env.str(
    "CONVENE_COOPERATION_EVIDENCE_DIR", default=str(VAR_DIR / "cooperation-evidence"))
# A message not delivered within this time expires (the receiver refuses it as "expired").
CONVENE_COOPERATION_MESSAGE_TTL_HOURS = env.int("CONVENE_COOPERATION_MESSAGE_TTL_HOURS",
                                                default=72)
# Outbox retries: first retry after this many seconds, doubling up to the cap.
CONVENE_COOPERATION_RETRY_SECONDS = env.float("CONVENE_COOPERATION_RETRY_SECONDS", default=30)
CONVENE_COOPERATION_RETRY_CAP_SECONDS = env.float("CONVENE_COOPERATION_RETRY_CAP_SECONDS",
                                                  default=3600)
# An urgent (24/7, art. 41) request not acknowledged within this many minutes escalates to the
# on-call roster of the sending State's 24/7 point of contact.
CONVENE_COOPERATION_ACK_ESCALATION_MINUTES = env.int(
    "CONVENE_COOPERATION_ACK_ESCALATION_MINUTES", default=60)
# Reminders before a date the requesting State asked for (days before it).
CONVENE_COOPERATION_REMINDER_DAYS = env.int("CONVENE_COOPERATION_REMINDER_DAYS", default=3)
CONVENE_COOPERATION_HTTP_TIMEOUT = env.float("CONVENE_COOPERATION_HTTP_TIMEOUT", default=10)
# Only for bench/cooperation_exchange.py: an unsigned inbox to measure the envelope's cost.
CONVENE_COOPERATION_BENCH_PLAIN = env.bool("CONVENE_COOPERATION_BENCH_PLAIN", default=False)
# --- end cooperation ---

# --- Field-ready: API tokens, rate limits, backups (issue 16) ---------------------------------
# --- end field-ready ---

# --- Hostile uploads and outgoing links (issue 16, part D) ------------------------------------
# Every upload is checked by its content (convene/core/uploads/, docs/hardening.md); these are
# the bounds, each from the environment. The per-use rules (a badge photo's minimum size, 500
# people per nomination file) stay with the app that owns them.
_MB = 1024 * 1024
UPLOAD_LIMITS = {
    # Any one uploaded file: past this, nothing more of it is kept, even on disk.
    "file_max_bytes": env.int("CONVENE_UPLOAD_FILE_MAX_MB", default=20) * _MB,
    # Photos and scanned images: size, and pixels (checked before decoding: no bombs).
    "image_max_bytes": env.int("CONVENE_UPLOAD_IMAGE_MAX_MB", default=5) * _MB,
    "image_max_pixels": env.int("CONVENE_UPLOAD_IMAGE_MAX_MEGAPIXELS", default=40) * 1_000_000,
    # Documents (notes verbales, full powers, evidence): size and pages.
    "document_max_bytes": env.int("CONVENE_UPLOAD_DOCUMENT_MAX_MB", default=10) * _MB,
    "document_max_pages": env.int("CONVENE_UPLOAD_DOCUMENT_MAX_PAGES", default=100),
    # Spreadsheets to import (CSV or XLSX): size, rows and columns.
    "sheet_max_bytes": env.int("CONVENE_UPLOAD_SHEET_MAX_MB", default=5) * _MB,
    "sheet_max_rows": env.int("CONVENE_UPLOAD_SHEET_MAX_ROWS", default=10_000),
    "sheet_max_columns": env.int("CONVENE_UPLOAD_SHEET_MAX_COLUMNS", default=100),
    # Office files are ZIP archives (XLSX, DOCX, ODS, ODT): refused before anything opens them
    # when they unpack to more than this, by more than this ratio, or hold more parts.
    "zip_max_unpacked_bytes": env.int("CONVENE_UPLOAD_ZIP_MAX_UNPACKED_MB", default=50) * _MB,
    "zip_max_ratio": env.int("CONVENE_UPLOAD_ZIP_MAX_RATIO", default=100),
    "zip_max_members": env.int("CONVENE_UPLOAD_ZIP_MAX_MEMBERS", default=1000),
}
# The first handler stops keeping a file once it passes file_max_bytes (and says so to the form).
FILE_UPLOAD_HANDLERS = [
    "convene.core.uploads.handlers.FileSizeCapHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# The password-reset form mails nothing to an address it does not know: allauth would send a
# stranger a "sign up" link to a platform with no sign-up, and anyone could make it mail anyone.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# --- end hostile uploads ---

# --- accreditation ---
# Badge batches are issued by the task workers, this many badges per committed transaction;
# a batch no worker has moved on for this long is queued again (its worker died): see
# docs/badges.md, "Batches in the task queue".
BADGE_ISSUE_CHUNK = env.int("CONVENE_BADGE_ISSUE_CHUNK", default=200)
BADGE_BATCH_STALL_SECONDS = env.int("CONVENE_BADGE_BATCH_STALL_SECONDS", default=120)
# --- end accreditation ---
