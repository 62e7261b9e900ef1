"""Cut a text into plain and marked segments so templates can highlight findings in place.

Pure Python: works with moderation.models.Finding rows (``rule_code``) and the scanner's
findings (``rule``) alike. Offsets out of range (the text changed since the scan) are
clipped, never raised on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Segment:
    text: str
    marked: bool = False
    rules: str = ""  # the rule codes of the findings covering this segment, e.g. "3.4 3.8"


def _spans(text: str, findings: Iterable[Any], field: str) -> list[tuple[int, int, set[str]]]:
    """Merge the findings of one field into sorted, non-overlapping spans."""
    raw = []
    for finding in findings:
        if getattr(finding, "field", "body") != field:
            continue
        start = max(0, min(int(finding.start), len(text)))
        end = max(start, min(int(finding.end), len(text)))
        if end > start:
            raw.append((start, end, getattr(finding, "rule_code", None) or getattr(finding, "rule", "")))
    raw.sort()
    merged: list[tuple[int, int, set[str]]] = []
    for start, end, rule in raw:
        if merged and start <= merged[-1][1]:
            last_start, last_end, rules = merged[-1]
            merged[-1] = (last_start, max(last_end, end), rules | {rule})
        else:
            merged.append((start, end, {rule}))
    return merged


def _cut(text: str, spans: list[tuple[int, int, set[str]]], lo: int, hi: int) -> list[Segment]:
    segments = []
    position = lo
    for start, end, rules in spans:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        if start > position:
            segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], True, " ".join(sorted(rules))))
        position = end
    if position < hi:
        segments.append(Segment(text[position:hi]))
    return segments


def highlight(text: str, findings: Iterable[Any], field: str = "body") -> list[Segment]:
    """The whole text, with every finding of ``field`` marked."""
    text = text or ""
    return _cut(text, _spans(text, findings, field), 0, len(text))


def excerpts(text: str, findings: Iterable[Any], field: str = "body", context: int = 30) -> list[list[Segment]]:
    """Short passages around the findings of ``field`` (``context`` characters each side);
    passages that would overlap are joined. Each passage is a list of segments."""
    text = text or ""
    spans = _spans(text, findings, field)
    windows: list[list[int]] = []
    for start, end, _ in spans:
        lo, hi = max(0, start - context), min(len(text), end + context)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    passages = []
    for lo, hi in windows:
        segments = _cut(text, spans, lo, hi)
        if lo > 0:
            segments.insert(0, Segment("…"))
        if hi < len(text):
            segments.append(Segment("…"))
        passages.append(segments)
    return passages
