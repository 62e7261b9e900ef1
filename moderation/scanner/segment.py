"""jieba, loaded once per process.

`jieba.initialize()` costs about a second and 80 MB, so it happens on first use (or when a
worker calls `warm_up()` at start), never per scan. Its dictionary cache goes to the folder
given to `configure()` — by default `<repo>/var/jieba` — instead of the system temp dir.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from pathlib import Path

_lock = threading.RLock()
_cache_dir: Path | None = None
_tokenizer = None
_added_words: set[str] = set()

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


def add_words(words: Iterable[str]) -> None:
    """Teach jieba words it must be able to cut as one token (whole-word lexicon terms)."""
    tk = tokenizer()
    with _lock:
        for word in words:
            if word and word not in _added_words and len(word) > 1:
                if word not in tk.FREQ or not tk.FREQ[word]:
                    tk.add_word(word)
                _added_words.add(word)


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


_extractor = None


def keywords(text: str, top_k: int = 8) -> list[str]:
    """TF-IDF keywords of `text` (jieba.analyse), for the title–body comparison."""
    global _extractor
    tokenizer()
    if _extractor is None:
        with _lock:
            if _extractor is None:
                import jieba.analyse

                _extractor = jieba.analyse.default_tfidf
    return _extractor.extract_tags(text, topK=top_k)
