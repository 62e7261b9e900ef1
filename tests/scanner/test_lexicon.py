"""The lexicon: one automaton, whole-word checks, allow-list contexts, quoted mentions."""

import json

import pytest

from moderation.scanner import TermSpec, build_lexicon, default_lexicon, load_seed_terms, scan
from moderation.scanner.lexicon import SEED_PATH


def lexicon_hits(lexicon, title="", body=""):
    return [f for f in scan(title, body, lexicon=lexicon).findings if f.detector == "lexicon"]


def test_whole_word_term_does_not_hit_inside_a_longer_word():
    lexicon = build_lexicon([TermSpec("江大桥", "2.1", whole_word=True), TermSpec("小三", "4.6", whole_word=True)])
    assert lexicon_hits(lexicon, body="上周开车经过上海市长江大桥去崇明岛。") == []
    assert lexicon_hits(lexicon, body="后台那个小三角图标在右边。") == []
    hits = lexicon_hits(lexicon, body="她说那个人是小三。")
    assert [h.match for h in hits] == ["小三"]


def test_term_without_whole_word_hits_anywhere():
    lexicon = build_lexicon([TermSpec("江大桥", "2.1")])
    assert [h.match for h in lexicon_hits(lexicon, body="上海市长江大桥")] == ["江大桥"]


def test_latin_terms_never_match_inside_latin_words():
    lexicon = build_lexicon([TermSpec("sb", "2.6", "block")])
    assert lexicon_hits(lexicon, body="插上 USB 接口") == []
    assert [h.match for h in lexicon_hits(lexicon, body="SB作者")] == ["SB"]


def test_allow_list_context_in_the_same_sentence_cancels_the_hit():
    lexicon = build_lexicon([TermSpec("稳赚不赔", "1.8", "block", contexts=("警方", "打击"))])
    assert lexicon_hits(lexicon, body="警方提醒：网上宣称稳赚不赔的平台都是骗局。") == []
    hits = lexicon_hits(lexicon, body="警方很忙。这个平台稳赚不赔，快来！")
    assert [h.match for h in hits] == ["稳赚不赔"]


def test_quoted_mentions_are_not_hits():
    lexicon = build_lexicon([TermSpec("紫微斗数", "6.4")])
    assert lexicon_hits(lexicon, body="“星座”“紫微斗数”等词常被品牌借用。") == []
    assert lexicon_hits(lexicon, body="《紫微斗数》这本书") == []
    assert lexicon_hits(lexicon, body="今晚用紫微斗数给你排一盘。")


def test_evasive_spellings_match_and_report_the_original_text():
    lexicon = build_lexicon([TermSpec("博彩", "1.8", "block")])
    body = "新开的 博 ❤ 彩 平台"
    [hit] = lexicon_hits(lexicon, body=body)
    assert hit.match == "博 ❤ 彩"
    assert body[hit.start : hit.end] == hit.match


def test_traditional_characters_match_simplified_terms():
    lexicon = build_lexicon([TermSpec("百家乐", "1.8", "block")])
    [hit] = lexicon_hits(lexicon, body="線上百家樂")
    assert hit.match == "百家樂"


def test_term_spec_validates_action_and_rule():
    with pytest.raises(ValueError):
        TermSpec("x", "3.1", action="delete")
    with pytest.raises(ValueError):
        TermSpec("x", "spam")


def test_title_hits_carry_the_title_field():
    lexicon = build_lexicon([TermSpec("八字算命", "6.4")])
    [hit] = lexicon_hits(lexicon, title="八字算命指南", body="正文")
    assert (hit.field, hit.start, hit.end, hit.category, hit.action) == ("title", 0, 4, 6, "review")


def test_seed_lexicon_covers_all_nine_categories_with_valid_specs():
    terms = load_seed_terms(SEED_PATH)
    assert len(terms) > 400
    assert {int(t.rule.split(".")[0]) for t in terms} == set(range(1, 10))
    assert all(t.action in {"block", "review", "flag"} for t in terms)
    data = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    assert all(name.startswith("@") is False for name in data["context_sets"])


def test_default_lexicon_is_built_once_per_process():
    assert default_lexicon() is default_lexicon()
    assert len(default_lexicon()) == len(load_seed_terms(SEED_PATH))


@pytest.mark.parametrize(
    "body",
    [
        "面包过期了，记得扔掉。",  # 包过 inside 面包/过期
        "他点头像是同意了。",  # 点头像 across 点头/像是
        "这款手机跑分很高，处理器性能很强。",  # 跑分 as a benchmark
        "卫生间返水怎么办？先检查地漏。",  # 返水 as plumbing
        "海外转运仓的费用比去年低。",  # 转运 as freight forwarding
        "这条彩金项链很好看。",  # 彩金 as coloured gold
        "银行的反洗钱系统升级了。",  # 洗钱 inside 反洗钱
    ],
)
def test_seed_terms_leave_their_everyday_senses_alone(body):
    assert [f for f in scan("", body).findings if f.detector == "lexicon"] == []


def test_whole_word_hits_where_jieba_splits_the_term_itself():
    lexicon = build_lexicon([TermSpec("包过", "3.7", whole_word=True)])
    assert [h.match for h in lexicon_hits(lexicon, body="考试包过，提前拿答案")] == ["包过"]
