"""Putting messages together without doubled punctuation.

Every message a service writes is a whole sentence that ends with its own full stop
("评论不能为空，写点什么吧。"). Embedding one inside another sentence ("不能发布：%(reason)s。")
or joining several with "；" then gives "。。" and "。；". These helpers are the one place
that knows how sentences are put together; pure Python, no Django.
"""

from collections.abc import Iterable

# What may end a sentence or a clause, in Chinese and in ASCII.
_TERMINAL = "。．.！!？?；;，,、：: \t\n"
_SENTENCE_END = "。！？!?…"


def as_clause(text: str) -> str:
    """`text` without its closing punctuation, ready to go inside another sentence."""
    return str(text).rstrip(_TERMINAL)


def as_sentence(text: str) -> str:
    """`text` ending with exactly one full stop (or its own ! ? …)."""
    text = str(text).strip()
    if not text:
        return ""
    if text[-1] in _SENTENCE_END:
        return text
    return as_clause(text) + "。"


def excerpt(text: str, limit: int = 30) -> str:
    """The start of `text` to quote inside a sentence (“%(excerpt)s”): whitespace folded to
    single spaces, at most `limit` characters and "…" when cut, and without its closing
    punctuation, so “……进水了。”。 cannot happen."""
    text = " ".join(str(text or "").split())
    if len(text) > limit:
        return as_clause(text[:limit]) + "…"
    return as_clause(text)


def join_sentences(texts: Iterable[str]) -> str:
    """Several messages as one paragraph: each a sentence with its own single full stop."""
    return "".join(sentence for sentence in (as_sentence(t) for t in texts) if sentence)
