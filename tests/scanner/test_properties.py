"""Robustness: the scanner never raises, offsets always slice the original, and it is deterministic."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.scanner import normalize, scan

# Pieces evaders and broken clients produce: Chinese text, full-width forms, zero-width and
# combining characters, lone surrogates, emoji and keycaps, digits in every script.
FRAGMENTS = [
    "加微信",
    "薇❤信",
    "ｖｘ：",
    "①③⑧",
    "壹贰叁",
    "一三八",
    "傻 X",
    "線上賭場",
    "震惊！",
    "https://t.cn/Ab12",
    "“风水”",
    "\u200b",
    "\u0301",
    "\u20e3",
    "\ufe0f",
    "\U0001f600",
    "İ",
    "ß",
    "\n",
    " ",
    "哈哈哈哈",
    "a@b.co",
]
characters = st.one_of(
    st.characters(),
    st.integers(min_value=0xD800, max_value=0xDFFF).map(chr),  # lone surrogates
    st.integers(min_value=0x0300, max_value=0x036F).map(chr),  # combining marks
    st.integers(min_value=0x4E00, max_value=0x9FFF).map(chr),  # CJK
    st.sampled_from(FRAGMENTS),
)
texts = st.lists(characters, max_size=60).map("".join)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_offsets(title, body, result):
    for finding in result.findings:
        source = title if finding.field == "title" else body
        assert 0 <= finding.start <= finding.end <= len(source)
        assert source[finding.start : finding.end] == finding.match
        assert finding.action in {"block", "review", "flag"}
        assert 0.0 <= finding.score <= 1.0
    assert result.verdict in {"allow", "review", "block"}


@SETTINGS
@given(title=texts, body=texts)
def test_scan_never_raises_and_offsets_slice_the_original(title, body):
    result = scan(title, body)
    check_offsets(title, body, result)


@SETTINGS
@given(body=texts)
def test_scanning_is_deterministic(body):
    assert scan("标题", body).to_dict() == scan("标题", body).to_dict()


@SETTINGS
@given(text=texts)
def test_normalised_positions_map_into_the_original(text):
    norm = normalize(text)
    for i in range(len(norm.text)):
        assert 0 <= norm.origin(i) < len(text)
    positions = [norm.origin(i) for i in range(len(norm.text))]
    assert positions == sorted(set(positions))


@settings(max_examples=5, deadline=None)
@given(piece=st.lists(characters, min_size=1, max_size=30).map("".join))
def test_hundred_thousand_character_inputs(piece):
    body = (piece * (100_000 // len(piece) + 1))[:100_000]
    result = scan(piece[:50], body)
    check_offsets(piece[:50], body, result)
