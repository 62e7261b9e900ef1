"""Header values of real mail, decoded by hand. Pure Python, no Django.

The standard library decodes RFC 2047 words with the charset they name, so a gb2312 word
holding GBK characters comes out as U+FFFD, and raw 8-bit headers are guessed as
UTF-8 only. Here every header is read from the raw value the parser kept
(``Message.raw_items()``), its 8-bit bytes recovered, and every piece decoded through
articles.mail.charsets:

- ``decode_header_value`` — RFC 2047 encoded words (B and Q, a charset per word; adjacent
  words of one charset are joined as bytes first, so a character split across two words
  survives), raw 8-bit text, folding;
- ``header_params`` — Content-Type / Content-Disposition parameters with RFC 2231
  (``name*=charset''…``, continuations ``name*0*=…``, ``name*1=…``) and the RFC 2047
  words that Outlook and Foxmail put inside quoted file names;
- ``parse_address`` — (display name, address) of a From header, also in the comment form
  ``addr (Name)``;
- ``normalise_message_id`` / ``message_ids`` — Message-ID, In-Reply-To, References.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from email.message import Message
from email.utils import getaddresses, parseaddr
from urllib.parse import unquote_to_bytes

from articles.mail.charsets import decode_bytes

_FOLD = re.compile(r"\r?\n[ \t]")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+?)\?([bBqQ])\?([^?]*?)\?=")
_WHITESPACE_ONLY = re.compile(r"^[ \t\r\n]*$")
_ANGLE_ID = re.compile(r"<([^<>]*)>")
_ADDRESS = re.compile(r"[^\s<>()\"',;:]+@[^\s<>()\"',;:]+")
MESSAGE_ID_MAX = 255


def raw_header(msg: Message, name: str) -> str | None:
    """The first ``name`` header as it was on the wire (8-bit bytes as surrogates), or None."""
    wanted = name.lower()
    for key, value in msg.raw_items():
        if key.lower() == wanted:
            return value if isinstance(value, str) else str(value)
    return None


def raw_headers(msg: Message, name: str) -> list[str]:
    wanted = name.lower()
    return [value if isinstance(value, str) else str(value) for key, value in msg.raw_items() if key.lower() == wanted]


def unfold(value: str) -> str:
    return _FOLD.sub(" ", value).replace("\r", "").replace("\n", " ")


def recover_8bit(value: str, hint: str | None = None) -> str:
    """Raw 8-bit header bytes (kept by the parser as surrogates) decoded: in the message's own
    charset ``hint`` when there is one (a Big5 header reads as GB18030 too), else by guessing."""
    try:
        data = value.encode("utf-8", errors="surrogateescape")
    except UnicodeEncodeError:  # a real (non-surrogate) character the parser already decoded
        return value
    if data.isascii():
        return value
    return decode_bytes(data, hint)


def _word_bytes(encoding: str, payload: str) -> bytes:
    if encoding.lower() == "b":
        cleaned = re.sub(r"[^A-Za-z0-9+/=]", "", payload).rstrip("=")
        cleaned += "=" * (-len(cleaned) % 4)
        try:
            return base64.b64decode(cleaned)
        except (binascii.Error, ValueError):
            return payload.encode("ascii", "replace")
    # Q: "_" is a space, =XX a byte.
    data = payload.replace("_", " ").encode("ascii", "surrogateescape")
    return re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), data)


def decode_header_value(value: str | None, hint: str | None = None) -> str:
    """A header's text: unfolded, 8-bit recovered, RFC 2047 words decoded. Never raises."""
    if not value:
        return ""
    text = recover_8bit(unfold(value), hint)
    pieces: list[tuple[str | None, bytes | str]] = []  # (charset, bytes) for words, (None, text) between
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        between = text[position : match.start()]
        # Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
        if between and not (pieces and pieces[-1][0] is not None and _WHITESPACE_ONLY.match(between)):
            pieces.append((None, between))
        charset = match.group(1).split("*", 1)[0]  # RFC 2231 language suffix: utf-8*zh
        data = _word_bytes(match.group(2), match.group(3))
        if pieces and pieces[-1][0] is not None and pieces[-1][0].lower() == charset.lower():
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + data)  # type: ignore[operator]
        else:
            pieces.append((charset, data))
        position = match.end()
    if position < len(text):
        pieces.append((None, text[position:]))
    out = []
    for charset, chunk in pieces:
        out.append(chunk if charset is None else decode_bytes(chunk, charset))  # type: ignore[arg-type]
    return re.sub(r"[ \t]+", " ", "".join(out)).strip()


