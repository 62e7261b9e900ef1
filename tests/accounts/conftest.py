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
