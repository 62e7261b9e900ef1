"""The default settings: a laptop with no configuration (SQLite, eager Celery, console e-mail)."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env

DEBUG = env.bool("DEBUG", default=True)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-yumao-development-only"  # noqa: S105 — DEBUG only

# Serve static files straight from the source folders (no collectstatic while developing).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Links in e-mails (sign-up verification, notices) must reach the server `make run` started,
# which serves on PORT: the default follows it. Set SITE_URL for any other address (another
# host, HTTPS behind a proxy, and always in production).
SITE_URL = env.str("SITE_URL", default="") or f"http://127.0.0.1:{env.int('PORT', default=8000)}"
