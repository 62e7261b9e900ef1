"""Pinyin spellings of lexicon terms: one character written as its pinyin or its initial."""

from moderation.scanner import TermSpec, build_lexicon, scan
from moderation.scanner.variants import pinyin_variants


def lexicon_hits(lexicon, body):
    return [f for f in scan("", body, lexicon=lexicon).findings if f.detector == "lexicon"]


def test_each_variant_replaces_exactly_one_character():
    variants = pinyin_variants("赌博")
    assert set(variants) == {"d博", "du博", "赌b", "赌bo"}


def test_longer_terms_keep_every_other_character():
    variants = pinyin_variants("冰毒")
    assert "冰du" in variants and "b毒" in variants
    for variant in pinyin_variants("代开发票"):
        assert sum(not ch.isascii() for ch in variant) == 3


def test_no_variants_for_single_characters_or_terms_with_latin_letters():
    assert pinyin_variants("赌") == []
    assert pinyin_variants("加v信") == []
    assert pinyin_variants("qq群") == []


def test_a_pinyin_spelling_hits_the_term_and_maps_back_to_the_original():
    lexicon = build_lexicon([TermSpec("冰毒", "1.8", "block")])
    body = "有没有冰du的渠道"
    hits = lexicon_hits(lexicon, body)
    assert [h.match for h in hits] == ["冰du"]
    assert body[hits[0].start : hits[0].end] == "冰du"
    assert hits[0].rule == "1.8"


def test_an_initial_letter_hits_the_term():
    lexicon = build_lexicon([TermSpec("傻逼", "2.6", "block")])
    assert [h.match for h in lexicon_hits(lexicon, "作者真是个傻B")] == ["傻B"]


def test_a_variant_inside_a_longer_latin_word_is_not_a_hit():
    lexicon = build_lexicon([TermSpec("赌博", "1.8", "block")])
    assert lexicon_hits(lexicon, "赌boss 战的攻略") == []


def test_whole_word_terms_and_terms_that_opt_out_get_no_variants():
    lexicon = build_lexicon([TermSpec("小三", "4.6", whole_word=True), TermSpec("稳赚", "3.1", spell_variants=False)])
    assert lexicon_hits(lexicon, "她是xiao三") == []
    assert lexicon_hits(lexicon, "这个项目稳z") == []
