"""Settings of the floor project: what `django-admin startproject` would give a site with
one view and no database, sessions, authentication or templates."""

SECRET_KEY = "bench-floor-only-not-a-secret"  # noqa: S105 — a throwaway benchmark server
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "bench.floor.urls"
WSGI_APPLICATION = "bench.floor.wsgi.application"
DATABASES: dict = {}
USE_TZ = True
LOGGING_CONFIG = None
