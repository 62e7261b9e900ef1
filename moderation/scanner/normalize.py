"""Normalisation that undoes the usual evasions while remembering where every character came from.

`normalize(text)` returns a `Normalized` whose `text` is what detectors and the lexicon
match against and whose `origin(i)` gives, for a position of the normalised text, the
position in the original. The steps, in order:

1. per character: NFKC (full-width letters and digits, circled and superscript numbers,
   keycaps), lower case; zero-width, formatting and combining characters dropped; a
   character whose NFKC form is several characters keeps its one meaningful character
   (⑴ → 1, ‼ → !) or itself. The table of characters this changes is built once at import,
   and the common ideographic punctuation (，：；！？（）) is left alone, so ordinary text
   costs one regex scan;
2. traditional → simplified with OpenCC (`t2s`), kept only when it is length-preserving,
   otherwise character by character;
3. filler removed: spaces and decorative symbols inserted between Chinese characters
   (博 彩, 薇❤信), between a Chinese character and a lone Latin letter (加 V 信, 傻 X),
   between single letters or digits (m a r k e t, 8 8 0 0), decorative symbols between any
   letters (V❤X) and spaces or dashes between digit groups (138 0000 5216);
4. runs of three or more Chinese numerals (一三八, 壹贰叁, 幺) turned into ASCII digits, and
   digit groups joined again where numerals met digits (13八 0000 1234);
5. runs of three or more identical non-ASCII characters collapsed to one (哈哈哈 → 哈; www stays).

Every step maps one character to at most one character, so going back to the original is
a bisect per step over the positions that step dropped — nothing is stored per character.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_CLASS = f"[{_CJK}]"

# Characters that are never content: zero-width spaces and joiners, bidi marks, soft hyphen,
# word joiner, BOM, Mongolian vowel separator, variation selectors, combining keycap.
_ALWAYS_DROP = set(
    "\u200b\u200c\u200d\u200e\u200f\u00ad\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u034f\u20e3\u061c"
) | {chr(c) for c in range(0xFE00, 0xFE10)}

_converter_lock = threading.Lock()
_converter = None


def _t2s():
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                import opencc

                _converter = opencc.OpenCC("t2s")
    return _converter


# Cyrillic and Greek letters that look like Latin ones (vх with a Cyrillic х, ｑｑ → qq).
_CONFUSABLES = dict(
    zip(
        "АВЕКМНОРСТУХаеорсухкмтіјѕԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοκνρτυχ",
        "abekmhopctyxaeopcyxkmtijsqwabezhikmnoptyxaokvptux",
        strict=True,
    )
)


def _fold_char(ch: str) -> str:
    """The one character (or nothing) that `ch` stands for."""
    if ch in _ALWAYS_DROP:
        return ""
    if ch in _CONFUSABLES:
        return _CONFUSABLES[ch]
    category = unicodedata.category(ch)
    if category in ("Mn", "Me", "Cf"):
        return ""
    if category == "Cs":  # a lone surrogate: keep the slot so offsets stay simple
        return "\ufffd"
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        meaningful = [c for c in folded if c.isalnum()]
        if len(meaningful) == 1:
            folded = meaningful[0]
        elif folded and len(set(folded)) == 1:
            folded = folded[0]
        else:
            folded = ch
    lowered = folded.lower()
    if len(lowered) == 1:
        folded = lowered
    if folded == "\u3000":
        folded = " "
    return folded


def _fold_ranges() -> tuple[dict[str, str], str]:
    """The characters folding changes (beyond lower-casing), and a regex class of them.

    Built once at import from the Basic Multilingual Plane and the supplementary blocks
    that hold letter and digit look-alikes or invisible characters. The ideographic comma,
    colon, brackets and sentence marks (，：；！？（）) are left as they are: they are in
    nearly every Chinese sentence, every rule here accepts both widths, and skipping them
    keeps folding nearly free on ordinary text.
    """
    keep = set("，：；！？（）")
    table: dict[str, str] = {}
    blocks = [
        (0x0000, 0x10000),
        (0x1D400, 0x1D800),  # mathematical alphanumerics 𝐚𝟏
        (0x1F100, 0x1F200),  # enclosed alphanumeric supplement 🄰
        (0x2F800, 0x2FA20),  # CJK compatibility ideographs supplement
        (0xE0000, 0xE0080),  # tag characters (invisible)
        (0xE0100, 0xE01F0),  # variation selectors supplement (invisible)
    ]
    for lo, hi in blocks:
        for codepoint in range(lo, hi):
            ch = chr(codepoint)
            if ch in keep:
                continue
            folded = _fold_char(ch)
            lowered = ch.lower()
            if folded != (lowered if len(lowered) == 1 else ch):
                table[ch] = folded
    return table, _fold_class(table)


def _fold_class(chars) -> str:
    """A regex class of `chars`, as ranges of consecutive code points."""
    ranges: list[str] = []
    codepoints = sorted(ord(c) for c in chars)
    i = 0
    while i < len(codepoints):
        j = i
        while j + 1 < len(codepoints) and codepoints[j + 1] == codepoints[j] + 1:
            j += 1
        a, b = codepoints[i], codepoints[j]
        ranges.append(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}")
        i = j + 1
    return "[" + "".join(ranges) + "]"


_FOLD_TABLE, _FOLD_CLASS = _fold_ranges()
_FOLD_RE = re.compile(_FOLD_CLASS)
# The same class without its supplementary-plane ranges: a class of Basic Multilingual Plane
# characters only is compiled to a bitmap and tested in constant time per character, while
# one with astral ranges is tested range by range (hundreds of them) at every position —
# that made folding the most expensive step on ordinary prose. Texts with astral
# characters (emoji, mathematical letters) still use the full class.
_FOLD_BMP_RE = re.compile(_fold_class(c for c in _FOLD_TABLE if ord(c) < 0x10000))
_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")

# What may be inserted between characters to break a word apart.
_FILLER = (
    r"[^\S\n\r]"  # spaces, but not line breaks
    r"|[\u2000-\u2017\u2020-\u206f\u2190-\u2bff\u3000\u30fb\uff65"  # punctuation blocks, except quotes
    r"*.·•_\-~^`|/\\+=#&@<>\U0001f000-\U0001faff♡♥❤★☆✿❀]"  # ASCII and emoji decorations
)
_LONE_LATIN = r"(?<![a-z0-9])[a-z](?![a-z0-9])"
_DECOR = r"[\u2190-\u2bff\U0001f000-\U0001faff♡♥❤★☆✿❀]"
_DIGIT_GAP = r"(?<=[0-9])[ \-\u00a0]{1,2}(?=[0-9])"
_GAP_RE = re.compile(
    # every gap starts with a space or a filler: test that first, it rules out most positions
    rf"(?=\s|{_FILLER})(?:"
    # between two Chinese characters: up to three filler characters
    rf"(?<={CJK_CLASS})(?:{_FILLER}){{1,3}}(?={CJK_CLASS})"
    # between a Chinese character and a lone Latin letter, either way round
    rf"|(?<={CJK_CLASS})\s{{1,2}}(?={_LONE_LATIN})"
    rf"|(?<=(?<![a-z0-9])[a-z])\s{{1,2}}(?={CJK_CLASS})"
    # between single letters or digits spelled out one by one: m a r k e t
    rf"|(?<=(?<![a-z0-9])[a-z0-9])[\s*.·•_\-~|/]{{1,2}}(?=[a-z0-9](?![a-z0-9]))"
    # decorative symbols (hearts, stars, emoji) between any two letters, digits or characters
    rf"|(?<=[a-z0-9{_CJK}]){_DECOR}{{1,3}}(?=[a-z0-9{_CJK}])"
    # between digit groups: 138 0000 5216, 138-0000-5216
    rf"|{_DIGIT_GAP}"
    r")"
)
_DIGIT_GAP_RE = re.compile(_DIGIT_GAP)
_REPEAT_RE = re.compile(r"([^\x00-\x7f])\1{2,}")

_NUMERALS = "零〇一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖"
_NUMERAL_DIGITS = "0012345678912123456789"
_NUMERAL_TABLE = str.maketrans(_NUMERALS, _NUMERAL_DIGITS)
_NUMERAL_RUN_RE = re.compile(rf"[0-9{_NUMERALS}]{{3,}}")
_HAS_NUMERAL_RE = re.compile(f"[{_NUMERALS}]")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and the way back to the original.

    `stages` holds, for each step that dropped characters, the sorted positions it dropped
    (in that step's input) turned into `position - rank`; mapping back is one bisect per
    step, so nothing is computed per character of the text.
    """

    original: str
    text: str
    stages: tuple[list[int], ...] = ()

    def origin(self, position: int) -> int:
        """Original offset of the normalised character at `position` (a start offset)."""
        if position >= len(self.text):
            return len(self.original)
        for adjusted in reversed(self.stages):
            position += bisect_right(adjusted, position)
        return position

    def origin_end(self, position: int) -> int:
        """Original offset just after the normalised character at `position - 1` (an end offset)."""
        if position <= 0:
            return 0
        return self.origin(position - 1) + 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.origin(start), self.origin_end(end)


