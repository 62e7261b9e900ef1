"""The model stage ignores addresses (URLs, Markdown images and link targets, site paths) and
its fast path for short texts gives the same numbers, to the bit, as the general path."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.scanner import scan
from moderation.scanner.model import (
    DEFAULT_PATH,
    SMALL_TEXT,
    TextModel,
    address_spans,
    blank_addresses,
    model_findings,
    text_features,
)
from moderation.scanner.normalize import normalize

from .test_model import random_model

PASTED = "![paste](/media/images/b9/b933d28cceed4f1a9e0c2d7b6a5e4f3c2b1a0d9e7f6a5b4c/original.png)"
PASTED_2 = "![paste](/media/images/3f/3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e/original.png)"
ARTICLE = (
    "周末带孩子去了城东的湿地公园，天气晴朗，风不大，很多人在草坪上放风筝。\n\n"
    f"{PASTED}\n\n"
    "沿着木栈道走了一圈，看到了白鹭和几只野鸭，孩子说下次还想来。"
    "公园里新修了儿童游乐区，滑梯和沙坑都很干净，旁边有休息的长椅。\n\n"
    f"{PASTED_2}\n\n"
    "傍晚回家的路上买了些水果，晚饭做了番茄炒蛋和紫菜汤。"
)


def test_addresses_are_found_and_blanked_to_the_same_length():
    text = (
        f"看图{PASTED}，官网[链接](https://example.com/a?b=1) 或 www.example.cn/x"
        " 以及 shop.example.com 和 /media/a/b.png。"
    )
    found = [text[a:b] for a, b in address_spans(text)]
    assert found == [PASTED, "https://example.com/a?b=1", "www.example.cn/x", "shop.example.com", "/media/a/b.png"]
    blank = blank_addresses(text)
    assert len(blank) == len(text)
    assert blank.startswith("看图" + " " * len(PASTED) + "，官网[链接](")
    for a, b in address_spans(text):
        assert blank[a:b].strip() == ""
    # ordinary prose and numbers stay
    assert address_spans("评分 3.8 分，价格 12.5 元，第 1/2 页。") == []
    assert blank_addresses("没有地址的一句话。") == "没有地址的一句话。"


def test_no_ngram_of_an_address_is_a_feature():
    base = text_features("今天天气很好。", 12, (1, 2, 3))
    with_image = text_features("今天天气很好。" + PASTED, 12, (1, 2, 3))
    with_url = text_features("今天天气很好。https://spam.example.com/x", 12, (1, 2, 3))
    # the image's and the URL's characters add nothing but the (unchanged) prose's n-grams
    for ids, counts in (with_image, with_url):
        assert set(ids.tolist()) <= set(base[0].tolist())
        assert counts.sum() <= base[1].sum() + 2  # at most the n-grams that end at the full stop


def test_a_unit_made_only_of_addresses_is_never_reported():
    # a model that flags everything (bias far above every threshold)
    model = random_model(thresholds=0.5, bias=8.0, window=60)
    url = f"https://example.com/very/long/path/{'a' * 60}"
    body = f"第一段普通的文字，写一些日常的事情。\n\n{PASTED}\n\n{url}\n\n末尾一句。"
    findings = model_findings("", body, model)
    assert findings  # the prose is flagged by this model
    for finding in findings:
        piece = blank_addresses(normalize(body).text)[finding.start : finding.end]
        assert piece.strip(), finding
        assert "/media/" not in finding.match and "https://" not in finding.match
    assert model_findings(PASTED, PASTED + "\n" + PASTED_2, model) == []


def shipped():
    # loaded explicitly: this package's conftest switches the default model off outside test_model*.py
    return TextModel.load(DEFAULT_PATH) if DEFAULT_PATH.exists() else None


def test_an_article_with_two_pasted_images_is_allowed_with_the_shipped_model():
    model = shipped()
    if model is None:
        pytest.skip("no shipped model (make model)")
    result = scan("周末去湿地公园", ARTICLE, model=model)
    assert result.verdict == "allow", result.findings
    # the rules alone do not flag the project's own media paths either
    assert scan("周末去湿地公园", ARTICLE, model=None).findings == []


def test_the_link_detector_still_sees_urls():
    result = scan("", "优惠码在这里 https://bit.ly/3abcd 快来领取返现", model=None)
    assert any(f.detector == "link" for f in result.findings) or result.verdict != "allow"


# --------------------------------------------------------------------------- the fast path
fragments = st.sampled_from(
    [
        "加微信",
        "你是废物。",
        "。",
        "！！",
        "\n",
        " ",
        ".",
        "3.14",
        "\u200b",
        "ｖｘ",
        "\ud800",
        "長",
        "𠀀",
        "a.com/x",
        PASTED[:30],
    ]
)
short_texts = st.lists(st.one_of(st.text(max_size=6), fragments), max_size=12).map("".join)


def _same(model, text, whole):
    norm = normalize(text)
    fast = model.score_normalized(norm, whole=whole)
    general = model.score_normalized(norm, whole=whole, small=False)
    assert np.array_equal(fast[0], general[0])
    assert fast[1].dtype == general[1].dtype and fast[1].tobytes() == general[1].tobytes(), text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=short_texts, whole=st.booleans(), window=st.sampled_from([0, 12, 60]))
def test_the_fast_path_equals_the_general_path_to_the_bit(text, whole, window):
    _same(random_model(bias=0.0, window=window), text, whole)


def test_the_fast_path_equals_the_general_path_with_the_shipped_model_and_word_features():
    model = shipped()
    worded = random_model(bias=0.0, window=60)
    worded.words, worded.word_gate = True, 0.01
    worded._check()
    samples = [
        "好",
        "加我微信领取优惠",
        "你这种人真是脑子有病。滚！",
        "x" * SMALL_TEXT,
        "今天。天气。很好。真的很好。" * 3,
    ]
    for candidate in [m for m in (model, worded) if m is not None]:
        for text in samples:
            for whole in (False, True):
                _same(candidate, text, whole)


def test_an_address_ends_where_the_chinese_prose_resumes():
    text = "见 https://a.example.com/x?y=1加我领取 和 [链接](中文不是地址 以及 shop.example.com/页面"
    assert [text[a:b] for a, b in address_spans(text)] == ["https://a.example.com/x?y=1", "shop.example.com/"]


long_fragments = st.sampled_from(
    [PASTED, "https://example.com/a/b?c=1", " www.x.cn ", "/media/x/y.png", "shop.example.com", "[链接](http://a.b/c)"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.one_of(long_fragments, st.integers(1, 400).map(lambda n: "中文字" * n)), max_size=40))
def test_long_texts_find_the_same_addresses_as_one_pass_of_the_pattern(parts):
    from moderation.scanner.model import _ADDRESS

    text = "".join(parts)
    expected = [m.span("target") if m.group("target") else m.span() for m in _ADDRESS.finditer(text)]
    assert address_spans(text) == expected
