"""Raw RFC 5322 bytes to a ParsedMail. Pure Python (the standard library's email package,
nh3, python-docx), no Django: fast to test, reusable by every front door.

    headers = read_headers(raw)             # never raises: for storing and triage
    parsed = parse_message(raw, max_attachment_bytes=…)   # ParsedMail, or raises Unparseable

The message is parsed with ``email.policy.default``; when that raises (the modern header
parser has corners that do), with ``compat32``, which accepts anything. Headers, MIME
parameters and charsets are then decoded by this package's own helpers (headers.py,
charsets.py), because the standard library's decoding trusts charset labels that real
Chinese mail gets wrong.

What is read:
- the kind: ``bounce`` (multipart/report delivery-status, mailer-daemon/postmaster
  senders, null-sender delivery failures), ``auto_reply`` (Auto-Submitted other than
  "no", X-Autoreply, X-Autorespond, Precedence auto_reply, 自动回复/Auto Reply/Out of Office
  subjects, read receipts), ``bulk`` (Precedence bulk/list/junk, List-Id, List-Unsubscribe)
  or ``submission`` — in that order of precedence;
- the manuscript: the text part, or the HTML part (sanitised, as Markdown) when there is
  no text part or it says much less, or a .txt/.md/.html/.docx attachment when one is there
  and the body is not clearly longer (the body is then the cover note); quoted replies and
  signatures are set apart (quotes.py);
- attachments with their decoded names (RFC 2047 and RFC 2231), images marked as
  candidate covers, files over the size limit listed with the reason and not kept.

Unparseable (the message is quarantined for a person) when the MIME structure cannot be
delimited at all (a multipart whose boundary never appears), or there is no sender address
to answer.
"""

from __future__ import annotations

import email
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.utils import parsedate_to_datetime

from articles.mail.charsets import decode_bytes, sniff_html_charset
from articles.mail.documents import DocumentError, document_kind, extract_text
from articles.mail.headers import (
    decode_header_value,
    header_params,
    message_ids,
    normalise_message_id,
    parse_address,
    raw_header,
)
from articles.mail.html import html_to_markdown
from articles.mail.quotes import split_quoted

SUBMISSION = "submission"
AUTO_REPLY = "auto_reply"
BULK = "bulk"
BOUNCE = "bounce"

