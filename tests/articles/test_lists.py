"""Lists: ?page= on home, tag, author and search pages, a readable pager, a clear 404 past
the end, and a constant number of SQL queries per page whatever the list's length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import services
from articles.search import search_index_article
from tests.factories import ArticleFactory, UserFactory


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Counted as built, not as served from the page cache.
    settings.ARTICLES_PAGE_CACHE = False


def publish(count, *, author, tag=None, word="复购率"):
    articles = []
    for n in range(count):
        article = ArticleFactory(author=author, title=f"{word}第 {n} 篇", body=f"讲{word}的一篇文章，第 {n} 篇。")
        if tag is not None:
            article.tags.add(tag)
        search_index_article(article)
        article.save()
        articles.append(article)
    return articles


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def author(db):
    return UserFactory(username="writer", pen_name="写作者", roles=["reader", "author"])


def urls(tag):
    return ["/", f"/tags/{tag.slug}/", "/authors/writer/", "/search/?q=复购率"]


def test_each_list_costs_the_same_queries_with_one_page_or_many(client, author):
    # given: one page of articles
    [tag] = services.tags_ensure(names=["增长"])
    publish(3, author=author, tag=tag)
    one_page = {url: queries(client, url) for url in urls(tag)}
    # when: many pages of them
    publish(60, author=author, tag=tag)
    # then: the first page costs what it cost alone; a middle page and the last cost the
    # same as each other and no more (the home page's editors' picks are on page 1 only)
    for url in urls(tag):
        joiner = "&" if "?" in url else "?"
        assert queries(client, url) == one_page[url], url
        middle, last = queries(client, f"{url}{joiner}page=2"), queries(client, f"{url}{joiner}page=4")
        assert middle == last <= one_page[url], url
        assert one_page[url] <= 5, url


def test_the_pager_reads_in_chinese_and_keeps_the_search(client, author):
    publish(25, author=author)
    text = client.get("/search/?q=复购率&page=2").content.decode()
    assert "第 2 / 3 页" in text
    assert 'href="?q=%E5%A4%8D%E8%B4%AD%E7%8E%87&amp;page=3"' in text and "下一页" in text and "上一页" in text
    home = client.get("/?page=2").content.decode()
    assert 'aria-current="page">2<' in home


@pytest.mark.parametrize(
    ("page", "message"),
    [("9", "没有第 9 页：这里一共只有 3 页。"), ("abc", "页码“abc”不是数字。"), ("0", "没有第 0 页")],
)
def test_a_page_past_the_end_is_a_404_that_says_which_pages_exist(client, author, page, message):
    publish(25, author=author)
    response = client.get(f"/?page={page}")
    assert response.status_code == 404
    text = response.content.decode()
    assert message in text and "回到第一页" in text


def test_an_empty_tag_has_no_second_page(client, db):
    [tag] = services.tags_ensure(names=["冷门"])
    response = client.get(f"/tags/{tag.slug}/?page=2")
    assert response.status_code == 404 and "这里还没有文章" in response.content.decode()


def test_every_page_has_a_search_box_in_the_header(client, author):
    publish(1, author=author)
    for url in ("/", "/authors/writer/", "/feedback/"):
        text = client.get(url).content.decode()
        assert 'class="header-search"' in text and 'action="/search/"' in text, url


def test_cover_thumbnails_show_in_every_list_and_cost_no_query(client, author, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image as PILImage

    from articles.images import services as images
    from articles.models import Article

    settings.MEDIA_ROOT = tmp_path / "media"
    [tag] = services.tags_ensure(names=["增长"])
    publish(30, author=author, tag=tag)
    without = {url: queries(client, url + ("&" if "?" in url else "?") + "page=2") for url in urls(tag)}
    # when: every article gets a cover from the library, with its renditions
    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 600), (30, 120, 200)).save(buffer, format="PNG")
    image = images.image_upload(actor=author, upload=SimpleUploadedFile("cover.png", buffer.getvalue()))
    images.image_ensure_renditions(image=image)
    Article.objects.update(cover_image=image)
    # then: the thumbnails are there (srcset), for the same number of queries
    for url in urls(tag):
        page_url = url + ("&" if "?" in url else "?") + "page=2"
        assert queries(client, page_url) == without[url], page_url
        text = client.get(page_url).content.decode()
        assert text.count('class="cover cover-thumb"') >= 5 and "srcset=" in text, page_url
