"""Bangban settings.

One env-driven module. With no environment at all it runs on embedded defaults (SQLite, files under
var/, the database task queue, database search); DATABASE_URL, ELASTICSEARCH_URL, MEDIA_DIR,
SECRET_KEY and ALLOWED_HOSTS switch to production parts.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, *, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# A production site sets SECRET_KEY; without one we are on the embedded development defaults.
PRODUCTION = "SECRET_KEY" in os.environ
DEBUG = env_bool("DEBUG", not PRODUCTION)
DEVELOPMENT_SECRET_KEY = "bangban-development-only-key-never-use-in-production-0123456789"
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", LOOPBACK_HOSTS)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
if not PRODUCTION:
    # The development key is public (it is in this file): anything signed with it can be forged, so it may
    # only serve this machine, and only in DEBUG, where nobody mistakes the site for a real one.
    if not DEBUG:
        raise ImproperlyConfigured(
            "DEBUG is off but SECRET_KEY is not set: set SECRET_KEY to a long random value for a real site "
            '(e.g. python -c "import secrets; print(secrets.token_urlsafe(50))"), or leave DEBUG unset for development.'
        )
    if outside := sorted(set(ALLOWED_HOSTS) - set(LOOPBACK_HOSTS)):
        raise ImproperlyConfigured(
            f"ALLOWED_HOSTS names {', '.join(outside)} but SECRET_KEY is not set: the development key only serves "
            f"{', '.join(LOOPBACK_HOSTS)}. Set SECRET_KEY for a site that other machines reach."
        )
# How many reverse proxies in front of the site append to X-Forwarded-For (0: clients connect directly and
# REMOTE_ADDR is theirs). Login throttling and feedback limits count by the address this yields (cms.client).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

INSTALLED_APPS = [
    "cms.apps.CmsConfig",
    "tutorials.apps.TutorialsConfig",
    "training.apps.TrainingConfig",
    "media.apps.MediaConfig",
    "search.apps.SearchConfig",
    "publishing.apps.PublishingConfig",
    "privacy.apps.PrivacyConfig",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles: runserver leaves /static/ to WhiteNoise, so `make run` serves what production serves.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.static_serve.StaticFilesMiddleware",
    # Before everything that writes the body or its headers, so it compresses the finished page.
    "cms.compression.PageGZipMiddleware",
    "cms.middleware.SiteCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.middleware.OutOfRangeIdMiddleware",
    # Last, as django-axes asks: it turns a lockout noted during authenticate() into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Every login form (the Wagtail admin's, and any later one) goes through authenticate(request=...), where
# django-axes counts failures per username and per client address (cms.client) and refuses during a lockout.
# A call to authenticate() without the request is refused by AxesBackend, so no form can skip the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
# Separately: one username from anywhere, and one address trying any usernames.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "cms.client.client_address"
AXES_LOCKOUT_CALLABLE = "cms.views.login_locked_out"
AXES_RESET_ON_SUCCESS = True
# Axes' log lines name the username and address; the form data it records has the password masked.

# No inline script or style on the public site; everything comes from this site's own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Wagtail 8's admin pages carry inline scripts (the page editor's and listings' JSON and set-up code), so the
# admin needs 'unsafe-inline' for scripts; styles and everything else stay as strict as the public site
# (tests/e2e/test_csp.py loads the admin in Chromium). Only /admin/ gets this (cms.middleware.SiteCSPMiddleware).
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
    }
}
# The admin dashboard would fetch releases.wagtail.org from editors' browsers: no third-party requests.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Staff avatars would otherwise be fetched from a third party by a hash of each staff member's e-mail address.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.display_prefs",
                "cms.context_processors.content_language",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'bangban.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
SILENCED_SYSTEM_CHECKS: list[str] = []
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default runs a web process and a task worker on one file: WAL and immediate
    # transactions let them take turns instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # The dashboards' covering index (INCLUDE columns) is for PostgreSQL; SQLite builds it on the key alone.
    SILENCED_SYSTEM_CHECKS.append("models.W040")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every web process (rate limits, sessions stay valid behind a load balancer).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "bangban_cache",
    },
}
# Kept answers to citizens' questions (see search.services.answers): the SEARCH_LOCAL_ANSWERS most recently used in
# each process's memory (0: none), and in Redis, shared by every web process, when SEARCH_CACHE_URL is set.
SEARCH_LOCAL_ANSWERS = int(os.environ.get("SEARCH_LOCAL_ANSWERS", "1000"))
SEARCH_CACHE_URL = os.environ.get("SEARCH_CACHE_URL", "")
CACHES["search"] = (
    {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "bangban-search-answers",
        "OPTIONS": {"MAX_ENTRIES": SEARCH_LOCAL_ANSWERS, "CULL_FREQUENCY": 10},
    }
    if SEARCH_LOCAL_ANSWERS > 0
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
)
if SEARCH_CACHE_URL:
    CACHES["search-shared"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": SEARCH_CACHE_URL,
        # A slow or dead Redis must not hold a citizen's search up: the search then runs as if nothing were kept.
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "media", "search", "publishing"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "cms" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_DIR", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_DIR", VAR_DIR / "media"))
# Uploaded originals and files not yet public: no URL serves this directory, only the permission-checked view
# in cms/private_files.py. MEDIA_DIR holds what citizens may fetch (image renditions).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_DIR", VAR_DIR / "private"))
if PRIVATE_MEDIA_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured(
        f"PRIVATE_MEDIA_DIR ({PRIVATE_MEDIA_ROOT}) must not be inside MEDIA_DIR ({MEDIA_ROOT}): "
        "everything in MEDIA_DIR is public."
    )
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
# Static files as production serves them (run `manage.py collectstatic` first): always with DEBUG off, and in
# `make run`, which sets STATIC_COLLECTED=1.
STATIC_COLLECTED = env_bool("STATIC_COLLECTED", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "cms.private_files.PrivateStorage"},
    "public": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# WhiteNoise serves static files from the web process: collected under STATIC_DIR with hashed names, gzip and
# brotli copies beside them, cached for a year (immutable); in development straight from the apps, uncached.
WHITENOISE_AUTOREFRESH = not STATIC_COLLECTED
WHITENOISE_USE_FINDERS = not STATIC_COLLECTED
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "帮办 Bangban"
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "txt"]
# Documents stay private and are streamed by wagtaildocs' view, which applies collection privacy.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_RENDITION_STORAGE = "public"
WAGTAILIMAGES_EXTENSIONS = ["png", "jpg", "jpeg", "webp", "gif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("IMAGE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
# A phone screenshot is well under 20 megapixels; anything larger is refused as a decompression bomb.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", 40_000_000))
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.images.ImageForm"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "webp", "jpeg": "webp", "gif": "webp", "bmp": "webp"}
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "cms.workflows.publish_after_approval"

# E-mail: the review workflow tells moderators what awaits them and editors what was decided. EMAIL_URL
# (smtp://user:password@host:25, submission://...:587 for STARTTLS, ?ssl=1 for SMTPS, console:) or the usual
# EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL; with neither,
# messages are printed on the console (make run shows them).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# A slow mail server holds up the moderator's click that sends the message: give up after this many seconds.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
# A channel's webhook that does not answer within this many seconds is tried again later (see publishing.webhook).
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 30, minimum=1)
# A package build not heard from (started or progress reported) for this many minutes stopped and counts as failed.
PACKAGE_BUILD_TIMEOUT_MINUTES = env_int("PACKAGE_BUILD_TIMEOUT_MINUTES", 30, minimum=1)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
if EMAIL_URL := os.environ.get("EMAIL_URL", "").strip():
    try:
        _email = dj_email_url.parse(EMAIL_URL)
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMAIL_URL could not be read: {exc}") from None
    if "EMAIL_BACKEND" not in _email:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with one of {', '.join(sorted(dj_email_url.SCHEMES))} and a colon, "
            f"got {EMAIL_URL.split(':')[0]!r}"
        )
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"] or ""
    EMAIL_PORT = _email["EMAIL_PORT"] or EMAIL_PORT
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"] or EMAIL_TIMEOUT
    del _email
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bangban <bangban@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
# Plain text only: Wagtail 8 renders the HTML part outside the recipient's language, so it could mix languages.
WAGTAILADMIN_NOTIFICATION_USE_HTML = False
# Reviews go to Moderators; superusers are not reviewers and would only get every submission as noise.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = env_bool("NOTIFY_SUPERUSERS", False)

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# Index names start with this, so several sites or environments share one cluster.
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "bangban")
# Answers to questions already asked are kept (CACHES["search"]) until the index, synonyms or glossary change
# (checked every SEARCH_CHANGES_SECONDS), at most SEARCH_RESULTS_SECONDS (0: keep none).
SEARCH_RESULTS_SECONDS = float(os.environ.get("SEARCH_RESULTS_SECONDS", "600"))
SEARCH_CHANGES_SECONDS = float(os.environ.get("SEARCH_CHANGES_SECONDS", "2"))
# "Searches nobody opened" lists a search that found tutorials once it was asked this often with no result opened.
SEARCH_UNOPENED_MIN_ASKED = env_int("SEARCH_UNOPENED_MIN_ASKED", 3, minimum=1)

# Videos: uploads stream to temporary files; limits are checked on upload and again by the probe stage.
VIDEO_MAX_BYTES = int(os.environ.get("VIDEO_MAX_BYTES", str(500 * 1024 * 1024)))
VIDEO_MAX_SECONDS = float(os.environ.get("VIDEO_MAX_SECONDS", str(20 * 60)))
MEDIA_WORK_DIR = Path(os.environ.get("MEDIA_WORK_DIR", VAR_DIR / "work"))
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None
# Speech recognition: faster-whisper with the packaged multilingual base model unless a site points elsewhere.
WHISPER_ENGINE = os.environ.get("WHISPER_ENGINE", "faster-whisper")
WHISPER_MODEL_DIR = os.environ.get("WHISPER_MODEL_DIR") or None
WHISPER_COMPUTE_TYPE = os.environ.get("WHISPER_COMPUTE_TYPE", "int8")
WHISPER_CACHE_DIR = Path(os.environ.get("WHISPER_CACHE_DIR", VAR_DIR / "models"))

# Anonymous "did this step help?" votes allowed per client address (cms.client) an hour, and per page from
# everyone together an hour.
STEP_FEEDBACK_RATE = (env_int("STEP_FEEDBACK_LIMIT", 20, minimum=1), 3600)
STEP_FEEDBACK_PAGE_RATE = (env_int("STEP_FEEDBACK_PAGE_LIMIT", 500, minimum=1), 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {
        "drop_query_string": {"()": "cms.logs.DropQueryString"},
        "task_log_level": {"()": "cms.logs.AtLeast", "level": os.environ.get("TASK_LOG_LEVEL", "WARNING")},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # runserver's access lines (make run): no query strings, which hold what citizens searched for.
        "django.server": {"handlers": ["console"], "filters": ["drop_query_string"], "propagate": False},
        # The task worker logs every task's start and finish at INFO, and sets this logger's level itself from
        # its --verbosity: a filter keeps failures (ERROR) and drops the successes (TASK_LOG_LEVEL=INFO: all).
        "django_tasks": {"filters": ["task_log_level"]},
        "django.db.backends": {"level": "WARNING"},
        # Axes logs failures and lockouts at WARNING; its INFO lines are one per start and per attempt.
        "axes": {"level": "WARNING"},
        # The Elasticsearch client logs every request at INFO: a line per search. Failures still show.
        "elastic_transport.transport": {"level": "WARNING"},
    },
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a promise to browsers that is slow to take back: a site opts in once HTTPS works everywhere.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Django's deploy check asks for preloading; leaving it off is this site's default on purpose.
        SILENCED_SYSTEM_CHECKS.append("security.W021")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