_MAX_DEPTH = 20  # MIME nesting deeper than this is not mail anyone wrote
_IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".heic", ".heif", ".tif", ".tiff")
_DAEMONS = {"mailer-daemon", "mailerdaemon", "mail-daemon", "postmaster", "mail.daemon"}
# An auto-reply's subject starts with its keyword and then a delimiter ("自动回复：…",
# "[Auto Reply] …", "Out of Office: …") or ends there — so a manuscript called
# 《自动回复的秘密》 is still a manuscript.
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:(?:re|回复|答复|回覆|fw|fwd|转发)\s*[:：]\s*)*[\[【(（]?\s*(?:"
    r"自动回复|自動回覆|自动答复|自動答覆|自动应答|自動回复|自动回覆|假期自动回复|不在办公室|"
    r"auto(?:matic)?[\s_-]*(?:reply|replied|response|answer)|autoreply|autoresponse|"
    r"out\s+of\s+(?:the\s+)?office(?:\s+(?:reply|auto[\s-]*reply))?|vacation\s+reply|abwesenheitsnotiz)"
    r"\s*(?:[:：\]】)）|\-—]|$)",
    re.IGNORECASE,
)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|delivery\s+(?:status\s+notification|failure|has\s+failed)|mail\s+delivery\s+failed|"
    r"returned\s+mail|failure\s+notice|退信|无法投递|投递失败|未能送达|系统退回",
    re.IGNORECASE,
)
_FALSE = {"no", "false", "0", "off", ""}
_SIGNATURES = {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}


class Unparseable(Exception):
    """The message cannot be turned into a submission; ``reason`` says why, for a person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class HeaderSummary:
    message_id: str = ""
    subject: str = ""
    sender_name: str = ""
    sender_email: str = ""
    date: datetime | None = None
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    size: int
    data: bytes | None  # None when over the size limit
    kind: str = ""  # a manuscript document: text, markdown, html, docx
    text: str = ""
    is_image: bool = False
    is_manuscript: bool = False
    skipped_reason: str = ""
    error: str = ""  # why the text of a document could not be read


@dataclass
class ParsedMail:
    headers: HeaderSummary
    kind: str = SUBMISSION
    kind_reason: str = ""
    text: str = ""
    text_source: str = ""  # body, html, attachment
    cover_note: str = ""
    quoted: str = ""
    attachments: list[ParsedAttachment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what a person should know (left out, repaired)

    @property
    def title(self) -> str:
        if self.headers.subject:
            return self.headers.subject[:300]
        first = next((line.strip("# ").strip() for line in self.text.split("\n") if line.strip()), "")
        return first[:50]


# Reading the message


def _message(raw: bytes) -> Message:
    try:
        msg = email.message_from_bytes(raw, policy=policy.default)
        # Touch what the walk will touch, so a policy.default failure surfaces here.
        for part in msg.walk():
            part.get_content_type()
        return msg
    except Exception:  # compat32 reads what the modern parser cannot
        return email.message_from_bytes(raw, policy=policy.compat32)


def _charset_hint(msg: Message) -> str | None:
    """The charset the message's text declares — what its raw 8-bit headers are most likely in."""
    for part in [msg, *(msg.get_payload() if msg.is_multipart() and isinstance(msg.get_payload(), list) else [])]:
        if not isinstance(part, Message):
            continue
        ctype, params = header_params(raw_header(part, "content-type"))
        if params.get("charset") and (not ctype or ctype.startswith("text/")):
            return params["charset"]
        if part.is_multipart() and part is not msg:
            children = part.get_payload()
            first = children[0] if isinstance(children, list) and children else None
            if isinstance(first, Message):
                charset = header_params(raw_header(first, "content-type"))[1].get("charset")
                if charset:
                    return charset
    return None


def _summary(msg: Message) -> HeaderSummary:
    hint = _charset_hint(msg)
    name, address = parse_address(raw_header(msg, "from") or raw_header(msg, "sender") or "", hint)
    date = None
    date_value = decode_header_value(raw_header(msg, "date"))
    if date_value:
        try:
            date = parsedate_to_datetime(date_value)
            if date is not None and date.tzinfo is None:
                date = date.replace(tzinfo=UTC)
        except (TypeError, ValueError, IndexError, OverflowError):
            date = None
    return HeaderSummary(
        message_id=normalise_message_id(raw_header(msg, "message-id")),
        subject=decode_header_value(raw_header(msg, "subject"), hint)[:300],
        sender_name=name,
        sender_email=address,
        date=date,
        in_reply_to=message_ids(raw_header(msg, "in-reply-to")),
        references=message_ids(raw_header(msg, "references")),
    )


# Headers longer than this are not mail; the summary reads no further.
_MAX_HEADER_BYTES = 512 * 1024
_HEADER_END = re.compile(rb"\r?\n\r?\n")


def read_headers(raw: bytes) -> HeaderSummary:
    """What the headers say, decoded. Never raises (an empty summary for nonsense).

    Only the header block is parsed, so a message of many megabytes costs what its headers do.
    """
    end = _HEADER_END.search(raw, 0, _MAX_HEADER_BYTES)
    head = raw[: end.end()] if end else raw[:_MAX_HEADER_BYTES]
    try:
        return _summary(email.message_from_bytes(head, policy=policy.compat32))
    except Exception:  # a summary is best effort; parse_message says what is wrong
        return HeaderSummary()


def _content_type(part: Message, parent_type: str = "") -> tuple[str, dict[str, str]]:
    ctype, params = header_params(raw_header(part, "content-type"))
    if not ctype or "/" not in ctype:
        ctype = "message/rfc822" if parent_type == "multipart/digest" else "text/plain"
    return ctype, params


def _header_on(msg: Message, name: str) -> str:
    return decode_header_value(raw_header(msg, name)).strip()


# Kinds


def classify(msg: Message, headers: HeaderSummary) -> tuple[str, str]:
    """(kind, reason) from the headers alone."""
    ctype, params = _content_type(msg)
    local_part = headers.sender_email.split("@", 1)[0].lower()
    report_type = params.get("report-type", "").lower()
    return_path = (_header_on(msg, "return-path") or "").strip()
    auto_submitted = _header_on(msg, "auto-submitted").split(";", 1)[0].strip().lower()
    if ctype == "multipart/report" and report_type != "disposition-notification":
        return BOUNCE, f"退信（multipart/report; report-type={report_type or '未注明'}）"
    if local_part in _DAEMONS:
        return BOUNCE, f"退信（发件人 {headers.sender_email}）"
    if _BOUNCE_SUBJECT.search(headers.subject) and (return_path in {"<>", ""} and auto_submitted):
        return BOUNCE, "退信（无发件人的投递失败通知）"
    if ctype == "multipart/report":
        return AUTO_REPLY, "已读回执（disposition-notification）"
    if auto_submitted and auto_submitted not in _FALSE:
        return AUTO_REPLY, f"自动回复（Auto-Submitted: {auto_submitted}）"
    for name in ("x-autoreply", "x-autorespond", "x-autoresponder", "x-auto-reply"):
        value = _header_on(msg, name)
        if raw_header(msg, name) is not None and value.lower() not in _FALSE - {""}:
            return AUTO_REPLY, f"自动回复（{name}）"
    precedence = _header_on(msg, "precedence").lower()
    x_precedence = _header_on(msg, "x-precedence").lower()
    if "auto_reply" in (precedence, x_precedence) or "auto-reply" in (precedence, x_precedence):
        return AUTO_REPLY, "自动回复（Precedence: auto_reply）"
    if _AUTO_SUBJECT.search(headers.subject):
        return AUTO_REPLY, f"自动回复（主题：{headers.subject[:60]}）"
    if precedence in {"bulk", "list", "junk"}:
        return BULK, f"群发邮件（Precedence: {precedence}）"
    for name in ("list-id", "list-unsubscribe"):
        if raw_header(msg, name) is not None:
            return BULK, f"邮件列表或群发（{name}）"
    return SUBMISSION, ""


# The body


def _payload_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # an odd transfer encoding: take the bytes as they are
        payload = part.get_payload()
        data = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    return data if isinstance(data, bytes) else b""


def _unflow(text: str, delsp: bool) -> str:
    """format=flowed (RFC 3676): lines ending in a space continue on the next line."""
    out, pending = [], ""
    for line in text.split("\n"):
        if line == "-- ":
            if pending:
                out.append(pending)
                pending = ""
            out.append(line)
            continue
        if line.startswith(" "):
            line = line[1:]  # space-stuffing
        if line.endswith(" "):
            pending += line[:-1] if delsp else line
        else:
            out.append(pending + line)
            pending = ""
    if pending:
        out.append(pending)
    return "\n".join(out)


def _text_of(part: Message, ctype: str, params: dict[str, str]) -> str:
    data = _payload_bytes(part)
    charset = params.get("charset")
    if ctype == "text/html":
        return html_to_markdown(decode_bytes(data, charset or sniff_html_charset(data)))
    text = decode_bytes(data, charset).replace("\r\n", "\n").replace("\r", "\n")
    if params.get("format", "").lower() == "flowed":
        text = _unflow(text, params.get("delsp", "").lower() == "yes")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _safe_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().strip(".") or ""
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: 200 - len(extension) - 1] + "." + extension) if dot and len(extension) <= 10 else name[:200]
    return name


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


