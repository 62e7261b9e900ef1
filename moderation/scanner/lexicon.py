"""The lexicon: terms with a rule code and an action, matched by one Aho-Corasick automaton.

Terms are normalised exactly like the text they are matched against, so 賭場, 赌 场 and
ＤＵ-style variants of a term all meet the same key. A term may be "whole word only" —
then the hit must start and end on jieba token boundaries (小三角 does not hit 小三) — and
may carry allow-list contexts: a hit whose sentence contains one of them is not a finding
(稳赚不赔 in a police report next to 警方 or 打击).

A hit that is merely quoted (所谓“稳赚不赔”, “震惊”“万万没想到”之类) is a mention, not a
use, and is not a finding either. Nor is a term naming an act (`is_framed`:
illegal trade, spam, superstition, fan-circle acts) that the text
denies, warns against, debunks or complains about without inviting the reader anywhere
itself (`detectors.frames`): 我们从来没找过刷单的人, 别信那些算命的.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import segment
from .automaton import Matcher
from .detectors.frames import committed, disowned, negated
from .normalize import Normalized, normalize_term
from .results import ACTIONS, Finding, category_of, make_finding

SEED_PATH = Path(__file__).resolve().parents[2] / "seeds" / "lexicon.json"

_SCORES = {"block": 0.9, "review": 0.7, "flag": 0.4}
_SENTENCE_ENDS = frozenset("。！？!?；;\n")
_OPEN_QUOTES = "“「『《‘\"'"
_CLOSE_QUOTES = "”」』》’\"'"
_OPEN_QUOTE_RE = re.compile("[" + re.escape(_OPEN_QUOTES) + "]")
_QUOTE_SPAN = 14  # a quoted mention is short: 所谓“稳赚不赔”, not a whole quoted paragraph
_CONTEXT_REACH = 40  # how far around the hit, within its sentence, an allow-list context counts
_WORD_WINDOW = 8  # characters of context jieba sees on each side when checking whole words
# Categories whose terms name an act someone offers or urges; a denial or a warning about
# the act is not the act. Insults, obscenity and clickbait words are harm in themselves, and
# a rumour's or an accusation's own words often include "it's fake" or "liars" (辟谣都是假的,
# 都是一群骗子), so 2, 4, 5, 7, 9 and the political rules of 1 are not framed.
FRAMED_CATEGORIES = frozenset({3, 6, 8})
FRAMED_RULES = frozenset({"1.8", "1.13"})  # trade in illegal goods and services, bank-card sales


def is_framed(rule: str) -> bool:
    """Can a denial, warning or complaint around a hit of `rule` make it ordinary prose?"""
    return rule in FRAMED_RULES or category_of(rule) in FRAMED_CATEGORIES


@dataclass(frozen=True, slots=True)
class TermSpec:
    term: str
    rule: str
    action: str = "review"
    whole_word: bool = False
    contexts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"action must be one of {ACTIONS}, not {self.action!r}")
        if category_of(self.rule) not in range(1, 10):
            raise ValueError(f"rule must look like '3.4', not {self.rule!r}")
        if not isinstance(self.contexts, tuple):
            object.__setattr__(self, "contexts", tuple(self.contexts))


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def sentence_window(text: str, start: int, end: int, reach: int = _CONTEXT_REACH) -> tuple[int, int]:
    """The part of the sentence around [start, end), at most `reach` characters either side."""
    lo = max(0, start - reach)
    hi = min(len(text), end + reach)
    i = start - 1
    while i >= lo and text[i] not in _SENTENCE_ENDS:
        i -= 1
    j = end
    while j < hi and text[j] not in _SENTENCE_ENDS:
        j += 1
    return i + 1, j


def is_quoted_mention(text: str, start: int, end: int) -> bool:
    """True when [start, end) sits inside a short quotation: a term mentioned, not used."""
    lo = max(0, start - _QUOTE_SPAN)
    if _OPEN_QUOTE_RE.search(text, lo, start) is None:
        return False  # the common case, decided in C
    opening = -1
    for i in range(start - 1, lo - 1, -1):
        ch = text[i]
        if ch in _OPEN_QUOTES:
            opening = i
            break
        if ch in _CLOSE_QUOTES or ch in _SENTENCE_ENDS:
            return False
    if opening == -1:
        return False
    hi = min(len(text), end + _QUOTE_SPAN)
    for i in range(end, hi):
        ch = text[i]
        if ch in _CLOSE_QUOTES:
            return True
        if ch in _OPEN_QUOTES or ch in _SENTENCE_ENDS:
            return False
    return False


class Lexicon:
    """An immutable, compiled lexicon. Build it with `build_lexicon`."""

    def __init__(self, terms: Iterable[TermSpec]):
        self.specs: list[TermSpec] = []
        self._contexts: list[re.Pattern | None] = []
        self._framed: list[bool] = []
        compiled: dict[tuple[str, ...], re.Pattern] = {}
        matcher = Matcher()
        keyed: dict[str, list[int]] = {}
        for spec in terms:
            key = normalize_term(spec.term)
            if not key:
                continue
            index = len(self.specs)
            self.specs.append(spec)
            self._framed.append(is_framed(spec.rule))
            contexts = tuple(sorted({c for c in (normalize_term(c) for c in spec.contexts) if c}))
            if contexts and contexts not in compiled:
                compiled[contexts] = re.compile("|".join(re.escape(c) for c in contexts))
            self._contexts.append(compiled[contexts] if contexts else None)
            keyed.setdefault(key, []).append(index)
        for key, indexes in keyed.items():
            indexes = list(dict.fromkeys(indexes))
            matcher.add(key, tuple(indexes))
        matcher.build()
        self._matcher = matcher
        self._has_terms = bool(keyed)

    def __len__(self) -> int:
        return len(self.specs)

    def _is_whole_word(self, text: str, start: int, end: int) -> bool:
        """Does jieba cut the text at both ends of the hit?

        The terms are deliberately not added to jieba's dictionary: a term jieba knows wins
        segmentations it should lose (点头像是 would become 点头像/是). A hit jieba splits
        inside (小三 → 小/三) is still a whole word; one it runs past (小三角, 长江大桥) is not.
        """
        if text[start:end].isascii():
            return True  # the ASCII boundary check has already decided
        lo = max(0, start - _WORD_WINDOW)
        hi = min(len(text), end + _WORD_WINDOW)
        cuts = segment.boundaries(text[lo:hi])
        return (start - lo) in cuts and (end - lo) in cuts

    def _context_allows(self, text: str, start: int, end: int, contexts: re.Pattern) -> bool:
        lo, hi = sentence_window(text, start, end)
        return contexts.search(text, lo, hi) is not None

    def match(self, norm: Normalized, field: str) -> list[Finding]:
        """Findings for every lexicon hit in the normalised text `norm`."""
        text = norm.text
        if not self._has_terms or not text:
            return []
        findings: list[Finding] = []
        commitment: bool | None = None  # computed once, only when a hit is said against
        for start, end, indexes in self._matcher.iter(text):
            last = end - 1
            # Latin terms never match inside a longer Latin word (sb in usb, zz in jazz).
            if _is_ascii_alnum(text[start]) and start > 0 and _is_ascii_alnum(text[start - 1]):
                continue
            if _is_ascii_alnum(text[last]) and end < len(text) and _is_ascii_alnum(text[end]):
                continue
            if is_quoted_mention(text, start, end):
                continue
            whole_checked: bool | None = None
            against: bool | None = None
            for index in indexes:
                spec = self.specs[index]
                if spec.whole_word:
                    if whole_checked is None:
                        whole_checked = self._is_whole_word(text, start, end)
                    if not whole_checked:
                        continue
                contexts = self._contexts[index]
                if contexts is not None and self._context_allows(text, start, end, contexts):
                    continue
                if self._framed[index]:
                    if against is None:
                        against = negated(text, start) or disowned(text, start, end)
                        if against:
                            if commitment is None:
                                commitment = committed(text)
                            against = not commitment
                    if against:
                        continue
                o_start, o_end = norm.span(start, end)
                findings.append(
                    make_finding(
                        rule=spec.rule,
                        detector="lexicon",
                        field=field,
                        original=norm.original,
                        start=o_start,
                        end=o_end,
                        score=_SCORES[spec.action],
                        action=spec.action,
                    )
                )
        return findings


def build_lexicon(terms: Iterable[TermSpec]) -> Lexicon:
    """Compile `terms` into one Aho-Corasick automaton over their normalised forms."""
    return Lexicon(terms)


def load_seed_terms(path: str | os.PathLike = SEED_PATH) -> list[TermSpec]:
    """The terms of a lexicon file in the `seeds/lexicon.json` format.

    The file has `context_sets` (named lists of allow-list contexts) and `groups`, each with
    a rule, an action, optional `whole_word` and `contexts` (words or `@set` names) and its
    `terms`; a term may also be an object overriding any of these.
    """
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    context_sets: dict[str, list[str]] = data.get("context_sets", {})

    def expand(names: Iterable[str]) -> tuple[str, ...]:
        out: list[str] = []
        for name in names:
            out.extend(context_sets[name[1:]] if name.startswith("@") else [name])
        return tuple(dict.fromkeys(out))

    specs: list[TermSpec] = []
    for group in data["groups"]:
        for entry in group["terms"]:
            item = {"term": entry} if isinstance(entry, str) else entry
            specs.append(
                TermSpec(
                    term=item["term"],
                    rule=item.get("rule", group["rule"]),
                    action=item.get("action", group.get("action", "review")),
                    whole_word=item.get("whole_word", group.get("whole_word", False)),
                    contexts=expand(item.get("contexts", group.get("contexts", ()))),
                )
            )
    return specs


_default: Lexicon | None = None
_default_lock = threading.Lock()


def default_lexicon() -> Lexicon:
    """The seed lexicon, compiled once per process."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = build_lexicon(load_seed_terms(SEED_PATH))
    return _default
