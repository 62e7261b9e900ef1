"""The public pages are cached and purged when something on them changes."""

import pytest
from django.test import Client

from accounts import roles
from articles import services
from articles.cache import purge_article
from articles.services_comments import comment_create
from tests.articles.conftest import make_approved, make_published
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    article = ArticleFactory(title="缓存里的文章")
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = Client().get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert "缓存里的文章" in second.content.decode()


def test_cached_page_carries_each_visitors_own_csrf_token():
    article = ArticleFactory()
    Client().get(article.get_absolute_url())  # fills the cache
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    text = response.content.decode()
    assert "__yumao_csrf_token_placeholder__" not in text
    token = text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    # The token works with the cookie this visitor was given: switching language succeeds.
    answer = visitor.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert answer.status_code == 302
    # On the next cached page the returning visitor keeps the same secret, so it still works.
    again = visitor.get(article.get_absolute_url())
    second = again.content.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    answer = visitor.post("/i18n/setlang/", {"language": "zh-hans", "next": "/", "csrfmiddlewaretoken": second})
    assert answer.status_code == 302
    # Someone else's token is refused.
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/")
    assert stranger.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token}).status_code == 403


def test_signed_in_readers_never_get_the_anonymous_page(client):
    article = ArticleFactory()
    Client().get(article.get_absolute_url())
    client.force_login(UserFactory(username="wang", pen_name="小王", roles=[roles.READER]))
    response = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "小王" in response.content.decode() and 'name="body"' in response.content.decode()


def test_a_page_with_a_pending_message_is_not_served_from_the_cache():
    article = ArticleFactory()
    Client().get(article.get_absolute_url())
    visitor = Client()
    # An anonymous comment attempt leaves a message ("登录后就可以发表评论了") for the next page.
    visitor.post(f"{article.get_absolute_url()}comments/", {"body": "你好"})
    response = visitor.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response
    assert "登录后就可以发表评论了" in response.content.decode()
    # Once shown, the message is gone and the cached page is served again.
    assert visitor.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_the_article_fragment_is_reused_for_signed_in_readers(client, django_assert_max_num_queries):
    article = ArticleFactory()
    article.tags.create(name="增长", slug="growth")
    client.force_login(UserFactory(roles=[roles.READER]))
    client.get(article.get_absolute_url())  # renders and caches the fragment
    # 7: session, user, article, comments, two permission lookups, and the header's
    # unread-notice COUNT (one per page for a signed-in reader, over notice_user_unread).
    with django_assert_max_num_queries(7):
        text = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/tags/growth/"' in text


def test_unpublishing_purges_the_cached_page(editor, author, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_published(author, editor, title="即将下线的文章")
    assert Client().get(article.get_absolute_url()).status_code == 200
    assert Client().get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(actor=editor, article=article, reason="作者要求撤稿。")
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_publishing_purges_the_cached_home_page(editor, author, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        approved = make_approved(author, editor, title="刚刚发布的新文章")
    assert "刚刚发布的新文章" not in Client().get("/").content.decode()
    assert Client().get("/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(actor=editor, article=approved)
    home = Client().get("/")
    assert home["X-Page-Cache"] == "miss"
    assert "刚刚发布的新文章" in home.content.decode()


def test_a_new_comment_purges_the_cached_page(reader, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    Client().get(article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(article=article, author=reader, body="第一条评论来了")
    response = Client().get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "第一条评论来了" in response.content.decode()


def test_purge_forgets_the_page_under_an_old_slug_too():
    article = ArticleFactory(slug="old-slug")
    Client().get("/a/old-slug/")
    article.slug = "new-slug"
    article.save(update_fields=["slug"])
    purge_article(article)
    assert Client().get("/a/old-slug/").status_code == 404


def test_tag_and_author_pages_are_purged_with_the_lists():
    author = UserFactory(username="zhou", roles=[roles.AUTHOR])
    first = ArticleFactory(author=author, title="第一篇")
    tag = first.tags.create(name="产品", slug="product")
    Client().get("/tags/product/")
    Client().get("/authors/zhou/")
    second = ArticleFactory(author=author, title="第二篇")
    second.tags.add(tag)
    purge_article(second)
    assert "第二篇" in Client().get("/tags/product/").content.decode()
    assert "第二篇" in Client().get("/authors/zhou/").content.decode()


def test_editorial_steps_before_publication_keep_the_lists_cached(author, editor, django_capture_on_commit_callbacks):
    Client().get("/")
    with django_capture_on_commit_callbacks(execute=True):
        make_approved(author, editor, title="还在审稿的文章")
    assert Client().get("/")["X-Page-Cache"] == "hit"
