"""Notices to authors (issue 13): changes requested, before and after publication. (A
scan's hold and release: tests/moderation/test_live_content_holds.py; hidden comments:
tests/articles/test_comment_replies.py.)"""

import pytest

from accounts.models import Notice
from articles import services
from tests.articles.conftest import make_in_review, make_published

pytestmark = pytest.mark.django_db


def test_a_change_request_tells_the_author_what_and_where(author, editor):
    article = make_in_review(author, editor)
    services.article_request_changes(actor=editor, article=article, note="第二节的数据请注明来源。")
    (notice,) = Notice.objects.filter(user=author, kind="changes_requested")
    assert f"编辑请你修改文章《{article.title}》后再提交。" in notice.text
    assert "修改意见：第二节的数据请注明来源。" in notice.text and "。。" not in notice.text
    assert notice.link == f"/submit/{article.pk}/"


def test_an_editors_note_on_a_published_article_tells_the_author_it_stays_online(author, editor):
    article = make_published(author, editor)
    services.editorial_comment_add(actor=editor, article=article, body="标题里的数字和正文不一致，请改一下")
    (notice,) = Notice.objects.filter(user=author, kind="changes_requested")
    assert "已发布的文章" in notice.text and "文章仍然在线" in notice.text
    assert "修改意见：标题里的数字和正文不一致，请改一下。" in notice.text
    # the author's own note tells nobody
    services.editorial_comment_add(actor=author, article=article, body="好的，马上改。")
    assert Notice.objects.filter(kind="changes_requested").count() == 1
