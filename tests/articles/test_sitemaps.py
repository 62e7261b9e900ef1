"""The sitemap index and its section pages: every published article on exactly one page,
no page over its limit, the same queries whatever the number of pages."""

import xml.etree.ElementTree as ET

import pytest

from accounts import roles
from articles import sitemaps
from articles.models import ArticleStatus, Tag
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "http://testserver"


def _locations(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    root = ET.fromstring(response.content)
    return [loc.text for loc in root.iter(f"{SITEMAP}loc")]


def _index(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert ET.fromstring(response.content).tag == f"{SITEMAP}sitemapindex"
    return [loc.removeprefix(BASE) for loc in _locations(response)]


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(sitemaps._RangeSitemap, "limit", 3)
    return 3


def test_the_index_names_every_page_and_the_pages_hold_every_article_under_the_limit(client, small_limit):
    published = ArticleFactory.create_batch(8)
    draft = ArticleFactory(status=ArticleStatus.DRAFT, published_at=None)
    held = ArticleFactory(held=True)
    top = max(a.pk for a in [*published, draft, held])
    pages = _index(client)
    article_pages = [p for p in pages if p.startswith("/sitemap-articles.xml")]
    assert len(article_pages) == -(-top // small_limit)  # ceil: one page per id range
    assert article_pages[0] == "/sitemap-articles.xml" and article_pages[1] == "/sitemap-articles.xml?p=2"
    for section in ("tags", "authors", "pages"):
        assert f"/sitemap-{section}.xml" in pages
    listed = []
    for page in article_pages:
        urls = _locations(client.get(page))
        assert len(urls) <= small_limit
        listed += urls
    assert sorted(listed) == sorted(f"{BASE}{a.get_absolute_url()}" for a in published)
    assert len(listed) == len(set(listed))
    assert client.get(f"/sitemap-articles.xml?p={len(article_pages) + 1}").status_code == 404
    assert client.get("/sitemap-articles.xml?p=abc").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_tags_and_authors_are_those_with_a_published_article(client):
    author = UserFactory(username="linxiaoman", roles=[roles.AUTHOR])
    UserFactory(username="nobody-writes", roles=[roles.AUTHOR])
    article = ArticleFactory(author=author)
    article.tags.add(Tag.objects.create(name="增长", slug="growth"))
    ArticleFactory(status=ArticleStatus.UNPUBLISHED).tags.add(Tag.objects.create(name="空", slug="empty"))
    # every page of each section: pages are id ranges, and on PostgreSQL ids keep growing across tests
    pages = _index(client)
    tags = [url for page in pages if page.startswith("/sitemap-tags.xml") for url in _locations(client.get(page))]
    authors = [url for page in pages if page.startswith("/sitemap-authors.xml") for url in _locations(client.get(page))]
    assert f"{BASE}/tags/growth/" in tags and f"{BASE}/tags/empty/" not in tags
    assert f"{BASE}/authors/linxiaoman/" in authors
    assert f"{BASE}/authors/nobody-writes/" not in authors
    assert f"{BASE}/search/" in _locations(client.get("/sitemap-pages.xml"))


def test_queries_per_sitemap_page_do_not_grow_with_the_pages(client, small_limit, django_assert_num_queries):
    from django.core.cache import cache

    ArticleFactory.create_batch(3)
    cache.clear()
    with django_assert_num_queries(2) as few:  # MAX(id), the page's rows
        client.get("/sitemap-articles.xml")
    ArticleFactory.create_batch(12)
    cache.clear()
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/sitemap-articles.xml?p=3")
    cache.clear()
    with django_assert_num_queries(3):  # one MAX(id) per paged section
        client.get("/sitemap.xml")
    sql = " ".join(q["sql"] for q in few.captured_queries).upper()
    assert "COUNT(" not in sql and "OFFSET" not in sql


def test_sitemap_pages_are_cached_and_renewed_when_an_article_is_published(client):
    from articles.cache import purge_article

    first = ArticleFactory()
    client.get("/sitemap-articles.xml")
    again = client.get("/sitemap-articles.xml")
    assert again["X-Page-Cache"] == "hit"
    assert again["X-Robots-Tag"]
    second = ArticleFactory()
    purge_article(second)
    urls = _locations(client.get("/sitemap-articles.xml"))
    assert f"{BASE}{first.get_absolute_url()}" in urls and f"{BASE}{second.get_absolute_url()}" in urls


def test_robots_txt_points_at_the_sitemap_index(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {BASE}/sitemap.xml" in response.content.decode().splitlines()
