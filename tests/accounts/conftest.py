import pytest

from tests.accounts.factories import user_in_role


@pytest.fixture
def reader(db):
    return user_in_role("reader", username="reader-wang")


@pytest.fixture
def editor(db):
    return user_in_role("editor", username="editor-li")


@pytest.fixture
def author(db):
    return user_in_role("author", username="author-zhao", pen_name="赵三")


@pytest.fixture
def convention(db):
    """The community convention, loaded as production loads it (penalties and reports name its rules)."""
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", "--no-demo", stdout=StringIO())


@pytest.fixture
def moderator(db):
    return user_in_role("moderator", username="moderator-sun")


@pytest.fixture
def penalise(convention, moderator):
    """Apply a penalty through the real service: ``penalise(user, step, rule="3.4", now=...)``."""
    from moderation.models import Rule
    from moderation.services.penalties import penalty_apply

    def apply(user, step, *, rule="3.4", now=None, reason="测试用的处罚理由。"):
        rule_obj = Rule.objects.select_related("convention").get(convention__is_current=True, code=rule)
        return penalty_apply(actor=moderator, user=user, step=step, rule=rule_obj, reason=reason, now=now)

    return apply
