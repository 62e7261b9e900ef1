"""Contact details that move a conversation off the platform: WeChat, QQ, phone, e-mail, groups.

Runs on normalised text, so full-width (ｗｘ), circled (①③⑧), Chinese (一三八) and spaced
(8 8 0 0) digits and letters have already become plain ASCII. What is left is recognising
the many ways of saying "WeChat" (vx, 威信, 薇信, V信, 嘉薇…) or "QQ" (扣扣, 企鹅) followed by
an ID, bare mobile numbers and e-mail addresses, and IDs that are described instead of
written (v 后面先写 tool 再接 9527; 号码是…拼音首字母再加上 2288).

Plainly written contacts are rule 3.1 (promotion that takes users elsewhere); contacts
written to slip past review — homophones, symbols, spelled-out IDs — are rule 3.8.
"""

from __future__ import annotations

import re

from ..normalize import Normalized
from ..results import Finding, make_finding

# Ways of writing the app, in normalised form. "plain" ones are the honest names.
_PLAIN_MARKERS = ("微信号", "微信", "wechat", "qq号", "qq", "手机号", "手机", "电话", "热线", "tel", "群号", "qq群")
_EVASIVE_MARKERS = (
    "威信",
    "薇信",
    "维信",
    "徽信",
    "危信",
    "微芯",
    "v信",
    "vx",
    "wx",
    "weixin",
    "wei信",
    "v❤",
    "嘉薇",
    "加薇",
    "佳薇",
    "家薇",
    "+v",
    "加v",
    "加微",
    "扣扣",
    "企鹅号",
    "企鹅",
    "球球",
    "蔻蔻",
    "寇寇",
    "q群",
    "加群",
    "进群",
    "威",
    "薇",
    "v",
    "q",
)
_MARKERS = sorted(_PLAIN_MARKERS + _EVASIVE_MARKERS, key=len, reverse=True)
_MARKER_ALT = "|".join(re.escape(m) for m in _MARKERS)
# Between the marker and the ID: separators and a few filler words (号, 搜, 是, 同号…).
_JOINER = r"(?:[\s:：=＝,，\-~>→❤♡*]|号码?|账号|搜索?|是|为|同号|号是|加|添加|备注)*"
_ID = r"[a-z0-9][a-z0-9_\-]{3,24}"
_MARKED_ID_RE = re.compile(
    rf"(?<![a-z0-9])(?P<marker>{_MARKER_ALT})(?![a-z])(?P<join>{_JOINER})(?P<id>{_ID})(?![a-z0-9_])"
)
_MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86)?1[3-9][0-9]{9}(?![0-9])")
_LANDLINE_RE = re.compile(r"(?<![0-9])0[1-9][0-9]{1,2}-?[2-9][0-9]{6,7}(?![0-9])")
_EMAIL_RE = re.compile(r"[a-z0-9][a-z0-9._%+\-]{0,40}@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,10}")
# An ID described in words instead of written out.
_DESCRIBED_RE = re.compile(
    rf"(?<![a-z0-9])(?:{_MARKER_ALT})(?![a-z]).{{0,30}}?"
    r"(?:拼音|首字母|先写|再接|后面(?:是|加|接)|再加上?|倒过来|反过来|谐音|去掉|中间加|大写|小写|数字是)"
    r".{0,20}?[a-z0-9]{3,}"
)
# ID-like strings worth reporting need a digit or an underscore (a bare word like "tool" after
# "v" is not an ID) unless the marker is unmistakably an app name.
_STRONG_MARKERS = frozenset(_PLAIN_MARKERS) | {
    "威信",
    "薇信",
    "维信",
    "徽信",
    "v信",
    "vx",
    "wx",
    "weixin",
    "嘉薇",
    "加薇",
    "佳薇",
    "扣扣",
    "企鹅号",
    "加v",
    "+v",
    "v❤",
    "q群",
    "qq群",
}
_WEAK_ONLY_NUMBERS = frozenset({"q", "加群", "进群", "群号"})


def _looks_like_id(value: str, marker: str) -> bool:
    has_digit = any(c.isdigit() for c in value)
    if value.isdigit():
        if marker in ("手机", "手机号", "电话", "热线", "tel"):
            return len(value) >= 7
        return len(value) >= 5
    if marker in _WEAK_ONLY_NUMBERS:
        return False
    if marker in _STRONG_MARKERS:
        return has_digit or "_" in value or len(value) >= 6
    return has_digit or "_" in value


def detect(norm: Normalized, field: str, *, exclude: list[tuple[int, int]] = ()) -> list[Finding]:
    """Contacts in `norm`; `exclude` are normalised spans already reported as links."""
    text = norm.text
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = list(exclude)

    def add(start: int, end: int, rule: str, score: float) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        o_start, o_end = norm.span(start, end)
        findings.append(
            make_finding(
                rule=rule,
                detector="contact",
                field=field,
                original=norm.original,
                start=o_start,
                end=o_end,
                score=score,
                action="block",
            )
        )

    def evasive(start: int, end: int, marker: str) -> bool:
        """Was this written to slip past review (homophone, symbols, odd digits)?"""
        if marker in _EVASIVE_MARKERS:
            return True
        o_start, o_end = norm.span(start, end)
        original = norm.original[o_start:o_end]
        return original != text[start:end] and not original.isascii()

    for m in _MARKED_ID_RE.finditer(text):
        marker, value = m.group("marker"), m.group("id")
        if not _looks_like_id(value, marker):
            continue
        rule = "3.8" if evasive(m.start(), m.end(), marker) else "3.1"
        add(m.start(), m.end(), rule, 0.95 if rule == "3.8" else 0.9)
    for m in _DESCRIBED_RE.finditer(text):
        add(m.start(), m.end(), "3.8", 0.85)
    for pattern in (_MOBILE_RE, _LANDLINE_RE, _EMAIL_RE):
        for m in pattern.finditer(text):
            rule = "3.8" if evasive(m.start(), m.end(), "") else "3.1"
            add(m.start(), m.end(), rule, 0.9)
    return findings
