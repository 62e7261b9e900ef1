import pytest

from moderation.dry_run import LexiconChange, lexicon_dry_run
from moderation.services import TermData
from tests.moderation.conftest import BLOCK_WORD, make_note

pytestmark = pytest.mark.django_db


def test_a_new_term_shows_the_recent_items_it_would_newly_hit(convention):
    hit = make_note(title="动物园新馆", body=f"今年的明星是{BLOCK_WORD}。", scan=False)
    make_note(title="增长复盘", body="留存率提升了三个百分点。", scan=False)
    change = LexiconChange(kind="create", data=TermData(term=BLOCK_WORD, rule_code="9.4", action="block"))
    report = lexicon_dry_run(change=change)
    assert report.scanned == 2
    assert [h.obj for h in report.newly_hit] == [hit] and report.stop_hitting == []
    (item,) = report.newly_hit
    assert [f.match for f in item.gained] == [BLOCK_WORD]
    assert (item.verdict_before, item.verdict_after) == ("allow", "block")
    assert item.label == "笔记" and item.url == f"/notes/{hit.pk}/"


def test_disabling_a_term_shows_what_would_stop_hitting(block_term):
    hit = make_note(body=f"今年的明星是{BLOCK_WORD}。", scan=False)
    report = lexicon_dry_run(change=LexiconChange(kind="disable", term=block_term))
    assert [h.obj for h in report.stop_hitting] == [hit] and report.newly_hit == []
    assert [f.match for f in report.stop_hitting[0].lost] == [BLOCK_WORD]


def test_an_edit_that_adds_an_allow_context_stops_hitting_only_in_that_context(block_term):
    in_context = make_note(body=f"动物园展出{BLOCK_WORD}标本。", scan=False)
    make_note(body=f"快来买{BLOCK_WORD}。", scan=False)
    data = TermData(term=BLOCK_WORD, rule_code="9.4", action="block", contexts=("动物园",))
    report = lexicon_dry_run(change=LexiconChange(kind="update", term=block_term, data=data))
    assert [h.obj for h in report.hits] == [in_context]


def test_only_public_items_and_at_most_the_limit_are_scanned(convention):
    for i in range(4):
        make_note(body=f"第{i}条：{BLOCK_WORD}", scan=False)
    hidden = make_note(body=f"不公开的{BLOCK_WORD}", scan=False)
    hidden.public = False
    hidden.save()
    change = LexiconChange(kind="create", data=TermData(term=BLOCK_WORD, rule_code="9.4"))
    report = lexicon_dry_run(change=change, limit=3)
    assert report.scanned == 3
    assert hidden not in [h.obj for h in report.hits]