def _simplify(text: str) -> str:
    if text.isascii():
        return text
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    # OpenCC merged or split a phrase: fall back to converting character by character.
    convert = _t2s().convert
    out = []
    for ch in text:
        c = convert(ch) if ord(ch) > 0x2E7F else ch
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


def _adjusted(dropped: list[int]) -> list[int]:
    """Sorted dropped positions → the form `Normalized.origin` bisects."""
    return [position - rank for rank, position in enumerate(dropped)]


def _drop_spans(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    pieces: list[str] = []
    dropped: list[int] = []
    cursor = 0
    for start, end in spans:
        pieces.append(text[cursor:start])
        dropped.extend(range(start, end))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), dropped


def _fold(text: str) -> tuple[str, list[int]]:
    """Lower-case and fold; returns the text and the positions of dropped characters."""
    lowered = text.lower()
    if len(lowered) != len(text):  # İ and friends lower-case to two characters: keep them
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    pattern = _FOLD_BMP_RE if _ASTRAL_RE.search(lowered) is None else _FOLD_RE
    positions = [m.start() for m in pattern.finditer(lowered)]
    if not positions:
        return lowered, []
    table = _FOLD_TABLE
    dropped: list[int] = []
    pieces: list[str] = []
    cursor = 0
    for start in positions:
        value = table[lowered[start]]
        pieces.append(lowered[cursor:start])
        pieces.append(value)
        if not value:
            dropped.append(start)
        cursor = start + 1
    pieces.append(lowered[cursor:])
    return "".join(pieces), dropped


