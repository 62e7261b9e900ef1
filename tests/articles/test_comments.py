"""Readers' comments: posting (page, htmx, API), validation, rate limit, visibility, scans."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from accounts import roles
from accounts.ratelimit import RateLimited
from articles.models import ArticleStatus, Comment, CommentStatus
from articles.services_comments import (
    COMMENT_RATE_LIMIT,
    comment_create,
    comment_hide,
    comment_remove,
    comment_restore,
)
from cms.errors import StateConflict
from moderation.models import AuditEntry, ScanRecord
from moderation.services import TermData, term_create
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

BLOCK_WORD = "紫晶独角兽"  # an invented word no real text contains


@pytest.fixture
def article():
    return ArticleFactory(title="私域流量退潮之后")


def post_url(article) -> str:
    return f"{article.get_absolute_url()}comments/"


# The service


def test_a_reader_comments_on_a_published_article(article, reader):
    comment = comment_create(article=article, author=reader, body="  写得很实在。\r\n第二行。 ")
    assert comment.body == "写得很实在。\n第二行。"
    assert comment.status == CommentStatus.VISIBLE


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "评论不能为空"),
        ("   \n ", "评论不能为空"),
        ("好" * 1001, "评论最多 1000 字，现在是 1001 字，请删减 1 字。"),
    ],
)
def test_empty_or_too_long_comments_are_refused_with_a_clear_message(article, reader, body, message):
    with pytest.raises(ValidationError) as error:
        comment_create(article=article, author=reader, body=body)
    assert message in error.value.message_dict["body"][0]
    assert not Comment.objects.exists()


def test_exactly_a_thousand_characters_is_accepted(article, reader):
    assert len(comment_create(article=article, author=reader, body="好" * 1000).body) == 1000


def test_an_account_without_the_comment_permission_cannot_comment(article):
    with pytest.raises(PermissionDenied):
        comment_create(article=article, author=UserFactory(), body="你好")


def test_nobody_can_comment_on_an_unpublished_article(reader):
    draft = ArticleFactory(status=ArticleStatus.DRAFT, published_at=None)
    with pytest.raises(StateConflict):
        comment_create(article=draft, author=reader, body="你好")


def test_a_reader_may_post_five_comments_a_minute_and_no_more(article, reader):
    for n in range(COMMENT_RATE_LIMIT):
        comment_create(article=article, author=reader, body=f"第 {n} 条")
    with pytest.raises(RateLimited) as error:
        comment_create(article=article, author=reader, body="第六条")
    assert "每分钟最多 5 条" in str(error.value)
    # Another reader is not affected.
    comment_create(article=article, author=UserFactory(roles=[roles.READER]), body="我也来说两句")


# Moderators' actions


def test_a_moderator_hides_restores_and_removes_a_comment_with_audit_entries(article, reader, moderator):
    comment = comment_create(article=article, author=reader, body="一条评论")
    comment = comment_hide(actor=moderator, comment=comment, reason="涉嫌广告，待核实。")
    assert (comment.status, comment.hidden_reason) == (CommentStatus.HIDDEN, "涉嫌广告，待核实。")
    comment = comment_restore(actor=moderator, comment=comment)
    assert comment.status == CommentStatus.VISIBLE
    comment = comment_remove(actor=moderator, comment=comment, reason="确认是广告。")
    assert comment.status == CommentStatus.REMOVED
    actions = list(
        AuditEntry.objects.filter(action__startswith="comment.").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["comment.hide", "comment.restore", "comment.remove"]
    with pytest.raises(StateConflict):
        comment_remove(actor=moderator, comment=comment, reason="再删一次")


def test_readers_and_editors_cannot_hide_comments(article, reader, editor):
    comment = comment_create(article=article, author=reader, body="一条评论")
    for actor in (reader, editor):
        with pytest.raises(PermissionDenied):
            comment_hide(actor=actor, comment=comment, reason="不喜欢")


def test_hiding_needs_a_reason(article, reader, moderator):
    comment = comment_create(article=article, author=reader, body="一条评论")
    with pytest.raises(ValidationError):
        comment_hide(actor=moderator, comment=comment, reason="  ")


# What people see


def test_a_hidden_comment_is_not_there_for_others_and_in_full_for_its_writer(article, reader, moderator):
    comment = comment_create(article=article, author=reader, body="只有我能看到的话")
    comment_hide(actor=moderator, comment=comment, reason="待核实")
    others = Client().get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{comment.pk}"' not in others and "只有我能看到的话" not in others
    assert '<span id="comment-count">0</span>' in others
    other_reader = Client()
    other_reader.force_login(UserFactory(roles=[roles.READER]))
    assert "只有我能看到的话" not in other_reader.get(article.get_absolute_url()).content.decode()
    writer = Client()
    writer.force_login(reader)
    mine = writer.get(article.get_absolute_url()).content.decode()
    assert "只有我能看到的话" in mine and "只有你自己能看到" in mine and "待核实" in mine


def test_a_removed_comment_is_shown_to_nobody(article, reader, moderator):
    comment = comment_create(article=article, author=reader, body="被删除的评论")
    comment_remove(actor=moderator, comment=comment, reason="违规")
    writer = Client()
    writer.force_login(reader)
    text = writer.get(article.get_absolute_url()).content.decode()
    assert "被删除的评论" not in text and "该评论已被隐藏" not in text


def test_visitors_are_invited_to_sign_in_to_comment(client, article):
    text = client.get(article.get_absolute_url()).content.decode()
    assert "后发表评论" in text and 'name="body"' not in text


# Posting through the page


def test_posting_without_javascript_redirects_to_the_new_comment(client, article, reader):
    client.force_login(reader)
    response = client.post(post_url(article), {"body": "不用脚本也能评论"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "评论已发表" in page and "不用脚本也能评论" in page


def test_posting_with_htmx_returns_a_fresh_form_and_the_new_comment(client, article, reader):
    client.force_login(reader)
    response = client.post(post_url(article), {"body": "htmx 发的评论"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="beforeend:#comment-list"' in text and "htmx 发的评论" in text
    assert '<span id="comment-count" hx-swap-oob="true">1</span>' in text
    assert "评论已发表" in text
    assert "<textarea" in text and "htmx 发的评论</textarea>" not in text


def test_an_invalid_comment_keeps_what_was_typed(client, article, reader):
    client.force_login(reader)
    typed = "好" * 1001
    response = client.post(post_url(article), {"body": typed}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "请删减 1 字" in text and f">{typed}</textarea>" in text
    full = client.post(post_url(article), {"body": typed})
    assert full.status_code == 400
    assert "请删减 1 字" in full.content.decode() and f">{typed}</textarea>" in full.content.decode()


def test_the_page_says_when_a_reader_comments_too_fast(client, article, reader):
    client.force_login(reader)
    for n in range(COMMENT_RATE_LIMIT):
        client.post(post_url(article), {"body": f"第 {n} 条"}, HTTP_HX_REQUEST="true")
    response = client.post(post_url(article), {"body": "太快了"}, HTTP_HX_REQUEST="true")
    assert "评论太频繁了" in response.content.decode() and ">太快了</textarea>" in response.content.decode()
    assert client.post(post_url(article), {"body": "还是太快"}).status_code == 429


def test_visitors_posting_are_sent_to_sign_in(client, article):
    response = client.post(post_url(article), {"body": "匿名评论"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert not Comment.objects.exists()


# The API


def api_url(article) -> str:
    return f"/api/v1/articles/{article.pk}/comments/"


def test_api_lists_visible_comments_oldest_first(client, article, reader, moderator):
    comment_create(article=article, author=reader, body="第一条")
    hidden = comment_create(article=article, author=reader, body="被隐藏的")
    comment_create(article=article, author=reader, body="第三条")
    comment_hide(actor=moderator, comment=hidden, reason="待核实")
    data = client.get(api_url(article)).json()
    assert [c["body"] for c in data["results"]] == ["第一条", "第三条"]
    assert data["results"][0]["author"] == reader.display_name


def test_api_creates_a_comment_for_the_signed_in_reader(client, article, reader):
    client.force_login(reader)
    response = client.post(api_url(article), {"body": "接口发的评论"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["body"] == "接口发的评论" and response.json()["status"] == "visible"


def test_api_errors_are_readable(client, article, reader):
    assert client.post(api_url(article), {"body": "匿名"}, content_type="application/json").status_code in (401, 403)
    client.force_login(reader)
    empty = client.post(api_url(article), {"body": ""}, content_type="application/json")
    assert empty.status_code == 400 and "评论不能为空" in empty.json()["detail"]
    for n in range(COMMENT_RATE_LIMIT):
        client.post(api_url(article), {"body": f"第 {n} 条"}, content_type="application/json")
    limited = client.post(api_url(article), {"body": "太快了"}, content_type="application/json")
    assert limited.status_code == 429 and "评论太频繁了" in limited.json()["detail"]
    assert 0 < int(limited["Retry-After"]) <= 60  # what is left of the window (tests/cms/test_retry_after.py)
    draft = ArticleFactory(status=ArticleStatus.DRAFT, published_at=None)
    assert client.get(api_url(draft)).status_code == 404


# Scanning


def test_a_new_comment_is_scanned_and_a_block_verdict_hides_it(
    article, reader, moderator, seeded, django_capture_on_commit_callbacks
):
    term_create(actor=moderator, data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    with django_capture_on_commit_callbacks(execute=True):
        bad = comment_create(article=article, author=reader, body=f"快来看{BLOCK_WORD}！")
        good = comment_create(article=article, author=reader, body="写得很好，受教了。")
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == CommentStatus.HIDDEN and "9.4" in bad.hidden_reason
    assert good.status == CommentStatus.VISIBLE
    assert ScanRecord.objects.get(object_id=bad.pk, is_latest=True).verdict == "block"
    assert bad.under_review
    others = Client().get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{bad.pk}"' not in others and BLOCK_WORD not in others
    assert '<span id="comment-count">1</span>' in others


# Moderators act on the article page


def moderate_url(article, comment) -> str:
    return f"{article.get_absolute_url()}comments/{comment.pk}/moderate/"


def test_moderators_see_controls_and_hidden_comments_in_full(article, reader, moderator):
    comment = comment_create(article=article, author=reader, body="需要核实的内容")
    comment_hide(actor=moderator, comment=comment, reason="待核实")
    client = Client()
    client.force_login(moderator)
    text = client.get(article.get_absolute_url()).content.decode()
    assert "需要核实的内容" in text and "已隐藏，读者看不到。" in text
    assert moderate_url(article, comment) in text and 'value="restore"' in text
    other = Client()
    other.force_login(UserFactory(roles=[roles.READER]))
    assert moderate_url(article, comment) not in other.get(article.get_absolute_url()).content.decode()


def test_a_moderator_hides_a_comment_in_place_with_htmx(article, reader, moderator):
    comment = comment_create(article=article, author=reader, body="广告：加我微信")
    client = Client()
    client.force_login(moderator)
    refused = client.post(moderate_url(article, comment), {"action": "hide", "reason": ""}, HTTP_HX_REQUEST="true")
    assert "请写明理由" in refused.content.decode()
    answer = client.post(
        moderate_url(article, comment), {"action": "hide", "reason": "疑似广告"}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200
    assert f'id="comment-{comment.pk}"' in answer.content.decode() and 'value="restore"' in answer.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN and comment.hidden_reason == "疑似广告"
    # Without htmx: a redirect back to the comment, with a message.
    restored = client.post(moderate_url(article, comment), {"action": "restore"})
    assert restored.status_code == 302 and restored["Location"].endswith(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE


def test_readers_cannot_use_the_moderation_action(client, article, reader):
    comment = comment_create(article=article, author=reader, body="我的评论")
    client.force_login(UserFactory(roles=[roles.READER]))
    response = client.post(moderate_url(article, comment), {"action": "remove", "reason": "不喜欢"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE


def test_the_adapter_offers_only_public_comments_to_the_lexicon_dry_run(article, reader, moderator):
    from moderation.registry import registry

    shown = comment_create(article=article, author=reader, body="公开的评论")
    hidden = comment_create(article=article, author=reader, body="被隐藏的评论")
    comment_hide(actor=moderator, comment=hidden, reason="待核实")
    offline = ArticleFactory(status=ArticleStatus.UNPUBLISHED)
    Comment.objects.create(article=offline, author=reader, body="下线文章下的评论")
    adapter = registry.adapter_for(Comment)
    assert list(adapter.recent_public(10)) == [shown]
    assert adapter.get_text(shown) == "公开的评论" and adapter.get_owner(shown) == reader
    assert adapter.get_url(shown) == f"{article.get_absolute_url()}#comment-{shown.pk}"
