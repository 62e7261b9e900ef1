"""Fixtures for the moderation tests: people in each role, a loaded convention, notes.

`Note` (tests/testapp) is a small model registered with the moderation registry, so the
scan task, the queue and the dry run are exercised without the articles app.
"""

import pytest
from django.db import transaction

from accounts import roles
from moderation.services import TermData, scan_perform, term_create
from tests.factories import UserFactory
from tests.testapp.models import Note

# Invented words no real text or seed lexicon contains, so a test controls what matches.
BLOCK_WORD = "紫晶独角兽"
REVIEW_WORD = "青铜飞马"


@pytest.fixture
def convention(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", "--no-demo", stdout=StringIO())


@pytest.fixture
def moderator(db):
    return UserFactory(username="mod", roles=[roles.READER, roles.MODERATOR])


@pytest.fixture
def editor(db):
    return UserFactory(username="ed", roles=[roles.READER, roles.EDITOR])


@pytest.fixture
def reader(db):
    return UserFactory(username="reader", roles=[roles.READER])


@pytest.fixture
def block_term(convention, moderator):
    return term_create(actor=moderator, data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))


@pytest.fixture
def review_term(convention, moderator):
    return term_create(actor=moderator, data=TermData(term=REVIEW_WORD, rule_code="9.4", action="review"))


def make_note(*, title: str = "", body: str = "", author=None, scan: bool = True) -> Note:
    note = Note.objects.create(title=title, body=body, author=author)
    if scan:
        with transaction.atomic():
            scan_perform(obj=note)
        note.refresh_from_db()
    return note
