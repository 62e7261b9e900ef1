"""A fixed-window counter in the cache, for limits that are not sign-in failures
(django-axes counts those). Shared by every web process through the cache (Redis)."""

from django.core.cache import cache


class RateLimited(Exception):
    """Too many attempts in the current window; the message says what to do."""


def rate_limit_exceeded(*, key: str, limit: int, window_seconds: int) -> bool:
    """True when `key` has already been counted `limit` times in this window (does not count)."""
    return (cache.get(f"ratelimit:{key}") or 0) >= limit


def rate_limit_count(*, key: str, window_seconds: int) -> int:
    """Count one use of `key`; the window starts with the first use."""
    full_key = f"ratelimit:{key}"
    if cache.add(full_key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(full_key)
    except ValueError:  # expired between add() and incr()
        cache.add(full_key, 1, timeout=window_seconds)
        return 1
