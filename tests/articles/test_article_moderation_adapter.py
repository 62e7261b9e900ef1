"""The article's moderation adapter: what moderation reads and how it holds, hides and removes."""

import pytest

from articles import services
from articles.models import Article, ArticleStatus
from articles.moderation import ArticleAdapter
from moderation.registry import registry
from tests.articles.conftest import make_approved, make_draft

pytestmark = pytest.mark.django_db


def test_articles_are_registered_with_moderation():
    assert isinstance(registry.adapter_for(Article), ArticleAdapter)


def test_the_scanned_text_is_the_summary_and_the_markdown_body(author):
    article = make_draft(author, summary="一句摘要", body="## 正文")
    adapter = registry.adapter_for(article)
    assert adapter.get_title(article) == article.title
    assert adapter.get_text(article) == "一句摘要\n\n## 正文"
    assert adapter.get_owner(article) == author
    assert adapter.get_url(article) == f"/editor/articles/{article.pk}/"


def test_hiding_a_published_article_takes_it_out_of_public_view_until_restored(author, editor):
    article = services.article_publish(actor=editor, article=make_approved(author, editor))
    adapter = registry.adapter_for(article)
    adapter.hide(article, reason="多名用户举报，待审核。")
    assert not Article.objects.public().filter(pk=article.pk).exists()
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.PUBLISHED
    assert list(adapter.recent_public(10)) == []
    adapter.restore(article)
    assert Article.objects.public().filter(pk=article.pk).exists()


def test_removal_takes_a_published_article_down_and_tells_the_author(
    author, editor, mailoutbox, django_capture_on_commit_callbacks
):
    article = services.article_publish(actor=editor, article=make_approved(author, editor))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registry.adapter_for(article).remove(article, reason="违反社区公约 3.1：反复推广。")
    article.refresh_from_db()
    assert article.status == ArticleStatus.UNPUBLISHED and article.unpublish_reason.startswith("违反社区公约")
    assert len(mailoutbox) == 1 and "违反社区公约 3.1" in mailoutbox[0].body
    # removing again changes nothing and sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        registry.adapter_for(article).remove(article, reason="再来一次")
    assert len(mailoutbox) == 1
