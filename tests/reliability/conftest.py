import contextlib
import os

import pytest

from tests.articles.conftest import author, editor, moderator, reader  # noqa: F401 — shared fixtures


@contextlib.contextmanager
def celery_broker(url: str, *, eager: bool = False):
    """Point this process's Celery app at `url` (a throwaway or a dead broker) for a block.

    The app caches its connection and producer pools per broker; they are dropped on the
    way in and out so every publish inside the block really goes to `url`. Celery reads
    CELERY_BROKER_URL from the environment before its configuration, so that changes too.
    """
    from cms.celery import app

    saved = (app.conf.broker_url, app.conf.broker_write_url, app.conf.task_always_eager)

    def reset_pools():
        # Dropped, not closed: kombu keeps one pool per broker URL for the whole process, and
        # a closed one would be handed back to the next user of that URL.
        app._pool = None
        app.amqp._producer_pool = None

    saved_env = os.environ.get("CELERY_BROKER_URL")
    reset_pools()
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.broker_url, app.conf.broker_write_url, app.conf.task_always_eager = url, None, eager
    try:
        yield app
    finally:
        reset_pools()
        app.conf.broker_url, app.conf.broker_write_url, app.conf.task_always_eager = saved
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env


@pytest.fixture
def dead_port():
    from tests.reliability.servers import free_port

    return free_port()  # nothing listens there