@dataclass
class _Walk:
    bodies: list[tuple[str, str]] = field(default_factory=list)  # (ctype, text)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    max_attachment_bytes: int = 10 * 1024 * 1024


def _attachment(walk: _Walk, part: Message, ctype: str, params: dict, disposition_params: dict) -> None:
    filename = _safe_filename(disposition_params.get("filename") or params.get("name") or "")
    if ctype == "message/rfc822":
        try:
            inner = part.get_payload(0)
            data = inner.as_bytes() if isinstance(inner, Message) else b""
        except Exception:  # an attached message we cannot re-serialise: keep it nameless
            data = b""
        filename = filename or "attached-message.eml"
    else:
        data = _payload_bytes(part)
    if not filename:
        extension = mimetypes.guess_extension(ctype) or ".bin"
        filename = f"{'image' if ctype.startswith('image/') else 'attachment'}-{len(walk.attachments) + 1}{extension}"
    is_image = ctype.startswith("image/") or filename.lower().endswith(_IMAGE_EXTENSIONS)
    attachment = ParsedAttachment(
        filename=filename,
        content_type=ctype[:127],
        size=len(data),
        data=data,
        kind="" if is_image else document_kind(filename, ctype),
        is_image=is_image,
    )
    if attachment.size > walk.max_attachment_bytes:
        attachment.data = None
        attachment.skipped_reason = (
            f"附件“{filename}”大小 {_human_size(attachment.size)}，超过单个附件上限 "
            f"{_human_size(walk.max_attachment_bytes)}，未保存（原始邮件中仍保留）。"
        )
        walk.notes.append(attachment.skipped_reason)
    elif attachment.kind:
        try:
            attachment.text = extract_text(attachment.kind, data, params.get("charset"))
        except DocumentError as error:
            attachment.error = str(error)
            walk.notes.append(f"附件“{filename}”：{error}")
    walk.attachments.append(attachment)


