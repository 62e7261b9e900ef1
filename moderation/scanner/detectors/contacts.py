"""Contact details that move a conversation off the platform: WeChat, QQ, phone, e-mail, groups.

Runs on normalised text, so full-width (ｗｘ), circled (①③⑧), Chinese (一三八) and spaced
(8 8 0 0) digits and letters have already become plain ASCII. What is left is recognising
the many ways of saying "WeChat" (vx, 威信, 薇信, V信, 嘉薇…) or "QQ" (扣扣, 企鹅) followed by
an ID, bare mobile numbers and e-mail addresses, and IDs that are described instead of
written (v 后面先写 tool 再接 9527; 号码是…拼音首字母再加上 2288).

Plainly written contacts are rule 3.1 (promotion that takes users elsewhere); contacts
written to slip past review — homophones, symbols, spelled-out IDs — are rule 3.8.

A public service number is neither: a police appeal's 举报电话0571-87280110, a water
company's 服务热线96390 or a missing-person notice's 联系电话 are how a notice reaches
people, not a way around the platform. A plainly written phone number is public when it
is introduced as a line (热线, 举报电话, 咨询电话, 拨打…), the text names a public body or
is a notice (公安局, 街道, 医院, 银行…; 通告, 启事, 走失, 召回…), and the text solicits
nothing (no offer, price, agency, "add me", "DM me"). A WeChat/QQ ID or an evasively
written number is never public.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Iterable

from ..automaton import Matcher
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
    "扣群",
    "企鹅群",
    "绿泡泡",
    "绿色泡泡",
    "绿色软件",
    "wei xin",
    "we chat",
    "vx号",
    "v号",
    "加群",
    "喂信",
    "围信",
    "卫信",
    "未信",
    "位信",
    "魏信",
    "抠抠",
    "叩叩",
    "加维",
    "家v",
    "嘉v",
    "+微",
    "加wei",
    "微x",
    "加微x",
    "薇x",
    "v+",
    "电报",
    "电报群",
    "飞机号",
    "纸飞机",
    "tg",
    "telegram",
    "whatsapp",
    "line号",
    "进群",
    "威",
    "薇",
    "v",
    "q",
)
_MARKERS = sorted(set(_PLAIN_MARKERS + _EVASIVE_MARKERS), key=len, reverse=True)
_MARKER_ALT = "|".join(re.escape(m) for m in _MARKERS)
# Between the marker and the ID: separators and a few filler words (号, 搜, 是, 同号…).
_JOINER = r"(?:[\s:：=＝,，\-~>→❤♡*+＋@]|号码?|账号|搜索?|是|为|同号|号是|加|添加|备注)*"
_ID = r"[a-z0-9][a-z0-9_\-]{3,24}"
_AFTER_MARKER_RE = re.compile(rf"(?P<join>{_JOINER})(?P<id>{_ID})(?![a-z0-9_])")
_SPACING_RE = re.compile(r"[\s\-]+")
_NUMBER_RE = re.compile(r"[0-9][0-9\-]{4,}")
_DIGITS_RE = re.compile(r"\+?[0-9]{7,}")
_EMAIL_RE = re.compile(r"[a-z0-9][a-z0-9._%+\-]{0,40}@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,10}")
# An e-mail address with its @ or dots disguised: sales#qq.com, abc at gmail dot com.
_DISGUISED_EMAIL_RE = re.compile(
    r"[a-z0-9][a-z0-9._\-]{1,40}\s?(?:#|＃|\(at\)|\[at\]|（at）|\sat\s|艾特|圈a)\s?[a-z0-9\-]{2,}"
    r"\s?(?:\.|点|\sdot\s|\(dot\))\s?(?:com|cn|net|org|cc|io)(?![a-z])"
)
# An ID described in words instead of written out, after a marker.
_DESCRIBED_RE = re.compile(
    r".{0,30}?"
    r"(?:拼音|首字母|先写|再接|后面(?:是|加|接)|再加上?|倒过来|反过来|谐音|去掉|中间加|大写|小写|数字是)"
    r".{0,20}?[a-z0-9]{3,}"
)


# --- public service numbers ---------------------------------------------------------------

_LINE_REACH = 14  # how far before the number its introduction may stand, within the clause
_LINE_BREAKS = frozenset("，,。！？!?；;\n")
_SERVICE_LINE_RE = re.compile(
    r"热线|专线|服务电话|咨询电话|举报电话|投诉电话|联系电话|值班电话|报警电话|客服电话|办公电话|报修电话|"
    r"求助电话|服务台|座机|拨打|致电|电话"
)


# Words naming a public body. Looked up with `in` (a C substring search per word), which on
# prose is far cheaper than one regex alternation tried at every position.
def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_PUBLIC_BODIES = _words(
    "政府 委员会 居委会 村委会 街道 社区 派出所 公安 交警 消防 法院 检察院 医院 卫生 疾控 学校 图书馆 博物馆 "
    "纪念馆 车站 地铁 机场 银行 供电 供水 水务 燃气 供热 热力 邮政 办公室 普查 服务中心 指挥中心 政务 血站 支队 "
    "大队 中队 管理处 管委会 消协 消费者协会 营业厅 服务大厅 残联 妇联 工会 红十字 物业 民警 警官 本馆 本院 本站 "
    "官网 官方网站"
)
_BUREAU_RE = re.compile(r"(?<![格布结饭骗棋开僵赌当])局")  # 公安局, 税务局 — not 格局, 骗局
_HOTLINE_RE = re.compile(r"(?<![0-9])123(?:45|15)(?![0-9])")  # 12345, 12315


def _names_public_body(text: str) -> bool:
    return (
        any(word in text for word in _PUBLIC_BODIES)
        or _BUREAU_RE.search(text) is not None
        or _HOTLINE_RE.search(text) is not None
    )


_NOTICE_RE = re.compile(
    r"公告|通告|通知|启事|声明|召回|寻人|走失|失物|招领|失主|知情者|线索|协查|征集|停水|停电|施工|管制"
)
# Selling, recruiting agents, or inviting the reader in: then a number is an advert's.
_SOLICITATION_RE = re.compile(
    r"优惠|折扣|特价|价格|低价|报价|代理|加盟|招商|兼职|日结|月入|日入|出售|批发|货源|代办|办证|包过|同号|同微|"
    r"加微|加我|私信|私聊|私我|找我|联系我|欢迎来电|来电咨询|订购|下单|包邮|有需要|需要的"
)
_PHONE_MARKERS = frozenset({"电话", "热线", "手机", "手机号", "tel"})


def _public_number(text: str, start: int, context: dict) -> bool:
    """Is the plainly written number at `start` a public service line (see the module notes)?"""
    lo = max(0, start - _LINE_REACH)
    i = start - 1
    while i >= lo and text[i] not in _LINE_BREAKS:
        i -= 1
    if _SERVICE_LINE_RE.search(text, i + 1, start + 2) is None:
        return False
    if "public" not in context:
        context["public"] = (
            _names_public_body(text) or _NOTICE_RE.search(text) is not None
        ) and _SOLICITATION_RE.search(text) is None
    return context["public"]


def _marker_matcher() -> Matcher:
    matcher = Matcher()
    for marker in _MARKERS:
        matcher.add(marker, marker)
    matcher.build()
    return matcher


_MARKER_MATCHER = _marker_matcher()


# ID-like strings worth reporting need a digit or an underscore (a bare word like "tool" after
# "v" is not an ID) unless the marker is unmistakably an app name: every marker but the
# ambiguous ones, which also stand for ordinary words or letters.
_AMBIGUOUS_MARKERS = frozenset(
    {
        "line号", "q", "tg", "v", "v号", "wei信", "企鹅", "加微", "加群", "危信", "威", "家薇", "寇寇",
        "微芯", "球球", "绿色软件", "蔻蔻", "薇", "进群",
    }
)  # fmt: skip
_STRONG_MARKERS = frozenset(_PLAIN_MARKERS) | (frozenset(_EVASIVE_MARKERS) - _AMBIGUOUS_MARKERS)
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


def _is_phone(digits: str) -> bool:
    digits = digits.lstrip("+")
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
        return True  # a mainland mobile number
    return digits[0] == "0" and digits[1] != "0" and 10 <= len(digits) <= 12  # area code + landline


def detect(norm: Normalized, field: str, *, exclude: Iterable[tuple[int, int]] = ()) -> list[Finding]:
    """Contacts in `norm`; `exclude` are normalised spans already reported as links."""
    text = norm.text
    findings: list[Finding] = []
    taken: list[tuple[int, int]] = []
    context: dict = {}  # what the whole text says about its numbers, computed once if needed

    def overlaps(start: int, end: int) -> bool:
        i = bisect_left(taken, (start, start))
        return (i < len(taken) and taken[i][0] < end) or (i > 0 and taken[i - 1][1] > start)

    def add(start: int, end: int, rule: str, score: float) -> None:
        if overlaps(start, end):
            return
        insort(taken, (start, end))
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
        original = _SPACING_RE.sub("", norm.original[o_start:o_end]).lower()
        return original != _SPACING_RE.sub("", text[start:end])

    # A disguised address contains what looks like a domain (qq.com): look for it before
    # the spans already reported as links are set aside.
    for m in _DISGUISED_EMAIL_RE.finditer(text):
        add(m.start(), m.end(), "3.8", 0.85)
    for span in exclude:
        if not overlaps(*span):
            insort(taken, span)

    # Longest marker first at each place, so 微信号 wins over 微信 and 加v over v.
    hits = sorted(
        _MARKER_MATCHER.iter(text),
        key=lambda h: (h[0], -(h[1] - h[0])),
    )
    for start, end, marker in hits:
        if start > 0 and _is_ascii_alnum(text[start - 1]) and _is_ascii_alnum(marker[0]):
            continue
        if end < len(text) and marker[-1].isascii() and marker[-1].isalpha() and "a" <= text[end] <= "z":
            continue
        m = _AFTER_MARKER_RE.match(text, end)
        if m and _looks_like_id(m.group("id"), marker):
            rule = "3.8" if evasive(start, m.end(), marker) else "3.1"
            if (
                rule == "3.1"
                and marker in _PHONE_MARKERS
                and _NUMBER_RE.fullmatch(m.group("id"))
                and _public_number(text, m.start("id"), context)
            ):
                insort(taken, (start, m.end()))  # a public line: not a finding, nor for the digit scan
                continue
            add(start, m.end(), rule, 0.95 if rule == "3.8" else 0.9)
            continue
        d = _DESCRIBED_RE.match(text, end, min(len(text), end + 60))
        if d and "\n" not in d.group():
            add(start, d.end(), "3.8", 0.85)
    for m in _DIGITS_RE.finditer(text):
        if m.start() > 0 and text[m.start() - 1].isdigit():
            continue
        if _is_phone(m.group()):
            rule = "3.8" if evasive(m.start(), m.end(), "") else "3.1"
            if rule == "3.1" and _public_number(text, m.start(), context):
                continue
            add(m.start(), m.end(), rule, 0.9)
        elif evasive(m.start(), m.end(), ""):
            # A long number written digit by digit, in circled or Chinese numerals or with
            # symbols between the digits is an account or group number being smuggled out.
            add(m.start(), m.end(), "3.8", 0.8)
    if "@" in text:
        for m in _EMAIL_RE.finditer(text):
            add(m.start(), m.end(), "3.1", 0.85)

    return findings


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
