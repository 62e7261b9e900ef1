"""Faults the site must survive, with real processes (issue 8): Redis stopped, a worker
killed in the middle of a scan, PostgreSQL restarted under load.

None of them touches the machine's shared Redis or PostgreSQL server: Redis is a
throwaway redis-server of the test's own, the database is cut off by a TCP proxy.
"""

import os
import signal
import subprocess
import threading
import time
import uuid
from datetime import timedelta

import psycopg
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from articles.models import Article, ArticleStatus, Comment
from moderation.models import Finding, ScanRecord
from moderation.tasks import scan_object
from reliability.models import OutboxTask
from tests.articles.conftest import make_published, make_submitted
from tests.reliability.conftest import celery_broker
from tests.reliability.servers import (
    PYTHON,
    ROOT,
    CuttableProxy,
    Gunicorn,
    ThrowawayRedis,
    request,
    site_env,
    wait_for,
)

FLAGGED = "这篇文章讲私域运营的做法。想要完整资料的读者，加我薇信 abc123 领取内部资料。"


# Redis stopped


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_pages_serve_writes_commit_and_the_queued_work_runs_once_it_is_back(
    client, author, editor, reader, mailoutbox, settings
):
    from celery.contrib.testing.worker import start_worker

    from articles.services import article_unpublish
    from articles.services_comments import comment_create
    from reliability.tasks import outbox_sweep

    article = make_published(author, editor)  # eager, before Redis enters the picture
    mailoutbox.clear()
    with ThrowawayRedis() as redis:
        # given the site on a Redis of its own, for the cache and as the broker
        settings.CACHES = {
            "default": {
                "BACKEND": "reliability.cache.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{redis.port}/1",
                "KEY_PREFIX": "yumao",
            }
        }
        with celery_broker(redis.url) as app:
            assert client.get(f"/a/{article.slug}/").status_code == 200  # now in the Redis cache

            # when Redis stops
            redis.stop()
            # then pages still serve, from the database
            page = client.get(f"/a/{article.slug}/")
            assert page.status_code == 200 and article.title in page.content.decode()
            # and writes commit without an error, their work kept in the outbox
            comment = comment_create(article=article, author=reader, body="Redis 停了也能评论。")
            article_unpublish(actor=editor, article=article, reason="测试：Redis 停止时下线")
            article.refresh_from_db()
            assert article.status == ArticleStatus.UNPUBLISHED
            assert Comment.objects.filter(pk=comment.pk).exists()
            assert client.get(f"/a/{article.slug}/").status_code == 404
            waiting = sorted(OutboxTask.objects.values_list("task_name", flat=True))
            assert waiting == [
                "articles.tasks.purge_article_cache",
                "articles.tasks.purge_article_cache",
                "articles.tasks.send_article_notice",
                "moderation.tasks.scan_object",
            ]
            assert mailoutbox == []

            # when Redis is back and beat's sweeper runs (a minute later)
            redis.start()
            OutboxTask.objects.update(created_at=timezone.now() - timedelta(minutes=2))
            with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
                outbox_sweep.apply_async(ignore_result=True)
                # then every piece of queued work runs, once
                wait_for(lambda: not OutboxTask.objects.exists(), timeout=60, what="the outbox to empty")
                comment_type = ContentType.objects.get_for_model(Comment)
                wait_for(
                    lambda: ScanRecord.objects.filter(content_type=comment_type, object_id=comment.pk).exists(),
                    timeout=60,
                    what="the comment's scan",
                )
                wait_for(lambda: len(mailoutbox) == 1, timeout=60, what="the unpublish notice")
    assert "已下线" in mailoutbox[0].subject


# A worker killed in the middle of a scan


def _worker(env: dict[str, str], queue: str) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "-m", "celery", "-A", "cms", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING",
         "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _database_url() -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


VISIBILITY_TIMEOUT = 3  # seconds before an unacknowledged message goes back to the queue


