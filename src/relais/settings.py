"""Relais settings, all read from the environment (see docs/administration.md).

The defaults give the embedded demo: SQLite in WAL mode under the data folder, DEBUG off unless
RELAIS_DEBUG is set. Production sets RELAIS_ENV=production, RELAIS_SECRET_KEY, DATABASE_URL and
RELAIS_ALLOWED_HOSTS; `relais check --deploy` is then clean.
"""

from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from relais.env import env_bool, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent

ENVIRONMENT = env_str("RELAIS_ENV", "demo")
if ENVIRONMENT not in {"demo", "production", "test"}:
    raise ImproperlyConfigured("RELAIS_ENV doit valoir demo, production ou test.")
PRODUCTION = ENVIRONMENT == "production"

DATA_DIR = env_path("RELAIS_DATA_DIR", REPO_DIR / "data")
DEBUG = env_bool("RELAIS_DEBUG", False)

SECRET_KEY = env_str("RELAIS_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("RELAIS_SECRET_KEY est obligatoire en production.")
    SECRET_KEY = "relais-demo-only-" + "x" * 50

ALLOWED_HOSTS = env_list("RELAIS_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("RELAIS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "dsfr",
    "widget_tweaks",
    "relais.core",
    "relais.core.audit",
    "relais.core.workflow",
    "relais.core.notifications",
    "relais.core.search",
    "relais.accounts",
    "relais.referential",
    "relais.legal",
    "relais.countries",
    "relais.agreements",
    "relais.cooperation",
    "relais.information",
    "relais.network",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "relais.core.middleware.LoginRequiredMiddleware",
    "relais.core.kept_input.KeptInputMiddleware",
    "relais.core.middleware.RequestContextMiddleware",
    "relais.core.errors.ErrorPageMiddleware",
]
# Relais's own French page when a form's CSRF token is stale (input kept, way back).
CSRF_FAILURE_VIEW = "relais.core.errors.csrf_failure"

ROOT_URLCONF = "relais.urls"
WSGI_APPLICATION = "relais.wsgi.application"

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
                "relais.core.context_processors.relais",
                "relais.core.notifications.context_processors.unread",
            ],
            "string_if_invalid": env_str("RELAIS_TEMPLATE_STRING_IF_INVALID", ""),
        },
    }
]
FORM_RENDERER = "django.forms.renderers.DjangoTemplates"

