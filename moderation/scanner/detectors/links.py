"""Links: short links, redirects and undisclosed affiliate parameters (3.4), links that open
a chat elsewhere (t.me, wa.me, qm.qq.com: 3.1), addresses spelled or spaced out to slip past
filters (www点abc点com, h t t p s : / / …: 3.8) and look-alike phishing hosts (5.3 and
1.13), with an allow-list of official domains that are never reported.

A plain link to an ordinary site is not a finding by itself; it is returned as a signal, and
the pipeline reports it only when the same text already advertises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from ..normalize import Normalized
from ..results import Finding, make_finding

_TLDS = (
    "com|cn|net|org|top|xyz|cc|me|io|info|vip|shop|site|club|link|ly|gl|co|tv|biz|icu|fun|online|"
    "store|live|pro|wang|ink|ren|tk|ml|ga|cf|gq|im|la|to|app|dev|ai|hk|tw|uk|jp|us|so|pw|asia|work|win|bid|loan"
)
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff\"'<>()（）]+"
    rf"|(?<![a-z0-9@._-])(?:[a-z0-9](?:[a-z0-9-]{{0,40}}[a-z0-9])?\.)+(?:{_TLDS})(?![a-z0-9-])"
    r"(?::\d{1,5})?(?:/[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff\"'<>()（）]*)?"
)

# A web address with its dots spelled out (www点abc点com, abc dot com) to get past filters.
# Every match of _URL_RE contains one of these: most prose with a dot (3.5, 1.2亿) has none,
# and this one search is much cheaper than _URL_RE's attempt at every position.
_URL_HINT_RE = re.compile(r"\.[a-z]|https?://|www\.")
_SPELLED_URL_RE = re.compile(
    rf"(?<![a-z0-9])(?:www|[a-z0-9][a-z0-9-]{{1,40}})(?:\s?(?:点|dot|\[\.\]|\(\.\)|。)\s?[a-z0-9][a-z0-9-]{{0,40}})*"
    rf"\s?(?:点|dot|\[\.\]|\(\.\)|。)\s?(?:{_TLDS})(?![a-z0-9])"
)

# A web address with spaces put in to break it: h t t p s : / / bit . ly / abc.
_SPACED_URL_RE = re.compile(
    r"(?:https?|www)\s*[:：.]\s*(?:/\s*/\s*)?[a-z0-9\-]+(?:\s*\.\s*[a-z0-9\-]+)*\s*\.\s*(?:[a-z]{2,6})"
    r"(?:\s*/\s*[a-z0-9_\-]+)*"
)

# Official sites a post may link to freely: documentation, regulators, the big platforms'
# own help centres. Subdomains are included.
OFFICIAL_DOMAINS = frozenset(
    {
        "example.com",
        "example.org",
        "gov.cn",
        "people.com.cn",
        "xinhuanet.com",
        "news.cn",
        "cctv.com",
        "qq.com",
        "weixin.qq.com",
        "taobao.com",
        "tmall.com",
        "jd.com",
        "alipay.com",
        "aliyun.com",
        "baidu.com",
        "douyin.com",
        "xiaohongshu.com",
        "bilibili.com",
        "zhihu.com",
        "weibo.com",
        "github.com",
        "python.org",
        "wikipedia.org",
        "apple.com",
        "microsoft.com",
        "google.com",
        "openai.com",
        "w3.org",
        "mozilla.org",
        "yumao.example",
    }
)

SHORTENER_DOMAINS = frozenset(
    {
        "t.cn",
        "url.cn",
        "dwz.cn",
        "suo.im",
        "suo.nz",
        "bit.ly",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "is.gd",
        "ow.ly",
        "v.gd",
        "rb.gy",
        "cutt.ly",
        "s.id",
        "tb.cn",
        "m.tb.cn",
        "c.tb.cn",
        "u.jd.com",
        "3.cn",
        "dwz.date",
        "reurl.cc",
        "surl.cn",
        "w.url.cn",
    }
)

# Links that open a private chat or group elsewhere: a contact detail in link form.
CONTACT_LINK_DOMAINS = frozenset(
    {"t.me", "telegram.me", "wa.me", "line.me", "qm.qq.com", "jq.qq.com", "u.wechat.com", "work.weixin.qq.com"}
)

# Host words of affiliate and redirect services (淘宝客 s.click, 京东联盟 union, taoke…).
_AFFILIATE_HOST_WORDS = ("s.click.", "click.", "union", "taoke", "tuike", "affiliate", "aff.", "cps.", "jump.")
_AFFILIATE_PARAMS = frozenset(
    {"pid", "aff", "aff_id", "affid", "affiliate", "ref", "refer", "tag", "unionid", "union_id", "e", "tk", "spm_pid"}
)
_REDIRECT_PARAMS = frozenset({"url", "u", "target", "to", "redirect", "redirect_url", "redir", "goto", "dest", "link"})
_REDIRECT_PATHS = re.compile(r"^/(?:r|go|out|jump|redirect|redir|link|t|s|x)/[a-z0-9]{3,}", re.IGNORECASE)
_SHORT_PATH = re.compile(r"^/[a-z0-9]{4,12}/?$", re.IGNORECASE)
# Words a phishing host borrows from the brand it imitates.
_BRAND_WORDS = ("wx", "weixin", "wechat", "qq", "alipay", "zhifubao", "taobao", "icbc", "bank", "apple", "tencent")
_LURE_WORDS = ("verify", "safe", "secure", "login", "account", "auth", "check", "yanzheng", "kefu", "service")
_CHEAP_TLDS = frozenset({"top", "xyz", "icu", "vip", "club", "tk", "ml", "ga", "cf", "gq", "win", "bid", "loan", "pw"})


@dataclass(frozen=True, slots=True)
class LinkSignal:
    """A link that is not reportable alone but counts as a promotion signal."""

    field: str
    start: int
    end: int


def _host_in(host: str, domains: frozenset[str]) -> bool:
    parts = host.split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts) - 1))


def classify(url: str) -> tuple[str, str, float] | None:
    """(rule, action, score) for a reportable link, or None for an ordinary one."""
    raw = url if "://" in url else "http://" + url
    try:
        parts = urlsplit(raw)
        host = (parts.hostname or "").strip(".")
    except ValueError:
        return None
    if not host:
        return None
    if _host_in(host, CONTACT_LINK_DOMAINS):
        return "3.1", "block", 0.9
    if _host_in(host, OFFICIAL_DOMAINS):
        return None
    path = parts.path or ""
    params = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    labels = host.split(".")
    if _host_in(host, SHORTENER_DOMAINS):
        return "3.4", "block", 0.9
    if any(word in host + "." for word in _AFFILIATE_HOST_WORDS) or params & _AFFILIATE_PARAMS:
        return "3.4", "block", 0.9
    if params & _REDIRECT_PARAMS or _REDIRECT_PATHS.match(path):
        return "3.4", "block", 0.85
    # A one- or two-letter first label and a single random-looking path token: a shortener.
    if len(labels) >= 2 and len(labels[0]) <= 2 and _SHORT_PATH.match(path):
        return "3.4", "block", 0.8
    brand = any(w in labels[0] or w in "-".join(labels[:-1]).split("-") for w in _BRAND_WORDS)
    lure = any(w in host for w in _LURE_WORDS)
    if brand and (lure or labels[-1] in _CHEAP_TLDS):
        return "5.3", "block", 0.9
    return None


def detect(norm: Normalized, field: str) -> tuple[list[Finding], list[LinkSignal], list[tuple[int, int]]]:
    """Reportable links, ordinary links (as signals) and the normalised spans of all links."""
    findings: list[Finding] = []
    signals: list[LinkSignal] = []
    spans: list[tuple[int, int]] = []
    text = norm.text
    for m in _URL_RE.finditer(text) if "." in text and _URL_HINT_RE.search(text) else ():
        url = m.group().rstrip(".,;:!?")
        start, end = m.start(), m.start() + len(url)
        spans.append((start, end))
        o_start, o_end = norm.span(start, end)
        verdict = classify(url)
        try:
            host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
        except ValueError:
            host = ""
        if verdict is None:
            if not _host_in(host, OFFICIAL_DOMAINS):
                signals.append(LinkSignal(field, o_start, o_end))
            continue
        rule, action, score = verdict
        findings.append(
            make_finding(
                rule=rule,
                detector="link",
                field=field,
                original=norm.original,
                start=o_start,
                end=o_end,
                score=score,
                action=action,
            )
        )
        if rule == "5.3":
            # A phishing link is also a deceptive external link.
            findings.append(
                make_finding(
                    rule="1.13",
                    detector="link",
                    field=field,
                    original=norm.original,
                    start=o_start,
                    end=o_end,
                    score=score,
                    action=action,
                )
            )

    def add_spelled(m: re.Match) -> None:
        # An address spelled out to slip past link filters (3.8: ads that evade review).
        start, end = m.span()
        spans.append((start, end))
        o_start, o_end = norm.span(start, end)
        findings.append(
            make_finding(
                rule="3.8",
                detector="link",
                field=field,
                original=norm.original,
                start=o_start,
                end=o_end,
                score=0.85,
                action="block",
            )
        )

    for m in _SPELLED_URL_RE.finditer(text):
        if "." in m.group() and "点" not in m.group() and "dot" not in m.group():
            continue  # an ordinary address, handled above
        add_spelled(m)
    spelled = list(_SPELLED_URL_RE.finditer(text))
    if "/" in text or "www" in text:
        spelled += [m for m in _SPACED_URL_RE.finditer(text) if " " in m.group()]
    for m in spelled:
        if not any(mark in m.group() for mark in ("点", "dot", "。", " ")):
            continue  # an ordinary address, handled above
        if any(s < m.end() and m.start() < e for s, e in spans):
            continue
        add_spelled(m)
    return findings, signals, spans
