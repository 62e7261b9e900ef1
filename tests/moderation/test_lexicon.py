import pytest

from moderation import lexicon as live
from moderation.models import Term
from moderation.scanner import default_lexicon, scan
from moderation.services import TermData, term_create, term_disable, term_update
from tests.moderation.conftest import BLOCK_WORD

pytestmark = pytest.mark.django_db


def words(result) -> set[str]:
    return {f.match for f in result.findings}


def test_an_empty_term_table_falls_back_to_the_seed_lexicon():
    assert not Term.objects.exists()
    snapshot = live.lexicon_snapshot()
    assert snapshot.version == 0
    assert snapshot.lexicon is default_lexicon()


def test_the_lexicon_is_built_once_per_version_and_a_change_is_picked_up_without_restart(convention, moderator):
    # given: a worker that has built the current lexicon
    first = live.lexicon_snapshot()
    assert live.lexicon_snapshot() is first  # no rebuild while nothing changed
    assert BLOCK_WORD not in words(scan("", f"看{BLOCK_WORD}", lexicon=live.current_lexicon()))
    # when: a moderator adds a term (another process would see the same database row)
    term = term_create(actor=moderator, data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    # then: the next task rebuilds once and matches the new term
    second = live.lexicon_snapshot()
    assert second is not first and second.version == first.version + 1
    assert live.lexicon_snapshot() is second
    assert BLOCK_WORD in words(scan("", f"看{BLOCK_WORD}", lexicon=second.lexicon))
    # and an edit or a disable is picked up the same way
    term_update(actor=moderator, term=term, data=TermData(term=BLOCK_WORD, rule_code="9.4", action="review"))
    result = scan("", f"看{BLOCK_WORD}", lexicon=live.current_lexicon())
    assert [f.action for f in result.findings if f.match == BLOCK_WORD] == ["review"]
    term_disable(actor=moderator, term=term)
    assert BLOCK_WORD not in words(scan("", f"看{BLOCK_WORD}", lexicon=live.current_lexicon()))


def test_a_rolled_back_database_with_the_same_version_number_is_not_mistaken_for_the_built_one(convention, moderator):
    from moderation.models import LexiconState

    built = live.lexicon_snapshot()
    state = LexiconState.objects.get(pk=1)
    # Another database (a restore, another test) at the same number but a different stamp.
    LexiconState.objects.filter(pk=1).update(stamp="0" * 32)
    assert state.version == built.version
    assert live.lexicon_snapshot() is not built