def _is_body(ctype: str, disposition: str, disposition_params: dict, params: dict) -> bool:
    if ctype not in {"text/plain", "text/html"}:
        return False
    return disposition != "attachment" and not (disposition_params.get("filename") or params.get("name"))


def _visit(walk: _Walk, part: Message, parent_type: str, depth: int) -> None:
    if depth > _MAX_DEPTH:
        walk.notes.append("邮件嵌套层数过多，更深的部分未读取。")
        return
    ctype, params = _content_type(part, parent_type)
    disposition, disposition_params = header_params(raw_header(part, "content-disposition"))
    if part.is_multipart() and ctype.startswith("multipart/"):
        children = [child for child in part.get_payload() if isinstance(child, Message)]
        if ctype == "multipart/alternative" and children:
            _visit_alternative(walk, children, depth)
        else:
            for child in children:
                _visit(walk, child, ctype, depth + 1)
        return
    if _is_body(ctype, disposition, disposition_params, params):
        walk.bodies.append((ctype, _text_of(part, ctype, params)))
        return
    if ctype in _SIGNATURES:
        return  # the S/MIME or PGP signature of a multipart/signed: not a file the sender attached
    _attachment(walk, part, ctype, params, disposition_params)


def _visible_length(text: str) -> int:
    return len(re.sub(r"\s+", "", text))


