import pytest

from articles import services
from articles.models import Article, ArticleStatus
from tests.articles.conftest import GOOD_BODY, content, make_approved, make_in_review, make_submitted
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_dashboard_is_for_editors_only(client, author, reader):
    assert client.get("/editor/").status_code == 302  # to the login page
    login(client, author)
    assert client.get("/editor/").status_code == 403


def test_dashboard_counts_every_queue(client, author, editor, other_editor):
    make_submitted(author)
    make_submitted(author)
    make_in_review(author, editor)
    changes = make_in_review(author, other_editor)
    services.article_request_changes(actor=other_editor, article=changes, note="补充数据")
    make_approved(author, editor)
    text = login(client, editor).get("/editor/").content.decode()
    counts = {
        key: text.split(f'data-queue-count="{key}">', 1)[1].split("<", 1)[0]
        for key in ("new", "mine", "changes", "approved", "scheduled", "published")
    }
    assert counts == {"new": "2", "mine": "2", "changes": "1", "approved": "1", "scheduled": "0", "published": "0"}


def test_dashboard_runs_a_constant_number_of_queries(client, author, editor, django_assert_max_num_queries):
    login(client, editor)
    for _ in range(3):
        make_submitted(author)
    client.get("/editor/")  # warm the session and permission caches
    # 9: the article queues' 8, and one count for the e-mail submissions tab.
    with django_assert_max_num_queries(9) as few:
        assert client.get("/editor/").status_code == 200
    for _ in range(12):
        make_submitted(author)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/editor/").status_code == 200


def test_review_screen_shows_the_article_thread_diff_and_actions(client, author, editor):
    article = make_in_review(author, editor)
    services.article_edit(
        actor=editor, article=article, content=content(body=GOOD_BODY.replace("有限的运营资源", "有限的预算"))
    )
    services.editorial_comment_add(actor=editor, article=article, body="第二段数据要注明来源。")
    text = login(client, editor).get(f"/editor/articles/{article.pk}/").content.decode()
    assert "用户分层运营的三个误区" in text
    assert "第二段数据要注明来源。" in text
    assert "<del>运营资源</del>" in text and "<ins>预算</ins>" in text
    assert "要求作者修改" in text and "审核通过" in text
    assert "认领审稿" in text  # in the history


def test_claim_from_the_review_screen_says_what_happened(client, author, editor, other_editor):
    article = make_submitted(author)
    response = login(client, editor).post(f"/editor/articles/{article.pk}/claim/", follow=True)
    assert "已认领，现在由你审稿" in response.content.decode()
    client.logout()
    login(client, other_editor)
    response = client.post(f"/editor/articles/{article.pk}/claim/", follow=True)
    text = response.content.decode()
    assert "没有完成" in text and "周编辑" in text  # refused, and why
    response = client.post(f"/editor/articles/{article.pk}/take-over/", follow=True)
    assert "已接手审稿" in response.content.decode()
    article.refresh_from_db()
    assert article.claimed_by == other_editor


def test_wrong_state_action_is_refused_with_the_current_status(client, author, editor):
    article = make_submitted(author)
    response = login(client, editor).post(f"/editor/articles/{article.pk}/publish/", follow=True)
    text = response.content.decode()
    assert "文章当前状态为「已投稿」，不能发布" in text
    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED


def test_schedule_reads_the_time_as_beijing_time(client, author, editor):
    article = make_approved(author, editor)
    login(client, editor).post(f"/editor/articles/{article.pk}/schedule/", {"publish_at": "2099-03-01T09:30"})
    article.refresh_from_db()
    assert article.status == ArticleStatus.SCHEDULED
    assert article.scheduled_at.isoformat() == "2099-03-01T01:30:00+00:00"


def test_unpublish_without_reason_is_refused(client, author, editor):
    article = services.article_publish(actor=editor, article=make_approved(author, editor))
    response = login(client, editor).post(f"/editor/articles/{article.pk}/unpublish/", {"reason": ""}, follow=True)
    assert "请写明下线原因" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.PUBLISHED


def test_editor_can_edit_the_text_and_gets_a_new_revision(client, author, editor):
    article = make_in_review(author, editor)
    login(client, editor)
    data = {
        "title": "编辑改过的标题",
        "summary": article.summary,
        "body": article.body,
        "tags": "增长",
        "source": article.source,
        "byline": article.byline,
        "originality": "original",
        "reprint_policy": "forbidden",
    }
    response = client.post(f"/editor/articles/{article.pk}/edit/", data, follow=True)
    assert "已保存为第 2 版" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "编辑改过的标题"


def test_editorial_thread_reply_and_resolve_through_the_pages(client, author, editor):
    article = make_in_review(author, editor)
    note = services.editorial_comment_add(actor=editor, article=article, body="结尾太仓促。")
    login(client, author)
    client.post(f"/submit/{article.pk}/notes/", {"body": "已经补了一段总结。", "parent": note.pk})
    client.post(f"/submit/notes/{note.pk}/resolve/")
    note.refresh_from_db()
    assert note.replies.get().body == "已经补了一段总结。" and note.resolved


def test_demo_data_puts_a_submission_in_the_editors_queue(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent
    assert client.login(username="demo-editor", password="yumao-demo")
    text = client.get("/editor/").content.decode()
    assert 'data-queue-count="new">1<' in text and "会员体系改版前，先回答这四个问题" in text
    drafts = Article.objects.filter(author__username="demo-author", status=ArticleStatus.DRAFT)
    assert list(drafts.values_list("title", flat=True)) == ["直播带货的退货率为什么居高不下"]


def test_claiming_from_the_queue_opens_the_review_screen(client, author, editor):
    article = make_submitted(author)
    login(client, editor)
    assert f'action="/editor/articles/{article.pk}/claim/"' in client.get("/editor/").content.decode()
    response = client.post(f"/editor/articles/{article.pk}/claim/")
    assert response.url == f"/editor/articles/{article.pk}/"
    assert Article.objects.get(pk=article.pk).claimed_by == editor


def test_a_moderator_reads_the_review_screen_without_editorial_actions(client, author, moderator):
    # given: a submitted article a moderator reaches from the moderation queue
    article = make_submitted(author, title="审核员查看的稿件")
    login(client, moderator)
    # when
    response = client.get(f"/editor/articles/{article.pk}/")
    # then: the article is shown, without the actions only editors may take
    text = response.content.decode()
    assert response.status_code == 200
    assert "审核员查看的稿件" in text
    assert "认领审稿" not in text
    assert "new-note" not in text


def test_the_review_screen_is_closed_to_readers_and_authors(client, author, reader):
    article = make_submitted(author)
    for user in (reader, author):
        login(client, user)
        assert client.get(f"/editor/articles/{article.pk}/").status_code == 403


def test_dashboard_counts_read_only_the_rows_of_some_queue(editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.workflow_selectors import editor_queue_counts

    with CaptureQueriesContext(connection) as captured:
        editor_queue_counts(user=editor)
    (sql,) = (q["sql"] for q in captured.captured_queries)
    # a WHERE over the queues' statuses (what the status indexes answer), not every article
    assert " WHERE " in sql and "submitted" in sql.split(" WHERE ", 1)[1]
