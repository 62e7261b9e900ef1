"""Data for the appeals and feedback tests, built through the real services: a published
article, a comment on it, a report, and a moderator's decision that penalises its writer."""

import pytest

from accounts import roles
from articles.services_comments import comment_create
from moderation.models import Case
from moderation.services import case_decide, report_create
from tests.articles.conftest import make_published
from tests.factories import UserFactory


@pytest.fixture
def cast(seeded):
    return {
        "author": UserFactory(username="ap-author", roles=[roles.READER, roles.AUTHOR]),
        "editor": UserFactory(username="ap-editor", roles=[roles.READER, roles.EDITOR]),
        "commenter": UserFactory(username="ap-commenter", roles=[roles.READER]),
        "reporter": UserFactory(username="ap-reporter", roles=[roles.READER]),
        "decider": UserFactory(username="ap-decider", roles=[roles.READER, roles.MODERATOR]),
        "reviewer": UserFactory(username="ap-reviewer", roles=[roles.READER, roles.MODERATOR]),
    }


@pytest.fixture
def article(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_published(cast["author"], cast["editor"])


def penalise(*, target, reporter, decider, rule="2.6", step=None, reason="人身攻击，违反公约。"):
    """Report ``target`` and have ``decider`` penalise its owner (content removed)."""
    report_create(reporter=reporter, target=target, rule_code=rule)
    case = Case.objects.get(object_id=target.pk, status="open")
    case = case_decide(
        actor=decider,
        case=case,
        action="penalize",
        rule_code=rule,
        reason=reason,
        step=step,
        step_reason="测试选择的等级" if step is not None else "",
    )
    return case.penalties.get()


@pytest.fixture
def comment(cast, article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return comment_create(article=article, author=cast["commenter"], body="写得真烂，作者什么都不懂。")


@pytest.fixture
def muted(cast, comment, django_capture_on_commit_callbacks):
    """The commenter muted for a day over the comment, which was removed."""
    with django_capture_on_commit_callbacks(execute=True):
        return penalise(target=comment, reporter=cast["reporter"], decider=cast["decider"])
