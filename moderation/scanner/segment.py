"""jieba, loaded once per process.

`jieba.initialize()` costs about a second and 80 MB, so it happens on first use (or when a
worker calls `warm_up()` at start), never per scan. Its dictionary cache goes to the folder
given to `configure()` — by default `<repo>/var/jieba` — instead of the system temp dir.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from pathlib import Path

_lock = threading.RLock()
_cache_dir: Path | None = None
_tokenizer = None

DEFAULT_CACHE_DIR = Path(__file__).resolve().parents[2] / "var" / "jieba"


def configure(*, cache_dir: str | os.PathLike | None = None) -> None:
    """Choose where jieba keeps its dictionary cache. Call before the first scan."""
    global _cache_dir
    with _lock:
        _cache_dir = Path(cache_dir) if cache_dir is not None else None
        if _tokenizer is not None:
            _tokenizer.tmp_dir = str(_cache_dir or DEFAULT_CACHE_DIR)


def tokenizer():
    """The process-wide initialised jieba tokenizer."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            cache_dir = _cache_dir or DEFAULT_CACHE_DIR
            cache_dir.mkdir(parents=True, exist_ok=True)
            jieba.dt.tmp_dir = str(cache_dir)
            jieba.dt.initialize()
            _tokenizer = jieba.dt
    return _tokenizer


def warm_up() -> None:
    """Load jieba now (a worker calls this at start so the first task is not slow)."""
    tokenizer()


def cut(text: str) -> list[str]:
    """jieba's precise-mode tokens of `text` (no new-word discovery, so it is stable)."""
    return tokenizer().lcut(text, HMM=False)


def boundaries(text: str) -> set[int]:
    """Offsets in `text` where one jieba token ends and the next begins (including 0 and len)."""
    cuts = {0}
    position = 0
    for token in cut(text):
        position += len(token)
        cuts.add(position)
    return cuts


# Function words that are never a title's topic.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP_WORDS = _words(
    "这个 那个 这些 那些 一个 一些 什么 怎么 为什么 如何 可以 还能 这样 "
    "那样 我们 你们 他们 她们 自己 已经 就是 还是 或者 以及 因为 所以 "
    "但是 如果 不是 没有 真的 竟然 居然 原来 所有 大家 今天 明天 之后 "
    "之前 时候 现在 如此 只因 只要 不要 千万 一定 到底 究竟 终于 其实 "
    "这么 那么 怎样"
)


def keywords(text: str, top_k: int = 8) -> list[str]:
    """The title's topic words, ranked by TF-IDF with jieba's own dictionary as the corpus.

    A word's inverse document frequency is estimated from its count in jieba's dictionary
    (`log(total / freq)`; words jieba does not know score highest). This is what
    `jieba.analyse` does with its separate IDF table, without loading that table and the
    part-of-speech dictionary it drags in (about 100 MB per worker).
    """
    tk = tokenizer()
    total = tk.total
    counts: dict[str, int] = {}
    for token in cut(text):
        token = token.strip()
        if len(token) < 2 or token in _STOP_WORDS or not any(c.isalnum() for c in token) or token.isdigit():
            continue
        counts[token] = counts.get(token, 0) + 1
    scored = sorted(
        counts,
        key=lambda w: (-counts[w] * math.log(total / (tk.FREQ.get(w) or 1)), w),
    )
    return scored[:top_k]
