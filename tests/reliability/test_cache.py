"""A dead Redis is a cache miss, not a 500 (reliability.cache)."""

import pytest
from django.core.cache import cache

from articles.models import ArticleStatus
from reliability.cache import cache_errors_raised
from reliability.models import OutboxTask
from tests.articles.conftest import make_published


@pytest.fixture
def dead_redis_cache(settings, dead_port):
    settings.CACHES = {
        "default": {
            "BACKEND": "reliability.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{dead_port}/0",
            "KEY_PREFIX": "yumao",
        }
    }
    return cache


def test_reads_miss_and_writes_do_nothing_when_redis_is_unreachable(dead_redis_cache):
    assert dead_redis_cache.get("k", "fallback") == "fallback"
    assert dead_redis_cache.get_many(["a", "b"]) == {}
    assert dead_redis_cache.add("k", 1) is False
    dead_redis_cache.set("k", 1)
    dead_redis_cache.delete_many(["a", "b"])
    assert dead_redis_cache.get_or_set("k", 7) == 7
    with pytest.raises(ValueError):
        dead_redis_cache.incr("k")


def test_a_purge_learns_that_redis_was_unreachable(dead_redis_cache):
    with pytest.raises(ConnectionError), cache_errors_raised():
        dead_redis_cache.delete("articles:page:article:x:zh-hans")


@pytest.mark.django_db
def test_pages_and_writes_work_while_redis_is_unreachable(
    client, author, editor, dead_redis_cache, django_capture_on_commit_callbacks
):
    from articles.services import article_unpublish

    with django_capture_on_commit_callbacks(execute=True):
        article = make_published(author, editor)
    OutboxTask.objects.all().delete()  # the purges of the publication, which failed too
    # a page is built from the database
    response = client.get(f"/a/{article.slug}/")
    assert response.status_code == 200
    assert article.title in response.content.decode()
    # a write commits, and its purge waits in the outbox for the cache to come back
    with django_capture_on_commit_callbacks(execute=True):
        article_unpublish(actor=editor, article=article, reason="测试下线")
    article.refresh_from_db()
    assert article.status == ArticleStatus.UNPUBLISHED
    assert list(OutboxTask.objects.values_list("task_name", flat=True)) == ["articles.tasks.purge_article_cache"]
    assert client.get(f"/a/{article.slug}/").status_code == 404
