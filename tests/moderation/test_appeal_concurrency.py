"""Races on appeals, on PostgreSQL (row locks are real there): the same penalty appealed
twice at once makes one appeal; two moderators deciding one appeal at once decide it once."""

import pytest

from accounts import roles
from articles.services_comments import comment_create
from cms.errors import StateConflict
from moderation.models import Appeal, AuditEntry, Case, Penalty
from moderation.services import appeal_create, appeal_decide, case_decide, report_create
from tests.articles.conftest import make_published
from tests.factories import UserFactory
from tests.moderation.test_expiry import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def penalty(seeded):
    author = UserFactory(username="q-author", roles=[roles.READER, roles.AUTHOR])
    editor = UserFactory(username="q-editor", roles=[roles.READER, roles.EDITOR])
    commenter = UserFactory(username="q-commenter", roles=[roles.READER])
    article = make_published(author, editor)
    comment = comment_create(article=article, author=commenter, body="写得真烂，作者什么都不懂。")
    report_create(reporter=UserFactory(username="q-reporter", roles=[roles.READER]), target=comment, rule_code="2.6")
    decider = UserFactory(username="q-decider", roles=[roles.READER, roles.MODERATOR])
    case = case_decide(
        actor=decider, case=Case.objects.get(status="open"), action="penalize", rule_code="2.6", reason="贬低作者"
    )
    return case.penalties.get()


def test_the_same_penalty_appealed_twice_at_once_makes_one_appeal(penalty):
    user = penalty.user

    def appeal(index: int):
        return appeal_create(user=user, penalty=Penalty.objects.get(pk=penalty.pk), text=f"申诉 {index}")

    results, errors = run_together(2, appeal)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(next(iter(errors.values())), StateConflict)
    assert Appeal.objects.count() == 1


def test_two_moderators_deciding_one_appeal_at_once_decide_it_once(penalty):
    appeal = appeal_create(user=penalty.user, penalty=penalty, text="误判")
    reviewers = [UserFactory(username=f"q-reviewer-{i}", roles=[roles.READER, roles.MODERATOR]) for i in range(2)]

    def decide(index: int):
        return appeal_decide(actor=reviewers[index], appeal=appeal, outcome="overturn", reason=f"撤销 {index}")

    results, errors = run_together(2, decide)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(next(iter(errors.values())), StateConflict)
    assert AuditEntry.objects.filter(action="appeal.overturn").count() == 1