def _split_params(value: str) -> list[str]:
    parts, current, quoted, escaped = [], [], False, False
    for ch in value:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\" and quoted:
            current.append(ch)
            escaped = True
        elif ch == '"':
            quoted = not quoted
            current.append(ch)
        elif ch == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        value = re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def header_params(value: str | None) -> tuple[str, dict[str, str]]:
    """('multipart/mixed', {'boundary': …}) from a Content-Type or Content-Disposition value.

    Parameter names are lower case; RFC 2231 and RFC 2047 values are decoded.
    """
    if not value:
        return "", {}
    text = unfold(value)
    first, *rest = _split_params(text)
    plain: dict[str, str] = {}
    extended: dict[str, dict[int, tuple[bool, str]]] = {}
    for item in rest:
        if "=" not in item:
            continue
        name, raw = item.split("=", 1)
        name = name.strip().lower()
        raw = raw.strip()
        match = re.fullmatch(r"([^*]+)\*(?:(\d+)\*?|)(\*?)", name) if "*" in name else None
        if match:
            base = match.group(1)
            index = int(match.group(2)) if match.group(2) is not None else 0
            encoded = name.endswith("*")
            extended.setdefault(base, {})[index] = (encoded, raw if encoded else _unquote(raw))
        else:
            plain.setdefault(name, _unquote(raw))
    params = {
        name: decode_header_value(value) if "=?" in value else recover_8bit(value) for name, value in plain.items()
    }
    for base, segments in extended.items():
        charset = ""
        data = b""
        for index in sorted(segments):
            encoded, raw = segments[index]
            if encoded:
                raw = _unquote(raw)
                if index == min(segments) and raw.count("'") >= 2:
                    charset, _language, raw = raw.split("'", 2)
                data += unquote_to_bytes(raw)
            else:
                data += raw.encode("utf-8", "surrogateescape")
        params[base] = decode_bytes(data, charset or None)  # RFC 2231 wins over a plain fallback
    return first.strip().lower(), params


def parse_address(value: str | None, hint: str | None = None) -> tuple[str, str]:
    """(display name, address) of a From-like header; ('', '') when there is none."""
    if not value:
        return "", ""
    text = recover_8bit(unfold(value), hint).strip()
    name, address = "", ""
    try:
        pairs = [pair for pair in getaddresses([text]) if pair[1] and "@" in pair[1]]
        if pairs:
            name, address = pairs[0]
        else:
            name, address = parseaddr(text)
    except Exception:  # noqa: S110 — the regex below copes with what the stdlib refuses
        pass
    if not address or "@" not in address:
        match = _ADDRESS.search(text)
        address = match.group(0) if match else ""
        if address:
            name = text.replace(address, "").strip(" <>\"'()\t")
    name = decode_header_value(name).strip().strip("\"'").strip()
    if name.lower() == address.lower():
        name = ""
    return name[:200], address.strip()[:254]


def normalise_message_id(value: str | None) -> str:
    """'<AbC@Example.COM>' however folded → 'abc@example.com'; '' when there is none.

    Very long ids are shortened with a hash so they fit the indexed column.
    """
    if not value:
        return ""
    text = recover_8bit(unfold(value))
    match = _ANGLE_ID.search(text)
    core = match.group(1) if match else text
    core = re.sub(r"\s+", "", core).strip("<>").lower()
    if len(core) > MESSAGE_ID_MAX:
        digest = hashlib.sha256(core.encode("utf-8", "surrogatepass")).hexdigest()
        core = f"{core[: MESSAGE_ID_MAX - 66]}~{digest}"
    return core


def message_ids(value: str | None) -> list[str]:
    """Every id in an In-Reply-To or References header, normalised, in order."""
    if not value:
        return []
    text = unfold(value)
    found = [normalise_message_id(f"<{inner}>") for inner in _ANGLE_ID.findall(text)]
    if not found:
        found = [normalise_message_id(token) for token in text.split() if "@" in token]
    seen, ordered = set(), []
    for item in found:
        if item and item not in seen:
            seen.add(item)
            ordered.append(item)
    return ordered
