"""Settings for Cyberdiplo.

Every value that differs between deployments is read from the environment
through the small typed helpers below, which fail loudly on a bad value.
``CYBERDIPLO_ENV`` is ``development`` (the default: the local site that
``make run`` starts) or ``production``.
"""

import os
import secrets
import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from cyberdiplo.cache import cache_settings
from cyberdiplo.db import DatabaseConfigError, database_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = envstr("CYBERDIPLO_ENV", "development")
if ENVIRONMENT not in ("development", "production"):
    raise ImproperlyConfigured(
        f"CYBERDIPLO_ENV must be development or production, not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"

DEBUG = envbool("DEBUG", not PRODUCTION)


def _development_secret_key() -> str:
    # A per-checkout key kept out of the repository, so sessions survive restarts.
    path = BASE_DIR / ".data" / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    SECRET_KEY = _development_secret_key()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")
# Dataset releases (`manage.py release`, listed at /data/releases/): kept across deploys.
RELEASES_DIR = envstr("RELEASES_DIR", str(BASE_DIR / ".data" / "releases"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    # TOTP two-factor for staff (ADMIN_REQUIRE_OTP); devices are managed in the admin.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "taggit",
    "django_filters",
    "simple_history",
    "import_export",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Layers, lowest first: each imports only from the ones above it in this list.
    "core",
    "reference",
    "editorial",
    "norms",
    "agreements",
    "bodies",
    "glossary",
    "incidents",
    "positions",
    "profiles",
    "paths",
    "research",
    "visual",
    "content",
]

MIDDLEWARE = [
    # Anonymous GETs answered whole from the cache until the content changes
    # (core/pagecache.py). First, so that a hit costs nothing else (no query: the content
    # version is known from PostgreSQL's notifications): a stored
    # answer holds the headers every middleware below gave it (the key holds the scheme,
    # so a request that SECURE_SSL_REDIRECT redirects never finds one).
    "core.pagecache.PageCacheMiddleware",
    # First, so that every response carries it, static files and early answers included.
    "core.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A lost database connection answers 503 with Retry-After, not 500 (core/middleware_ops.py).
    "core.middleware_ops.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language from the URL's prefix (/fr/, /es/); a URL without one is English, whatever
    # the browser asks (i18n_patterns without a default prefix), so one URL is one page.
    "core.middleware.URLLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): lazy, and no query unless a device is in the session.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A NUL or non-UTF-8 parameter answers 400 before any view queries with it; after
    # the header middleware above, so that its 400 page carries their headers.
    "core.middleware.RejectBadInputMiddleware",
    # A POST (or any write) to a public page is a 405, not the page (WRITABLE_PATHS).
    "core.middleware.ReadOnlySiteMiddleware",
    # An admin URL with an id that cannot be one ("abc") answers 404, not 500.
    "core.middleware.AdminObjectIdMiddleware",
    # Staff sessions end ADMIN_SESSION_AGE after login; after the session and auth ones.
    "core.middleware.AdminSessionAgeMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, reading a user and their permissions in one query.
    "editorial.auth.ModelBackend",
]
# Five failed admin logins for one username from one address lock it for an hour.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# The change page of a treaty with ~80 parties posts over 1,100 fields (Django's default
# limit is 1,000); a treaty open to every state could reach ~2,000 rows of inline fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = envint("DATA_UPLOAD_MAX_NUMBER_FIELDS", 5000)

# A bulk import is all or nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

ROOT_URLCONF = "cyberdiplo.urls"
WSGI_APPLICATION = "cyberdiplo.wsgi.application"

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
                "django.template.context_processors.csp",
            ],
            "builtins": ["core.templatetags.core"],
        },
    }
]

# Production on one machine with the embedded PostgreSQL that `make db-start` runs
# (`make serve` sets it); production otherwise needs DATABASE_URL.
EMBEDDED_DB = envbool("CYBERDIPLO_EMBEDDED_DB", False)
try:
    DATABASES = {
        "default": database_settings(
            BASE_DIR,
            production=PRODUCTION,
            embedded=EMBEDDED_DB,
            # Persistent connections, checked before reuse, so that a restarted
            # database is reconnected to without restarting the site.
            max_age=envint("CONN_MAX_AGE", 60),
        )
    }
except DatabaseConfigError as error:
    raise ImproperlyConfigured(str(error)) from None
