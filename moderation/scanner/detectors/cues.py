"""A small engine for rules made of co-occurring cues.

Many violations are not one word but a combination within one sentence: a fan-circle word
and a call to spend (打榜 + 每人至少 / 零花钱), a disaster and glee (地震 + 还好 / 哈哈), a
child and a stunt (孩子 + 阳台栏杆外), a superstition service and a price. Each `CueRule`
lists groups of cues; it fires when every group has a cue inside the same window
(by default the same sentence, at most `reach` characters apart). Cues are matched by one
Aho-Corasick automaton for all rules; a group may instead be a regular expression, which
is only tried once the word groups have matched, so long clean texts stay cheap.

Three refinements a rule may use:
- `masks`: names that contain a cue without meaning it — 解放战争 (the civil war's name) is
  neither 战争 as an aggression nor 解放 as praise; a cue inside a mask does not count;
- `whole_words`: the cues after the anchor group must start and end on jieba token
  boundaries (就打 is not inside 就打招呼); jieba runs only on the rule's candidate hits;
- `framed` (default: `lexicon.is_framed(rule)`): a co-occurrence the text
  denies, warns against or complains about, without a commitment of its own, is not a
  finding (`frames.said_against`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .. import segment
from ..automaton import Matcher
from ..lexicon import is_framed, is_quoted_mention
from ..normalize import Normalized, normalize_term
from ..results import Finding, make_finding
from .frames import committed, disowned, negated

_BREAKS = frozenset("。！？!?；;\n")
_NEVER = re.compile(r"(?!)")  # a group with no words never matches


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
    masks: Sequence[str] = ()  # names inside which a cue does not count
    whole_words: bool = False  # the non-anchor cues must be whole jieba words
    framed: bool | None = None  # None: lexicon.is_framed(rule)


class CueEngine:
    """All rules' anchor cues (each rule's first word group) in one automaton; the other
    groups are looked for only in the window around an anchor, so common words in later
    groups (价格, 你, 现场) cost nothing on text without an anchor."""

    def __init__(self, rules: Iterable[CueRule]):
        self.rules = list(rules)
        matcher = Matcher()
        entries: dict[str, list[int]] = {}
        self._anchor_group: list[int] = []
        self._others: list[list[tuple[str, ...] | re.Pattern]] = []
        self._unless: list[tuple[str, ...]] = []
        self._masks: list[tuple[str, ...]] = []
        self._present: list[list[re.Pattern]] = []
        self._prefilters: list[list[re.Pattern]] = []
        self._framed: list[bool] = []
        for r_index, rule in enumerate(self.rules):
            anchor = next(i for i, g in enumerate(rule.groups) if not isinstance(g, re.Pattern))
            self._anchor_group.append(anchor)
            for word in rule.groups[anchor]:
                key = normalize_term(word)
                if key:
                    entries.setdefault(key, []).append(r_index)
            others: list[tuple[str, ...] | re.Pattern] = []
            present: list[re.Pattern] = []
            for i, group in enumerate(rule.groups):
                if i == anchor:
                    continue
                if isinstance(group, re.Pattern):
                    others.append(group)
                    present.append(group)
                else:
                    words = tuple(dict.fromkeys(k for k in (normalize_term(w) for w in group) if k))
                    others.append(words)
                    # one C search says whether any word of the group is in the window at all
                    present.append(re.compile("|".join(re.escape(w) for w in words)) if words else _NEVER)
            self._others.append(others)
            self._present.append(present)
            # the word groups only: a regular expression's lookarounds could see past a window
            self._prefilters.append([p for p, g in zip(present, others, strict=True) if not isinstance(g, re.Pattern)])
            self._unless.append(tuple(normalize_term(u) for u in rule.unless))
            self._masks.append(tuple(k for k in (normalize_term(m) for m in rule.masks) if k))
            self._framed.append(is_framed(rule.rule) if rule.framed is None else rule.framed)
        for key, refs in entries.items():
            matcher.add(key, tuple(refs))
        matcher.build()
        self._matcher = matcher

    def detect(self, norm: Normalized, field: str) -> list[Finding]:
        text = norm.text
        if not text:
            return []
        anchors: dict[int, list[tuple[int, int]]] = {}
        for start, end, refs in self._matcher.iter(text):
            if not _latin_bounded(text, start, end):
                continue
            for r_index in refs:
                anchors.setdefault(r_index, []).append((start, end))
        findings: list[Finding] = []
        self._commitment: dict[str, bool] = {}
        for r_index in sorted(anchors):
            rule = self.rules[r_index]
            span = self._fire(rule, r_index, anchors[r_index], text)
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

    def _fire(self, rule: CueRule, r_index: int, anchors: list[tuple[int, int]], text: str) -> tuple[int, int] | None:
        """The span covering one co-occurrence of every group, or None."""
        masks = self._masked(r_index, text)
        prefilters = self._prefilters[r_index]
        size = len(text)
        for a_start, a_end in anchors:
            # Every other group must have a cue within `reach` of the anchor; the sentence
            # window below only narrows that, so one search per group settles most anchors.
            w_lo, w_hi = max(a_start - rule.reach, 0), min(a_end + rule.reach, size)
            if any(p.search(text, w_lo, w_hi) is None for p in prefilters):
                continue
            if is_quoted_mention(text, a_start, a_end):
                continue
            if masks and _inside(masks, a_start, a_end):
                continue
            lo, hi = a_start - rule.reach, a_end + rule.reach
            if rule.same_sentence:
                lo, hi = _sentence_bounds(text, a_start, a_end, lo, hi)
            else:
                # Across sentences, but only into the sentence just before or just after:
                # cues two sentences apart belong to different thoughts.
                s_lo, s_hi = _sentence_bounds(text, a_start, a_end, lo, hi)
                if s_lo > max(lo, 0):
                    s_lo = _sentence_bounds(text, s_lo - 1, s_lo - 1, lo, hi)[0]
                if s_hi < min(hi, len(text)):
                    s_hi = _sentence_bounds(text, s_hi + 1, s_hi + 1, lo, hi)[1]
                lo, hi = s_lo, s_hi
            lo, hi = max(lo, 0), min(hi, len(text))
            span = self._cooccurrence(r_index, text, lo, hi, a_start, a_end, masks, rule.whole_words)
            if span is None or _crosses_quotation(text, *span):
                continue
            unless = self._unless[r_index]
            if unless:
                # the sentence of the hit and its neighbours: 月入过万的副业？我们调查了一百个案例
                s_lo, s_hi = _sentence_bounds(text, span[0], span[1], span[0] - 60, span[1] + 60)
                s_lo = _sentence_bounds(text, max(s_lo - 1, 0), max(s_lo - 1, 0), s_lo - 60, s_lo)[0]
                s_hi = _sentence_bounds(text, min(s_hi + 1, len(text)), min(s_hi + 1, len(text)), s_hi, s_hi + 60)[1]
                window = text[s_lo:s_hi]
                if any(u in window for u in unless):
                    continue
            if (
                self._framed[r_index]
                and (negated(text, span[0]) or disowned(text, *span))
                and not self._committed(text)
            ):
                continue
            return span
        return None

    def _committed(self, text: str) -> bool:
        cached = self._commitment.get(text)
        if cached is None:
            cached = self._commitment[text] = committed(text)
        return cached

    def _masked(self, r_index: int, text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for mask in self._masks[r_index]:
            position = text.find(mask)
            while position != -1:
                spans.append((position, position + len(mask)))
                position = text.find(mask, position + 1)
        return spans

    def _cooccurrence(
        self,
        r_index: int,
        text: str,
        lo: int,
        hi: int,
        a_start: int,
        a_end: int,
        masks: list[tuple[int, int]] = (),
        whole_words: bool = False,
    ) -> tuple[int, int] | None:
        span_start, span_end = a_start, a_end
        for group, present in zip(self._others[r_index], self._present[r_index], strict=True):
            if isinstance(group, re.Pattern):
                m = group.search(text, lo, hi)
                if m is None:
                    return None
                span_start, span_end = min(span_start, m.start()), max(span_end, m.end())
                continue
            if present.search(text, lo, hi) is None:
                return None
            best: tuple[int, int] | None = None
            for word in group:
                position = text.find(word, lo, hi)
                while position != -1 and (
                    (a_start <= position and position + len(word) <= a_end)  # not inside the anchor itself
                    or not _latin_bounded(text, position, position + len(word))
                    or (masks and _inside(masks, position, position + len(word)))
                    or (whole_words and not _whole_word(text, position, position + len(word)))
                ):
                    position = text.find(word, position + 1, hi)
                if position != -1 and (best is None or abs(position - a_start) < abs(best[0] - a_start)):
                    best = (position, position + len(word))
            if best is None:
                return None
            span_start, span_end = min(span_start, best[0]), max(span_end, best[1])
        return span_start, span_end


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(lo <= start and end <= hi for lo, hi in spans)


_WORD_WINDOW = 8


def _whole_word(text: str, start: int, end: int) -> bool:
    """Does jieba cut the text at both ends of [start, end)?"""
    if text[start:end].isascii():
        return True
    lo, hi = max(0, start - _WORD_WINDOW), min(len(text), end + _WORD_WINDOW)
    cuts = segment.boundaries(text[lo:hi])
    return (start - lo) in cuts and (end - lo) in cuts


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _latin_bounded(text: str, start: int, end: int) -> bool:
    """A Latin cue (jz, hr, 5g) must not be part of a longer Latin word (jzz, three, 5gb)."""
    if _is_latin(text[start]) and start > 0 and _is_latin(text[start - 1]):
        return False
    return not (_is_latin(text[end - 1]) and end < len(text) and _is_latin(text[end]))


_QUOTE_MARKS = frozenset('“”「」『』"')


def _crosses_quotation(text: str, start: int, end: int) -> bool:
    """True when one cue is inside a quotation and another outside it: someone's words
    being reported (有人说“孩子发烧用白酒擦身体”，我们请医生澄清) are not one statement."""
    return any(ch in _QUOTE_MARKS for ch in text[start:end])


_BREAK_RE = re.compile("[。！？!?；;\n]")
_break_cache: tuple[str, list[int]] = ("", [])


def _breaks_of(text: str) -> list[int]:
    """The sentence breaks' positions in `text` (one regex pass, kept for the last text)."""
    global _break_cache
    cached = _break_cache
    if cached[0] is text:
        return cached[1]
    breaks = [m.start() for m in _BREAK_RE.finditer(text)]
    _break_cache = (text, breaks)
    return breaks


def _sentence_bounds(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence around [start, end), cut to [lo, hi): the character after the last break
    before `start` and the first break from `end` (bisected, not walked)."""
    lo = max(lo, 0)
    hi = min(hi, len(text))
    breaks = _breaks_of(text)
    k = bisect_left(breaks, start) - 1
    first = breaks[k] + 1 if k >= 0 and breaks[k] >= lo else min(lo, start)
    k = bisect_left(breaks, end)
    last = breaks[k] if k < len(breaks) and breaks[k] < hi else max(end, hi)
    return first, last
