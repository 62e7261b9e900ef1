"""Races on PostgreSQL (row locks are real there): two reports of one target at once make
one case; two moderators deciding one case at once apply one penalty."""

import pytest
from django.db import close_old_connections

from accounts import roles
from articles.services_comments import comment_create
from cms.errors import StateConflict
from moderation.models import Case, Penalty, Report
from moderation.services import case_decide, report_create
from tests.articles.conftest import make_published
from tests.factories import UserFactory
from tests.moderation.test_expiry import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def comment(seeded):
    author = UserFactory(username="k-author", roles=[roles.READER, roles.AUTHOR])
    editor = UserFactory(username="k-editor", roles=[roles.READER, roles.EDITOR])
    article = make_published(author, editor)
    return comment_create(
        article=article, author=UserFactory(username="k-commenter", roles=[roles.READER]), body="骂人的话"
    )


def test_two_reports_of_one_target_at_once_make_one_case_with_two_reports(comment):
    reporters = [UserFactory(username=f"k-reporter-{i}", roles=[roles.READER]) for i in range(2)]

    def report(index: int):
        close_old_connections()
        return report_create(reporter=reporters[index], target=comment, rule_code="2.6").case_id

    results, errors = run_together(2, report)
    assert errors == {}
    assert len(set(results.values())) == 1
    case = Case.objects.get()
    assert case.reports.count() == 2 and Report.objects.count() == 2
    assert case.reporter_count == 2


def test_two_moderators_deciding_one_case_at_once_apply_one_penalty(comment):
    report_create(reporter=UserFactory(username="k-reporter", roles=[roles.READER]), target=comment, rule_code="2.6")
    case = Case.objects.get()
    moderators = [UserFactory(username=f"k-mod-{i}", roles=[roles.READER, roles.MODERATOR]) for i in range(2)]

    def decide(index: int):
        return case_decide(actor=moderators[index], case=case, action="penalize", rule_code="2.6", reason="辱骂他人")

    results, errors = run_together(2, decide)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(next(iter(errors.values())), StateConflict)
    assert Penalty.objects.count() == 1
    case.refresh_from_db()
    assert case.status == "decided" and case.decided_by_id == moderators[next(iter(results))].pk
