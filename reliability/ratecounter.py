"""Fixed-window counters in a database table, shared by every process.

Why not the cache: the embedded default's cache (files) and Django's database cache both
implement incr() as get + set, so two web processes counting at once both write n + 1 and a
limit of 5 lets 9 through. An UPDATE … SET count = count + 1 is atomic on SQLite and
PostgreSQL alike, needs no Redis, and keeps counting while Redis is down. Only writes are
rate limited (comments, sign-ups, mails), so one more row write per write is cheap.
"""

import math
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from reliability.models import RateCounter

# Expired rows are deleted by the outbox sweeper in batches of this size.
EXPIRED_BATCH = 500


def rate_counter_value(*, key: str) -> int:
    """How many times `key` was counted in its current window (0 when none is open)."""
    value = RateCounter.objects.filter(key=key, expires_at__gt=timezone.now()).values_list("count", flat=True).first()
    return value or 0


def rate_counter_add(*, key: str, window_seconds: int, limit: int | None = None) -> int | None:
    """Count one use of `key`; return the new count, or None when `limit` was already reached.

    With `limit`, checking and counting are one statement, so concurrent callers can never
    take more than `limit` slots between them. The window starts with the first use.
    """
    for _attempt in range(2):
        now = timezone.now()
        open_window = RateCounter.objects.filter(key=key, expires_at__gt=now)
        if limit is not None:
            open_window = open_window.filter(count__lt=limit)
        if open_window.update(count=F("count") + 1):
            # The row stays locked by our UPDATE until commit, so this reads our own count.
            return RateCounter.objects.filter(key=key).values_list("count", flat=True).first()
        if RateCounter.objects.filter(key=key, expires_at__gt=now).exists():
            return None  # an open window that is full
        expires_at = now + timedelta(seconds=window_seconds)
        if RateCounter.objects.filter(key=key, expires_at__lte=now).update(count=1, expires_at=expires_at):
            return 1
        try:
            with transaction.atomic():  # a savepoint: PostgreSQL aborts the transaction on a conflict
                RateCounter.objects.create(key=key, count=1, expires_at=expires_at)
            return 1
        except IntegrityError:
            continue  # another process opened the window first: count in it
    return None


def rate_counter_seconds_left(*, key: str) -> int:
    """Whole seconds until `key`'s open window closes (0 when none is open): a Retry-After."""
    expires_at = (
        RateCounter.objects.filter(key=key, expires_at__gt=timezone.now()).values_list("expires_at", flat=True).first()
    )
    if expires_at is None:
        return 0
    return max(1, math.ceil((expires_at - timezone.now()).total_seconds()))


def rate_counters_delete_expired() -> int:
    """Delete one batch of closed windows; returns how many went."""
    keys = list(
        RateCounter.objects.filter(expires_at__lte=timezone.now()).values_list("key", flat=True)[:EXPIRED_BATCH]
    )
    if not keys:
        return 0
    return RateCounter.objects.filter(key__in=keys, expires_at__lte=timezone.now()).delete()[0]
