"""The case page names its subject once when the display name is the username."""

import pytest

from accounts import roles
from articles.services_comments import comment_create
from moderation.services import report_create
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_subject_is_named_once_when_display_name_equals_username(client, moderator, convention):
    writer = UserFactory(username="demo-reader", roles=[roles.READER])
    comment = comment_create(article=ArticleFactory(), author=writer, body="需要核实的说法")
    case = report_create(reporter=UserFactory(roles=[roles.READER]), target=comment, rule_code="2.6", note="").case
    client.force_login(moderator)
    page = client.get(f"/moderation/cases/{case.pk}/").content.decode()
    assert writer.display_name == "demo-reader"
    assert "demo-reader（demo-reader）" not in page and "demo-reader" in page
