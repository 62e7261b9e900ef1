"""Lists past the count cap: the count reads at most COUNT_CAP rows (or those before the page
asked for), the pager says 「第 N / M+ 页」 and still links on, every page exists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import pagination
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_cap(settings, monkeypatch):
    settings.ARTICLES_PAGE_CACHE = False
    monkeypatch.setattr(pagination, "COUNT_CAP", 20)  # two home pages of 10


def _get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [q["sql"] for q in captured.captured_queries]


def test_a_list_longer_than_the_cap_counts_only_up_to_it_and_pages_on(client):
    ArticleFactory.create_batch(35)
    first, first_sql = _get(client, "/")
    text = first.content.decode()
    assert "第 1 / 2+ 页" in text
    count_sql = next(sql for sql in first_sql if "COUNT(" in sql.upper())
    assert "LIMIT 21" in count_sql
    # the last known page links to the one after it, which exists and counts a little further
    second, _ = _get(client, "/?page=2")
    assert 'rel="next"' in second.content.decode()
    third, third_sql = _get(client, "/?page=3")
    assert third.status_code == 200 and "第 3 / 3+ 页" in third.content.decode()
    assert len(third_sql) == len(first_sql) - 1  # no editors' picks query past the first page
    fourth, _ = _get(client, "/?page=4")
    assert fourth.status_code == 200 and "第 4 / 4 页" in fourth.content.decode()
    assert 'rel="next"' not in fourth.content.decode()
    missing, _ = _get(client, "/?page=5")
    assert missing.status_code == 404 and "一共只有 4 页" in missing.content.decode()


def test_the_queries_of_a_page_do_not_grow_with_the_list(client):
    ArticleFactory.create_batch(3)
    _, few = _get(client, "/")
    ArticleFactory.create_batch(40)
    _, many = _get(client, "/")
    assert len(few) == len(many)


def test_a_short_list_keeps_its_exact_count(client):
    ArticleFactory.create_batch(12)
    text = client.get("/").content.decode()
    assert "第 1 / 2 页" in text and "/ 2+ 页" not in text


def test_the_api_article_list_counts_up_to_the_cap_and_says_so(client):
    ArticleFactory.create_batch(25)
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/api/v1/articles/?page=1").json()
    assert body["count"] == 20 and body["count_capped"] is True and body["next"]
    assert any("LIMIT 21" in q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper())
    second = client.get(body["next"].removeprefix("http://testserver")).json()
    assert second["count"] == 25 and second["count_capped"] is False and second["next"] is None
    assert len(body["results"]) + len(second["results"]) == 25


def test_the_api_article_list_queries_do_not_grow(client):
    ArticleFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/articles/")
    ArticleFactory.create_batch(30)
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/articles/")
    assert len(few) == len(many)
