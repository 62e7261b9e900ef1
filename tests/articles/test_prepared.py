"""The article page's reads, compiled once per process, give what the ORM gives."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from accounts import roles
from articles import selectors
from articles.models import Article, Comment, Tag
from articles.services_comments import comment_create, comment_hide
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _readers(count):
    # One comment each: a single reader would hit the comment rate limit.
    return [UserFactory(username=f"reader-{n}", roles=[roles.READER]) for n in range(count)]


def _fields(obj, names):
    return {name: getattr(obj, name) for name in names}


def test_article_read_matches_the_orm_field_for_field():
    author = UserFactory(username="writer1", pen_name="老周", bio="写增长")
    article = ArticleFactory(title="私域流量退潮之后", author=author, summary="三年复盘")
    for _ in range(2):  # the first call compiles, the second reuses
        got = selectors.article_get_published(slug=article.slug)
        expected = selectors._article_page_queryset().get(slug=article.slug)
        names = [name for name in selectors.ARTICLE_PAGE_FIELDS if "__" not in name]
        assert _fields(got, names) == _fields(expected, names)
        assert got.published_at.tzinfo is not None
        assert got.get_deferred_fields() == expected.get_deferred_fields()
        with CaptureQueriesContext(connection) as queries:
            assert got.author.display_name == "老周"
            assert got.author.bio == "写增长"
        assert len(queries) == 0


def test_unknown_draft_or_held_article_is_not_found():
    draft = ArticleFactory(status="draft")
    held = ArticleFactory(held=True)
    selectors.article_get_published(slug=ArticleFactory().slug)
    for slug in ("no-such-article", draft.slug, held.slug):
        with pytest.raises(Http404):
            selectors.article_get_published(slug=slug)


def test_comment_pages_match_the_orm_with_writers_and_total(reader, moderator):
    article = ArticleFactory()
    other = ArticleFactory()
    writers = _readers(7)
    comments = [comment_create(article=article, author=writers[n], body=f"第{n}条评论\n换行") for n in range(7)]
    comment_create(article=other, author=reader, body="别的文章")
    comment_hide(actor=moderator, comment=comments[2], reason="广告引流")
    in_order = Comment.objects.filter(article=article).order_by("created_at", "id")
    expected_ids = list(in_order.values_list("id", flat=True))
    for per_page in (3, 50):
        pages = [selectors.comment_page_for_article(article=article, page=n, per_page=per_page) for n in (1, 2, 3)]
        seen = [comment.pk for page in pages for comment in page.comments]
        assert seen == expected_ids
        assert {page.total for page in pages if page.comments} == {7}
    page = selectors.comment_page_for_article(article=article, per_page=50)
    hidden = next(comment for comment in page.comments if comment.pk == comments[2].pk)
    assert hidden.status == "hidden" and hidden.hidden_reason == "广告引流"
    assert page.comments[0].body == "第0条评论\n换行"
    assert page.comments[0].created_at == Comment.objects.get(pk=comments[0].pk).created_at
    with CaptureQueriesContext(connection) as queries:
        assert page.comments[0].author.display_name == writers[0].display_name
    assert len(queries) == 0


def test_pages_beyond_the_compiled_ones_still_work():
    article = ArticleFactory()
    for n, writer in enumerate(_readers(selectors.PREPARED_COMMENT_PAGES + 2)):
        comment_create(article=article, author=writer, body=f"评论{n}")
    last = selectors.PREPARED_COMMENT_PAGES + 2
    page = selectors.comment_page_for_article(article=article, page=last, per_page=1)
    assert [comment.body for comment in page.comments] == [f"评论{last - 1}"]
    assert page.total == last
    empty = selectors.comment_page_for_article(article=article, page=last + 1, per_page=1)
    assert empty.comments == [] and empty.total == last


def test_tags_of_an_article_match_the_orm():
    article = ArticleFactory()
    ArticleFactory().tags.add(Tag.objects.create(name="别处", slug="elsewhere"))
    article.tags.add(Tag.objects.create(name="私域", slug="private"), Tag.objects.create(name="增长", slug="growth"))
    got = selectors.tag_list_for_article(article=article)
    assert [(tag.slug, tag.name) for tag in got] == list(
        Tag.objects.filter(articles=article).order_by("name").values_list("slug", "name")
    )
    assert selectors.tag_list_for_article(article=Article.objects.create(title="无标签", slug="no-tags")) == []
