"""Pinyin spellings of lexicon terms: the evasion that writes one character in Latin letters.

Posters who know a word is filtered write one of its characters as its pinyin or its
initial: 毒品 becomes d品 or du品, 傻逼 becomes 傻b, 赌博 becomes 赌bo. Listing every such
spelling by hand never ends, so the lexicon derives them: for a term of two or more Chinese
characters, each variant replaces exactly ONE character with its toneless pinyin or its
initial letter. At least one Chinese character always stays, so a variant is never a bare
Latin string (dp, dupin would hit ordinary abbreviations and words).

Terms marked "whole word only" get no variants: they are the ambiguous ones, and a jieba
boundary check on mixed Latin–Chinese text says little. Terms that are already mostly
Latin (qq群, v信) get none either.

pypinyin is imported on first use (when the lexicon is compiled), never per scan.
"""

from __future__ import annotations

import re

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# A variant of a term shorter than this many characters is too easy to meet by chance.
MIN_TERM_CHARS = 2


def _readings(chars: str) -> list[tuple[str, str]]:
    """(full pinyin, initial) of each character, read in the context of the whole term."""
    from pypinyin import Style, lazy_pinyin

    full = lazy_pinyin(chars, style=Style.NORMAL, errors=lambda s: list(s))
    return [(p.lower(), p[:1].lower()) for p in full]


def pinyin_variants(term: str) -> list[str]:
    """Spellings of `term` (already normalised) with one Chinese character in pinyin.

    Only terms made entirely of Chinese characters, at least `MIN_TERM_CHARS` long, have
    variants; the term itself is not among them.
    """
    if len(term) < MIN_TERM_CHARS or not all(_CJK_RE.match(ch) for ch in term):
        return []
    readings = _readings(term)
    if len(readings) != len(term):
        return []
    out: list[str] = []
    for i, (full, initial) in enumerate(readings):
        if not full.isascii() or not full.isalpha():
            continue
        for spelling in (initial, full) if initial != full else (full,):
            variant = term[:i] + spelling + term[i + 1 :]
            if variant not in out:
                out.append(variant)
    return out