def normalize(text: str) -> Normalized:
    """Normalise `text` for matching; see the module docstring for the steps."""
    if not text:
        return Normalized(text, "", ())
    stages: list[list[int]] = []
    folded, dropped = _fold(text)
    if dropped:
        stages.append(_adjusted(dropped))
    folded = _simplify(folded)
    spans = [m.span() for m in _GAP_RE.finditer(folded)]
    if spans:
        folded, dropped = _drop_spans(folded, spans)
        stages.append(_adjusted(dropped))
    if _HAS_NUMERAL_RE.search(folded):
        folded = _NUMERAL_RUN_RE.sub(lambda m: m.group().translate(_NUMERAL_TABLE), folded)
        # Numerals that became digits may now sit next to spaced digit groups (13八 0000 1234).
        spans = [m.span() for m in _DIGIT_GAP_RE.finditer(folded)]
        if spans:
            folded, dropped = _drop_spans(folded, spans)
            stages.append(_adjusted(dropped))
    repeats = [(m.start() + 1, m.end()) for m in _REPEAT_RE.finditer(folded)]
    if repeats:
        folded, dropped = _drop_spans(folded, repeats)
        stages.append(_adjusted(dropped))
    return Normalized(text, folded, tuple(stages))


def normalize_term(term: str) -> str:
    """How a lexicon term is written after normalisation (the same steps as text)."""
    return normalize(term.strip()).text
