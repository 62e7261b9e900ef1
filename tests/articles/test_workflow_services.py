import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from articles import services
from articles.models import ArticleStatus, EditorialComment, Originality
from cms.errors import StateConflict
from moderation.models import AuditEntry
from tests.articles.conftest import content, in_an_hour, make_approved, make_draft, make_in_review, make_submitted

pytestmark = pytest.mark.django_db


def audit_actions(article):
    return list(
        AuditEntry.objects.filter(target_id=str(article.pk), action__startswith="article.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_the_whole_workflow_moves_through_every_status_and_is_audited(
    author, editor, django_capture_on_commit_callbacks
):
    # given a draft
    with django_capture_on_commit_callbacks(execute=True):
        article = make_draft(author)
        assert article.status == ArticleStatus.DRAFT
        assert article.slug == "用户分层运营的三个误区"  # proposed from the title
        assert article.revisions.count() == 1
        # when it goes through the workflow
        article = services.article_submit(actor=author, article=article)
        assert article.status == ArticleStatus.SUBMITTED and article.submitted_at
        article = services.article_claim(actor=editor, article=article)
        assert article.status == ArticleStatus.IN_REVIEW and article.claimed_by == editor
        services.article_request_changes(actor=editor, article=article, note="第二段请补充数据来源。")
        article.refresh_from_db()
        assert article.status == ArticleStatus.CHANGES_REQUESTED
        services.article_save_draft(
            actor=author, article=article, content=content(body=content().body + "\n\n数据来自 2025 年的调研。")
        )
        article = services.article_submit(actor=author, article=article, note="已补充。")
        assert article.status == ArticleStatus.IN_REVIEW and article.claimed_by == editor
        article = services.article_approve(actor=editor, article=article)
        article = services.article_schedule(actor=editor, article=article, publish_at=in_an_hour())
        assert article.status == ArticleStatus.SCHEDULED
        article = services.article_publish(actor=editor, article=article)
        assert article.status == ArticleStatus.PUBLISHED and article.published_at
        article = services.article_unpublish(actor=editor, article=article, reason="原文作者要求撤稿。")
        article = services.article_archive(actor=editor, article=article)
    # then
    assert article.status == ArticleStatus.ARCHIVED
    assert article.revisions.count() == 2
    assert audit_actions(article) == [
        "article.create",
        "article.submit",
        "article.claim",
        "article.request_changes",
        "article.resubmit",
        "article.approve",
        "article.schedule",
        "article.publish",
        "article.unpublish",
        "article.archive",
    ]
    subjects = [m.subject for m in mail.outbox]
    assert any("已收到你的投稿" in s for s in subjects)
    assert any("编辑请你修改" in s for s in subjects)
    assert any("作者已提交修改稿" in s for s in subjects)
    assert any("已通过审核" in s for s in subjects)
    assert any("已安排定时发布" in s for s in subjects)
    assert any("已发布" in s for s in subjects)
    assert any("已下线" in s for s in subjects)
    change_mail = next(m for m in mail.outbox if "编辑请你修改" in m.subject)
    assert "第二段请补充数据来源。" in change_mail.body and change_mail.to == [author.email]


def test_saving_a_draft_writes_a_revision_only_when_the_text_changed(author):
    article = make_draft(author)
    assert services.article_save_draft(actor=author, article=article, content=content()) is None
    revision = services.article_save_draft(actor=author, article=article, content=content(title="新的标题"))
    assert revision.number == 2 and revision.title == "新的标题" and revision.author == author


def test_unfinished_draft_can_be_saved_but_not_submitted(author):
    article = make_draft(author, title="", body="只写了一句")
    with pytest.raises(ValidationError) as excinfo:
        services.article_submit(actor=author, article=article)
    assert set(excinfo.value.message_dict) == {"title", "body"}
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT and article.body == "只写了一句"


def test_reprint_needs_a_source_url_and_a_permission_statement(author):
    article = make_draft(author, originality=Originality.REPRINT)
    with pytest.raises(ValidationError) as excinfo:
        services.article_submit(actor=author, article=article)
    assert {"reprint_source_url", "reprint_permission"} <= set(excinfo.value.message_dict)
    services.article_save_draft(
        actor=author,
        article=article,
        content=content(
            originality=Originality.REPRINT,
            reprint_source_url="https://example.com/post/1",
            reprint_permission="已获原作者王五书面授权转载。",
        ),
    )
    assert services.article_submit(actor=author, article=article).status == ArticleStatus.SUBMITTED


def test_reprint_source_url_must_be_a_web_address(author):
    with pytest.raises(ValidationError) as excinfo:
        make_draft(author, originality=Originality.REPRINT, reprint_source_url="javascript:alert(1)")
    assert "reprint_source_url" in excinfo.value.message_dict


def test_tags_are_split_on_chinese_and_ascii_separators(author):
    article = make_draft(author, tags="增长、AI，产品, 增长;  运营 ")
    assert sorted(article.tags.values_list("name", flat=True)) == sorted(["增长", "AI", "产品", "运营"])
    slugs = dict(article.tags.values_list("name", "slug"))
    assert slugs["AI"] == "ai"
    assert slugs["增长"] == "增长"  # readable: the name itself (issue 13)
    assert services.tag_slug_for("增长") == slugs["增长"]  # the same name always gets the same slug


def test_too_many_tags_are_refused_with_a_clear_message(author):
    with pytest.raises(ValidationError) as excinfo:
        make_draft(author, tags="、".join(f"标签{i}" for i in range(9)))
    assert "最多添加 8 个标签" in excinfo.value.message_dict["tags"][0]


def test_second_editor_cannot_claim_a_claimed_article_but_can_take_it_over(author, editor, other_editor):
    article = make_in_review(author, editor)
    with pytest.raises(StateConflict, match="周编辑"):
        services.article_claim(actor=other_editor, article=article)
    with pytest.raises(StateConflict, match="接手审稿"):
        services.article_approve(actor=other_editor, article=article)
    article = services.article_take_over(actor=other_editor, article=article, reason="周编辑休假")
    assert article.claimed_by == other_editor
    entry = AuditEntry.objects.get(action="article.take_over")
    assert entry.actor == other_editor and entry.data["previous_editor"] == editor.username
    assert services.article_approve(actor=other_editor, article=article).status == ArticleStatus.APPROVED


def test_held_article_cannot_be_approved_until_released(author, editor):
    from articles.models import Article
    from articles.moderation import ArticleAdapter

    article = make_in_review(author, editor)
    adapter = ArticleAdapter(Article)
    adapter.hold(article, reason="自动扫描拦截：命中社区公约 3.4")
    with pytest.raises(StateConflict, match="暂扣"):
        services.article_approve(actor=editor, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW  # a hold never changes the status
    adapter.release(article)
    assert services.article_approve(actor=editor, article=article).status == ArticleStatus.APPROVED


def test_schedule_must_be_in_the_future(author, editor):
    import datetime

    from django.utils import timezone

    article = make_approved(author, editor)
    with pytest.raises(ValidationError, match="晚于现在"):
        services.article_schedule(
            actor=editor, article=article, publish_at=timezone.now() - datetime.timedelta(minutes=1)
        )


def test_request_changes_needs_a_note(author, editor):
    article = make_in_review(author, editor)
    with pytest.raises(ValidationError):
        services.article_request_changes(actor=editor, article=article, note="   ")


def test_unpublish_needs_a_reason_and_moderators_may_do_it(author, editor, moderator):
    article = services.article_publish(actor=editor, article=make_approved(author, editor))
    with pytest.raises(ValidationError):
        services.article_unpublish(actor=moderator, article=article, reason="")
    article = services.article_unpublish(actor=moderator, article=article, reason="涉嫌抄袭，待核实。")
    assert article.status == ArticleStatus.UNPUBLISHED and article.unpublish_reason == "涉嫌抄袭，待核实。"


def test_editor_edit_of_a_published_article_is_a_new_revision(author, editor, django_capture_on_commit_callbacks):
    article = services.article_publish(actor=editor, article=make_approved(author, editor))
    with django_capture_on_commit_callbacks(execute=True):
        revision = services.article_edit(actor=editor, article=article, content=content(title="修订后的标题"))
    assert revision.author == editor and revision.title == "修订后的标题"
    article.refresh_from_db()
    assert article.title == "修订后的标题" and "修订" in article.search_text


def test_author_can_correct_a_submission_only_before_it_is_claimed(author, editor):
    article = make_submitted(author)
    assert services.article_edit(actor=author, article=article, content=content(title="改个标题")) is not None
    services.article_claim(actor=editor, article=article)
    with pytest.raises(StateConflict, match="编辑认领之前"):
        services.article_edit(actor=author, article=article, content=content(title="再改一次"))


def test_editorial_comment_threads_stay_one_level_deep_and_resolve(author, editor):
    article = make_in_review(author, editor)
    note = services.editorial_comment_add(actor=editor, article=article, body="标题可以更具体。")
    reply = services.editorial_comment_add(actor=author, article=article, body="改成这样？", parent=note)
    reply_to_reply = services.editorial_comment_add(actor=editor, article=article, body="可以。", parent=reply)
    assert reply_to_reply.parent == note
    services.editorial_comment_resolve(actor=author, comment=note)
    note.refresh_from_db()
    assert note.resolved and note.resolved_by == author
    with pytest.raises(StateConflict):
        services.editorial_comment_add(actor=editor, article=article, body="补充一句", parent=note)


def test_strangers_cannot_see_or_join_the_editorial_thread(author, other_author, reader, editor):
    article = make_submitted(author)
    for stranger in (other_author, reader):
        with pytest.raises(PermissionDenied):
            services.editorial_comment_add(actor=stranger, article=article, body="路过")
    assert not EditorialComment.objects.exists()


def test_declining_tells_the_author_why_in_the_thread_and_by_mail(
    author, editor, mailoutbox, django_capture_on_commit_callbacks
):
    article = make_in_review(author, editor)
    with pytest.raises(ValidationError):
        services.article_archive(actor=editor, article=article, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_archive(actor=editor, article=article, reason="选题与本站方向不符。")
    article.refresh_from_db()
    assert article.status == ArticleStatus.ARCHIVED
    assert article.editorial_comments.get().body == "退稿：选题与本站方向不符。"
    assert "选题与本站方向不符" in mailoutbox[-1].body and mailoutbox[-1].to == [author.email]
