"""A small engine for rules made of co-occurring cues.

Many violations are not one word but a combination within one sentence: a fan-circle word
and a call to spend (打榜 + 每人至少 / 零花钱), a disaster and glee (地震 + 还好 / 哈哈), a
child and a stunt (孩子 + 阳台栏杆外), a superstition service and a price. Each `CueRule`
lists groups of cues; it fires when every group has a cue inside the same window
(by default the same sentence, at most `reach` characters apart). Cues are matched by one
Aho-Corasick automaton for all rules; a group may instead be a regular expression, which
is only tried once the word groups have matched, so long clean texts stay cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick

from ..lexicon import is_quoted_mention
from ..normalize import Normalized, normalize_term
from ..results import Finding, make_finding

_BREAKS = frozenset("。！？!?；;\n")


@dataclass(frozen=True)
class CueRule:
    name: str
    rule: str
    action: str
    groups: Sequence[Sequence[str] | re.Pattern]
    reach: int = 30  # max distance in characters between the cues
    same_sentence: bool = True
    score: float = 0.75
    detector: str = "vocabulary"
    unless: Sequence[str] = ()  # allow-list contexts in the sentence that cancel the rule


class CueEngine:
    def __init__(self, rules: Iterable[CueRule]):
        self.rules = list(rules)
        automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[int, int]]] = {}
        self._unless: list[tuple[str, ...]] = []
        for r_index, rule in enumerate(self.rules):
            for g_index, group in enumerate(rule.groups):
                if isinstance(group, re.Pattern):
                    continue
                for word in group:
                    key = normalize_term(word)
                    if key:
                        entries.setdefault(key, []).append((r_index, g_index))
            self._unless.append(tuple(normalize_term(u) for u in rule.unless))
        for key, refs in entries.items():
            automaton.add_word(key, (len(key), tuple(refs)))
        automaton.make_automaton()
        self._automaton = automaton

    def detect(self, norm: Normalized, field: str) -> list[Finding]:
        text = norm.text
        if not text:
            return []
        # hits[rule][group] = [(start, end), ...]
        hits: dict[int, dict[int, list[tuple[int, int]]]] = {}
        for last, (length, refs) in self._automaton.iter(text):
            start = last - length + 1
            for r_index, g_index in refs:
                hits.setdefault(r_index, {}).setdefault(g_index, []).append((start, last + 1))
        findings: list[Finding] = []
        for r_index, groups in hits.items():
            rule = self.rules[r_index]
            word_groups = [i for i, g in enumerate(rule.groups) if not isinstance(g, re.Pattern)]
            if any(i not in groups for i in word_groups):
                continue
            span = self._fire(rule, r_index, groups, text)
            if span is None:
                continue
            o_start, o_end = norm.span(*span)
            findings.append(
                make_finding(
                    rule=rule.rule,
                    detector=rule.detector,
                    field=field,
                    original=norm.original,
                    start=o_start,
                    end=o_end,
                    score=rule.score,
                    action=rule.action,
                )
            )
        return findings

    def _fire(
        self, rule: CueRule, r_index: int, groups: dict[int, list[tuple[int, int]]], text: str
    ) -> tuple[int, int] | None:
        """The span covering one co-occurrence of every group, or None."""
        first_group = min(groups) if groups else None
        anchors = groups[first_group] if first_group is not None else []
        for a_start, a_end in anchors:
            if is_quoted_mention(text, a_start, a_end):
                continue
            lo, hi = a_start - rule.reach, a_end + rule.reach
            if rule.same_sentence:
                lo, hi = _sentence_bounds(text, a_start, a_end, lo, hi)
            lo, hi = max(lo, 0), min(hi, len(text))
            span_start, span_end = a_start, a_end
            ok = True
            for g_index, group in enumerate(rule.groups):
                if g_index == first_group:
                    continue
                if isinstance(group, re.Pattern):
                    m = group.search(text, lo, hi)
                    if m is None:
                        ok = False
                        break
                    span_start, span_end = min(span_start, m.start()), max(span_end, m.end())
                    continue
                near = [
                    (s, e)
                    for s, e in groups.get(g_index, ())
                    if s >= lo and e <= hi and not (s < a_end and a_start < e)
                ]
                if not near:
                    ok = False
                    break
                s, e = min(near, key=lambda h: abs(h[0] - a_start))
                span_start, span_end = min(span_start, s), max(span_end, e)
            if not ok:
                continue
            unless = self._unless[r_index]
            if unless:
                s_lo, s_hi = _sentence_bounds(text, span_start, span_end, span_start - 60, span_end + 60)
                window = text[max(0, s_lo) : s_hi]
                if any(u in window for u in unless):
                    continue
            return span_start, span_end
        return None


def _sentence_bounds(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    lo = max(lo, 0)
    hi = min(hi, len(text))
    i = start - 1
    while i >= lo and text[i] not in _BREAKS:
        i -= 1
    j = end
    while j < hi and text[j] not in _BREAKS:
        j += 1
    return i + 1, j
