"""SimHash over jieba tokens, for near-duplicate posts across accounts (rules 3.2 / 3.3).

The fingerprint is 64 bits; two texts whose fingerprints differ in at most 3 bits are
near-duplicates for practical purposes (a changed contact, a swapped emoji). Token hashes
come from BLAKE2b, so fingerprints are the same in every process and can be stored.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from . import segment
from .normalize import normalize

NEAR_DUPLICATE_BITS = 3
_MASK = (1 << 64) - 1


def _token_hash(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def simhash(text: str) -> int:
    """The 64-bit SimHash of `text` (normalised first, so evasions do not change it)."""
    normalized = normalize(text).text
    tokens = Counter(t for t in segment.cut(normalized) if t.strip() and (len(t) > 1 or t.isalnum()))
    if not tokens:
        return 0
    weights = [0] * 64
    for token, count in tokens.items():
        h = _token_hash(token)
        for bit in range(64):
            weights[bit] += count if (h >> bit) & 1 else -count
    value = 0
    for bit in range(64):
        if weights[bit] > 0:
            value |= 1 << bit
    return value & _MASK


def hamming_distance(a: int, b: int) -> int:
    """Number of differing bits between two fingerprints."""
    return ((a ^ b) & _MASK).bit_count()


def is_near_duplicate(a: int, b: int, *, bits: int = NEAR_DUPLICATE_BITS) -> bool:
    return hamming_distance(a, b) <= bits
