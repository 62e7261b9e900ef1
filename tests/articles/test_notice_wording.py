"""Notices quote comments cleanly (no 。”。, an ellipsis when cut), a comment a scan holds
is announced as 评论正在审核 in its title and its text, and the page says it once."""

import pytest
from django.test import Client

from accounts import roles
from accounts.models import Notice
from articles.models import Comment
from articles.services_comments import comment_create, comment_hide
from cms.text import excerpt
from moderation.models import AuditEntry
from moderation.services import TermData, term_create
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

BLOCK_WORD = "紫晶独角兽"
HELD = "你的评论正在审核，通过后其他读者才能看到。"


@pytest.fixture
def article():
    return ArticleFactory(title="私域流量退潮之后")


@pytest.fixture
def writer(db):
    return UserFactory(username="writer1", pen_name="小周", roles=[roles.READER])


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_excerpt_helper_drops_closing_punctuation_and_marks_a_cut():
    assert excerpt("说得很对。") == "说得很对"
    assert excerpt("  两行\n  文字  ") == "两行 文字"
    assert excerpt("一" * 31) == "一" * 30 + "…"
    assert excerpt("一" * 29 + "，二三") == "一" * 29 + "…"
    assert excerpt("一" * 30) == "一" * 30 and excerpt("") == ""


def test_a_reply_notice_quoting_a_sentence_has_no_doubled_full_stop(article, writer):
    top = comment_create(article=article, author=writer, body="这篇文章说得很对。")
    comment_create(article=article, author=UserFactory(roles=[roles.READER]), body="同意", parent=top)
    notice = Notice.objects.get(user=writer, kind="comment_reply")
    assert "“这篇文章说得很对”。" in notice.text and "。”。" not in notice.text


def test_a_long_comment_is_quoted_with_an_ellipsis_in_notices_and_the_audit_log(article, writer):
    body = "这是一条很长的评论，" * 6
    comment = comment_create(article=article, author=writer, body=body)
    moderator = UserFactory(roles=[roles.READER, roles.MODERATOR])
    comment_hide(actor=moderator, comment=comment, reason="涉嫌引流")
    notice = Notice.objects.get(user=writer, kind="content_hidden")
    assert f"“{body[:29]}…”" in notice.text
    entry = AuditEntry.objects.get(action="comment.hide")
    assert entry.target_repr == f"{body[:29]}…" == str(comment)


@pytest.mark.django_db(transaction=True)
def test_a_held_comment_notice_and_page_say_under_review_once(article, writer, seeded):
    moderator = UserFactory(roles=[roles.READER, roles.MODERATOR])
    term_create(actor=moderator, data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    client = signed_in(writer)
    html = client.post(
        f"{article.get_absolute_url()}comments/", {"body": f"快来看{BLOCK_WORD}。"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    # once, under the comment; the form's area says what happens next
    assert html.count("正在审核") == 1 and html.count(HELD) == 1
    assert "审核有了结果会发站内通知给你" in html
    notice = Notice.objects.get(user=writer)
    assert notice.kind == "comment_held" and notice.get_kind_display() == "评论正在审核"
    assert "正在审核" in notice.text and "隐藏" not in notice.get_kind_display()
    assert f"“快来看{BLOCK_WORD}”正在审核" in notice.text
    me = client.get("/accounts/me/").content.decode()
    assert "评论正在审核" in me and "内容被隐藏" not in me
    # without JavaScript: the page after the redirect says it once too
    comment = Comment.objects.get(author=writer)
    page = client.post(f"{article.get_absolute_url()}comments/", {"body": f"再看{BLOCK_WORD}"}, follow=True)
    text = page.content.decode()
    assert text.count(HELD) == 2  # one under each of the two held comments, none in a box
    assert "审核有了结果会发站内通知给你" in text and f'id="comment-{comment.pk}"' in text
