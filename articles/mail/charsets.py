"""Bytes to text for Chinese mail, whatever the label says. Pure Python, no Django.

Real mail lies about its charset in a few well-known ways, and each is handled here:

- ``gb2312`` (and ``gbk``, ``cp936``, ``euc-cn``…) labels on bytes that use GBK-only
  characters (镕, 喆, 堃): decoded as GB18030, the superset of both, or they come out as
  U+FFFD.
- ``big5`` labels on bytes with Microsoft's (cp950) or Hong Kong (HKSCS) extensions:
  tried as cp950, then big5hkscs.
- ``us-ascii`` (or no label, or ISO-8859-1) on raw 8-bit UTF-8, typical of scripts: valid
  UTF-8 is taken as UTF-8.
- ``utf-8`` with a few invalid bytes: still UTF-8, with replacement characters where the
  bytes are bad — one broken sequence must not switch a whole body to another charset.
  Only when most of the non-ASCII text fails as UTF-8 and the bytes are valid GB18030 is
  the label taken to be wrong.
- an unknown label: guessed (UTF-8, GB18030, cp950, in that order of strictness).

``decode_bytes`` never raises.
"""

from __future__ import annotations

import codecs
import re

_GB_LABELS = {
    "gb2312",
    "gb_2312",
    "gb_2312-80",
    "gb2312-80",
    "gb231280",
    "csgb2312",
    "euc-cn",
    "euccn",
    "x-euc-cn",
    "gbk",
    "x-gbk",
    "cp936",
    "ms936",
    "windows-936",
    "936",
    "chinese",
    "csiso58gb231280",
    "iso-ir-58",
    "gb18030",
    "gb-18030",
}
_BIG5_LABELS = {"big5", "big-5", "csbig5", "x-x-big5", "cn-big5", "x-big5", "cp950", "ms950", "big5-hkscs", "big5hkscs"}
_ASCII_ONLY = {"us-ascii", "ascii", "ansi_x3.4-1968", "us", "iso646-us", "unknown-8bit", "x-unknown", "unknown"}
_LATIN = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252"}
_UTF8_LABELS = {"utf-8", "utf8", "utf_8", "x-unicode20utf8", "unicode-1-1-utf-8"}
# In that order when nothing (or nothing usable) is said.
_GUESSES = ("utf-8", "gb18030", "cp950", "big5hkscs")
_NON_ASCII = re.compile(rb"[\x80-\xff]")


def normalise_label(label: str | None) -> str:
    """'"GB2312"' → 'gb2312'; '' when there is no label."""
    if not label:
        return ""
    return str(label).strip().strip("\"'").strip().lower()


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _guess(data: bytes) -> str:
    for codec in _GUESSES:
        text = _strict(data, codec)
        if text is not None:
            return text
    return data.decode("utf-8", errors="replace")


def _bom(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    return None


def decode_bytes(data: bytes, label: str | None = None) -> str:
    """Decode ``data`` that claims to be in charset ``label`` as well as it can be done."""
    if not data:
        return ""
    label = normalise_label(label)
    with_bom = _bom(data)
    if with_bom is not None:
        return with_bom
    if not _NON_ASCII.search(data):
        return data.decode("ascii")  # plain ASCII reads the same in every label we accept
    if label in _GB_LABELS:
        return _strict(data, "gb18030") or _strict(data, "utf-8") or data.decode("gb18030", errors="replace")
    if label in _BIG5_LABELS:
        return (
            _strict(data, "cp950")
            or _strict(data, "big5hkscs")
            or _strict(data, "utf-8")
            or data.decode("cp950", errors="replace")
        )
    if label in _UTF8_LABELS:
        text = _strict(data, "utf-8")
        if text is not None:
            return text
        text = data.decode("utf-8", errors="replace")
        if _mostly_broken(text):
            other = _strict(data, "gb18030") or _strict(data, "cp950")
            if other is not None:
                return other
        return text
    if not label or label in _ASCII_ONLY:
        # Raw 8-bit under an ASCII label (or none) is, in Chinese mail, UTF-8 or GB.
        return _guess(data)
    if label in _LATIN:
        # A Latin label on valid multi-byte UTF-8 is a script's default, not Latin text.
        return _strict(data, "utf-8") or data.decode("cp1252" if label == "windows-1252" else "latin-1", "replace")
    try:
        codecs.lookup(label)
    except LookupError:
        return _guess(data)
    text = _strict(data, label)
    if text is not None:
        return text
    return _strict(data, "utf-8") or data.decode(label, errors="replace")


def _mostly_broken(text: str) -> bool:
    """More replacement characters than decoded non-ASCII characters: not UTF-8 at all."""
    broken = text.count("\ufffd")
    if broken == 0:
        return False
    decoded = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return broken > decoded


def sniff_html_charset(data: bytes) -> str:
    """The charset an HTML document declares in its first bytes (<meta charset=…>), or ''."""
    head = data[:4096]
    match = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", head, re.IGNORECASE)
    return match.group(1).decode("ascii", "replace") if match else ""
