"""Rate limits counted in a database row, once across every process (reliability.ratecounter)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.ratelimit import rate_limit_count, rate_limit_exceeded, rate_limit_take
from reliability.models import RateCounter

pytestmark = pytest.mark.django_db


def test_take_lets_exactly_the_limit_through_in_a_window():
    taken = [rate_limit_take(key="comment:1", limit=5, window_seconds=60) for _ in range(8)]
    assert taken == [True] * 5 + [False] * 3
    assert rate_limit_exceeded(key="comment:1", limit=5, window_seconds=60)
    assert not rate_limit_exceeded(key="comment:2", limit=5, window_seconds=60)


def test_a_new_window_starts_after_the_old_one_closed():
    for _ in range(5):
        rate_limit_take(key="comment:1", limit=5, window_seconds=60)
    RateCounter.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not rate_limit_exceeded(key="comment:1", limit=5, window_seconds=60)
    assert rate_limit_take(key="comment:1", limit=5, window_seconds=60)
    assert RateCounter.objects.get().count == 1


def test_a_write_that_fails_gives_its_slot_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert rate_limit_take(key="comment:1", limit=1, window_seconds=60)
        raise RuntimeError("the comment could not be stored")
    assert rate_limit_take(key="comment:1", limit=1, window_seconds=60)


def test_count_counts_without_a_limit():
    assert [rate_limit_count(key="signup:ip", window_seconds=3600) for _ in range(3)] == [1, 2, 3]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_takes_in_separate_connections_never_pass_the_limit():
    # given 20 threads, each with its own PostgreSQL connection, released at once
    barrier = threading.Barrier(20)
    results: list[bool] = []
    lock = threading.Lock()

    def take():
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                ok = rate_limit_take(key="comment:race", limit=5, window_seconds=60)
            with lock:
                results.append(ok)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then exactly five got a slot
    assert sorted(results) == [False] * 15 + [True] * 5
    assert RateCounter.objects.get(key="ratelimit:comment:race").count == 5
