"""Fixtures for the articles tests: people in each role, and articles at each stage of the
workflow, all built through the real services."""

import datetime

import pytest
from django.utils import timezone

from accounts import roles
from articles import services
from articles.services import ArticleContent
from tests.factories import UserFactory

GOOD_BODY = "## 为什么要做用户分层\n\n用户分层的目的，是把有限的运营资源花在最可能带来增长的人身上。"


@pytest.fixture
def author(db):
    return UserFactory(username="author1", pen_name="林小满", roles=[roles.READER, roles.AUTHOR])


@pytest.fixture
def other_author(db):
    return UserFactory(username="author2", roles=[roles.READER, roles.AUTHOR])


@pytest.fixture
def editor(db):
    return UserFactory(username="editor1", pen_name="周编辑", roles=[roles.READER, roles.EDITOR])


@pytest.fixture
def other_editor(db):
    return UserFactory(username="editor2", pen_name="吴编辑", roles=[roles.READER, roles.EDITOR])


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator1", roles=[roles.READER, roles.MODERATOR])


@pytest.fixture
def reader(db):
    return UserFactory(username="reader1", roles=[roles.READER])


def content(**overrides) -> ArticleContent:
    values = {
        "title": "用户分层运营的三个误区",
        "summary": "分层不是把用户切成几块就完事。",
        "body": GOOD_BODY,
        "source": "增长实验室",
        "byline": "林小满",
        "tags": "增长、运营",
    }
    values.update(overrides)
    return ArticleContent(**values)


def make_draft(author, **overrides):
    return services.article_create_draft(actor=author, content=content(**overrides))


def make_submitted(author, **overrides):
    return services.article_submit(actor=author, article=make_draft(author, **overrides))


def make_in_review(author, editor, **overrides):
    return services.article_claim(actor=editor, article=make_submitted(author, **overrides))


def make_approved(author, editor, **overrides):
    return services.article_approve(actor=editor, article=make_in_review(author, editor, **overrides))


def make_published(author, editor, **overrides):
    return services.article_publish(actor=editor, article=make_approved(author, editor, **overrides))


def in_an_hour():
    return timezone.now() + datetime.timedelta(hours=1)
