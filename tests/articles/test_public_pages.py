import re

import pytest

from accounts import roles
from articles import selectors
from articles.models import ArticleStatus, Comment, Originality, ReprintPolicy, Tag
from tests.factories import ArticleFactory, UserFactory

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
    # The copyright notice opens the feedback page with this article and the copyright kind filled in.
    assert f'href="/feedback/?kind=copyright&amp;article={article.pk}"' in text and "反馈举报" in text


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


# The article page: what it shows, and what it costs


def add_comments(article, count, **fields):
    readers = UserFactory.create_batch(min(count, 5), roles=[roles.READER])
    return Comment.objects.bulk_create(
        Comment(article=article, author=readers[n % len(readers)], body=f"第 {n} 条评论", **fields)
        for n in range(count)
    )


def add_tags(article, count):
    tags = [Tag.objects.create(name=f"标签{n}", slug=f"tag-{article.pk}-{n}") for n in range(count)]
    article.tags.set(tags)
    return tags


@pytest.mark.parametrize("comments", [0, 30])
@pytest.mark.parametrize("tags", [0, 10])
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "reader"])
def test_article_page_runs_at_most_eight_queries_whatever_the_comments_and_tags(
    client, django_assert_max_num_queries, comments, tags, signed_in
):
    article = ArticleFactory()
    add_comments(article, comments)
    add_tags(article, tags)
    if signed_in:
        client.force_login(UserFactory(roles=[roles.READER]))
    # A first visit, with nothing cached.
    with django_assert_max_num_queries(8):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="comment"') == comments


def test_article_page_shows_cover_tags_source_handle_and_author_box(client):
    author = UserFactory(username="linxiaoman", pen_name="林小满", bio="做了十年用户增长。")
    article = ArticleFactory(
        author=author, source="增长实验室", source_handle="@growthlab", cover="articles/covers/x.png"
    )
    add_tags(article, 2)
    text = client.get(article.get_absolute_url()).content.decode()
    assert "来源 | 增长实验室（@growthlab）" in text
    assert 'src="/media/articles/covers/x.png"' in text  # a cover from before the image library
    assert f'href="/tags/tag-{article.pk}-0/"' in text
    assert 'href="/authors/linxiaoman/"' in text and "做了十年用户增长。" in text


def test_reprinted_article_names_its_source_and_policy(client):
    article = ArticleFactory(
        originality=Originality.REPRINT,
        reprint_source_url="https://example.com/original",
        reprint_policy=ReprintPolicy.WITH_ATTRIBUTION,
    )
    text = client.get(article.get_absolute_url()).content.decode()
    assert "本文转载自" in text and 'href="https://example.com/original"' in text
    assert "注明作者和出处即可转载" in text


def test_held_article_is_not_shown(client):
    article = ArticleFactory(held=True)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in client.get("/").content.decode()


def test_comments_are_shown_oldest_first_and_paginated(client):
    article = ArticleFactory()
    add_comments(article, selectors.COMMENTS_PER_PAGE + 3)
    first = client.get(article.get_absolute_url()).content.decode()
    assert '评论（<span id="comment-count">53</span>）' in first
    assert first.index("第 0 条评论") < first.index("第 1 条评论")
    assert "第 50 条评论" not in first
    second = client.get(article.get_absolute_url(), {"comments": 2}).content.decode()
    assert "第 52 条评论" in second and "第 0 条评论" not in second


# Tag and author pages


def test_tag_page_lists_the_published_articles_with_that_tag(client):
    tag = Tag.objects.create(name="增长", slug="growth")
    tagged = ArticleFactory(title="增长的三个阶段")
    tagged.tags.add(tag)
    draft = ArticleFactory(title="还没发布的增长文章", status=ArticleStatus.DRAFT, published_at=None)
    draft.tags.add(tag)
    ArticleFactory(title="和增长无关的文章")
    text = client.get("/tags/growth/").content.decode()
    assert "标签：增长" in text and "增长的三个阶段" in text
    assert "还没发布的增长文章" not in text and "和增长无关的文章" not in text
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_tag_and_author_pages_run_a_constant_number_of_queries(client, django_assert_max_num_queries):
    author = UserFactory(username="prolific", roles=[roles.AUTHOR])
    tag = Tag.objects.create(name="产品", slug="product")
    for article in ArticleFactory.create_batch(40, author=author):
        article.tags.add(tag)
    for path in ["/tags/product/", "/tags/product/?page=2", "/authors/prolific/", "/authors/prolific/?page=3"]:
        with django_assert_max_num_queries(4):
            assert client.get(path).status_code == 200


def test_author_page_shows_pen_name_bio_and_published_articles(client):
    author = UserFactory(username="linxiaoman", pen_name="林小满", bio="专注私域与社群。", roles=[roles.AUTHOR])
    ArticleFactory(author=author, title="私域流量退潮之后")
    ArticleFactory(author=author, title="一篇草稿", status=ArticleStatus.DRAFT, published_at=None)
    text = client.get("/authors/linxiaoman/").content.decode()
    assert "<h1" in text and "林小满" in text and "专注私域与社群。" in text
    assert "私域流量退潮之后" in text and "一篇草稿" not in text
    assert "已发表 1 篇文章" in text


def test_a_reader_without_articles_has_no_author_page(client):
    UserFactory(username="justreading", roles=[roles.READER])
    assert client.get("/authors/justreading/").status_code == 404
    assert client.get("/authors/nobody-here/").status_code == 404


def test_the_language_switch_names_each_language_in_itself(client):
    text = client.get("/").content.decode()
    assert 'lang="en">English</button>' in text
    assert 'lang="zh-hans" aria-current="true">简体中文</button>' in text
