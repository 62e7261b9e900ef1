"""Normalisation undoes evasions and always maps back to the original text."""

import pytest

from moderation.scanner.normalize import normalize, normalize_term


def back(original: str, start: int, end: int) -> str:
    norm = normalize(original)
    o_start, o_end = norm.span(start, end)
    return original[o_start:o_end]


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("ＷＸ：ＡＢＣ２０２４", "wx：abc2024"),  # full-width letters and digits, case folded
        ("線上賭場百家樂", "线上赌场百家乐"),  # traditional → simplified
        ("微\u200b信\u200d号", "微信号"),  # zero-width characters
        ("加 V 信", "加v信"),  # spaces around a lone Latin letter
        ("薇❤信", "薇信"),  # decorative symbol between characters
        ("博 . 彩", "博彩"),
        ("傻 X", "傻x"),
        ("m a r k e t 6 6 8", "market668"),  # spelled out letter by letter
        ("①③⑧⑤②⑦⑨⑥⓪", "138527960"),  # circled digits
        ("壹贰叁肆伍陆柒捌", "12345678"),  # financial numerals
        ("一三八 零零零零 七七二一", "13800007721"),  # Chinese numerals forming a number
        ("138 0000 5216", "13800005216"),  # grouped digits
        ("x²", "x2"),  # superscript
        ("1\ufe0f\u20e3", "1"),  # keycap
        ("好好好好好看", "好看"),  # repeated characters
    ],
)
def test_evasions_are_undone(original, expected):
    assert normalize(original).text == expected


def test_plain_text_keeps_its_words_and_spaces():
    assert normalize("I use ChatGPT 每天").text == "i use chatgpt 每天"


def test_short_chinese_numerals_and_lines_are_left_alone():
    text = "第一\n第二段，一二"
    assert normalize(text).text == text


def test_quotes_between_chinese_characters_are_kept():
    assert normalize("要看“风水”吗").text == "要看“风水”吗"


def test_every_normalised_character_maps_back_to_its_source():
    original = "加 Ｖ 信：ｍ a r k e t ６ ６ ８，電話一三八 零零零零 七七二一❤哈哈哈哈"
    norm = normalize(original)
    for i, ch in enumerate(norm.text):
        source = original[norm.origin(i)]
        assert normalize(source).text in (ch, "") or source.isdigit() or source in "一三八零七二"


def test_spans_map_back_to_the_evasive_original():
    original = "请加 薇 ❤ 信 abc_123 谢谢"
    norm = normalize(original)
    start = norm.text.index("薇信")
    assert back(original, start, start + 2) == "薇 ❤ 信"


def test_terms_are_normalised_like_text():
    assert normalize_term(" 賭場 ") == "赌场"
    assert normalize_term("ＶＸ") == "vx"


def test_empty_and_lone_surrogate_inputs():
    assert normalize("").text == ""
    norm = normalize("a\ud800b")
    assert len(norm.text) == 3
    assert norm.span(0, 3) == (0, 3)


def test_cyrillic_and_greek_look_alikes_become_latin():
    assert normalize("vх：аbс_123").text == "vx：abc_123"  # х, а, с are Cyrillic
