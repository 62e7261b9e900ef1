"""Keyword stuffing for search engines (3.5).

Counts the character 4-grams of the text (only of its first few thousand characters, so
the cost stays flat for long articles). One 4-gram that makes up a large share of a text,
many times over, is stuffing. (The same advert posted again and again is found across
posts by SimHash, not within one text.)
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from ..normalize import Normalized
from ..results import Finding, make_finding

_SAMPLE = 4000
_N = 4
_MIN_REPEATS = 8
_MIN_SHARE = 0.2
_WORDLIKE = re.compile(r"[\w]{4}")
_WORD_CHAR = re.compile(r"\w")


def _may_stuff(text: str) -> bool:
    """Could any word-like 4-gram reach both thresholds? Counting characters first (numpy,
    already loaded for the model stage) and then only the 4-grams that start with a frequent enough word character
    rules out ordinary prose without counting every 4-gram in Python; when it cannot,
    the full count below decides exactly as before."""
    needed = max(_MIN_REPEATS, math.ceil(_MIN_SHARE * len(text) / _N - 1e-9))
    # character counts over the code points as one array (no Python object per character)
    codes, counts = np.unique(np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4"), return_counts=True)
    frequent = [chr(c) for c in codes[counts >= needed].tolist() if _WORD_CHAR.match(chr(c))]
    for ch in frequent:
        starts = Counter(text[m.start() : m.start() + _N] for m in re.finditer(re.escape(ch), text))
        if any(n >= needed and len(g) == _N and _WORDLIKE.fullmatch(g) for g, n in starts.items()):
            return True
    return False


def detect(norm: Normalized, field: str) -> list[Finding]:
    text = norm.text[:_SAMPLE]
    if len(text) < 40:
        return []
    findings: list[Finding] = []
    if not _may_stuff(text):
        return findings
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
