"""A Redis cache that a dead Redis cannot take the site down with.

Django's RedisCache raises on every call while Redis is unreachable, so each page would be
a 500. The cache only ever holds copies (pages, fragments, versions), so here an error is
a miss on read and a no-op on write: pages are built from the database, writes commit.
Errors are logged, at most once per LOG_INTERVAL per process, so an outage does not
flood the log.

The one caller that must know a write failed is a purge (a missed purge would leave a
stale page once Redis is back): it runs inside `cache_errors_raised()`, gets a
ConnectionError, and is retried through the outbox.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOG_INTERVAL = 30.0  # seconds
# Short timeouts: a Redis that does not answer must cost a request milliseconds, not the
# operating system's TCP timeout.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0, "retry_on_timeout": False}

_raise_errors: contextvars.ContextVar[bool] = contextvars.ContextVar("reliability_cache_raise", default=False)
_last_logged = [0.0]


@contextlib.contextmanager
def cache_errors_raised():
    """Inside this block a cache that cannot be reached raises ConnectionError."""
    token = _raise_errors.set(True)
    try:
        yield
    finally:
        _raise_errors.reset(token)


def _failed(operation: str, error: RedisError):
    if _raise_errors.get():
        raise ConnectionError(f"cache unreachable during {operation}: {error}") from error
    now = time.monotonic()
    if now - _last_logged[0] >= LOG_INTERVAL:
        _last_logged[0] = now
        logger.warning("Redis cache unreachable (%s: %s); serving without the cache.", operation, error)


def _tolerant(operation: str, on_error):
    """Wrap RedisCache.<operation>: a RedisError becomes `on_error(*args)`, logged."""
    method = getattr(RedisCache, operation)

    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            _failed(operation, error)
            return on_error(*args, **kwargs)

    wrapper.__name__ = operation
    wrapper.__doc__ = method.__doc__
    return wrapper


def _missing_key(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (the cache is unreachable)")


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)

    # What a dead Redis looks like to callers: nothing is there, and nothing was stored.
    get = _tolerant("get", lambda key, default=None, version=None: default)
    get_many = _tolerant("get_many", lambda *args, **kwargs: {})
    has_key = _tolerant("has_key", lambda *args, **kwargs: False)
    add = _tolerant("add", lambda *args, **kwargs: False)
    set = _tolerant("set", lambda *args, **kwargs: None)
    set_many = _tolerant("set_many", lambda data, *args, **kwargs: list(data))
    touch = _tolerant("touch", lambda *args, **kwargs: False)
    delete = _tolerant("delete", lambda *args, **kwargs: False)
    delete_many = _tolerant("delete_many", lambda *args, **kwargs: None)
    incr = _tolerant("incr", _missing_key)  # as for a key that is not there (decr uses incr)
    clear = _tolerant("clear", lambda *args, **kwargs: False)
