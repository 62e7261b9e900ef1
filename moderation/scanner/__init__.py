"""The moderation scanner: pure Python, no Django.

    from moderation.scanner import scan
    result = scan("标题", "正文")
    result.verdict            # "allow" | "review" | "block"
    result.to_dict()          # {"verdict": ..., "findings": [...]} (PRODUCT §6)

Pipeline: `normalize` (offset-preserving) → `lexicon` (one Aho-Corasick automaton, jieba
whole-word checks, allow-list contexts) → detectors (`links`, `contacts`, `vocabulary`,
`stuffing`, `clickbait`) → `policy.verdict`. `simhash` fingerprints texts for
near-duplicate detection across accounts; `evaluate` scores the scanner on a labelled set.
jieba and the seed lexicon load once per process; call `configure(cache_dir=...)` first to
choose jieba's cache folder, and `warm_up()` at worker start to pay the load up front.
"""

from .evaluate import evaluate, format_report
from .lexicon import Lexicon, TermSpec, build_lexicon, default_lexicon, load_seed_terms
from .normalize import Normalized, normalize
from .pipeline import scan
from .results import Finding, Result
from .segment import configure
from .simhash import hamming_distance, simhash


def warm_up() -> None:
    """Load jieba, the seed lexicon and the detectors now rather than on the first scan."""
    from .segment import warm_up as _jieba

    _jieba()
    default_lexicon()
    scan("预热", "预热")


__all__ = [
    "Finding",
    "Lexicon",
    "Normalized",
    "Result",
    "TermSpec",
    "build_lexicon",
    "configure",
    "default_lexicon",
    "evaluate",
    "format_report",
    "hamming_distance",
    "load_seed_terms",
    "normalize",
    "scan",
    "simhash",
    "warm_up",
]