# One test database per test run, so that runs side by side never drop each other's.
DATABASES["default"]["TEST"] = {"NAME": f"test_cyberdiplo_{os.getpid()}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE_URL (redis://host:port/db) gives every app server one shared Redis cache;
# without it each process has its own local-memory cache (cyberdiplo/cache.py).
CACHES = {"default": cache_settings(envstr("CACHE_URL", ""))}

# Whole public pages from that cache (core/pagecache.py): on in production. Each stored
# answer stays valid until the content version changes; the time limit only lets
# entries for old versions go.
PAGE_CACHE = envbool("PAGE_CACHE", PRODUCTION)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 24 * 60 * 60)
# Larger answers (a whole-set export at scale) stream every time instead.
PAGE_CACHE_MAX_BYTES = envint("PAGE_CACHE_MAX_BYTES", 2 * 1024 * 1024)
# Where a request may write: the admin, and the API (read only too, but it answers a
# write with its own JSON 405). Everywhere else only GET, HEAD and OPTIONS.
WRITABLE_PATHS = ["/admin/", "/api/"]
# Static files are WhiteNoise's (STATIC_URL), with their own cache headers.
PAGE_CACHE_SKIP = ["/admin/", "/healthz", "/readyz", "/static/"]
# Set by a deploy that wants to name its release; by default a digest of the code.
PAGE_CACHE_RELEASE = envstr("CYBERDIPLO_RELEASE", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The UN working languages the site speaks: English at /, French under /fr/, Spanish under
# /es/ (cyberdiplo/urls.py). Record text falls back to English where it has no translation.
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
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
# Outside production, serve static files straight from the finders (no collectstatic),
# so the missing STATIC_ROOT is expected there.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

# The site uses no inline script or style, so the policy can be strict.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent with every response (core.middleware.PermissionsPolicyMiddleware): the site uses
# none of these browser features, so no page (nor anything injected or framed) may.
PERMISSIONS_POLICY: dict[str, list[str]] = dict.fromkeys(
    [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ],
    [],
)
# Staff sessions end this many seconds after login (8 hours); visitors keep Django's two weeks.
ADMIN_SESSION_AGE = envint("ADMIN_SESSION_AGE", 8 * 60 * 60)
# On: the admin admits only staff who entered a TOTP token at login (editorial/sites.py).
# Recommended in production once every staff member has a device (docs/deploy.md).
ADMIN_REQUIRE_OTP = envbool("ADMIN_REQUIRE_OTP", False)
# The device's name in the authenticator app, next to the user name.
OTP_TOTP_ISSUER = "Cyberdiplo"


def envcontact(name: str) -> str:
    """A contact from the environment as a mailto:, https: or tel: URI (a bare e-mail
    address is taken as mailto:), or "" when unset."""
    value = envstr(name, "")
    if value and "@" in value and ":" not in value:
        value = f"mailto:{value}"
    if value and not value.startswith(("mailto:", "https://", "tel:")):
        raise ImproperlyConfigured(
            f"{name} must be an e-mail address or a mailto:, https: or tel: URI, got {value!r}"
        )
    return value


# Where to report a vulnerability, published in /.well-known/security.txt (RFC 9116).
# Unset: no file.
SECURITY_CONTACT = envcontact("SECURITY_CONTACT")
# Where readers report an error in a record, named on /about/. Unset: the page names none.
CORRECTIONS_CONTACT = envcontact("CORRECTIONS_CONTACT")
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", PRODUCTION)
# Probes speak plain HTTP to the app server: no redirect to https for them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
# Both bind every subdomain (and, once preloaded, browsers for months): opt in only.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
# Django's deploy checks ask for both; leaving them off is the decision above.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Behind the proxy every connection comes from it: django-axes must lock out the
    # client's address, which the proxy (deploy/nginx) always sets in X-Real-IP.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_REAL_IP", "REMOTE_ADDR")

TAGGIT_CASE_INSENSITIVE = True

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    # DRF's page-number pagination, with "pages count from 1" in the schema.
    "DEFAULT_PAGINATION_CLASS": "research.api.pagination.PageNumberPagination",
    # As the site's lists (PAGE_SIZE); a client asks for up to 100 with ?page_size=.
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # `format` selects CSV/JSON exports on the pages; the API answers JSON by default.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cyberdiplo API",
    "DESCRIPTION": (
        "Read-only access to the Cyberdiplo knowledge base on cyber diplomacy: norms, "
        "norm frameworks, agreements with their parties, cooperation bodies, countries, "
        "themes and glossary terms. Only published records are served. List endpoints "
        "take the same filters as the site's pages."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "research.api.schema.document_error_responses",
        "research.api.schema.enumerate_filter_choices",
        "research.api.schema.describe_free_values",
    ],
}

# Where `load_content` reads the curated knowledge base from.
CONTENT_DIR = Path(envstr("CYBERDIPLO_CONTENT_DIR", str(BASE_DIR / "data")))

PAGE_SIZE = envint("CYBERDIPLO_PAGE_SIZE", 25)

# The app server logs one line per request (deploy/gunicorn.conf.py's access log,
# runserver's own in development); these are Django's and the project's messages.
# A 4xx is the client's mistake: one INFO line without a traceback (core/log_filters.py).
# A 5xx is ours: ERROR with the traceback, mailed to ADMINS and sent to Sentry.
_CLIENT_ERROR_LOGGERS = [
    "django.request",
    *(
        f"django.security.{name}"
        for name in (
            "DisallowedHost",
            "DisallowedRedirect",
            "RequestDataTooBig",
            "TooManyFieldsSent",
            "TooManyFilesSent",
            "SuspiciousFileOperation",
            "SuspiciousMultipartForm",
            "SuspiciousSession",
            "InvalidSessionKey",
            "csrf",
        )
    ),
]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "client_errors_as_info": {"()": "core.log_filters.ClientErrorsAsInfo"},
    },
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's messages reach the console through the root logger, once.
        "django": {"handlers": ["mail_admins"], "level": envstr("DJANGO_LOG_LEVEL", "INFO")},
        **{name: {"filters": ["client_errors_as_info"]} for name in _CLIENT_ERROR_LOGGERS},
    },
}

# Who is mailed a server error's traceback: ADMINS=ops@example.org,dev@example.org
ADMINS = envlist("ADMINS", [])
SERVER_EMAIL = envstr("SERVER_EMAIL", "root@localhost")
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)

# Optional error reporting to Sentry: only when SENTRY_DSN is set (pip install -e '.[sentry]').
SENTRY_DSN = envstr("SENTRY_DSN", "")
if SENTRY_DSN:
    try:
        import sentry_sdk
    except ImportError:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install -e '.[sentry]'"
        ) from None
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=ENVIRONMENT,
        # Visitors' addresses, cookies and form data stay out of the reports.
        send_default_pii=False,
    )
