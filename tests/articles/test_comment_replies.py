"""Comment replies (one level, a notice to the person answered) and what a hidden comment
shows its writer at once (issue 13)."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts import roles
from accounts.models import Notice
from articles.models import Comment, CommentStatus
from articles.services_comments import comment_create, comment_hide
from moderation.services import TermData, term_create
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

BLOCK_WORD = "紫晶独角兽"


@pytest.fixture
def article():
    return ArticleFactory(title="私域流量退潮之后")


@pytest.fixture
def writer(db):
    return UserFactory(username="writer1", pen_name="小周", roles=[roles.READER])


@pytest.fixture
def answerer(db):
    return UserFactory(username="answerer1", pen_name="阿林", roles=[roles.READER])


def post_url(article) -> str:
    return f"{article.get_absolute_url()}comments/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Replies: the service


def test_a_reply_to_a_reply_hangs_under_the_top_level_comment_and_names_whom_it_answers(article, writer, answerer):
    top = comment_create(article=article, author=writer, body="第一条评论")
    reply = comment_create(article=article, author=answerer, body="第一条回复", parent=top)
    again = comment_create(article=article, author=writer, body="回复阿林", parent=reply)
    assert reply.parent == top and reply.reply_to == writer
    assert again.parent == top and again.reply_to == answerer


def test_the_person_answered_gets_a_notice_with_a_link_and_nobody_for_their_own(article, writer, answerer):
    top = comment_create(article=article, author=writer, body="第一条评论")
    reply = comment_create(article=article, author=answerer, body="我不同意", parent=top)
    comment_create(article=article, author=writer, body="自己补充一句", parent=top)
    (notice,) = Notice.objects.filter(user=writer, kind="comment_reply")
    assert "阿林 回复了你在《私域流量退潮之后》下的评论" in notice.text
    assert notice.link == f"{article.get_absolute_url()}#comment-{reply.pk}"
    assert "我不同意" not in notice.text  # not scanned yet when the notice is written
    assert not Notice.objects.filter(user=answerer).exists()


def test_a_reply_to_a_hidden_comment_or_one_of_another_article_is_refused(article, writer, answerer):
    moderator = UserFactory(roles=[roles.READER, roles.MODERATOR])
    hidden = comment_create(article=article, author=writer, body="被隐藏的")
    comment_hide(actor=moderator, comment=hidden, reason="待核实")
    elsewhere = comment_create(article=ArticleFactory(), author=writer, body="别处的评论")
    for parent in (hidden, elsewhere):
        parent.refresh_from_db()
        with pytest.raises(ValidationError, match="不能回复"):
            comment_create(article=article, author=answerer, body="回复", parent=parent)


def test_replies_are_scanned_like_comments(article, writer, answerer, seeded, django_capture_on_commit_callbacks):
    moderator = UserFactory(roles=[roles.READER, roles.MODERATOR])
    term_create(actor=moderator, data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    top = comment_create(article=article, author=writer, body="第一条评论")
    with django_capture_on_commit_callbacks(execute=True):
        reply = comment_create(article=article, author=answerer, body=f"快来看{BLOCK_WORD}", parent=top)
    reply.refresh_from_db()
    assert reply.status == CommentStatus.HIDDEN and reply.under_review


# Replies: the page, with and without htmx


def test_the_page_shows_replies_inside_their_thread_and_a_reply_link(article, writer, answerer):
    top = comment_create(article=article, author=writer, body="第一条评论")
    reply = comment_create(article=article, author=answerer, body="第一条回复", parent=top)
    comment_create(article=article, author=writer, body="第二条评论")
    text = signed_in(answerer).get(article.get_absolute_url()).content.decode()
    thread = text.split(f'id="replies-{top.pk}"')[1].split("</ol>")[0]
    assert f'id="comment-{reply.pk}"' in thread and "回复 小周" in thread
    assert f'hx-get="{article.get_absolute_url()}comments/{top.pk}/reply/"' in text
    assert f'href="{article.get_absolute_url()}?reply={top.pk}#comment-form"' in text
    assert '<span id="comment-count">3</span>' in text


def test_without_javascript_the_reply_link_sets_the_page_form_to_reply(article, writer, answerer):
    top = comment_create(article=article, author=writer, body="第一条评论")
    client = signed_in(answerer)
    page = client.get(f"{article.get_absolute_url()}?reply={top.pk}").content.decode()
    assert f'name="parent" value="{top.pk}"' in page and "回复 小周" in page
    response = client.post(post_url(article), {"body": "同意", "parent": str(top.pk)})
    reply = Comment.objects.get(body="同意")
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{reply.pk}")
    assert reply.parent == top
    # the form's own address answers a plain GET with the same page
    plain = client.get(f"{article.get_absolute_url()}comments/{top.pk}/reply/")
    assert plain.status_code == 302 and plain["Location"].endswith(f"?reply={top.pk}#comment-form")


def test_with_htmx_the_reply_form_comes_in_place_and_the_reply_joins_its_thread(article, writer, answerer):
    top = comment_create(article=article, author=writer, body="第一条评论")
    client = signed_in(answerer)
    form = client.get(f"{article.get_absolute_url()}comments/{top.pk}/reply/", HTTP_HX_REQUEST="true")
    assert form.status_code == 200
    html = form.content.decode()
    assert f'id="reply-form-{top.pk}"' in html and 'name="in_thread" value="1"' in html
    assert "还可以输入" in html  # the counter's sentence is in the form
    answer = client.post(
        post_url(article), {"body": "同意", "parent": str(top.pk), "in_thread": "1"}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "回复已发表" in html
    assert f'hx-swap-oob="beforeend:#replies-{top.pk}"' in html
    assert '<span id="comment-count" hx-swap-oob="true">2</span>' in html
    # the "no comments yet" line is gone already: no out-of-band swap that has no target
    assert "comments-empty" not in html


# A hidden comment: what its writer sees at once, and what others count


@pytest.mark.django_db(transaction=True)
def test_a_comment_the_scanner_hides_tells_its_writer_at_once(article, writer, seeded):
    # Committed for real, as under `make run`: the in-process scan runs when the comment commits.
    moderator = UserFactory(roles=[roles.READER, roles.MODERATOR])
    term_create(actor=moderator, data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    client = signed_in(writer)
    response = client.post(post_url(article), {"body": f"快来看{BLOCK_WORD}"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "HX-Retarget" not in response
    html = response.content.decode()
    assert "你的评论正在审核，通过后其他读者才能看到。" in html
    assert "评论已发表" not in html
    assert '<span id="comment-count" hx-swap-oob="true">1</span>' in html
    assert 'hx-swap-oob="delete"' in html  # the first comment: the empty line is on the page
    comment = Comment.objects.get(author=writer)
    assert comment.status == CommentStatus.HIDDEN
    notice = Notice.objects.get(user=writer, kind="comment_held")
    assert "正在审核" in notice.text and "9.4 其他有害内容" in notice.text
    assert notice.link.endswith(f"#comment-{comment.pk}")
    # others neither see nor count it; the writer sees it marked
    others = Client().get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{comment.pk}"' not in others and '<span id="comment-count">0</span>' in others
    mine = client.get(article.get_absolute_url()).content.decode()
    assert "你的评论正在审核" in mine and '<span id="comment-count">1</span>' in mine


@pytest.mark.django_db(transaction=True)
def test_without_javascript_a_hidden_comment_says_so_after_the_redirect(article, writer, seeded):
    moderator = UserFactory(roles=[roles.READER, roles.MODERATOR])
    term_create(actor=moderator, data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    client = signed_in(writer)
    response = client.post(post_url(article), {"body": f"快来看{BLOCK_WORD}"}, follow=True)
    text = response.content.decode()
    assert "你的评论正在审核，通过后其他读者才能看到。" in text and "评论已发表" not in text


def test_a_moderator_hiding_a_comment_tells_its_writer_why(article, writer):
    moderator = UserFactory(roles=[roles.READER, roles.MODERATOR])
    comment = comment_create(article=article, author=writer, body="需要核实")
    comment_hide(actor=moderator, comment=comment, reason="涉嫌引流。")
    notice = Notice.objects.get(user=writer, kind="content_hidden")
    assert "被审核员隐藏" in notice.text and "理由：涉嫌引流。" in notice.text and "。。" not in notice.text


# The API


def test_the_api_posts_and_lists_replies(article, writer, answerer):
    top = comment_create(article=article, author=writer, body="第一条评论")
    client = signed_in(answerer)
    url = f"/api/v1/articles/{article.pk}/comments/"
    created = client.post(url, {"body": "同意", "parent": top.pk}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["parent"] == top.pk and created.json()["reply_to"] == "小周"
    listed = client.get(url).json()["results"]
    assert [(c["body"], c["parent"]) for c in listed] == [("第一条评论", None), ("同意", top.pk)]
    bad = client.post(url, {"body": "同意", "parent": 999999}, content_type="application/json")
    assert bad.status_code == 400 and "不能回复" in bad.content.decode()


# Query budget


@pytest.mark.parametrize("threads", [1, 6])
def test_the_article_page_costs_the_same_queries_with_replies(client, django_assert_max_num_queries, threads):
    article = ArticleFactory()
    reader = UserFactory(roles=[roles.READER])
    for i in range(threads):
        # Fresh people per thread: the comment rate limit counts per account.
        people = [UserFactory(roles=[roles.READER]) for _ in range(3)]
        top = comment_create(article=article, author=people[0], body=f"评论{i}")
        reply = comment_create(article=article, author=people[1], body=f"回复{i}", parent=top)
        comment_create(article=article, author=people[2], body=f"再回复{i}", parent=reply)
    client.force_login(reader)
    with django_assert_max_num_queries(8):
        response = client.get(article.get_absolute_url())
    assert response.content.decode().count("comment-reply-to") == 2 * threads


# 删除 asks for confirmation


def test_a_moderator_removing_a_comment_must_tick_the_confirmation(article, writer):
    moderator = UserFactory(roles=[roles.READER, roles.MODERATOR])
    comment = comment_create(article=article, author=writer, body="广告内容")
    client = signed_in(moderator)
    url = f"{article.get_absolute_url()}comments/{comment.pk}/moderate/"
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'name="confirm" value="1"' in page and 'hx-confirm="确定删除这条评论吗' in page
    refused = client.post(url, {"action": "remove", "reason": "广告"}, HTTP_HX_REQUEST="true")
    assert "删除前请勾选“确认删除”" in refused.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    done = client.post(url, {"action": "remove", "reason": "广告", "confirm": "1"}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REMOVED