@pytest.mark.worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_scan_whose_worker_is_killed_runs_again_and_stores_one_result(author, tmp_path):
    # given a submitted article, scanned once (eager) so we know its findings; the record
    # is then removed, so only the scan under test can store one
    article = make_submitted(author, body=FLAGGED)
    content_type = ContentType.objects.get_for_model(Article)
    records = ScanRecord.objects.filter(content_type=content_type, object_id=article.pk)
    expected = sorted(Finding.objects.filter(record__in=records).values_list("rule_code", "start", "end"))
    assert expected
    records.delete()
    Article.objects.filter(pk=article.pk).update(held=False, hold_reason="")

    with ThrowawayRedis() as redis:
        env = site_env(
            tmp_path,
            DJANGO_SETTINGS_MODULE="cms.settings.test",
            DATABASE_URL=_database_url(),
            CELERY_BROKER_URL=redis.url,
            CELERY_RESULT_BACKEND=redis.url,
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            YUMAO_VAR_DIR=str(ROOT / "var"),  # jieba's cache, shared with the test run
        )
        queue = f"scan-{uuid.uuid4().hex[:8]}"
        # and the article's row locked by the test, so the scan waits for it mid-task
        blocker = psycopg.connect(_database_url().replace("postgres://", "postgresql://"))
        blocker.execute(f"SELECT id FROM {Article._meta.db_table} WHERE id = %s FOR UPDATE", [article.pk])
        first = _worker(env, queue)
        try:
            with celery_broker(redis.url):
                scan_object.apply_async(args=(content_type.pk, article.pk), queue=queue, ignore_result=True)
            # when the worker is inside the scan, waiting for the row…
            wait_for(lambda: _waiting_on_a_lock() >= 1, timeout=90, what="the worker to start the scan")
            # …and is killed there
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=30)
        finally:
            if first.poll() is None:
                first.kill()
            blocker.rollback()
            blocker.close()
        assert not records.exists()  # the killed scan stored nothing
        # then, once the message is visible again, a second worker runs the scan
        time.sleep(VISIBILITY_TIMEOUT + 1)
        second = _worker(env, queue)
        try:
            wait_for(records.exists, timeout=90, what="the second worker to store the scan")
            time.sleep(0.5)  # let the record's transaction settle before counting
        finally:
            second.terminate()
            second.wait(timeout=30)
    # and one record holds the findings, once
    assert records.count() == 1
    assert sorted(Finding.objects.filter(record__in=records).values_list("rule_code", "start", "end")) == expected


# PostgreSQL restarted under load


class _Load:
    """Client threads requesting `paths` round-robin until stopped; every answer is kept."""

    def __init__(self, port: int, paths: list[str], threads: int = 3):
        self.port, self.paths = port, paths
        self.answers: list[tuple[float, str, int, str, str]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)]

    def _run(self, n: int) -> None:
        i = n
        while not self._stop.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            try:
                response = request(self.port, "GET", path, timeout=30)
                answer = (
                    time.monotonic(),
                    path,
                    response.status,
                    response.headers.get("content-type", ""),
                    response.text,
                )
            except OSError as error:
                answer = (time.monotonic(), path, 0, "", repr(error))
            with self._lock:
                self.answers.append(answer)

    def summary(self, path: str, moment: float) -> list:
        return [(a[2], a[4][:120]) for a in self.since(moment) if a[1] == path][-5:]

    def since(self, moment: float) -> list:
        with self._lock:
            return [a for a in self.answers if a[0] > moment]

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_restart_under_load_gives_clean_503s_and_the_site_recovers(author, editor, tmp_path):
    article = make_published(author, editor)
    article.refresh_from_db()
    db = settings.DATABASES["default"]
    paths = [f"/a/{article.slug}/", "/api/v1/articles/"]
    with CuttableProxy(int(db["PORT"] or 5432), db["HOST"] or "127.0.0.1") as proxy:
        url = _database_url().replace(f":{db['PORT'] or 5432}/", f":{proxy.port}/")
        # given two web processes on the database behind the proxy, every page read from it
        env = site_env(tmp_path, DATABASE_URL=url, ARTICLES_PAGE_CACHE="0", CONN_MAX_AGE="60")
        with Gunicorn(env, workers=2) as server, _Load(server.port, paths) as load:
            workers = server.worker_pids()
            started = time.monotonic()
            for path in paths:
                wait_for(
                    lambda path=path: sum(a[1] == path and a[2] == 200 for a in load.since(started)) >= 3,
                    timeout=60,
                    what=f"{path} to serve",
                )
            # when the database goes away: every connection dropped, new ones refused
            cut = time.monotonic()
            proxy.cut()
            for path in paths:
                wait_for(
                    lambda path=path: sum(a[1] == path and a[2] == 503 for a in load.since(cut)) >= 3,
                    timeout=60,
                    what=f"503s on {path}",
                )
            # and comes back
            proxy.restore()
            back = time.monotonic()
            for path in paths:
                wait_for(
                    lambda path=path: sum(a[1] == path and a[2] == 200 for a in load.since(back)) >= 5,
                    timeout=60,
                    what=lambda path=path: f"{path} to recover; answers since: {load.summary(path, back)}",
                )
            assert server.worker_pids() == workers  # recovered without restarting a process
            answers = list(load.answers)
    statuses = [a[2] for a in answers]
    print(f"PostgreSQL cut off under load: {statuses.count(200)} pages, {statuses.count(503)} clean 503s")
    # then nothing but pages and clean 503s: no 500, no traceback, no dropped connection
    assert {a[2] for a in answers} <= {200, 503}, sorted(
        {(a[2], a[4][:200]) for a in answers if a[2] not in (200, 503)}
    )
    for _moment, path, status, content_type, body in answers:
        if status != 503:
            continue
        assert "数据库暂时无法连接" in body
        assert "Traceback" not in body
        if path.startswith("/api/"):
            assert content_type.startswith("application/json")
        else:
            assert content_type.startswith("text/html") and "服务暂时不可用" in body
