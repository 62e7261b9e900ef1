"""Raw e-mail written byte by byte for the mail tests — the project's own fixtures.

The standard library's generator would repair what these tests need broken (a gb2312
label on GBK bytes, raw 8-bit headers, a boundary that never comes), so messages are
assembled by hand: ``message(headers, body)`` joins header lines and a body with CRLF;
``part`` and ``multipart`` build MIME pieces; ``b64``/``qp``/``word`` encode.
"""

from __future__ import annotations

import base64
import io
import quopri

CRLF = b"\r\n"


def _bytes(value: str | bytes, charset: str = "utf-8") -> bytes:
    return value if isinstance(value, bytes) else value.encode(charset)


def b64(data: bytes) -> bytes:
    encoded = base64.b64encode(data)
    return CRLF.join(encoded[i : i + 76] for i in range(0, len(encoded), 76))


def qp(data: bytes) -> bytes:
    return quopri.encodestring(data).replace(b"\n", CRLF)


def word(text: str, charset: str = "utf-8", encoding: str = "B") -> str:
    """One RFC 2047 encoded word."""
    data = text.encode(charset)
    if encoding.upper() == "B":
        return f"=?{charset}?B?{base64.b64encode(data).decode()}?="
    return f"=?{charset}?Q?{''.join(f'={b:02X}' for b in data)}?="


def message(headers: list[tuple[str, str | bytes]], body: bytes | str = b"") -> bytes:
    lines = [_bytes(name) + b": " + _bytes(value) for name, value in headers]
    return CRLF.join(lines) + CRLF + CRLF + _bytes(body)


def part(headers: list[tuple[str, str | bytes]], body: bytes | str) -> bytes:
    return message(headers, body)


def multipart(boundary: str, parts: list[bytes], *, close: bool = True, preamble: bytes = b"") -> bytes:
    out = preamble
    for piece in parts:
        out += b"--" + boundary.encode() + CRLF + piece + CRLF
    if close:
        out += b"--" + boundary.encode() + b"--" + CRLF
    return out


def envelope(
    *,
    subject: str = "投稿：测试稿件",
    sender: str = "张三 <zhangsan@example.cn>",
    message_id: str = "<m1@example.cn>",
    extra: list[tuple[str, str | bytes]] | None = None,
) -> list[tuple[str, str | bytes]]:
    """Ordinary headers; subject and sender display names are RFC 2047 (UTF-8) encoded."""
    if "<" in sender and not sender.startswith("=?"):
        name, address = sender.split("<", 1)
        sender = f"{word(name.strip())} <{address}" if name.strip() and not name.isascii() else sender
    headers: list[tuple[str, str | bytes]] = [
        ("From", sender),
        ("To", "tougao@yumao.example"),
        ("Subject", word(subject) if not subject.isascii() else subject),
        ("Date", "Mon, 11 Mar 2024 21:12:45 +0800"),
        ("MIME-Version", "1.0"),
    ]
    if message_id:
        headers.append(("Message-ID", message_id))
    return headers + (extra or [])


def plain(text: str, *, charset: str = "utf-8", cte: str = "base64", label: str | None = None, **kw) -> bytes:
    """A single-part text/plain message."""
    data = text.encode(charset)
    body = b64(data) if cte == "base64" else qp(data) if cte == "quoted-printable" else data
    headers = [
        *envelope(**kw),
        ("Content-Type", f'text/plain; charset="{label or charset}"'),
        ("Content-Transfer-Encoding", cte),
    ]
    return message(headers, body)


def text_part(text: str, *, subtype: str = "plain", charset: str = "utf-8", label: str | None = None) -> bytes:
    return part(
        [("Content-Type", f'text/{subtype}; charset="{label or charset}"'), ("Content-Transfer-Encoding", "base64")],
        b64(text.encode(charset)),
    )


def file_part(filename_params: str, content_type: str, data: bytes) -> bytes:
    """An attachment; ``filename_params`` is written as given (e.g. 'filename="a.txt"')."""
    return part(
        [
            ("Content-Type", content_type),
            ("Content-Transfer-Encoding", "base64"),
            ("Content-Disposition", f"attachment; {filename_params}"),
        ],
        b64(data),
    )


def with_parts(subtype: str, parts: list[bytes], boundary: str = "==b1==", *, close: bool = True, **kw) -> bytes:
    headers = [*envelope(**kw), ("Content-Type", f'multipart/{subtype}; boundary="{boundary}"')]
    return message(headers, multipart(boundary, parts, close=close, preamble=b"This is a multi-part message.\r\n"))


def docx_bytes(paragraphs: list[tuple[str, str | None]]) -> bytes:
    """A real .docx (python-docx): (text, style) pairs; style None for a plain paragraph,
    "bold" for a paragraph with one bold run."""
    import docx

    document = docx.Document()
    for text, style in paragraphs:
        if style == "bold":
            document.add_paragraph().add_run(text).bold = True
        elif style:
            document.add_paragraph(text, style=style)
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
