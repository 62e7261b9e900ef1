"""Settings for the test suite: the development settings with a fast password hasher."""

import atexit
import os
import re
import shutil
import tempfile


def _xdist_redis_url(url: str, worker: int) -> str:
    """The same Redis server, the database number moved up by two per pytest-xdist worker:
    CI's broker db 0 and cache db 1 become 2 and 3 for the second worker, so one worker's
    purge of its queue or flush of its cache never reaches the other's."""
    match = re.match(r"^(rediss?://[^/]*)(?:/(\d+))?(.*)$", url)
    if not match:
        return url
    base, db, rest = match.groups()
    return f"{base}/{int(db or 0) + 2 * worker}{rest}"


# Read before the settings below: Celery takes CELERY_BROKER_URL from the environment, and
# the processes that tests start (gunicorn, beat, workers) inherit it.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
# A process a test starts inherits both variables: it must not move the numbers again.
if _worker[2:].isdigit() and int(_worker[2:]) > 0 and not os.environ.get("YUMAO_XDIST_REDIS_MOVED"):
    for _name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "REDIS_URL"):
        if os.environ.get(_name):
            os.environ[_name] = _xdist_redis_url(os.environ[_name], int(_worker[2:]))
    os.environ["YUMAO_XDIST_REDIS_MOVED"] = "1"

from .development import *  # noqa: E402, F403
from .development import CACHES, REDIS_URL  # noqa: E402

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
