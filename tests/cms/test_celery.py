import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

from cms.celery import app, ping


def test_without_a_worker_tasks_run_in_the_calling_process():
    result = ping.delay().get(timeout=5)
    assert result["eager"] is True
    assert result["pid"] == os.getpid()


@pytest.mark.worker
def test_a_task_is_executed_by_the_real_worker_through_the_broker(celery_worker):
    result = ping.delay().get(timeout=20)
    assert result["eager"] is False
    assert celery_worker.hostname.endswith("@" + result["hostname"])


@pytest.mark.worker
def test_a_task_runs_in_a_separate_worker_process():
    # A worker started exactly as the Procfile does, on a queue of its own.
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cms",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=settings.BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        app.conf.task_always_eager = False
        result = ping.apply_async(queue=queue).get(timeout=60)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert result["eager"] is False
    assert result["pid"] == worker.pid
    assert result["pid"] != os.getpid()


def test_idempotent_tasks_are_acked_late_and_retry_transient_errors():
    from accounts.tasks import clear_expired_sessions

    assert clear_expired_sessions.acks_late is True
    assert clear_expired_sessions.retry_backoff
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST is True
    # Tasks not declared idempotent keep the safe default: acknowledged before running.
    assert ping.acks_late is False


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"beat entry {name} names an unknown task"