# Database: DATABASE_URL (sqlite:///path or postgres://…); default SQLite under DATA_DIR.
_default_sqlite = f"sqlite:///{DATA_DIR / 'relais.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite))}
DATABASE_VENDOR = "sqlite" if "sqlite" in DATABASES["default"]["ENGINE"] else "postgresql"
if DATABASE_VENDOR == "sqlite":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                " PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("RELAIS_DB_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Failed logins: after this many failures for one username or address, wait LOGIN_LOCKOUT_SECONDS.
LOGIN_MAX_FAILURES = env_int("RELAIS_LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("RELAIS_LOGIN_LOCKOUT_SECONDS", 900)

# Reverse proxies in front of Relais: the client address is the N-th value from the right of
# X-Forwarded-For (0: X-Forwarded-For ignored, REMOTE_ADDR used). Login lock and audit trail.
TRUSTED_PROXIES = env_int("RELAIS_TRUSTED_PROXIES", 0)
if not 0 <= TRUSTED_PROXIES <= 10:
    raise ImproperlyConfigured(
        "RELAIS_TRUSTED_PROXIES doit être le nombre de mandataires inverses devant Relais (0 à 10)."
    )

SESSION_COOKIE_AGE = env_int("RELAIS_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
API_TOKEN_DAYS = env_int("RELAIS_API_TOKEN_DAYS", 90)
# The posts' annual report on year N is due on this day of year N+1 (« MM-DD »).
RELAIS_NETWORK_ANNUAL_REPORT_DUE = env_str("RELAIS_NETWORK_ANNUAL_REPORT_DUE", "01-31")
try:  # « MM-DD », a day that exists every year (not 02-29)
    if len(RELAIS_NETWORK_ANNUAL_REPORT_DUE) != 5 or RELAIS_NETWORK_ANNUAL_REPORT_DUE[2] != "-":
        raise ValueError
    date.fromisoformat(f"2001-{RELAIS_NETWORK_ANNUAL_REPORT_DUE}")
except ValueError:
    raise ImproperlyConfigured(
        "RELAIS_NETWORK_ANNUAL_REPORT_DUE doit être une date « MM-JJ » (par exemple 01-31)."
    ) from None

# Audit checkpoints (docs/dev/audit.md): the chain head, signed, appended to a file outside the
# database's directory; the HMAC key is RELAIS_AUDIT_KEY or the key file (created outside
# production when absent).
AUDIT_CHECKPOINT_FILE = env_path(
    "RELAIS_AUDIT_CHECKPOINT_FILE", DATA_DIR.parent / f"{DATA_DIR.name}-audit" / "checkpoints.log"
)
AUDIT_KEY_FILE = env_path("RELAIS_AUDIT_KEY_FILE", AUDIT_CHECKPOINT_FILE.parent / "checkpoints.key")
AUDIT_KEY = env_str("RELAIS_AUDIT_KEY").strip()
if AUDIT_KEY and len(AUDIT_KEY) < 32:
    raise ImproperlyConfigured("RELAIS_AUDIT_KEY doit compter 32 caractères au moins.")

# Security headers: always on; HTTPS-only ones in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every response (django-csp): scripts, styles and fonts from Relais
# only, no inline script or style anywhere (templates load static files), never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("RELAIS_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("RELAIS_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_NAME = "__Host-relais-session"
    CSRF_COOKIE_NAME = "__Host-relais-csrf"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = None

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "files"  # never served directly: files go through access-checked views
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# The demo serves static files straight from the apps; tests use the live server's own handler
# (scanning every app's static files on each new test client costs seconds).
WHITENOISE_USE_FINDERS = ENVIRONMENT == "demo"
WHITENOISE_AUTOREFRESH = False

EMAIL_BACKEND = env_str("RELAIS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("RELAIS_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("RELAIS_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("RELAIS_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("RELAIS_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("RELAIS_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("RELAIS_EMAIL_FROM", "relais@interieur.gouv.fr")
SITE_URL = env_str("RELAIS_SITE_URL", "http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "relais.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # `?limit=` at most relais.core.api.MAX_PAGE_SIZE (docs/dev/api.md).
    "DEFAULT_PAGINATION_CLASS": "relais.core.api.Pagination",
    "PAGE_SIZE": 50,
    "NUM_PROXIES": TRUSTED_PROXIES,
    # A JSON body is an object of bounded depth (relais.core.api.ObjectJSONParser).
    "DEFAULT_PARSER_CLASSES": [
        "relais.core.api.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Every 4xx documented, French tags, no doubled suffix (relais.core.schema).
    "DEFAULT_SCHEMA_CLASS": "relais.core.schema.RelaisAutoSchema",
    "EXCEPTION_HANDLER": "relais.core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Relais",
    "DESCRIPTION": (
        "API de Relais, système d'information de la direction de la coopération internationale."
        " Authentification : `Authorization: Bearer <jeton>` (jetons créés dans « Mon compte »)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # The article's beneficiaries, one enum whatever the field that uses them.
    "ENUM_NAME_OVERRIDES": {
        "BeneficiaryEnum": "relais.referential.models.Beneficiary",
        "ProgrammeStatusEnum": "relais.cooperation.workflows.ProgrammeStatus",
        "FundingStatusEnum": "relais.cooperation.models.FundingStatus",
        "UnitKindEnum": "relais.referential.models.UnitKind",
        "PartnerKindEnum": "relais.referential.models.PartnerKind",
        # The article's matters and parts: one enum each, whatever the field's name.
        "MatterEnum": "relais.legal.matters.choices",
        "LetterEnum": "relais.legal.api._mission_choices",
        # A record's marking and a user's clearance: the same two levels.
        "MarkingEnum": "relais.core.markings.Marking",
    },
    # Each workflow's transitions and states are named enums (`AgreementTransitionEnum`…).
    "POSTPROCESSING_HOOKS": [
        "relais.core.schema.lift_named_enums",
        "drf_spectacular.hooks.postprocess_schema_enums",
    ],
    # Swagger UI is served from Relais itself (no CDN: the ministry's network is closed).
    "SWAGGER_UI_DIST": "SIDECAR",
    # No call to the public validator (closed network; the Content-Security-Policy refuses it).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

DSFR_USE_INTEGRITY_CHECKSUMS = True
RELAIS_TOKEN_LIFETIME = timedelta(days=API_TOKEN_DAYS)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("RELAIS_LOG_LEVEL", "WARNING")},
    "loggers": {"relais": {"level": env_str("RELAIS_LOG_LEVEL", "INFO")}},
}
