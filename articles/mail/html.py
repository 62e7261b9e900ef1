"""HTML from e-mail to Markdown for the editor. Pure Python (nh3 and html.parser), no Django.

The HTML is first sanitised with nh3 down to the tags this converter understands (scripts,
styles, comments and every attribute but a link's href are dropped), then walked once:
headings, paragraphs and divs, line breaks (two <br> in a row end a paragraph, the way
webmail writes paragraphs), bold and italic, links, ordered and unordered lists (nested),
blockquotes, preformatted text and code, rules and tables (one row a line). Entities are
unescaped; non-breaking spaces used as indents are dropped at the start of lines.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

_BLOCK = {"p", "div", "section", "article", "header", "footer", "center", "table", "tr", "dl", "dt", "dd", "address"}
_ALLOWED = {
    "a",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "del",
    "strike",
    "code",
    "pre",
    "p",
    "div",
    "span",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "font",
    "section",
    "article",
    "header",
    "footer",
    "center",
    "dl",
    "dt",
    "dd",
    "address",
    "sub",
    "sup",
    "small",
    "big",
}
_SAFE_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(html: str) -> str:
    """The HTML reduced to harmless structure: the tags above, a link's href, nothing else."""
    return nh3.clean(
        html,
        tags=_ALLOWED,
        attributes={"a": {"href"}},
        url_schemes=_SAFE_SCHEMES,
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style", "title", "head"},
    )


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, bool]] = []  # finished blocks, and whether each is a list item
        self.line: list[str] = []  # the block being written
        self.prefix_stack: list[str] = []  # "> " for each open blockquote
        self.lists: list[list] = []  # [kind, counter] per open list
        self.links: list[str | None] = []
        self.pre = 0
        self.breaks = 0  # <br> seen in a row
        self.pending_item: str | None = None

    # Writing

    def _text(self) -> str:
        return "".join(self.line)

    def _flush(self) -> None:
        text = self._text()
        self.line = []
        self.breaks = 0
        if self.pre:
            body = text.strip("\n")
        else:
            lines = [re.sub(r"[ \t\u00a0\u3000]+$", "", re.sub(r"^[ \t\u00a0]+", "", ln)) for ln in text.split("\n")]
            lines = [re.sub(r"[ \t]{2,}", " ", ln) for ln in lines]
            body = "\n".join(lines).strip("\n")
        if not body.strip() and self.pending_item is None:
            return
        prefix = "".join(self.prefix_stack)
        is_item = self.pending_item is not None
        if is_item:
            indent = "   " * max(len(self.lists) - 1, 0)
            body = indent + self.pending_item + body.lstrip()
            self.pending_item = None
        if self.pre:
            body = "```\n" + body + "\n```"
        block = "\n".join(prefix + ln if ln else prefix.rstrip() for ln in body.split("\n"))
        self.blocks.append((block, is_item))

    def _write(self, text: str) -> None:
        self.line.append(text)

    # Parsing

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.breaks += 1
            if self.breaks >= 2 and not self.pre:
                self._flush()  # <br><br>: a paragraph ends
            else:
                self._write("\n")
            return
        if tag != "br":
            self.breaks = 0
        if tag in _BLOCK or tag in {"blockquote", "pre", "hr", "ul", "ol", "li"} or re.fullmatch(r"h[1-6]", tag):
            self._flush()
        if re.fullmatch(r"h[1-6]", tag):
            self._write("#" * int(tag[1]) + " ")
        elif tag == "blockquote":
            self.prefix_stack.append("> ")
        elif tag == "pre":
            self.pre += 1
        elif tag == "hr":
            self.blocks.append(("".join(self.prefix_stack) + "---", False))
        elif tag in {"ul", "ol"}:
            self.lists.append([tag, 0])
        elif tag == "li":
            if self.lists:
                self.lists[-1][1] += 1
                kind, count = self.lists[-1]
                self.pending_item = f"{count}. " if kind == "ol" else "- "
            else:
                self.pending_item = "- "
        elif tag in {"b", "strong"}:
            self._write("**")
        elif tag in {"i", "em"}:
            self._write("*")
        elif tag in {"s", "del", "strike"}:
            self._write("~~")
        elif tag == "code" and not self.pre:
            self._write("`")
        elif tag == "a":
            href = dict(attrs).get("href") or None
            self.links.append(href)
            if href:
                self._write("[")
        elif tag in {"td", "th"} and self._text() and not self._text().endswith(("\n", " ")):
            self._write(" | ")

    def handle_endtag(self, tag):
        if tag in _BLOCK or tag in {"li", "pre"} or re.fullmatch(r"h[1-6]", tag):
            self._flush()
            if tag == "pre":
                self.pre = max(self.pre - 1, 0)
        elif tag == "blockquote":
            self._flush()
            if self.prefix_stack:
                self.prefix_stack.pop()
        elif tag in {"ul", "ol"}:
            self._flush()
            if self.lists:
                self.lists.pop()
            self.blocks.append(("", False))  # a list ends: what follows is not one of its items
        elif tag in {"b", "strong"}:
            self._write("**")
        elif tag in {"i", "em"}:
            self._write("*")
        elif tag in {"s", "del", "strike"}:
            self._write("~~")
        elif tag == "code" and not self.pre:
            self._write("`")
        elif tag == "a":
            href = self.links.pop() if self.links else None
            if href:
                self._write(f"]({href})")

    def handle_data(self, data):
        if not data:
            return
        if self.pre:
            self._write(data)
            return
        if data.strip():
            self.breaks = 0
        # HTML whitespace: runs of spaces and new lines are one space.
        self._write(re.sub(r"[ \t\r\n\f]+", " ", data))

    def close(self):
        super().close()
        self._flush()


def _tidy_emphasis(text: str) -> str:
    # "** **" and "****" left by empty or whitespace-only bold runs.
    text = re.sub(r"\*\*(\s*)\*\*", r"\1", text)
    text = re.sub(r"(?<!\*)\*(\s+)\*(?!\*)", r"\1", text)
    return text


def html_to_markdown(html: str) -> str:
    """Sanitise ``html`` and turn it into Markdown (paragraphs separated by a blank line)."""
    converter = _Converter()
    converter.feed(sanitise_html(html))
    converter.close()
    pieces: list[str] = []
    previous_item = False
    for block, is_item in converter.blocks:
        if not block.strip():
            previous_item = previous_item and bool(block)
            continue
        if pieces:
            pieces.append("\n" if is_item and previous_item else "\n\n")  # a tight list
        pieces.append(block)
        previous_item = is_item
    text = "".join(pieces)
    text = _tidy_emphasis(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
