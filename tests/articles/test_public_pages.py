import re

import pytest

from articles.models import ArticleStatus
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_home_lists_published_articles_only(client):
    ArticleFactory(title="已经发布的文章")
    ArticleFactory(title="还在草稿里的文章", status=ArticleStatus.DRAFT, published_at=None)
    text = client.get("/").content.decode()
    assert "已经发布的文章" in text
    assert "还在草稿里的文章" not in text


def test_home_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    ArticleFactory.create_batch(25, featured=True)
    with django_assert_max_num_queries(4):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/?page=3").status_code == 200


def test_article_page_shows_meta_line_disclaimer_and_feedback_link(client):
    article = ArticleFactory(source="增长实验室", byline="陈一舟")
    text = client.get(article.get_absolute_url()).content.decode()
    assert "来源 | 增长实验室" in text
    assert "作者 | 陈一舟" in text
    assert "不代表本平台立场" in text
    assert 'href="/feedback/"' in text and "反馈举报" in text


def test_unpublished_article_is_not_found(client):
    article = ArticleFactory(status=ArticleStatus.DRAFT, published_at=None)
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "markdown",
    [
        "<script>alert(1)</script>",
        "[点我](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "<a href='#' onclick='alert(1)'>x</a>",
    ],
)
def test_markdown_cannot_inject_script(client, markdown):
    article = ArticleFactory(body=f"正文\n\n{markdown}\n")
    text = client.get(article.get_absolute_url()).content.decode()
    body = text.split('class="prose"', 1)[1].split("</div>", 1)[0]
    # Escaped text is harmless; what must never appear is a live tag, URL or handler.
    assert "<script" not in body
    assert not re.search(r"href=\"\s*javascript:", body)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", body)


def test_pages_send_a_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_english_is_available_as_a_second_language(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = client.get("/").content.decode()
    assert "Latest articles" in text
    assert 'lang="en"' in text
