"""Normalisation that undoes the usual evasions while remembering where every character came from.

`normalize(text)` returns a `Normalized` whose `text` is what detectors and the lexicon
match against and whose `origin(i)` gives, for a position of the normalised text, the
position in the original. The steps, in order:

1. per character (cached): NFKC (full-width letters and digits, circled and superscript
   numbers, keycaps), lower case; zero-width, formatting and combining characters dropped;
   a character whose NFKC form is several characters keeps its one meaningful character
   (⑴ → 1, ‼ → !) or itself;
2. traditional → simplified with OpenCC (`t2s`), kept only when it is length-preserving,
   otherwise character by character;
3. filler removed: spaces and decorative symbols inserted between Chinese characters
   (博 彩, 薇❤信), between a Chinese character and a lone Latin letter (加 V 信, 傻 X),
   between single letters or digits (m a r k e t, 8 8 0 0) and between digit groups
   (138 0000 5216);
4. runs of three or more Chinese numerals (一三八, 壹贰叁, 幺) turned into ASCII digits;
5. runs of three or more identical non-digit characters collapsed to one (哈哈哈 → 哈).

Every step maps one character to at most one character, so the offset map is a plain list
of original indices (or nothing at all when no character was dropped).
"""

from __future__ import annotations

import re
import threading
import unicodedata
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


def _fold_char(ch: str) -> str:
    """The one character (or nothing) that `ch` stands for."""
    if ch in _ALWAYS_DROP:
        return ""
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


class _FoldTable(dict):
    """`str.translate` table filled lazily, one entry per distinct character ever seen."""

    def __missing__(self, codepoint: int) -> str:
        value = _fold_char(chr(codepoint))
        self[codepoint] = value
        return value


_FOLD = _FoldTable()
for _c in range(0x20, 0x7F):  # printable ASCII: only upper case changes
    _FOLD[_c] = chr(_c).lower()

# What may be inserted between characters to break a word apart.
_FILLER = (
    r"[^\S\n\r]"  # spaces, but not line breaks
    r"|[\u2000-\u2017\u2020-\u206f\u2190-\u2bff\u3000\u30fb\uff65"  # punctuation blocks, except quotes
    r"*.·•_\-~^`|/\\+=#&@<>\U0001f000-\U0001faff♡♥❤★☆✿❀]"  # ASCII and emoji decorations
)
_LONE_LATIN = r"(?<![a-z0-9])[a-z](?![a-z0-9])"
_GAP_RE = re.compile(
    # between two Chinese characters: up to three filler characters
    rf"(?<={CJK_CLASS})(?:{_FILLER}){{1,3}}(?={CJK_CLASS})"
    # between a Chinese character and a lone Latin letter, either way round
    rf"|(?<={CJK_CLASS})\s{{1,2}}(?={_LONE_LATIN})"
    rf"|(?<=(?<![a-z0-9])[a-z])\s{{1,2}}(?={CJK_CLASS})"
    # between single letters or digits spelled out one by one: m a r k e t
    rf"|(?<=(?<![a-z0-9])[a-z0-9])[\s*.·•_\-~|/]{{1,2}}(?=[a-z0-9](?![a-z0-9]))"
    # between digit groups: 138 0000 5216, 138-0000-5216
    r"|(?<=[0-9])[ \-\u00a0]{1,2}(?=[0-9])"
)
_REPEAT_RE = re.compile(r"([^0-9])\1{2,}")

_NUMERALS = "零〇一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖"
_NUMERAL_DIGITS = "0012345678912123456789"
_NUMERAL_TABLE = str.maketrans(_NUMERALS, _NUMERAL_DIGITS)
_NUMERAL_RUN_RE = re.compile(rf"[0-9{_NUMERALS}]{{3,}}")
_HAS_NUMERAL_RE = re.compile(f"[{_NUMERALS}]")


@dataclass(frozen=True, slots=True)
class Normalized:
    original: str
    text: str
    index: list[int] | None  # index[i] = original position of text[i]; None when identical positions

    def origin(self, position: int) -> int:
        """Original offset of the normalised `position` (a start offset)."""
        if self.index is None:
            return position
        if position >= len(self.index):
            return len(self.original)
        return self.index[position]

    def origin_end(self, position: int) -> int:
        """Original offset just after the normalised character at `position - 1` (an end offset)."""
        if position <= 0:
            return 0
        if self.index is None:
            return position
        return self.index[position - 1] + 1

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


def _drop(text: str, index: list[int] | None, spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    """Remove the (sorted, disjoint) spans of `text` and carry the offset map along."""
    pieces: list[str] = []
    new_index: list[int] = []
    cursor = 0
    for start, end in spans:
        pieces.append(text[cursor:start])
        new_index.extend(index[cursor:start] if index is not None else range(cursor, start))
        cursor = end
    pieces.append(text[cursor:])
    new_index.extend(index[cursor:] if index is not None else range(cursor, len(text)))
    return "".join(pieces), new_index


def _fold(text: str) -> tuple[str, list[int] | None]:
    folded = text.translate(_FOLD)
    if len(folded) == len(text):
        return folded, None
    # Some characters were dropped: find which ones.
    table = _FOLD
    keep = [i for i, ch in enumerate(text) if table[ord(ch)]]
    return folded, keep


def normalize(text: str) -> Normalized:
    """Normalise `text` for matching; see the module docstring for the steps."""
    if not text:
        return Normalized(text, "", None)
    # Python strings may hold lone surrogates; they pass through folding as U+FFFD.
    folded, index = _fold(text)
    folded = _simplify(folded)
    spans = [m.span() for m in _GAP_RE.finditer(folded)]
    if spans:
        folded, index = _drop(folded, index, spans)
    if _HAS_NUMERAL_RE.search(folded):
        folded = _NUMERAL_RUN_RE.sub(lambda m: m.group().translate(_NUMERAL_TABLE), folded)
    repeats = [(m.start() + 1, m.end()) for m in _REPEAT_RE.finditer(folded)]
    if repeats:
        folded, index = _drop(folded, index, repeats)
    return Normalized(text, folded, index)


def normalize_term(term: str) -> str:
    """How a lexicon term is written after normalisation (the same steps as text)."""
    return normalize(term.strip()).text
