"""Settings shared by every environment. Values come from the environment (django-environ).

`development` (the default module) and `production` build on this file; see README for the
table of variables.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# Each settings module decides what happens when it is empty (dev: a fixed insecure key,
# production: refuse to start).
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "axes",
    "drf_spectacular_sidecar",
    "reliability",
    "accounts",
    "moderation",
    "articles",
]

MIDDLEWARE = [
    # Outermost, so a database that is away is a 503 wherever it failed (reliability.middleware).
    "reliability.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Inside CommonMiddleware: a 404 for an old article or tag address becomes a 301 to the
    # new one (the redirect table is read only for 404s, articles.addresses).
    "articles.addresses.OldAddressRedirectMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before any view (and before CSRF's view check reads the form): NUL bytes, lone
    # surrogates, invalid UTF-8 and oversized bodies get a readable 400/413 (cms.input_guard).
    "cms.input_guard.InputGuardMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a flagged failed sign-in into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

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
                "cms.context_processors.site",
            ],
            # {% site_header %} / {% site_footer %} in base.html (cms is not an installed app).
            "libraries": {"site_chrome": "cms.templatetags.site_chrome", "pager": "cms.templatetags.pager"},
        },
    },
]

# Database: a SQLite file in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several web processes on one SQLite file (`make up` without PostgreSQL): a transaction
    # takes the write lock when it begins (IMMEDIATE), so two writers queue for up to
    # `timeout` seconds instead of one failing with "database is locked" when it upgrades
    # its read lock; WAL lets readers go on while one process writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# A rejected CSRF token gets a Chinese page in the site chrome.
CSRF_FAILURE_VIEW = "accounts.views.csrf_failure"
# django-axes first: it refuses sign-ins from locked-out accounts and addresses before the
# password is even checked (accounts.backends explains the request-less case).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed sign-ins: 5 failures lock the user name, and separately the client address, for
# 15 minutes. Unknown user names are counted exactly like real ones, so the lockout
# reveals nothing about which accounts exist.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.client.client_ip"
# User names longer than any account's are cut before axes stores them (its column is 255).
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_VERBOSE = False
# How many reverse proxies in front of the site append to X-Forwarded-For (0: trust only
# REMOTE_ADDR). Used for sign-in records and rate limits.
YUMAO_TRUSTED_PROXY_COUNT = env.int("YUMAO_TRUSTED_PROXY_COUNT", default=0)
# E-mail verification links expire after this many seconds (3 days).
ACCOUNTS_EMAIL_VERIFICATION_MAX_AGE = 60 * 60 * 24 * 3
# Sign-ups allowed per client address per hour.
ACCOUNTS_SIGNUP_LIMIT_PER_HOUR = env.int("ACCOUNTS_SIGNUP_LIMIT_PER_HOUR", default=5)

# Cache: Redis when REDIS_URL is set (a dead Redis is a cache miss, reliability.cache), else
# files under YUMAO_VAR_DIR/cache, which every process on the machine shares — a purge by
# one gunicorn worker is seen by all. Files rather than Django's database cache: a cached
# page stays one cache read and no SQL, and there is no table to create. Its incr() is not
# atomic, which is why rate limits are counted in the database (reliability.ratecounter).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "reliability.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "yumao",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(env.path("YUMAO_VAR_DIR", default=BASE_DIR / "var")("cache")),
            "KEY_PREFIX": "yumao",
            # Culling lists the folder on every set; a few thousand pages keep that cheap.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Production settings set this: the checks in reliability.checks then refuse a local cache,
# eager Celery and a mail backend that delivers nothing.
YUMAO_REQUIRE_SHARED_SERVICES = False

# Internationalisation: Simplified Chinese first, English as a second language.
# UI strings are written in Chinese in the source and translated to English in
# locale/en, so the default language can never show an untranslated string.
LANGUAGE_CODE = "zh-hans"
# Each language is named in itself, so a reader can always find their own.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# The image library (articles.images): pictures authors put in article bodies and covers.
# Largest upload, largest pixel count (a decompression bomb is refused from its header),
# the widths made for phones and desktops (never upscaled), uploads per author per hour.
IMAGE_MAX_BYTES = env.int("IMAGE_MAX_BYTES", default=10 * 1024 * 1024)
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=40_000_000)
IMAGE_RENDITION_WIDTHS = tuple(env.list("IMAGE_RENDITION_WIDTHS", cast=int, default=[480, 960, 1600]))
IMAGE_UPLOADS_PER_HOUR = env.int("IMAGE_UPLOADS_PER_HOUR", default=60)

# E-mail: printed to the console unless EMAIL_URL points at an SMTP server.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="羽毛 <noreply@yumao.example>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Where people who are not (yet) authors send their manuscripts.
SUBMISSION_EMAIL = env.str("SUBMISSION_EMAIL", default="tougao@yumao.example")
# E-mail submissions (articles.mail): a message over the first limit is quarantined with the
# reason (its bytes are still stored); an attachment over the second is listed but not saved.
SUBMISSION_MAX_MESSAGE_BYTES = env.int("SUBMISSION_MAX_MESSAGE_BYTES", default=25 * 1024 * 1024)
SUBMISSION_MAX_ATTACHMENT_BYTES = env.int("SUBMISSION_MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
# Promised in the acknowledgement: "编辑会在 N 个工作日内审阅".
SUBMISSION_REVIEW_WORKING_DAYS = env.int("SUBMISSION_REVIEW_WORKING_DAYS", default=5)
# An accepted submission's contact editor writes to the submitter within this many days;
# later ones are counted and highlighted as overdue on /editor/.
SUBMISSION_CONTACT_DUE_DAYS = env.int("SUBMISSION_CONTACT_DUE_DAYS", default=3)
# The IMAP door (articles.mail.imap): e.g. imaps://user:pass@host/INBOX; empty = not polled.
INBOUND_IMAP_URL = env.str("INBOUND_IMAP_URL", default="")
# Messages fetched per poll (every minute): a burst is worked off over a few minutes while
# each run stays well inside the task's time limit.
INBOUND_IMAP_BATCH = env.int("INBOUND_IMAP_BATCH", default=50)

# seed_demo may create demo accounts (password yumao-demo) — never in production.
YUMAO_DEMO_DATA_ALLOWED = True

SITE_NAME = env.str("SITE_NAME", default="羽毛")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Celery. No broker configured → tasks run eagerly in the calling process, so the
# embedded default needs neither Redis nor a worker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_RESULT_EXPIRES = timedelta(hours=1)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Late acknowledgement is opted into per task (cms.celery.idempotent_task), because a
# task acknowledged late may run twice. For those tasks a worker killed mid-task must
# put the message back instead of dropping it.
CELERY_TASK_ACKS_LATE = False
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message at a time per process: a crashed worker strands at most one late-acked task.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A visibility timeout longer than any task's time limit, so Redis does not hand a
# still-running late-acked task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=4, minute=17),
    },
    "outbox-sweep": {
        "task": "reliability.tasks.outbox_sweep",
        "schedule": crontab(),  # every minute: queued work the broker missed (reliability.outbox)
    },
    "publish-scheduled-articles": {
        "task": "articles.tasks.publish_scheduled",
        "schedule": crontab(),  # every minute
    },
    "purge-article-trash": {
        "task": "articles.tasks.purge_trash",
        "schedule": crontab(hour=3, minute=41),  # daily: drafts 30 days in the trash (articles.trash)
    },
    "expire-penalties": {
        "task": "moderation.tasks.expire_penalties",
        "schedule": crontab(),  # every minute; whether a user is muted never waits for it
    },
    "poll-submission-mailbox": {
        "task": "articles.tasks.poll_submission_mailbox",
        "schedule": crontab(),  # every minute; does nothing unless INBOUND_IMAP_URL is set
    },
    "retrain-text-model": {
        "task": "moderation.tasks.retrain_text_model",
        # weekly, Monday night; activates the new model only when it is no worse (README)
        "schedule": crontab(day_of_week="mon", hour=3, minute=40),
    },
}

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes "not signed in" a 401 (cms.authentication).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "cms.authentication.SessionAuthentication",
    ],
    # A JSON parser with a nesting limit (cms.parsers); the form parsers are DRF's.
    "DEFAULT_PARSER_CLASSES": [
        "cms.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "cms.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "羽毛 Yumao API",
    "DESCRIPTION": "羽毛内容平台的编辑与社区治理接口。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files (drf-spectacular-sidecar), not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" (and appeals an "outcome"): each choice set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "moderation.models.cases.CaseStatus",
        "ReportStatusEnum": "moderation.models.cases.ReportStatus",
        "AppealStatusEnum": "moderation.models.appeals.AppealStatus",
        "AppealOutcomeEnum": "moderation.models.appeals.AppealOutcome",
        "TextModelStatusEnum": "moderation.models.text_models.TextModelStatus",
    },
}

# Public pages: anonymous readers get whole cached pages, everyone the cached article
# fragment (articles.cache). Off only to measure or debug the uncached path.
ARTICLES_PAGE_CACHE = env.bool("ARTICLES_PAGE_CACHE", default=True)

# Enforcement (PRODUCT §5, §7). The penalty policy's numbers: base step per severity, one
# step per prior violation in the history window and per aggravating circumstance, capped
# at a ban (moderation.policies); mute lengths per step; reports and hiding.
MODERATION_POLICY = {
    "severity_base": {"low": 0, "medium": 1, "high": 2, "critical": 4},
    "aggravation_weight": 1,
    "max_step": 5,
    "severity_weight": {"low": 1.0, "medium": 2.0, "high": 4.0, "critical": 8.0},
    "scan_weight": 2.0,
}
MODERATION_HISTORY_DAYS = env.int("MODERATION_HISTORY_DAYS", default=180)
MODERATION_MUTE_DAYS = {1: 1, 2: 7, 3: 15}
# Rules whose cases concern minors propose the minors aggravation themselves.
MODERATION_MINORS_RULES = ["1.11", "1.12", "8.1", "9.1"]
# Reports a person may file per hour, and the notes' length.
MODERATION_REPORTS_PER_HOUR = env.int("MODERATION_REPORTS_PER_HOUR", default=20)
# Content reported by this many distinct reporters whose past accuracy is at least this
# share is hidden pending review (the case says so).
MODERATION_AUTO_HIDE_REPORTERS = env.int("MODERATION_AUTO_HIDE_REPORTERS", default=3)
MODERATION_AUTO_HIDE_MIN_ACCURACY = env.float("MODERATION_AUTO_HIDE_MIN_ACCURACY", default=0.5)
# Penalties expired per batch of expire_penalties (each batch one short transaction).
MODERATION_EXPIRE_BATCH = 500
# Appeals (申诉, moderation.services.appeals): how many days after the decision a penalty
# may be appealed, and how long the one-time link e-mailed to a banned account works.
MODERATION_APPEAL_DAYS = env.int("MODERATION_APPEAL_DAYS", default=30)
MODERATION_APPEAL_LINK_MAX_AGE = 60 * 60 * 24 * 2
# The scanner's model stage (PRODUCT §6; moderation.text_model, services.text_models and
# text_training). ENABLED False turns the stage off everywhere. THRESHOLDS overrides, per
# category, the probability above which a sentence is a finding (default: the thresholds
# the model chose on held-out folds, shown on the 模型版本 page), e.g. {2: 0.7}. The dry
# run scans this many newest public items per kind. The weekly retraining activates a
# candidate only when, on every evaluation set that exists (JSONL, never trained on), its
# macro-F1 is not lower and its share of clean items flagged not higher than the active
# model's (within TOLERANCE); with no set it compares the cross-validated figures.
MODERATION_MODEL_ENABLED = env.bool("MODERATION_MODEL_ENABLED", default=True)
MODERATION_MODEL_THRESHOLDS: dict[int, float] = {}
MODERATION_MODEL_DRY_RUN_LIMIT = env.int("MODERATION_MODEL_DRY_RUN_LIMIT", default=200)
MODERATION_MODEL_EVAL_SETS = env.list(
    "MODERATION_MODEL_EVAL_SETS",
    default=[
        str(BASE_DIR / "tests" / "scanner" / "heldout_round5.jsonl"),
        str(BASE_DIR / "tests" / "scanner" / "heldout_round6.jsonl"),
        str(BASE_DIR / "tests" / "scanner" / "clean_prose.jsonl"),
        str(BASE_DIR / "tests" / "scanner" / "clean_prose_2.jsonl"),
        # never in the default model's training data (seeds/corpus and COLD's train split)
        str(BASE_DIR.parent / "shared" / "moderation-dev" / "dev.jsonl"),
    ],
)
MODERATION_MODEL_TOLERANCE = env.float("MODERATION_MODEL_TOLERANCE", default=0.0)
MODERATION_MODEL_TRAIN_SEED = 0
MODERATION_MODEL_FOLDS = 5
# The feedback page (建议反馈, moderation.services.feedback): items per sender per hour,
# how long a visitor's confirmation link works, and the attachments allowed.
FEEDBACK_PER_HOUR = env.int("FEEDBACK_PER_HOUR", default=10)
FEEDBACK_CONFIRM_MAX_AGE = 60 * 60 * 24 * 3
FEEDBACK_ATTACHMENTS_MAX = 3
FEEDBACK_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
# Mounts /__bench__/ (a bare view, an uncached article page) for `make bench`; never in production.
YUMAO_BENCH = env.bool("YUMAO_BENCH", default=False)

# jieba's dictionary cache lives in a folder the project owns, not in /tmp.
YUMAO_VAR_DIR = env.path("YUMAO_VAR_DIR", default=BASE_DIR / "var")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"jieba": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
