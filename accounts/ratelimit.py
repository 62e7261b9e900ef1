"""Fixed-window rate limits for what is not a sign-in failure (django-axes counts those).

The counts live in a database row (reliability.ratecounter), not in the cache: they must
be counted once across every web process, with or without Redis, and a cache's incr is
not atomic in the embedded default.
"""

from reliability.ratecounter import rate_counter_add, rate_counter_seconds_left, rate_counter_value


class RateLimited(Exception):
    """Too many attempts in the current window; the message says what to do, and
    `retry_after` (seconds, from rate_limit_retry_after) when it is known."""

    def __init__(self, message: str = "", *, retry_after: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def _key(key: str) -> str:
    return f"ratelimit:{key}"


def rate_limit_exceeded(*, key: str, limit: int, window_seconds: int) -> bool:
    """True when `key` has already been counted `limit` times in this window (does not count)."""
    return rate_counter_value(key=_key(key)) >= limit


def rate_limit_count(*, key: str, window_seconds: int) -> int:
    """Count one use of `key`; the window starts with the first use."""
    return rate_counter_add(key=_key(key), window_seconds=window_seconds) or 0


def rate_limit_take(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one use of `key` if fewer than `limit` were counted in this window.

    Check and count are one atomic statement, so concurrent requests in different
    processes cannot pass the limit together. Call it inside the transaction that does the
    limited write: if that write fails, the use is rolled back with it.
    """
    return rate_counter_add(key=_key(key), window_seconds=window_seconds, limit=limit) is not None


def rate_limit_retry_after(*, key: str) -> int:
    """Seconds until `key`'s current window closes and it may be used again (0: now).

    The Retry-After of a 429, on the forms and in the API alike.
    """
    return rate_counter_seconds_left(key=_key(key))
