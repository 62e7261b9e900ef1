"""The text of a manuscript attached as .txt, .md, .html or .docx. Pure Python, no Django.

``document_kind(filename, content_type)`` says whether an attachment is a manuscript
document (and which), ``extract_text(kind, data, charset)`` returns its text as Markdown,
or raises DocumentError with a reason a person can read.
"""

from __future__ import annotations

import io
import re
import zipfile

from articles.mail.charsets import decode_bytes, sniff_html_charset
from articles.mail.html import html_to_markdown

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_BY_EXTENSION = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
}
_BY_TYPE = {
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "text/html": "html",
    "application/xhtml+xml": "html",
    DOCX_TYPE: "docx",
}
# A .docx is a zip: refuse to inflate one into more than this (a "zip bomb").
MAX_DOCX_UNCOMPRESSED = 50 * 1024 * 1024


class DocumentError(ValueError):
    """The attachment looked like a manuscript but its text could not be read."""


def document_kind(filename: str, content_type: str) -> str:
    """'text', 'markdown', 'html', 'docx' — or '' for anything else (images, PDFs…)."""
    name = (filename or "").lower()
    for extension, kind in _BY_EXTENSION.items():
        if name.endswith(extension):
            return kind
    if "." in name.rsplit("/", 1)[-1] and content_type in {"application/octet-stream", ""}:
        return ""
    return _BY_TYPE.get((content_type or "").lower(), "")


def _plain(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def extract_text(kind: str, data: bytes, charset: str | None = None) -> str:
    if kind in {"text", "markdown"}:
        return _plain(decode_bytes(data, charset))
    if kind == "html":
        return html_to_markdown(decode_bytes(data, charset or sniff_html_charset(data)))
    if kind == "docx":
        return docx_to_markdown(data)
    raise DocumentError(f"不支持的文件类型：{kind}")


def _run_markdown(run) -> str:
    text = run.text or ""
    if not text.strip():
        return text
    if run.bold and run.italic:
        return f"***{text}***"
    if run.bold:
        return f"**{text}**"
    if run.italic:
        return f"*{text}*"
    return text


def docx_to_markdown(data: bytes) -> str:
    """Headings (Heading N / Title / 标题 N styles), list paragraphs, bold and italic runs,
    tables (a row a line), paragraphs separated by a blank line."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNCOMPRESSED:
            raise DocumentError("Word 文件解压后过大，未读取。")
    except zipfile.BadZipFile as error:
        raise DocumentError("不是有效的 Word（.docx）文件。") from error
    try:
        import docx  # python-docx: imported here, only mail with a .docx pays for it
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except DocumentError:
        raise
    except Exception as error:  # python-docx raises many kinds (KeyError, ValueError, lxml errors…)
        raise DocumentError(f"无法读取 Word（.docx）文件：{type(error).__name__}") from error
    blocks: list[str] = []
    counters: dict[str, int] = {}
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = "".join(_run_markdown(run) for run in paragraph.runs).strip() or paragraph.text.strip()
            if not text:
                continue
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            heading = re.match(r"(?:Heading|标题)\s*(\d)", style, re.IGNORECASE)
            if style.lower() == "title":
                blocks.append(f"# {paragraph.text.strip()}")
            elif heading:
                blocks.append("#" * min(int(heading.group(1)), 6) + " " + paragraph.text.strip())
            elif re.match(r"List Number", style, re.IGNORECASE):
                counters[style] = counters.get(style, 0) + 1
                blocks.append(f"{counters[style]}. {text}")
            elif re.match(r"List", style, re.IGNORECASE):
                blocks.append(f"- {text}")
            else:
                counters.clear()
                blocks.append(text)
        elif tag == "tbl":
            table = Table(child, document)
            rows = []
            for row in table.rows:
                cells = [cell.text.strip() for cell in row.cells]
                rows.append(" | ".join(cells))
            if rows:
                blocks.append("\n".join(rows))
    return re.sub(r"\n{3,}", "\n\n", "\n\n".join(blocks)).strip()
