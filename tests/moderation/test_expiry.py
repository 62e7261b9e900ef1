"""Mute expiry (PRODUCT §5): the beat task and the command end due penalties and tell each
user exactly once — in a real Celery worker, with two runs at once on PostgreSQL — and a
mute whose time has passed stops blocking whether or not any of that ran
(tests/accounts/test_restrictions.py::test_an_ended_mute_no_longer_blocks_even_if_the_expiry_task_never_ran).
"""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from accounts import roles
from accounts.models import Notice
from accounts.selectors import user_muted_until
from moderation.models import Penalty, PenaltyStatus, Rule
from moderation.services import penalties_expire, penalty_apply
from tests.factories import UserFactory

WAIT_SECONDS = 60


def mute(moderator, user, *, step=1, days_ago=2) -> Penalty:
    rule = Rule.objects.select_related("convention").get(convention__is_current=True, code="2.6")
    return penalty_apply(
        actor=moderator,
        user=user,
        step=step,
        rule=rule,
        reason="辱骂他人",
        now=timezone.now() - timedelta(days=days_ago),
    )


def ended_notices(user) -> int:
    return Notice.objects.filter(user=user, kind="penalty_ended").count()


def test_beat_runs_expire_penalties_every_minute_and_the_task_is_registered():
    from cms.celery import app

    app.loader.import_default_modules()
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "moderation.tasks.expire_penalties"]
    assert len(entries) == 1
    assert "moderation.tasks.expire_penalties" in app.tasks
    schedule = entries[0]["schedule"]
    now = timezone.now()
    # a crontab() entry is due at every minute boundary
    assert schedule.remaining_estimate(now.replace(second=0, microsecond=0) - timedelta(minutes=1)) <= timedelta(0)


@pytest.mark.django_db
def test_the_command_ends_due_mutes_once_and_prints_how_many(seeded):
    moderator = UserFactory(username="x-mod", roles=[roles.READER, roles.MODERATOR])
    due = UserFactory(username="x-due", roles=[roles.READER])
    later = UserFactory(username="x-later", roles=[roles.READER])
    mute(moderator, due, step=1, days_ago=2)
    mute(moderator, later, step=2, days_ago=1)  # 7 days: six to go
    out = StringIO()
    call_command("expire_penalties", stdout=out)
    assert "1" in out.getvalue() and "已结束" in out.getvalue()
    assert Penalty.objects.get(user=due).status == PenaltyStatus.ENDED
    assert Penalty.objects.get(user=later).status == PenaltyStatus.ACTIVE
    out = StringIO()
    call_command("expire_penalties", stdout=out)
    assert "0" in out.getvalue()
    assert ended_notices(due) == 1 and ended_notices(later) == 0


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_expires_a_past_one_day_mute_and_notifies_once(celery_worker, seeded):
    from moderation.tasks import expire_penalties

    # given: a 1-day mute that started two days ago, still marked active
    moderator = UserFactory(username="w-mod", roles=[roles.READER, roles.MODERATOR])
    user = UserFactory(username="w-muted", roles=[roles.READER])
    penalty = mute(moderator, user, step=1, days_ago=2)
    assert penalty.status == PenaltyStatus.ACTIVE and user_muted_until(user) is None
    # when: the worker runs the beat task, twice
    first = expire_penalties.delay().get(timeout=WAIT_SECONDS)
    second = expire_penalties.delay().get(timeout=WAIT_SECONDS)
    # then: one run ended it, and the user was told once
    assert (first, second) == (1, 0)
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.ENDED and penalty.ended_at is not None
    assert ended_notices(user) == 1


def run_together(count: int, target):
    """Run ``target(i)`` in ``count`` threads released at once; each thread has its own
    database connection and closes it. Returns (results, errors) by thread index."""
    barrier = threading.Barrier(count)
    results: dict[int, object] = {}
    errors: dict[int, BaseException] = {}

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = target(index)
        except BaseException as error:
            errors[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_expiry_runs_notify_each_user_once(seeded):
    # given: 40 due mutes, expired in batches of 5 so the two runs interleave
    moderator = UserFactory(username="p-mod", roles=[roles.READER, roles.MODERATOR])
    users = [UserFactory(username=f"p-user-{i}", roles=[roles.READER]) for i in range(40)]
    for user in users:
        mute(moderator, user, step=1, days_ago=3)
    # when: two runs start at the same moment
    results, errors = run_together(2, lambda _i: penalties_expire(batch_size=5))
    # then: together they ended each penalty once and told each user once
    assert errors == {}
    assert sum(results.values()) == 40
    assert Penalty.objects.filter(status=PenaltyStatus.ACTIVE).count() == 0
    assert Notice.objects.filter(kind="penalty_ended").count() == 40
    assert all(ended_notices(user) == 1 for user in users)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_celery_beat_and_a_worker_end_a_past_mute_within_a_minute(celery_worker, seeded, tmp_path):
    """The whole production path: a real `celery beat` process sends the every-minute task
    to the broker and the worker ends the mute and tells the user, once."""
    import os
    import subprocess
    import sys
    import time

    moderator = UserFactory(username="b-mod", roles=[roles.READER, roles.MODERATOR])
    user = UserFactory(username="b-muted", roles=[roles.READER])
    penalty = mute(moderator, user, step=1, days_ago=2)
    env = {**os.environ, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL, "DJANGO_SETTINGS_MODULE": "cms.settings.test"}
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cms",
            "beat",
            "-s",
            str(tmp_path / "schedule"),
            "--pidfile=",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # crontab() fires at the next minute boundary: at most a minute, plus start-up.
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            penalty.refresh_from_db()
            if penalty.status == PenaltyStatus.ENDED and ended_notices(user):
                break
            time.sleep(1)
    finally:
        beat.terminate()
        beat.wait(timeout=20)
    assert penalty.status == PenaltyStatus.ENDED
    assert ended_notices(user) == 1
