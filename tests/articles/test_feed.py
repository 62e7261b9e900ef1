"""The Atom feed and the sitemap: valid XML that lists what readers can open."""

import xml.etree.ElementTree as ET

import pytest

from accounts import roles
from articles.models import ArticleStatus, Tag
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_feed_is_atom_with_the_newest_published_articles(client):
    article = ArticleFactory(title="私域流量退潮之后", summary="小品牌还能做什么", byline="林小满")
    article.tags.add(Tag.objects.create(name="私域", slug="private-traffic"))
    ArticleFactory(title="一篇草稿", status=ArticleStatus.DRAFT, published_at=None)
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["私域流量退潮之后"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{article.get_absolute_url()}"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "林小满"
    assert entry.findtext(f"{ATOM}summary") == "小品牌还能做什么"
    assert entry.find(f"{ATOM}category").get("term") == "私域"


def test_feed_holds_the_latest_twenty(client, django_assert_max_num_queries):
    ArticleFactory.create_batch(25)
    with django_assert_max_num_queries(3):
        response = client.get("/feed/")
    assert len(ET.fromstring(response.content).findall(f"{ATOM}entry")) == 20


def test_sitemap_lists_articles_tags_authors_and_static_pages(client):
    author = UserFactory(username="linxiaoman", roles=[roles.AUTHOR])
    article = ArticleFactory(author=author)
    article.tags.add(Tag.objects.create(name="增长", slug="growth"))
    hidden = ArticleFactory(status=ArticleStatus.UNPUBLISHED)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = ET.fromstring(response.content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    base = "http://testserver"
    locations = set()
    for entry in index.findall(f"{SITEMAP}sitemap"):
        root = ET.fromstring(client.get(entry.findtext(f"{SITEMAP}loc").removeprefix(base)).content)
        assert root.tag == f"{SITEMAP}urlset"
        locations |= {url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")}
    assert f"{base}{article.get_absolute_url()}" in locations
    assert f"{base}/tags/growth/" in locations
    assert f"{base}/authors/linxiaoman/" in locations
    assert f"{base}/" in locations and f"{base}/search/" in locations
    assert f"{base}{hidden.get_absolute_url()}" not in locations


def test_the_cached_sitemap_keeps_its_robots_header(client):
    ArticleFactory()
    first = client.get("/sitemap.xml")
    again = client.get("/sitemap.xml")
    assert again["X-Page-Cache"] == "hit"
    assert again["X-Robots-Tag"] == first["X-Robots-Tag"]
    assert again.content == first.content
