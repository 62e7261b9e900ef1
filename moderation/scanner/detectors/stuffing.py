"""Keyword stuffing for search engines (3.5).

Counts the character 4-grams of the text (only of its first few thousand characters, so
the cost stays flat for long articles). One 4-gram that makes up a large share of a text,
many times over, is stuffing. (The same advert posted again and again is found across
posts by SimHash, not within one text.)
"""

from __future__ import annotations

import re
from collections import Counter

from ..normalize import Normalized
from ..results import Finding, make_finding

_SAMPLE = 4000
_N = 4
_MIN_REPEATS = 8
_MIN_SHARE = 0.2
_WORDLIKE = re.compile(r"[\w]{4}")


def detect(norm: Normalized, field: str) -> list[Finding]:
    text = norm.text[:_SAMPLE]
    if len(text) < 40:
        return []
    findings: list[Finding] = []
    grams = Counter(text[i : i + _N] for i in range(len(text) - _N + 1))
    gram, count = next(((g, c) for g, c in grams.most_common(8) if _WORDLIKE.fullmatch(g)), ("", 0))
    if count >= _MIN_REPEATS and count * _N / len(text) >= _MIN_SHARE:
        start = text.find(gram)
        o_start, o_end = norm.span(start, start + _N)
        findings.append(
            make_finding(
                rule="3.5",
                detector="stuffing",
                field=field,
                original=norm.original,
                start=o_start,
                end=o_end,
                score=min(1.0, 0.5 + count * _N / len(text)),
                action="block",
            )
        )
    return findings