def _visit_alternative(walk: _Walk, children: list[Message], depth: int) -> None:
    """One of the alternatives is the body: the text one, unless it is empty or says much
    less than the HTML one (some clients put "请使用支持 HTML 的客户端" there). Files in any
    alternative (images of a multipart/related) are kept."""
    options = []
    for child in children:
        sub = _Walk(max_attachment_bytes=walk.max_attachment_bytes)
        _visit(sub, child, "multipart/alternative", depth + 1)
        options.append(sub)
    plain = next((o for o in options if o.bodies and all(t == "text/plain" for t, _ in o.bodies)), None)
    rich = next((o for o in reversed(options) if any(t == "text/html" for t, _ in o.bodies)), None)
    chosen = plain
    if plain is None or (
        rich is not None
        and _visible_length(" ".join(t for _, t in plain.bodies))
        < 0.5 * _visible_length(" ".join(t for _, t in rich.bodies))
    ):
        chosen = rich or plain
    if chosen is None:
        chosen = next((o for o in options if o.bodies), None)
    if chosen is not None:
        walk.bodies.extend(chosen.bodies)
    for option in options:
        walk.attachments.extend(option.attachments)
        walk.notes.extend(option.notes)


_DEFECT_NOTES = {
    "CloseBoundaryNotFoundDefect": "邮件结构不完整（缺少结束分界线），已按收到的部分解析。",
    "StartBoundaryNotFoundDefect": "邮件的一个部分找不到分界线，该部分未读取。",
    "MissingHeaderBodySeparatorDefect": "邮件头与正文之间缺少空行，已尽量解析。",
    "InvalidBase64PaddingDefect": "有一段 base64 编码不完整，已尽量解码。",
    "InvalidBase64CharactersDefect": "有一段 base64 编码含非法字符，已尽量解码。",
}


def _defect_notes(msg: Message) -> list[str]:
    names = []
    for part in msg.walk():
        for defect in getattr(part, "defects", []):
            name = type(defect).__name__
            if name not in names:
                names.append(name)
    return [_DEFECT_NOTES[name] for name in names if name in _DEFECT_NOTES]


def _check_structure(msg: Message) -> None:
    ctype, params = _content_type(msg)
    if not ctype.startswith("multipart/"):
        return
    defects = {type(defect).__name__ for defect in msg.defects}
    if "StartBoundaryNotFoundDefect" in defects or (msg.is_multipart() and not msg.get_payload()):
        raise Unparseable(
            f"邮件声明为多部分结构（{ctype}），但正文中找不到它声明的分界线"
            f"（boundary={params.get('boundary', '未注明')!s}），无法分出正文和附件。"
        )
    if "NoBoundaryInMultipartDefect" in defects or not params.get("boundary"):
        raise Unparseable(f"邮件声明为多部分结构（{ctype}），但没有注明分界线（boundary），无法分出正文和附件。")


def parse_message(raw: bytes, *, max_attachment_bytes: int) -> ParsedMail:
    """Parse ``raw``; raises Unparseable (with a reason for a person) when it cannot be a
    submission. Ignored kinds (bounces, auto-replies, bulk mail) are returned without their
    body being read."""
    msg = _message(raw)
    headers = _summary(msg)
    kind, kind_reason = classify(msg, headers)
    parsed = ParsedMail(headers=headers, kind=kind, kind_reason=kind_reason)
    if kind != SUBMISSION:
        return parsed
    _check_structure(msg)
    if not headers.sender_email:
        raise Unparseable("邮件没有可用的发件人地址（From），无法确认投稿人，也无法回复。")
    walk = _Walk(max_attachment_bytes=max_attachment_bytes)
    _visit(walk, msg, "", 0)
    body = "\n\n".join(text for _ctype, text in walk.bodies if text.strip())
    own, quoted = split_quoted(body)
    source = "html" if walk.bodies and all(t == "text/html" for t, text in walk.bodies if text.strip()) else "body"
    documents = [a for a in walk.attachments if a.kind and a.text.strip()]
    best = max(documents, key=lambda a: _visible_length(a.text), default=None)
    if best is not None and _visible_length(own) <= 2 * _visible_length(best.text):
        best.is_manuscript = True
        parsed.text, parsed.text_source, parsed.cover_note = best.text, "attachment", own
    else:
        parsed.text, parsed.text_source = own, (source if own else "")
    parsed.quoted = quoted
    parsed.attachments = walk.attachments
    parsed.notes = _defect_notes(msg) + walk.notes
    return parsed
