"""Every transition the state table does not allow is refused — by the table and by the
service — with a message naming the article's current status, and leaves the row as it was."""

import datetime
import itertools

import pytest
from django.utils import timezone

from articles import services, workflow
from articles.models import ArticleStatus
from articles.workflow import Transition
from cms.errors import StateConflict
from tests.articles.conftest import content
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ALL_PAIRS = list(itertools.product(ArticleStatus.values, list(Transition)))
INVALID_PAIRS = [(s, t) for s, t in ALL_PAIRS if not workflow.can(s, t)]


def test_the_table_follows_the_product_workflow():
    expected = {
        (ArticleStatus.DRAFT, Transition.SUBMIT): ArticleStatus.SUBMITTED,
        (ArticleStatus.SUBMITTED, Transition.CLAIM): ArticleStatus.IN_REVIEW,
        (ArticleStatus.IN_REVIEW, Transition.REQUEST_CHANGES): ArticleStatus.CHANGES_REQUESTED,
        (ArticleStatus.CHANGES_REQUESTED, Transition.SUBMIT): ArticleStatus.IN_REVIEW,
        (ArticleStatus.IN_REVIEW, Transition.APPROVE): ArticleStatus.APPROVED,
        (ArticleStatus.APPROVED, Transition.SCHEDULE): ArticleStatus.SCHEDULED,
        (ArticleStatus.APPROVED, Transition.PUBLISH): ArticleStatus.PUBLISHED,
        (ArticleStatus.SCHEDULED, Transition.PUBLISH): ArticleStatus.PUBLISHED,
        (ArticleStatus.PUBLISHED, Transition.UNPUBLISH): ArticleStatus.UNPUBLISHED,
        (ArticleStatus.UNPUBLISHED, Transition.ARCHIVE): ArticleStatus.ARCHIVED,
    }
    for (status, transition), target in expected.items():
        assert workflow.check(status, transition) == target


@pytest.mark.parametrize(("status", "transition"), INVALID_PAIRS)
def test_table_refuses_every_invalid_transition_naming_the_current_status(status, transition):
    with pytest.raises(StateConflict) as excinfo:
        workflow.check(status, transition)
    assert f"「{ArticleStatus(status).label}」" in str(excinfo.value)


def _call(transition, article, author, editor):
    """Run the service of `transition` as the person who would be allowed to, if the status were right."""
    later = timezone.now() + datetime.timedelta(hours=2)
    calls = {
        Transition.SAVE_DRAFT: lambda: services.article_save_draft(actor=author, article=article, content=content()),
        Transition.SUBMIT: lambda: services.article_submit(actor=author, article=article),
        Transition.CLAIM: lambda: services.article_claim(actor=editor, article=article),
        Transition.TAKE_OVER: lambda: services.article_take_over(actor=editor, article=article),
        Transition.REQUEST_CHANGES: lambda: services.article_request_changes(actor=editor, article=article, note="改"),
        Transition.APPROVE: lambda: services.article_approve(actor=editor, article=article),
        Transition.SCHEDULE: lambda: services.article_schedule(actor=editor, article=article, publish_at=later),
        Transition.UNSCHEDULE: lambda: services.article_unschedule(actor=editor, article=article),
        Transition.PUBLISH: lambda: services.article_publish(actor=editor, article=article),
        Transition.UNPUBLISH: lambda: services.article_unpublish(actor=editor, article=article, reason="下线"),
        Transition.ARCHIVE: lambda: services.article_archive(actor=editor, article=article, reason="退稿"),
        Transition.EDIT: lambda: services.article_edit(actor=editor, article=article, content=content(title="改")),
    }
    return calls[transition]()


@pytest.mark.parametrize(("status", "transition"), INVALID_PAIRS)
def test_service_refuses_every_invalid_transition_and_changes_nothing(status, transition, author, editor, other_editor):
    # given an article in `status`, claimed by someone else for take-over (so only the status is wrong)
    claimant = other_editor if transition == Transition.TAKE_OVER else editor
    article = ArticleFactory(
        author=author,
        status=status,
        claimed_by=claimant,
        scheduled_at=timezone.now() + datetime.timedelta(hours=1),
        published_at=None,
    )
    before = (article.status, article.title, article.updated_at)
    # when / then
    with pytest.raises(StateConflict):
        _call(transition, article, author, editor)
    article.refresh_from_db()
    assert (article.status, article.title, article.updated_at) == before
