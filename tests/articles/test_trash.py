"""Deleting drafts: the trash, who may use it (role by role, in the service), restoring,
the confirmation step, and the beat task's purge after 30 days."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from articles import services, trash
from articles.models import Article, ArticleStatus, Revision
from articles.tasks import purge_trash
from cms.errors import StateConflict
from moderation.models import AuditEntry
from tests.articles.conftest import make_draft, make_published, make_submitted


@pytest.fixture
def external_draft(editor):
    return services.article_create_draft(
        actor=editor,
        content=services.ArticleContent(title="邮件来稿", body="正文" * 20, byline="王五"),
        external_submitter_name="王五",
        external_submitter_email="wangwu@example.test",
    )


def unpublished(author, editor):
    article = make_published(author, editor)
    return services.article_unpublish(actor=editor, article=article, reason="作者要求撤下。")


# Who may trash what (articles.trash._check_role), role by role.


def test_an_author_trashes_their_own_draft(author):
    # given
    draft = make_draft(author)
    # when
    trashed = trash.article_trash(actor=author, article=draft)
    # then
    assert trashed.trashed_at is not None and trashed.trashed_by == author
    assert trashed.status == ArticleStatus.DRAFT
    assert AuditEntry.objects.filter(action="article.trash", target_id=str(draft.pk)).exists()


def test_another_author_cannot_trash_the_draft(author, other_author):
    with pytest.raises(PermissionDenied, match="不是你的草稿"):
        trash.article_trash(actor=other_author, article=make_draft(author))


def test_a_reader_cannot_trash_a_draft(author, reader):
    with pytest.raises(PermissionDenied):
        trash.article_trash(actor=reader, article=make_draft(author))


def test_an_editor_leaves_an_authors_own_draft_alone(author, editor):
    with pytest.raises(PermissionDenied, match="只有作者本人可以删除"):
        trash.article_trash(actor=editor, article=make_draft(author))


def test_a_moderator_cannot_trash_a_draft(author, moderator):
    with pytest.raises(PermissionDenied):
        trash.article_trash(actor=moderator, article=make_draft(author))


def test_an_editor_trashes_an_email_submissions_draft(editor, other_editor, external_draft):
    assert trash.article_trash(actor=other_editor, article=external_draft).trashed_at is not None


def test_an_editor_trashes_an_unpublished_article_but_the_author_cannot(author, editor):
    article = unpublished(author, editor)
    with pytest.raises(StateConflict, match="不能再删除"):
        trash.article_trash(actor=author, article=article)
    assert trash.article_trash(actor=editor, article=article).trashed_at is not None


def test_a_published_article_must_be_unpublished_first(author, editor):
    article = make_published(author, editor)
    with pytest.raises(StateConflict, match="请先下线"):
        trash.article_trash(actor=editor, article=article)
    with pytest.raises(StateConflict, match="联系编辑先下线"):
        trash.article_trash(actor=author, article=article)


def test_a_submitted_article_is_not_the_authors_to_delete(author):
    with pytest.raises(StateConflict, match="请给编辑留言"):
        trash.article_trash(actor=author, article=make_submitted(author))


def test_trashing_twice_says_it_is_already_there(author):
    draft = trash.article_trash(actor=author, article=make_draft(author))
    with pytest.raises(StateConflict, match="已经在回收站"):
        trash.article_trash(actor=author, article=draft)


# Restoring


def test_restore_brings_the_draft_back_and_it_can_be_edited_again(author):
    draft = trash.article_trash(actor=author, article=make_draft(author))
    with pytest.raises(StateConflict, match="回收站"):
        services.article_save_draft(actor=author, article=draft, content=services.ArticleContent(title="新标题"))
    restored = trash.article_restore(actor=author, article=draft)
    assert restored.trashed_at is None
    services.article_save_draft(actor=author, article=restored, content=services.ArticleContent(title="新标题"))
    assert Article.objects.get(pk=draft.pk).title == "新标题"


def test_only_who_may_trash_may_restore(author, other_author):
    draft = trash.article_trash(actor=author, article=make_draft(author))
    with pytest.raises(PermissionDenied):
        trash.article_restore(actor=other_author, article=draft)


def test_the_trash_lists_what_each_person_may_restore(author, other_author, editor, external_draft):
    mine = trash.article_trash(actor=author, article=make_draft(author))
    theirs = trash.article_trash(actor=other_author, article=make_draft(other_author))
    email = trash.article_trash(actor=editor, article=external_draft)
    assert list(trash.article_trash_list(user=author)) == [mine]
    assert set(trash.article_trash_list(user=editor)) == {email}
    assert theirs not in trash.article_trash_list(user=editor)


# Purging (the beat task's service)


def test_the_purge_deletes_only_what_has_been_in_the_trash_30_days(author):
    # given: one draft trashed 31 days ago, one yesterday, one never
    old = trash.article_trash(actor=author, article=make_draft(author, title="旧草稿"))
    recent = trash.article_trash(actor=author, article=make_draft(author, title="新草稿"))
    kept = make_draft(author, title="还在写")
    Article.objects.filter(pk=old.pk).update(trashed_at=timezone.now() - timedelta(days=31))
    Article.objects.filter(pk=recent.pk).update(trashed_at=timezone.now() - timedelta(days=1))
    # when
    purged = purge_trash()
    # then
    assert purged == [old.pk]
    assert not Article.objects.filter(pk=old.pk).exists()
    assert not Revision.objects.filter(article_id=old.pk).exists()
    assert set(Article.objects.values_list("pk", flat=True)) == {recent.pk, kept.pk}
    entry = AuditEntry.objects.get(action="article.purge")
    assert entry.target_id == str(old.pk) and entry.data["title"] == "旧草稿"
    # the trash and restore entries stay in the audit log
    assert AuditEntry.objects.filter(action="article.trash", target_id=str(old.pk)).exists()
    # a second run finds nothing
    assert purge_trash() == []


def test_the_purge_keeps_what_is_29_days_old(author):
    draft = trash.article_trash(actor=author, article=make_draft(author))
    now = timezone.now() + timedelta(days=29)
    assert trash.article_trash_purge_due(now=now) == []
    assert trash.article_trash_purge_due(now=now + timedelta(days=2)) == [draft.pk]


# The pages: the confirmation step works without JavaScript


def test_deleting_needs_the_confirmation_and_offers_undo(client, author):
    draft = make_draft(author, title="要删的草稿")
    client.force_login(author)
    url = reverse("articles:article_trash", kwargs={"pk": draft.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "30 天" in page.content.decode() and 'name="confirm"' in page.content.decode()
    # a POST without the confirmation changes nothing
    refused = client.post(url)
    assert refused.status_code == 400 and "还没有确认" in refused.content.decode()
    assert Article.objects.get(pk=draft.pk).trashed_at is None
    # with it, the draft moves to the trash and the trash page offers 撤销
    done = client.post(url, {"confirm": "yes"}, follow=True)
    text = done.content.decode()
    assert Article.objects.get(pk=draft.pk).trashed_at is not None
    assert "《要删的草稿》已移到回收站" in text and "撤销" in text
    assert "要删的草稿" not in client.get(reverse("articles:submit_mine")).content.decode()
    # 撤销
    back = client.post(reverse("articles:article_restore", kwargs={"pk": draft.pk}), follow=True)
    assert "已恢复" in back.content.decode()
    assert Article.objects.get(pk=draft.pk).trashed_at is None


def test_my_articles_offers_delete_only_for_drafts(client, author):
    draft = make_draft(author, title="草稿一")
    submitted = make_submitted(author, title="已投稿一")
    client.force_login(author)
    text = client.get(reverse("articles:submit_mine")).content.decode()
    assert reverse("articles:article_trash", kwargs={"pk": draft.pk}) in text
    assert reverse("articles:article_trash", kwargs={"pk": submitted.pk}) not in text
    assert "编辑处理中" in text and "继续写" in text


def test_the_confirmation_page_explains_why_a_published_article_cannot_be_deleted(client, author, editor):
    article = make_published(author, editor)
    client.force_login(editor)
    response = client.get(reverse("articles:article_trash", kwargs={"pk": article.pk}), follow=True)
    assert "请先下线" in response.content.decode()
    assert Article.objects.get(pk=article.pk).trashed_at is None


def test_a_stranger_gets_a_403(client, author, other_author):
    draft = make_draft(author)
    client.force_login(other_author)
    response = client.post(reverse("articles:article_trash", kwargs={"pk": draft.pk}), {"confirm": "yes"})
    assert response.status_code == 403
    assert Article.objects.get(pk=draft.pk).trashed_at is None


# The API (PRODUCT §12: DELETE articles/<id>/ moves an author's own draft to the trash)


def test_api_delete_moves_the_draft_to_the_trash(author):
    from rest_framework.test import APIClient

    draft = make_draft(author)
    api = APIClient()
    api.force_authenticate(author)
    response = api.delete(f"/api/v1/articles/{draft.pk}/")
    assert response.status_code == 204
    assert Article.objects.get(pk=draft.pk).trashed_at is not None
    assert api.get(f"/api/v1/articles/{draft.pk}/").status_code == 404


def test_api_delete_of_a_published_article_is_a_409_that_says_why(author, editor):
    from rest_framework.test import APIClient

    article = make_published(author, editor)
    api = APIClient()
    api.force_authenticate(editor)
    response = api.delete(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 409
    assert "请先下线" in response.json()["detail"]


def test_a_trashed_draft_opens_the_trash_instead_of_the_editor(client, author):
    draft = trash.article_trash(actor=author, article=make_draft(author))
    client.force_login(author)
    response = client.get(reverse("articles:submit_edit", kwargs={"pk": draft.pk}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("articles:trash")
    assert "恢复以后才能继续写" in response.content.decode()


def test_purging_an_unpublished_article_drops_the_redirects_to_it(client, author, editor):
    from articles.addresses import article_set_slug
    from articles.models import AddressRedirect

    article = make_published(author, editor)
    article = article_set_slug(actor=editor, article=article, slug="新网址")
    article = services.article_unpublish(actor=editor, article=article, reason="过时了。")
    trash.article_trash(actor=editor, article=article)
    Article.objects.filter(pk=article.pk).update(trashed_at=timezone.now() - timedelta(days=31))
    assert trash.article_trash_purge_due() == [article.pk]
    assert not AddressRedirect.objects.exists()
