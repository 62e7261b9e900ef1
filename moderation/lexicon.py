"""The live lexicon: built from the enabled Terms, rebuilt once per change per process.

Every term service bumps ``LexiconState.version`` in the same transaction as its write.
``lexicon_snapshot()`` reads that one number (a single indexed query) and rebuilds the
Aho-Corasick automaton only when the number differs from the one this process built —
so a worker picks up a moderator's change on its next task, without a restart, and
builds each version at most once. While no term was ever stored (a fresh database
before ``seed_demo``) the scanner's seed lexicon is used.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from moderation.models import LexiconState, Term
from moderation.scanner import Lexicon, TermSpec, build_lexicon, default_lexicon


@dataclass(frozen=True)
class LexiconSnapshot:
    version: int
    stamp: str
    lexicon: Lexicon


_lock = threading.Lock()
_built: LexiconSnapshot | None = None


def lexicon_version() -> tuple[int, str]:
    """The version number and stamp in the database ((0, "") while no term was ever stored)."""
    row = LexiconState.objects.filter(pk=1).values_list("version", "stamp").first()
    return row or (0, "")


def term_spec(term: Term) -> TermSpec:
    return TermSpec(
        term=term.term,
        rule=term.rule_code,
        action=term.action,
        whole_word=term.whole_word,
        contexts=tuple(term.contexts or ()),
    )


def lexicon_from_terms(terms: Iterable[Term]) -> Lexicon:
    return build_lexicon([term_spec(term) for term in terms])


def _build(version: int) -> Lexicon:
    if version == 0 and not Term.objects.exists():
        return default_lexicon()
    return lexicon_from_terms(Term.objects.filter(enabled=True).order_by("id"))


def lexicon_snapshot() -> LexiconSnapshot:
    """The lexicon of the current version and that version, rebuilt only after a change."""
    global _built
    version, stamp = lexicon_version()
    built = _built
    if built is not None and built.stamp == stamp:
        return built
    with _lock:
        if _built is None or _built.stamp != stamp:
            _built = LexiconSnapshot(version=version, stamp=stamp, lexicon=_build(version))
        return _built


def current_lexicon() -> Lexicon:
    return lexicon_snapshot().lexicon
