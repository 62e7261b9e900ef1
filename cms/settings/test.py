"""Settings for the test suite: the development settings with a fast password hasher."""

from .development import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The manifest-free storage: tests never run collectstatic.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A small moderated model (tests/testapp) that moderation's tests register and scan.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]
