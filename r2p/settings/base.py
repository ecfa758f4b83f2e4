"""Settings shared by every environment; environment modules override what differs."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("R2P_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-dev-key-change-me")
DEBUG = False
ALLOWED_HOSTS: list[str] = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "import_export",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "assessments",
    "benchmarks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "assessments.accounts.middleware.QueryStringGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "assessments.accounts.middleware.SessionTimeoutMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so a lockout response is produced after authentication has been attempted.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "r2p.urls"
WSGI_APPLICATION = "r2p.wsgi.application"
ASGI_APPLICATION = "r2p.asgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers proceed while a writer commits; the timeout waits for a lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Writers take the lock when their transaction begins, so a read-check-write (the version check
            # of an edit) is serialised instead of failing with "database is locked" at the write.
            "transaction_mode": "IMMEDIATE",
        }
    )

# One cache on disk for every worker process (and across restarts): a published edition's PDF, DOCX and Markdown
# are rendered once per edition and renderer version, not once per gunicorn worker.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("R2P_CACHE_DIR", str(VAR_DIR / "cache")),
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}

# Shared state for several web servers and machines: with REDIS_URL the cache lives in Redis (Django's own
# RedisCache) and background tasks go to RQ on the same Redis; without it the cache stays on disk and tasks
# wait in the database (django-tasks-db), run by `manage.py r2p_worker` (started by `make run`).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
R2P_TASKS_BACKEND = os.environ.get("R2P_TASKS_BACKEND", "rq" if REDIS_URL else "database")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[R2P_TASKS_BACKEND]}}
if R2P_TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}
    # RQ's worker must run jobs through django-tasks-rq's Job class (it calls the Task and reports its result).
    RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}

# Sessions live in the database, shared by every web server.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Rendered annex files of published editions (and any other upload) go to the default storage: the file
# system under MEDIA_ROOT here; an S3-compatible bucket in production through django-storages (README).
MEDIA_ROOT = Path(os.environ.get("R2P_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Behind nginx, downloads are handed to nginx with X-Accel-Redirect to this internal location (README).
R2P_X_ACCEL_REDIRECT = os.environ.get("R2P_X_ACCEL_REDIRECT", "")
# Draft previews render on request: at most this many per user per minute.
R2P_DRAFT_RENDERS_PER_MINUTE = int(os.environ.get("R2P_DRAFT_RENDERS_PER_MINUTE", "20"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "public:annex-list"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "r2p <r2p@localhost>")

# Sessions: idle timeout (SESSION_COOKIE_AGE, renewed at most once a minute by
# assessments.accounts.middleware.SessionTimeoutMiddleware) within an absolute cap from login.
SESSION_COOKIE_AGE = 60 * 60 * 8
R2P_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("R2P_SESSION_ABSOLUTE_SECONDS", 60 * 60 * 12))
R2P_SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# django-axes: lock a username+IP pair after repeated failures, for a cool-off only.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries during a lockout do not prolong it: it always ends AXES_COOLOFF_TIME after it began.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client address: REMOTE_ADDR, or the address R2P_PROXY_COUNT trusted proxies put in X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "assessments.accounts.security.client_ip"
R2P_PROXY_COUNT = int(os.environ.get("R2P_PROXY_COUNT", "0"))

# django-simple-history: the admin shows history only to users with the model's view permission.
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# django-import-export: permission codes apply and every import runs in one transaction.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# r2p imports (web page and admin): largest upload, and how far an XLSX (a zip) may expand before it is read.
R2P_IMPORT_MAX_BYTES = 10 * 1024 * 1024
R2P_IMPORT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024

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

R2P_PUBLISHER = "Asia-Pacific Centre for the Responsibility to Protect"
R2P_PUBLISHER_LINES = ["r2pasiapacific.org", "r2pinfo@uq.edu.au"]
# The language of the published annexes (BCP 47): the PDF's /Lang, the HTML lang, Word's proofing language.
R2P_ANNEX_LANGUAGE = os.environ.get("R2P_ANNEX_LANGUAGE", "en-AU")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
R2P_SITE_URL = os.environ.get("R2P_SITE_URL", "http://127.0.0.1:8000")
# Reminders and daily digests go out once a day from this local hour on; the worker looks every N seconds.
R2P_DAILY_MAIL_HOUR = int(os.environ.get("R2P_DAILY_MAIL_HOUR", "7"))
R2P_CLOCK_SECONDS = float(os.environ.get("R2P_CLOCK_SECONDS", "600"))
