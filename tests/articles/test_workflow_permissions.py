"""Who may do what, role by role (PRODUCT §2): checked in the services, whatever the caller."""

import pytest
from django.core.exceptions import PermissionDenied

from articles import services
from articles.models import ArticleStatus
from tests.articles.conftest import content, in_an_hour, make_approved, make_draft, make_in_review, make_submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(author, other_author, editor, moderator, reader):
    return {"author": author, "other_author": other_author, "editor": editor, "moderator": moderator, "reader": reader}


@pytest.mark.parametrize(
    ("role", "allowed"), [("author", True), ("editor", False), ("moderator", False), ("reader", False)]
)
def test_only_authors_create_drafts(people, role, allowed):
    if allowed:
        assert services.article_create_draft(actor=people[role], content=content()).status == ArticleStatus.DRAFT
    else:
        with pytest.raises(PermissionDenied):
            services.article_create_draft(actor=people[role], content=content())


def test_editor_creates_a_draft_only_for_an_email_submitter(editor, reader):
    article = services.article_create_draft(
        actor=editor, content=content(), external_submitter_name="王五", external_submitter_email="wangwu@example.com"
    )
    assert article.author is None and article.external_submitter_email == "wangwu@example.com"
    with pytest.raises(PermissionDenied):
        services.article_create_draft(actor=reader, content=content(), external_submitter_name="王五")


@pytest.mark.parametrize("role", ["other_author", "editor", "moderator", "reader"])
def test_only_the_owner_saves_and_submits_a_draft(people, author, role):
    article = make_draft(author)
    with pytest.raises(PermissionDenied):
        services.article_save_draft(actor=people[role], article=article, content=content(title="别人改的"))
    with pytest.raises(PermissionDenied):
        services.article_submit(actor=people[role], article=article)


@pytest.mark.parametrize("role", ["author", "other_author", "moderator", "reader"])
def test_only_editors_review(people, author, editor, role):
    submitted = make_submitted(author)
    with pytest.raises(PermissionDenied):
        services.article_claim(actor=people[role], article=submitted)
    in_review = make_in_review(author, editor)
    with pytest.raises(PermissionDenied):
        services.article_request_changes(actor=people[role], article=in_review, note="改一下")
    with pytest.raises(PermissionDenied):
        services.article_approve(actor=people[role], article=in_review)
    approved = make_approved(author, editor)
    with pytest.raises(PermissionDenied):
        services.article_schedule(actor=people[role], article=approved, publish_at=in_an_hour())
    with pytest.raises(PermissionDenied):
        services.article_publish(actor=people[role], article=approved)


@pytest.mark.parametrize(
    ("role", "allowed"), [("editor", True), ("moderator", True), ("author", False), ("reader", False)]
)
def test_editors_and_moderators_unpublish(people, author, editor, role, allowed):
    article = services.article_publish(actor=editor, article=make_approved(author, editor))
    if allowed:
        services.article_unpublish(actor=people[role], article=article, reason="违反社区公约 3.1")
        article.refresh_from_db()
        assert article.status == ArticleStatus.UNPUBLISHED
    else:
        with pytest.raises(PermissionDenied):
            services.article_unpublish(actor=people[role], article=article, reason="不喜欢")


def test_author_removed_from_the_programme_can_no_longer_submit(author):
    """Roles are groups: an author removed from the programme can no longer submit."""
    article = make_draft(author)
    author.groups.clear()
    author = type(author).objects.get(pk=author.pk)  # a fresh object: Django caches permissions per instance
    with pytest.raises(PermissionDenied):
        services.article_submit(actor=author, article=article)
