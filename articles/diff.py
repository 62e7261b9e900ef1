"""Differences between two revisions of an article, as HTML for the review screen.

Chinese prose has no spaces, so a word diff is meaningless and a line diff too coarse (a
paragraph is one line). We align paragraphs first (difflib on lines), then, inside each
replaced paragraph, mark the inserted and deleted characters.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Paragraph pairs that share less than this are shown as removed + added, not as edits.
SIMILAR_ENOUGH = 0.35


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "changed"
    html: SafeString


def _inline(old: str, new: str) -> SafeString:
    parts: list[str] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(old[a1:a2]))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(old[a1:a2])}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(new[b1:b2])}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece is escaped above


def diff_lines(old: str, new: str) -> list[DiffLine]:
    old_lines = (old or "").replace("\r\n", "\n").split("\n")
    new_lines = (new or "").replace("\r\n", "\n").split("\n")
    result: list[DiffLine] = []
    for op, a1, a2, b1, b2 in SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if op == "equal":
            result += [DiffLine("same", escape(line)) for line in old_lines[a1:a2]]
            continue
        removed, added = old_lines[a1:a2], new_lines[b1:b2]
        if op == "replace":
            # Pair up paragraphs in order; those that are similar enough show character edits.
            for i in range(max(len(removed), len(added))):
                before = removed[i] if i < len(removed) else None
                after = added[i] if i < len(added) else None
                similar = (
                    before is not None
                    and after is not None
                    and SequenceMatcher(None, before, after, autojunk=False).ratio() >= SIMILAR_ENOUGH
                )
                if similar:
                    result.append(DiffLine("changed", _inline(before, after)))
                    continue
                if before is not None:
                    result.append(DiffLine("removed", escape(before)))
                if after is not None:
                    result.append(DiffLine("added", escape(after)))
            continue
        result += [DiffLine("removed", escape(line)) for line in removed]
        result += [DiffLine("added", escape(line)) for line in added]
    return result


def has_changes(lines: list[DiffLine]) -> bool:
    return any(line.kind != "same" for line in lines)
