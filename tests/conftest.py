"""Fixtures shared by the whole suite.

Services the tests may need and how each is enabled:
- PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/yumao
- a real Celery worker: CELERY_BROKER_URL=redis://127.0.0.1:6379/0
- a real browser: Debian's chromium at /usr/bin/chromium (apt-get install chromium)
Without them the tests that need them skip with a message; with YUMAO_REQUIRE_SERVICES=1
(set by .ci/run) such a skip is a failure instead.
"""

import os
from io import StringIO

import pytest
from django.conf import settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
REQUIRE_SERVICES = os.environ.get("YUMAO_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip a test whose service is missing — or fail, when CI demands every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (YUMAO_REQUIRE_SERVICES=1 forbids skipping)")
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _require_marked_services(request):
    if request.node.get_closest_marker("browser") and not os.path.exists(CHROMIUM):
        skip_or_fail(f"browser test needs Chromium at {CHROMIUM}: apt-get install chromium fonts-wqy-microhei")
    if request.node.get_closest_marker("postgres") and settings.DATABASES["default"]["ENGINE"] != (
        "django.db.backends.postgresql"
    ):
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/yumao")
    if request.node.get_closest_marker("worker") and not settings.CELERY_BROKER_URL:
        skip_or_fail("needs a Celery broker: set CELERY_BROKER_URL=redis://127.0.0.1:6379/0")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded files (images, covers, attachments, seed_demo's pictures) go to a folder of
    the test's own, never to the project's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _celery_mode(request):
    """Run tasks in-process unless the test asked for a real worker.

    With a broker configured, a test that did not ask for `celery_worker` would otherwise
    leave its tasks in the queue for some later test's worker to pick up.
    """
    from cms.celery import app

    eager = "celery_worker" not in request.fixturenames
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager or not settings.CELERY_BROKER_URL
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker consuming the configured broker, in a thread of this process.

    The worker opens its own database connection, so the test must commit what it wants
    the task to see (hence transactional_db).
    """
    if not settings.CELERY_BROKER_URL:
        skip_or_fail("needs a Celery broker: set CELERY_BROKER_URL=redis://127.0.0.1:6379/0")
    from celery.contrib.testing.worker import start_worker

    from cms.celery import app

    app.control.purge()  # nothing left over from an earlier run may reach this worker
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture
def seeded(db):
    """The convention loaded as in production (no demo accounts)."""
    from django.core.management import call_command

    call_command("seed_demo", "--no-demo", stdout=StringIO())
