"""Settings for the test suite: the development settings with a fast password hasher."""

import atexit
import shutil
import tempfile

from .development import *  # noqa: F403
from .development import CACHES, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # The manifest-free storage: tests never run collectstatic.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A small moderated model (tests/testapp) that moderation's tests register and scan.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]

# The embedded default's file cache, in a folder of this test run: the project's var/cache
# may be in use by a running site, or by another test run that clears it per test.
if not REDIS_URL:
    _cache_dir = tempfile.mkdtemp(prefix="yumao-test-cache-")
    atexit.register(shutil.rmtree, _cache_dir, ignore_errors=True)
    CACHES = {"default": {**CACHES["default"], "LOCATION": _cache_dir}}
