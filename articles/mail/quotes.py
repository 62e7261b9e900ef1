"""Set quoted replies and signatures apart from what the sender wrote. Pure Python.

``split_quoted(text) -> (own, quoted)``: ``own`` ends before the first of these, and that
line and everything after it go to ``quoted``:

- a signature delimiter ``-- `` on a line of its own, or a phone client's tag line
  (发自我的iPhone, 发自我的华为手机, 来自网易邮箱大师, Sent from my iPhone, Get Outlook for…);
- a forwarded or original-message separator (------ 原始邮件 ------, -----Original Message-----,
  ---------- Forwarded message ---------, 转发的邮件);
- an attribution line: 在 2024年3月11日 21:12，周明远 写道：, 周明远 <…> 于2024年3月11日周一 写道：,
  On Mon, 11 Mar 2024, Zhou <…> wrote: (also wrapped over two lines);
- an Outlook header block (发件人: / From: followed within a few lines by 发送时间: / Sent: /
  Date: / 日期:).

A closing block of lines starting with ``>`` is a quote too; so are ``>`` lines above a
marker (inline quoting in a reply). Elsewhere they are the writer's own quotations. A
quoted message with nothing written above it is not a cut: a forwarded manuscript is the
manuscript (a signature alone is still a signature).
"""

from __future__ import annotations

import re

_SIGNATURE = re.compile(r"^--[ \t]?$")
_DEVICE = re.compile(
    r"^\s*(?:发自我的|发自\s*(?:网易|QQ|Outlook|Foxmail|iPhone|iPad|Android|华为|小米)|来自(?:网易|QQ|我的)|"
    r"从我的\s*\S+\s*发送|Sent from (?:my|Mail|Outlook)|Get Outlook for)",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^\s*[-_=—]{2,}\s*(?:原始邮件|原邮件|转发邮件|转发的邮件|Original Message|Forwarded message|"
    r"Forwarded Message|Begin forwarded message|邮件原文)\s*[-_=—]*\s*$|^\s*Begin forwarded message:\s*$",
    re.IGNORECASE,
)
# A date-and-time or an address is what tells an attribution from a story's "父亲在信里写道：".
_ATTRIBUTION_ZH = re.compile(r"^\s*.{0,160}?(?:\d{1,2}:\d{2}|@).{0,160}写道\s*[:：]?\s*$")
_ATTRIBUTION_EN = re.compile(r"^\s*On\b.{0,300}\bwrote\s*:\s*$", re.IGNORECASE)
_EN_WROTE_END = re.compile(r"\bwrote\s*:\s*$", re.IGNORECASE)
_HEADER_FROM = re.compile(r"^\s*\*{0,2}(?:发件人|From)\s*\*{0,2}\s*[:：]", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\s*\*{0,2}(?:发送时间|Sent|Date|日期|时间|收件人|To|主题|Subject)\s*\*{0,2}\s*[:：]", re.IGNORECASE
)
_QUOTE_LINE = re.compile(r"^\s*>")
_UNDERSCORES = re.compile(r"^\s*_{8,}\s*$")


def _marker(lines: list[str], index: int) -> str:
    """'signature', 'quote' — or '' when line ``index`` starts neither."""
    line = lines[index]
    stripped = line.strip()
    if not stripped:
        return ""
    if _SIGNATURE.match(line) or (len(stripped) <= 40 and _DEVICE.match(stripped)):
        return "signature"
    if _SEPARATOR.match(line) or _UNDERSCORES.match(line):
        return "quote"
    if (_ATTRIBUTION_ZH.match(stripped) and len(stripped) <= 200) or _ATTRIBUTION_EN.match(stripped):
        return "quote"
    if stripped.lower().startswith("on ") and index + 1 < len(lines) and _EN_WROTE_END.search(lines[index + 1]):
        return "quote" if len(stripped) + len(lines[index + 1]) <= 300 else ""
    if _HEADER_FROM.match(stripped):
        following = [ln for ln in lines[index + 1 : index + 5] if ln.strip()]
        return "quote" if any(_HEADER_NEXT.match(ln) for ln in following) else ""
    return ""


def _trailing_quote(lines: list[str]) -> int | None:
    """Where a closing block of ``>`` lines starts (a reply's quote with no attribution line),
    if something was written above it. Quotation marks inside a manuscript (a blockquote in
    the middle of the text) are not a reply and stay."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    start = end
    while start and (_QUOTE_LINE.match(lines[start - 1]) or not lines[start - 1].strip()):
        start -= 1
    while start < end and not lines[start].strip():
        start += 1
    if start < end and "".join(lines[:start]).strip():
        return start
    return None


def split_quoted(text: str) -> tuple[str, str]:
    """(the sender's own text, the quoted replies and signatures), both stripped."""
    lines = text.split("\n")
    cut, kind = None, ""
    for index in range(len(lines)):
        kind = _marker(lines, index)
        if kind:
            cut = index
            break
    if cut is not None and kind == "quote" and not "".join(lines[:cut]).strip():
        cut = None  # nothing written above a quoted message: a forwarded manuscript is the manuscript
    if cut is None:
        cut = _trailing_quote(lines)
    own_lines = lines if cut is None else lines[:cut]
    quoted_lines = [] if cut is None else lines[cut:]
    if quoted_lines:
        # A reply that also quotes inline ("> question" / answer): those lines are quotes too.
        inline_quotes = [ln for ln in own_lines if _QUOTE_LINE.match(ln)]
        kept = [ln for ln in own_lines if not _QUOTE_LINE.match(ln)]
        if inline_quotes and any(ln.strip() for ln in kept):
            quoted_lines = [*inline_quotes, "", *quoted_lines]
            own_lines = kept
    own = re.sub(r"\n{3,}", "\n\n", "\n".join(own_lines)).strip()
    quoted = "\n".join(quoted_lines).strip()
    return own, quoted
