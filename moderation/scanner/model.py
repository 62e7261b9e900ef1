"""The model stage: a calibrated linear model over hashed character n-grams, one-vs-rest over the
nine convention categories, scored per sentence (and the title). numpy only — never sklearn —
so a worker that scans stays small; `training.py` fits it with scikit-learn.

Features. The text is normalised first (`normalize`, the same step the rules use, so full-width,
traditional and spaced-out evasions look like what the model was trained on). Every position of
the normalised text gives one character n-gram per order (1–3 by default) that stays inside its
sentence; each n-gram is hashed to one of 2^bits buckets. We hash by hand, over the code points
as a numpy array, rather than with scikit-learn's `HashingVectorizer`: that one builds a Python
string per n-gram, which alone costs more than the whole rule pipeline, while here the ids of a
whole text are a few vectorised integer operations (`np.frombuffer(text.encode("utf-32-le"))`,
multiply–add neighbours, Fibonacci-hash to `bits` bits). The feature vector of a sentence is the
bucket counts divided by the square root of its n-gram count, the same in training and here.

Scores. For category c, `logit = (Σ W[bucket, c]) / √n + B[c]` and `p = 1 / (1 + e^-logit)`: the
calibration (Platt scaling, fitted by scikit-learn on out-of-fold scores) is folded into `W` and
`B`, so a probability needs one gather of the weight rows and one `np.add.reduceat` per sentence.
Weights are stored as int8 with one scale per category.

Storage (`to_bytes`): `MAGIC`, a format version, a JSON header (shapes, dtypes, thresholds,
rule priors and `meta`: sources, sizes, figures, seed — never strings of the training text) and
the zlib-compressed arrays, then a SHA-256 of everything before it. `from_bytes` checks all of it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import struct
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .normalize import Normalized, normalize
from .results import Finding, make_finding

CATEGORIES = tuple(range(1, 10))
MAGIC = b"YUMAOTM\x00"
FORMAT_VERSION = 1
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "seeds" / "model" / "default.ymodel"

DEFAULT_BITS = 18
DEFAULT_ORDERS = (1, 2, 3)
# A sentence longer than this (a wall of text without punctuation) is scored in windows.
MAX_SENTENCE = 240
# At most this many findings per category and field.
MAX_HITS = 20
# A "sentence" shorter than this (是的。 好！) is read together with the one before it.
MIN_SENTENCE = 5
# Text is featurised in chunks of about this many characters, so memory stays bounded.
CHUNK = 40_000
# A text of one unit up to this long (most comments and titles) is hashed in plain Python: a few
# dozen small numpy calls cost more than the arithmetic itself (`TextModel._logits_small`; the
# result is the same to the bit as the general path's).
SMALL_TEXT = 64  # at most MAX_SENTENCE

_MASK = (1 << 64) - 1
_MIX = np.uint64(0x9E3779B97F4A7C15)  # 2^64 / golden ratio: Fibonacci hashing
_STEP = np.uint64(0x100000001B3)
_SALTS = tuple(np.uint64(s) for s in (0, 0x51ED270B, 0xA0761D65, 0xE7037ED1, 0x8EBC6AF0, 0x589965CC))
_MIX_INT, _STEP_INT = int(_MIX), int(_STEP)
_SALTED_MIX = tuple(int(s) * _MIX_INT & _MASK for s in _SALTS)

# Sentence ends: Chinese and Latin sentence punctuation and line breaks. A Latin full stop ends a
# sentence only before whitespace (or at the end), so 3.14 and example.com stay whole.
_SENTENCE_END = re.compile(r"[。！？!?；;…\n\r\u2028\u2029]+|\.+(?=\s|$)")


class SentenceScore(NamedTuple):
    """One sentence (or window) of the normalised text's original: `[start, end)` offsets into the
    ORIGINAL text and the calibrated probability per category."""

    start: int
    end: int
    probs: dict[int, float]


# Addresses are not language: a URL, a Markdown image (its alt text is a file name more often than
# not) or a link's target, and a site path (a pasted image's /media/images/…/original.png) carry hex
# digests and file names that a character model reads as noise at best and as an advert at worst.
# They are blanked before featurising, in training and here alike: replaced by as many spaces (so
# offsets still slice the text), and no n-gram that touches them is counted. The rule stages
# still see them (their link detector is what judges an address).
# the characters of an address: ASCII letters, digits and URL punctuation (never a Chinese character,
# a bracket or a quote, so a URL ends where the prose resumes)
_STOP = r"[A-Za-z0-9\-._~:/?#@!$&*+,;=%]"
# Every branch begins with the character it consumes first (the lookbehinds come after it), so the
# engine rejects a position of Chinese prose at once.
_ADDRESS = re.compile(
    rf"!\[[^\]\n]{{0,300}}\]\({_STOP}*(?:\s+\"[^\"\n]{{0,300}}\")?\)"  # a Markdown image ![alt](target "title")
    rf"|\]\((?P<target>{_STOP}+)(?=[\s)])"  # a Markdown link's target: [text](target)
    rf"|(?:https?|ftp)://{_STOP}+"  # a URL with a scheme
    rf"|www\.{_STOP}+"
    r"|/(?<![\w/.-]/)(?:[\w.%~+-]+/)+[\w.%~+-]*"  # a site path with at least one folder: /media/images/…
    rf"|[a-z0-9](?<![\w@.-].)(?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{{2,12}}"
    rf"(?:/{_STOP}*)?(?![\w-])",  # a bare domain
    re.ASCII | re.IGNORECASE,
)
_ANCHOR = re.compile(r"[/.:(]")
_REGION = 400
_MAYBE_ADDRESS = re.compile(r"\]\(|://|www\.|/|[a-z0-9]\.[a-z]", re.ASCII | re.IGNORECASE)


def address_spans(text: str) -> list[tuple[int, int]]:
    """`[start, end)` of every URL, Markdown image, Markdown link target and site path in `text`."""
    if len(text) <= _REGION:
        if not _MAYBE_ADDRESS.search(text):
            return []
        return [m.span("target") if m.group("target") else m.span() for m in _ADDRESS.finditer(text)]
    # long text: every address holds one of / . : ( — the regex runs only near those characters
    # (one region per cluster of them, with room for an image's alt text before and a URL after)
    spans = []
    anchors = [m.start() for m in _ANCHOR.finditer(text)]
    i = 0
    while i < len(anchors):
        first = last = anchors[i]
        i += 1
        while i < len(anchors) and anchors[i] - last < 2 * _REGION:
            last = anchors[i]
            i += 1
        start, end = max(first - _REGION, 0), min(last + _REGION, len(text))
        for m in _ADDRESS.finditer(text, start, end):
            spans.append(m.span("target") if m.group("target") else m.span())
    return spans


def blank_addresses(text: str, spans: list[tuple[int, int]] | None = None) -> str:
    """`text` with every address (`address_spans`) replaced by as many spaces."""
    spans = address_spans(text) if spans is None else spans
    if not spans:
        return text
    parts, done = [], 0
    for a, b in spans:
        parts += [text[done:a], " " * (b - a)]
        done = b
    parts.append(text[done:])
    return "".join(parts)


def _clip(spans: list[tuple[int, int]], a: int, b: int) -> list[tuple[int, int]]:
    """The parts of `spans` inside [a, b), as offsets from a."""
    return [(max(s, a) - a, min(e, b) - a) for s, e in spans if s < b and e > a]


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def sentence_starts(text: str) -> np.ndarray:
    """Start offsets of the sentences of `text` (the first is 0), each at most MAX_SENTENCE long."""
    n = len(text)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    if ends and ends[-1] == n:
        ends.pop()
    starts = np.array([0, *ends], dtype=np.int64)
    if len(starts) > 1:
        lengths = _lengths(starts, n)
        keep = lengths >= MIN_SENTENCE  # a short sentence joins the one before it
        if not keep[0]:
            keep[1] = False  # a short first sentence joins the next one instead
        keep[0] = True
        starts = starts[keep]
    if n > MAX_SENTENCE:
        lengths = _lengths(starts, n)
        if lengths.max() > MAX_SENTENCE:
            pieces = [np.arange(s, s + length, MAX_SENTENCE) for s, length in zip(starts, lengths, strict=True)]
            starts = np.concatenate(pieces)
    return starts


def _small_sentence_starts(text: str) -> list[int]:
    """`sentence_starts` of a text no longer than MAX_SENTENCE, as a list, in plain Python."""
    n = len(text)
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    if ends and ends[-1] == n:
        ends.pop()
    starts = [0, *ends]
    if len(starts) > 1:
        keep = [b - a >= MIN_SENTENCE for a, b in zip(starts, [*starts[1:], n], strict=True)]
        if not keep[0]:
            keep[1] = False
        keep[0] = True
        starts = [s for s, k in zip(starts, keep, strict=True) if k]
    return starts


def _lengths(starts: np.ndarray, n: int) -> np.ndarray:
    """Lengths of the pieces that begin at `starts` (the last runs to n); np.diff(append=) is
    several times slower on the short arrays a comment gives."""
    lengths = np.empty(len(starts), dtype=np.int64)
    lengths[:-1] = starts[1:] - starts[:-1]
    lengths[-1] = n - starts[-1]
    return lengths


def unit_index(starts: np.ndarray, n: int, window: int) -> np.ndarray:
    """Indexes of the sentences that begin a unit: every sentence when `window` is 0, otherwise
    the first sentence starting at or after each multiple of `window` characters — so a short
    comment is one unit, as in training, and long prose is read a few sentences at a time."""
    if window <= 0 or n <= window:
        return np.arange(len(starts)) if window <= 0 else np.zeros(1, dtype=np.int64)
    index = np.unique(np.searchsorted(starts, np.arange(0, n, window)))
    return index[index < len(starts)]


def ngram_counts(starts: np.ndarray, n: int, orders: tuple[int, ...]) -> np.ndarray:
    """How many n-grams (of all `orders`) each sentence has."""
    lengths = _lengths(starts, n)
    total = np.maximum(lengths - (orders[0] - 1), 0)
    for order in orders[1:]:
        total += np.maximum(lengths - (order - 1), 0)
    return total


def hashed_ids(
    codes: np.ndarray, starts: np.ndarray, bits: int, orders: tuple[int, ...], blanks: list | None = None
) -> np.ndarray:
    """Bucket ids, shape (len(orders), len(codes)): row k holds, for each position, the bucket of the
    n-gram of order `orders[k]` starting there, or `2**bits` (a zero row) where that n-gram would
    run past the end of its sentence or touch one of the `blanks` spans (addresses)."""
    n = len(codes)
    out = np.empty((len(orders), n), dtype=np.intp)
    if n == 0:
        return out
    values = codes.astype(np.uint64)
    rolling = values.copy()
    scratch = np.empty_like(values)
    shift = np.uint64(64 - bits)
    zero = 1 << bits
    # the last position of every sentence but the last; an n-gram of order k starting in the
    # k - 1 positions before a sentence's end would cross it
    last = np.append(starts[1:], n) - 1
    done = 0
    for order in range(1, max(orders) + 1):
        if order > 1:
            # rolling[i] = hash of codes[i : i + order]
            m = max(0, n - order + 1)
            rolling[:m] *= _STEP
            rolling[:m] += values[order - 1 : order - 1 + m]
        if order in orders:
            row = out[done]
            np.add(rolling, _SALTS[order], out=scratch)
            scratch *= _MIX
            np.right_shift(scratch, shift, out=row, casting="unsafe")
            for back in range(order - 1):
                row[np.maximum(last - back, 0)] = zero
            for a, b in blanks or ():
                row[max(a - order + 1, 0) : b] = zero
            done += 1
    return out


_FIRST = np.zeros(1, dtype=np.intp)
_WORD_SALT = np.uint64(0x2545F4914F6CDD1D)
_INVERSE_STEP = np.uint64(pow(int(_STEP), -1, 1 << 64))


def word_ids(text: str, bits: int) -> np.ndarray:
    """Buckets of the jieba words of `text` that have two characters or more. A word's hash is the
    same polynomial hash as an n-gram's, computed for all words at once from prefix hashes
    (P[i] = STEP^i · Σ_{k<i} c_k · STEP^-(k+1), so hash(c[a:b]) = P[b] − P[a] · STEP^(b−a)), with
    its own salt so a word and the n-gram of the same characters are different features."""
    from .segment import cut

    tokens = cut(text)
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
    multi = lengths >= 2
    if not multi.any():
        return np.zeros(0, dtype=np.intp)
    ends = np.cumsum(lengths)
    a, b = (ends - lengths)[multi], ends[multi]
    values = _codes(text).astype(np.uint64)
    n = len(values)
    powers = np.ones(n + 1, dtype=np.uint64)
    powers[1:] = np.cumprod(np.full(n, _STEP, dtype=np.uint64))
    inverse = np.cumprod(np.full(n, _INVERSE_STEP, dtype=np.uint64))
    prefix = np.zeros(n + 1, dtype=np.uint64)
    prefix[1:] = np.cumsum(values * inverse)
    prefix *= powers
    hashes = prefix[b] - prefix[a] * powers[b - a]
    return (((hashes + _WORD_SALT) * _MIX) >> np.uint64(64 - bits)).astype(np.intp)


def text_features(
    text: str, bits: int, orders: tuple[int, ...], *, words: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """(bucket ids, counts) of a whole normalised text taken as one example — what training uses.
    Sentence boundaries are respected as at prediction time; addresses are blanked as there."""
    spans = address_spans(text)
    text = blank_addresses(text, spans)
    codes = _codes(text)
    ids = hashed_ids(codes, sentence_starts(text), bits, orders, spans).ravel()
    ids = ids[ids != (1 << bits)]
    if words:
        ids = np.concatenate([ids, word_ids(text, bits)])
    return np.unique(ids, return_counts=True)


@dataclass(eq=False)
class TextModel:
    """A trained model. `weights` (2^bits × 9, int8) × `scales` (9) are calibrated logit weights,
    `bias` (9) the calibrated intercepts; `thresholds` (9) the per-category probabilities above
    which a sentence is a finding; `rule_codes[c]` the most likely rule of category c ("2.1")."""

    weights: np.ndarray
    scales: np.ndarray
    bias: np.ndarray
    thresholds: np.ndarray
    rule_codes: tuple[str, ...]
    bits: int = DEFAULT_BITS
    orders: tuple[int, ...] = DEFAULT_ORDERS
    meta: dict = field(default_factory=dict)
    categories: tuple[int, ...] = CATEGORIES
    # jieba words as features too, for the sentences whose character score alone reaches
    # `word_gate` in some category (segmenting every sentence would cost more than the rules)
    words: bool = False
    word_gate: float = 0.15
    # units of about this many characters (0: every sentence on its own)
    window: int = 0

    def __post_init__(self):
        self._check()
        # Dequantised weights plus one zero row for n-grams that do not exist.
        dense = self.weights.astype(np.float32) * self.scales.astype(np.float32)
        self._dense = np.vstack([dense, np.zeros((1, len(self.categories)), dtype=np.float32)])
        self._bytes: bytes | None = None

    # ---------------------------------------------------------------- checks and storage
    def _check(self) -> None:
        k = len(CATEGORIES)
        if tuple(self.categories) != CATEGORIES:
            raise ValueError(f"categories must be {list(CATEGORIES)}, got {list(self.categories)}")
        if not isinstance(self.bits, int) or not 8 <= self.bits <= 24:
            raise ValueError(f"bits must be an integer 8–24, got {self.bits!r}")
        orders = tuple(self.orders)
        if (
            not orders
            or any(not isinstance(o, int) or not 1 <= o <= 5 for o in orders)
            or list(orders) != sorted(set(orders))
        ):
            raise ValueError(f"orders must be increasing integers 1–5, got {list(orders)}")
        self.orders = orders
        expected = {"weights": (np.int8, (1 << self.bits, k))}
        for name, shape in (("scales", (k,)), ("bias", (k,)), ("thresholds", (k,))):
            expected[name] = (np.float32, shape)
        for name, (dtype, shape) in expected.items():
            array = getattr(self, name)
            if not isinstance(array, np.ndarray) or array.dtype != dtype or array.shape != shape:
                got = f"{getattr(array, 'dtype', type(array).__name__)} {getattr(array, 'shape', '')}"
                raise ValueError(f"{name} must be {np.dtype(dtype).name} of shape {shape}, got {got}")
            if array.dtype.kind == "f" and not np.isfinite(array).all():
                raise ValueError(f"{name} contains a non-finite number")
        if (self.scales < 0).any():
            raise ValueError("scales must not be negative")
        if ((self.thresholds <= 0) | (self.thresholds > 1.0001)).any():
            raise ValueError("thresholds must be probabilities in (0, 1]")
        if len(self.rule_codes) != k:
            raise ValueError(f"rule_codes must name one rule per category, got {len(self.rule_codes)}")
        for category, rule in zip(CATEGORIES, self.rule_codes, strict=True):
            head, _, tail = str(rule).partition(".")
            if head != str(category) or not tail.isdigit():
                raise ValueError(f"rule_codes[{category}] must be a rule of category {category}, got {rule!r}")
        if not isinstance(self.meta, dict):
            raise ValueError("meta must be a dict")
        if not isinstance(self.words, bool):
            raise ValueError("words must be true or false")
        if not isinstance(self.word_gate, int | float) or not 0 < self.word_gate < 1:
            raise ValueError(f"word_gate must be a probability in (0, 1), got {self.word_gate!r}")
        if not isinstance(self.window, int) or not 0 <= self.window <= 100_000:
            raise ValueError(f"window must be a number of characters, got {self.window!r}")
        self._gate_logit = float(np.log(self.word_gate / (1 - self.word_gate)))

    def to_bytes(self) -> bytes:
        if self._bytes is None:
            arrays = {"weights": self.weights, "scales": self.scales, "bias": self.bias, "thresholds": self.thresholds}
            layout, blobs, offset = {}, [], 0
            for name, array in arrays.items():
                raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"), copy=False).tobytes()
                layout[name] = {"dtype": array.dtype.name, "shape": list(array.shape), "offset": offset}
                blobs.append(raw)
                offset += len(raw)
            header = {
                "bits": self.bits,
                "orders": list(self.orders),
                "categories": list(self.categories),
                "rule_codes": list(self.rule_codes),
                "words": self.words,
                "word_gate": self.word_gate,
                "window": self.window,
                "arrays": layout,
                "meta": self.meta,
            }
            head = json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
            payload = zlib.compress(b"".join(blobs), 9)
            body = MAGIC + struct.pack("<III", FORMAT_VERSION, len(head), len(payload)) + head + payload
            self._bytes = body + hashlib.sha256(body).digest()
        return self._bytes

    @property
    def version_hash(self) -> str:
        return hashlib.sha256(self.to_bytes()).hexdigest()

    @property
    def size(self) -> int:
        return len(self.to_bytes())

    @classmethod
    def from_bytes(cls, data: bytes) -> TextModel:
        """Read a model written by `to_bytes`; `ValueError` with a plain reason on anything else."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise ValueError("a model is bytes")
        data = bytes(data)
        fixed = len(MAGIC) + 12
        if len(data) < fixed + 32 or not data.startswith(MAGIC):
            raise ValueError("not a Yumao text model (bad magic or too short)")
        body, digest = data[:-32], data[-32:]
        version, head_len, payload_len = struct.unpack("<III", data[len(MAGIC) : fixed])
        if version != FORMAT_VERSION:
            raise ValueError(f"unsupported model format version {version} (this code reads {FORMAT_VERSION})")
        if fixed + head_len + payload_len != len(body):
            raise ValueError("model file is truncated or has extra bytes")
        if hashlib.sha256(body).digest() != digest:
            raise ValueError("model checksum mismatch (the file is corrupt)")
        try:
            header = json.loads(body[fixed : fixed + head_len].decode("utf-8"))
            raw = zlib.decompress(body[fixed + head_len :])
        except (UnicodeDecodeError, json.JSONDecodeError, zlib.error) as exc:
            raise ValueError(f"model header or payload unreadable: {exc}") from None
        if not isinstance(header, dict):
            raise ValueError("model header must be an object")
        try:
            layout = header["arrays"]
            arrays = {}
            for name in ("weights", "scales", "bias", "thresholds"):
                spec = layout[name]
                dtype = np.dtype(spec["dtype"]).newbyteorder("<")
                if dtype.name not in ("int8", "float32"):
                    raise ValueError(f"{name}: unexpected dtype {dtype.name}")
                shape = tuple(int(s) for s in spec["shape"])
                count = int(np.prod(shape)) if shape else 1
                start = int(spec["offset"])
                end = start + count * dtype.itemsize
                if start < 0 or end > len(raw):
                    raise ValueError(f"{name}: array runs past the payload")
                arrays[name] = (
                    np.frombuffer(raw, dtype=dtype, count=count, offset=start)
                    .reshape(shape)
                    .astype(dtype.newbyteorder("="))
                )
            model = cls(
                weights=arrays["weights"],
                scales=arrays["scales"],
                bias=arrays["bias"],
                thresholds=arrays["thresholds"],
                rule_codes=tuple(str(r) for r in header["rule_codes"]),
                bits=header["bits"],
                orders=tuple(header["orders"]),
                meta=header.get("meta") or {},
                categories=tuple(header["categories"]),
                words=header.get("words", False),
                word_gate=header.get("word_gate", 0.15),
                window=header.get("window", 0),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"model header is missing or has a malformed field: {exc}") from None
        model._bytes = data
        return model

    @classmethod
    def load(cls, path: str | Path) -> TextModel:
        return cls.from_bytes(Path(path).read_bytes())

    # ---------------------------------------------------------------- thresholds and rules
    def threshold_map(self, overrides: dict | None = None) -> dict[int, float]:
        """The stored thresholds, with any category given in `overrides` (e.g. the setting
        `MODERATION_MODEL_THRESHOLDS`, keys int or str) replaced."""
        out = {c: float(t) for c, t in zip(CATEGORIES, self.thresholds, strict=True)}
        for key, value in (overrides or {}).items():
            category = int(key)
            if category in out:
                out[category] = float(value)
        return out

    def rule_for(self, category: int) -> str:
        return self.rule_codes[category - 1]

    # ---------------------------------------------------------------- scoring
    def _logits(
        self, codes: np.ndarray, starts: np.ndarray, units: np.ndarray, text: str, blanks: list | None = None
    ) -> np.ndarray:
        """Calibrated logits per unit, shape (len(units), 9): `starts` are the sentences of `text`
        (`codes` encode it; n-grams stay inside them), `units` the indexes of the sentences that
        begin a unit; `blanks` the address spans, whose n-grams do not count)."""
        ids = hashed_ids(codes, starts, self.bits, self.orders, blanks)
        dense = self._dense
        summed = dense.take(ids[0], axis=0)
        if len(ids) > 1:
            gathered = np.empty_like(summed)
            for row in ids[1:]:
                summed += dense.take(row, axis=0, out=gathered)
        unit_starts = starts[units]
        sums = np.add.reduceat(summed, unit_starts, axis=0)
        if blanks:
            per_position = (ids != (1 << self.bits)).sum(axis=0)
            counts = np.add.reduceat(per_position, unit_starts).astype(np.float32)
        else:
            counts = np.add.reduceat(ngram_counts(starts, len(codes), self.orders), units).astype(np.float32)
        logits = sums / np.sqrt(np.maximum(counts, 1))[:, None] + self.bias
        if self.words:
            gated = np.flatnonzero((logits >= self._gate_logit).any(axis=1))
            if len(gated):
                ends = np.append(unit_starts[1:], len(codes))
                for i in gated.tolist():
                    found = word_ids(text[unit_starts[i] : ends[i]], self.bits)
                    if len(found):
                        total = sums[i] + dense[found].sum(axis=0)
                        logits[i] = total / np.sqrt(counts[i] + len(found)) + self.bias
        return logits

    def _logits_small(self, text: str, starts: list[int], blanks: list) -> np.ndarray:
        """`_logits` of `text` taken as ONE unit, the same to the bit, for short texts: the n-gram
        buckets are computed with Python integers (the same 64-bit arithmetic, masked), then one
        gather of the weight rows and the same float32 operations in the same order."""
        codes = [ord(c) for c in text]
        n = len(codes)
        shift, zero, mix, step = 64 - self.bits, 1 << self.bits, _MIX_INT, _STEP_INT
        lasts = [s - 1 for s in starts[1:]] + [n - 1]
        rows = []
        rolling = codes[:]
        for order in range(1, self.orders[-1] + 1):
            if order > 1:
                # rolling[i] = hash of codes[i : i + order]; the tail (past the end) is zeroed below
                m = max(0, n - order + 1)
                rolling[:m] = [(h * step + c) & _MASK for h, c in zip(rolling[:m], codes[order - 1 :], strict=True)]
            if order in self.orders:
                # ((h + salt) · MIX) mod 2^64 = (h · MIX + salt · MIX) mod 2^64
                salted = _SALTED_MIX[order]
                row = [((h * mix + salted) & _MASK) >> shift for h in rolling]
                for back in range(order - 1):
                    for last in lasts:
                        row[max(last - back, 0)] = zero
                for a, b in blanks:
                    low = max(a - order + 1, 0)
                    row[low:b] = [zero] * (b - low)
                rows.append(row)
        if blanks:
            count = sum(sum(1 for i in row if i != zero) for row in rows)
        else:
            lengths = [b - a for a, b in zip(starts, [*starts[1:], n], strict=True)]
            count = sum(max(length - (order - 1), 0) for order in self.orders for length in lengths)
        gathered = self._dense[np.array(rows, dtype=np.intp)]
        summed = gathered[0]
        for row in gathered[1:]:
            summed += row
        sums = np.add.reduceat(summed, _FIRST, axis=0)
        # a float32 square root is correctly rounded, and so is a float64 one rounded to float32
        logits = sums / np.float32(math.sqrt(max(count, 1))) + self.bias
        if self.words and (logits >= self._gate_logit).any():
            found = word_ids(text, self.bits)
            if len(found):
                total = sums[0] + self._dense[found].sum(axis=0)
                logits[0] = total / np.float32(math.sqrt(count + len(found))) + self.bias
        return logits

    def score_normalized(
        self, norm: Normalized, *, whole: bool = False, small: bool = True, spans: list | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(unit starts, probabilities) over the NORMALISED text's units — its sentences, grouped
        into runs of about `window` characters when the model has a window — or the whole text
        as one unit when `whole`; starts are offsets into `norm.text`. A short text of one unit takes
        the fast path (`_logits_small`) unless `small` is false; `spans`: the text's
        `address_spans` when the caller has them already."""
        spans = address_spans(norm.text) if spans is None else spans
        text = blank_addresses(norm.text, spans)
        if not text:
            return np.zeros(0, dtype=np.int64), np.zeros((0, len(CATEGORIES)), dtype=np.float32)
        if small and len(text) <= SMALL_TEXT and (whole or self.window <= 0 or len(text) <= self.window):
            starts = _small_sentence_starts(text)
            if whole or self.window > 0 or len(starts) == 1:
                logits = self._logits_small(text, starts, spans)
                return np.zeros(1, dtype=np.int64), 1.0 / (1.0 + np.exp(-logits))
        codes = _codes(text)
        starts = sentence_starts(text)
        units = np.zeros(1, dtype=np.int64) if whole else unit_index(starts, len(codes), self.window)
        if whole or len(codes) <= CHUNK:
            logits = self._logits(codes, starts, units, text, spans)
        else:
            bounds = np.append(starts, len(codes))
            unit_starts = starts[units]
            # chunks of whole units
            breaks = np.unique(np.searchsorted(unit_starts, np.arange(0, len(codes), CHUNK)))
            breaks = breaks[breaks < len(units)]
            pieces = []
            for a, b in zip(breaks.tolist(), [*breaks[1:].tolist(), len(units)], strict=True):
                s_a = int(units[a])
                s_b = int(units[b]) if b < len(units) else len(starts)
                first, last = int(starts[s_a]), int(bounds[s_b])
                pieces.append(
                    self._logits(
                        codes[first:last],
                        starts[s_a:s_b] - first,
                        units[a:b] - s_a,
                        text[first:last],
                        _clip(spans, first, last),
                    )
                )
            logits = np.vstack(pieces)
        return starts[units], 1.0 / (1.0 + np.exp(-logits))

    def predict(self, text: str, *, normalized: Normalized | None = None) -> list[SentenceScore]:
        """Every sentence of `text` with its probabilities; offsets slice the ORIGINAL text."""
        norm = normalized if normalized is not None else normalize(text or "")
        starts, probs = self.score_normalized(norm)
        if not len(starts):
            return []
        ends = np.append(starts[1:], len(norm.text))
        out = []
        for start, end, row in zip(starts.tolist(), ends.tolist(), probs.tolist(), strict=True):
            o_start, o_end = norm.span(start, end)
            out.append(SentenceScore(o_start, o_end, dict(zip(CATEGORIES, row, strict=True))))
        return out

    def predict_proba_texts(self, texts: list) -> np.ndarray:
        """Per text, the highest probability of any of its sentences per category, shape (n, 9).
        A text is a string (a body) or a `(title, body)` pair (the title scored as one unit)."""
        out = np.zeros((len(texts), len(CATEGORIES)), dtype=np.float64)
        for i, text in enumerate(texts):
            title, body = ("", text) if isinstance(text, str) else text
            best = out[i]
            if title:
                best[:] = np.maximum(best, self.score_normalized(normalize(title), whole=True)[1].max(axis=0))
            if body:
                probs = self.score_normalized(normalize(body))[1]
                if len(probs):
                    best[:] = np.maximum(best, probs.max(axis=0))
        return out


_WORDS = re.compile(r"\w")


def _best_sentence(model: TextModel, text: str, start: int, end: int, column: int, spans: list) -> tuple[int, int]:
    """Within the unit text[start:end] (addresses blanked, at `spans`), the sentence that scores
    highest in category `column`, among those with a word character outside the addresses."""
    piece = text[start:end]
    starts = sentence_starts(piece)
    if len(starts) < 2:
        return start, end
    logits = model._logits(_codes(piece), starts, np.arange(len(starts)), piece, _clip(spans, start, end))
    ends = np.append(starts[1:], len(piece))
    column_logits = logits[:, column]
    if spans:
        empty = [not _WORDS.search(piece, a, b) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        column_logits[np.asarray(empty)] = -np.inf
    best = int(np.argmax(column_logits))
    return start + int(starts[best]), start + int(ends[best])


def _sentence_findings(norm: Normalized, field_name: str, model: TextModel, limits: np.ndarray) -> list[Finding]:
    spans = address_spans(norm.text)
    starts, probs = model.score_normalized(norm, whole=field_name == "title", spans=spans)
    if not len(starts):
        return []
    hits = probs >= limits
    if not hits.any():
        return []
    # the first MAX_HITS units of each category (the pipeline keeps 20 findings per rule)
    ends = np.append(starts[1:], len(norm.text))
    text = blank_addresses(norm.text, spans)
    if spans:
        # a unit made only of addresses (and punctuation) says nothing the model can judge
        empty = [not _WORDS.search(text, a, b) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        hits[np.asarray(empty)] = False
        if not hits.any():
            return []
    hits &= np.cumsum(hits, axis=0) <= MAX_HITS
    rows, columns = np.nonzero(hits)
    findings = []
    original = norm.original
    for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
        start, end = int(starts[row]), int(ends[row])
        if field_name != "title":
            # a unit of several sentences: the finding is the sentence that weighs most
            start, end = _best_sentence(model, text, start, end, column, spans)
        o_start, o_end = norm.span(start, end)
        # trim the sentence's surrounding whitespace so the finding reads well
        while o_start < o_end and original[o_start].isspace():
            o_start += 1
        while o_end > o_start and original[o_end - 1].isspace():
            o_end -= 1
        if o_start >= o_end:
            continue
        findings.append(
            make_finding(
                rule=model.rule_for(CATEGORIES[column]),
                detector="model",
                field=field_name,
                original=original,
                start=o_start,
                end=o_end,
                score=float(probs[row, column]),
                action="review",
            )
        )
    return findings


def model_findings(
    title: str,
    body: str,
    model: TextModel,
    thresholds: dict | None = None,
    *,
    normalized: dict[str, Normalized] | None = None,
) -> list[Finding]:
    """Findings (detector `model`, action `review`) for each sentence of the body, and the title,
    whose probability in a category reaches that category's threshold. `thresholds` overrides the
    model's stored ones per category; `normalized` reuses the pipeline's normalisation."""
    if thresholds:
        limits = np.array(list(model.threshold_map(thresholds).values()), dtype=np.float32)
    else:
        limits = model.thresholds
    findings: list[Finding] = []
    for field_name, text in (("title", title or ""), ("body", body or "")):
        norm = (normalized or {}).get(field_name) or normalize(text)
        findings.extend(_sentence_findings(norm, field_name, model, limits))
    return findings


_default_lock = threading.Lock()
_default: list = []


def default_model() -> TextModel | None:
    """The model shipped in `seeds/model/default.ymodel`, loaded once per process (None if absent)."""
    if not _default:
        with _default_lock:
            if not _default:
                _default.append(TextModel.load(DEFAULT_PATH) if DEFAULT_PATH.exists() else None)
    return _default[0]
