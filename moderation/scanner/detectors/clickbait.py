"""Clickbait titles (7.x), and sensational "news" titles the body does not support (5.1).

Scored, not matched: a title earns points for bait patterns (震惊, 万万没想到, 99%的人都不
知道, 删前速看…), for a bare exclamation, and for promising what the body does not
contain — measured by how many of the title's jieba keywords (TF-IDF over jieba's dictionary, see `segment.keywords`)
appear in the body at all. Strong patterns are enough alone; weak ones (揭秘, 曝光, 官宣)
need a second signal, so "揭秘直通车出价逻辑" over a body about bids stays clean.
Patterns inside quotes (“震惊体”) are mentions, not bait.

Only titles are segmented by jieba here; bodies are only searched for the title's keywords.
"""

from __future__ import annotations

import re

from .. import segment
from ..lexicon import is_quoted_mention
from ..normalize import Normalized
from ..results import Finding, make_finding

# pattern → weight (normalised forms; the threshold is 1.0)
_STRONG = {
    "震惊": 1.0,
    "惊呆": 1.0,
    "吓尿": 1.0,
    "吓哭": 1.0,
    "万万没想到": 1.0,
    "99%的人": 1.0,
    "90%的人": 1.0,
    "95%的人": 1.0,
    "都不知道的": 0.6,
    "千万别点": 1.0,
    "别点开": 1.0,
    "速看": 1.0,
    "删前": 1.0,
    "就删": 1.0,
    "马上删": 1.0,
    "随时删": 1.0,
    "赶紧收藏": 0.8,
    "看完沉默": 1.0,
    "看完流泪": 1.0,
    "看哭了": 1.0,
    "不转不是": 1.0,
    "是中国人就转": 1.0,
    "都该看看": 0.8,
    "一夜之间": 0.5,
    "只因做对": 1.0,
    "只因为": 0.5,
    "细思极恐": 1.0,
    "太可怕了": 0.8,
    "出大事了": 1.0,
    "集体失业": 0.8,
    "彻底变天": 0.8,
    "良心到哭": 1.0,
    "已流出": 1.0,
    "视频流出": 1.0,
    "大揭秘": 0.8,
    "内幕": 0.6,
    "竟然": 0.6,
    "竟": 0.5,
    "居然": 0.5,
    "揭秘": 0.3,
    "曝光": 0.5,
    "秘密": 0.3,
    "官宣": 0.3,
    "重磅": 0.3,
    "刚刚": 0.3,
    "突发": 0.5,
    "紧急通知": 0.5,
    "史上最全": 0.6,
    "千万别": 0.5,
    "千万不要": 0.5,
    "必看": 0.5,
    "月入十万": 0.5,
    "月入过万": 0.5,
    "年入千万": 0.6,
    "负债百万": 0.4,
    "尺度太大": 0.6,
    "疯了": 0.4,
    "炸了": 0.4,
    "太震撼": 0.8,
    "震撼": 0.5,
    "全网疯传": 1.0,
    "疯传": 0.8,
    "绝对想不到": 1.0,
    "想不到": 0.5,
    "没想到": 0.4,
    "不看后悔": 1.0,
    "看完后悔": 1.0,
    "炸裂": 0.8,
    "炸锅": 0.8,
    "颠覆认知": 0.8,
    "真相来了": 0.6,
    "后悔没早": 0.8,
    "秒删": 1.0,
    "沉默了": 0.5,
    "泪崩": 0.8,
    "扎心了": 0.6,
    "吓死": 0.8,
    "一定要看": 0.6,
    "全网首发": 0.6,
    "爆料": 0.5,
    "惊出一身冷汗": 1.0,
    "一身冷汗": 0.8,
    "价值百万": 1.0,
    "价值千万": 1.0,
    "秘籍": 0.3,
    "秘诀": 0.3,
    "真相": 0.4,
    "绝了": 0.5,
    "神器": 0.4,
    "逆天": 0.6,
    "封神": 0.5,
    "血赚": 0.6,
    "暴富": 0.6,
    "惊现": 0.6,
    "实锤": 0.5,
    "速速": 0.5,
    "赶紧": 0.4,
    "哭了": 0.5,
    "笑喷": 0.6,
    "后悔": 0.3,
    "再也不": 0.3,
    "惨不忍睹": 0.6,
    "连夜": 0.5,
    "看完": 0.3,
    "紧急提醒": 0.5,
    "赶快看": 0.8,
    "赶紧看": 0.8,
    "就完了": 0.5,
    "太神奇": 0.8,
    "神奇": 0.4,
    "火遍全网": 0.8,
    "疯狂转发": 0.8,
    "终于露面": 0.6,
    "竟然是": 0.4,
    "太狠了": 0.8,
    "偷偷用": 0.6,
    "都在偷偷": 0.8,
    "不敢说的秘密": 1.0,
    "不敢说": 0.5,
    "全在这": 0.5,
    "震碎三观": 1.0,
    "毁三观": 1.0,
    "三观": 0.4,
    "都报道了": 0.6,
    "央视都": 0.6,
    "出大事": 1.0,
    "你不知道的": 0.6,
    "有多可怕": 0.6,
    "千万不能": 0.5,
    "警惕": 0.4,
    "只做对了": 1.0,
    "做对了一件事": 0.8,
    "竟然是这个": 0.6,
    "原因竟然": 0.6,
    "太扎心": 0.8,
    "天呐": 0.6,
    "天哪": 0.6,
    "暴涨": 0.4,
    "绝密": 0.8,
    "不会告诉你": 1.0,
    "最后一天": 0.5,
    "错过再等": 1.0,
    "都必须看": 0.8,
    "必须看": 0.6,
    "笑死": 0.4,
    "太会了": 0.4,
    "流出": 0.6,
    "内部文件": 0.5,
    "深夜": 0.3,
    "我哭了": 0.5,
    "不看血亏": 1.0,
    "血亏": 0.6,
    "值一个亿": 0.8,
    "都没想到": 0.6,
    "原来": 0.3,
    "惊爆": 1.0,
    "震惊全网": 1.0,
    # everyone at once: a crowd's reaction stands in for a reason to read
    "所有人都": 0.5,
    "全网都在": 0.6,
    "全场都": 0.5,
    "整个行业都": 0.5,
    "泪目": 0.6,
    "破防": 0.6,
    "惊天": 0.8,
    "太可怕": 0.8,
    "这一招": 0.5,
    "当场": 0.3,
}
# "90%的运营都踩过": a share of everyone, to make each reader fear being in it.
_PERCENT_BAIT_RE = re.compile(r"[5-9][0-9]%的[\u4e00-\u9fff]{1,5}(?:都|不知道|没|不会)")
# Promises of money or miracles in numbers: 月入百万, 三天瘦十斤.
_NUMERIC_BAIT_RE = re.compile(
    r"(?:月入|年入|日入|月赚|年赚|日赚|躺赚|年薪)[0-9一二三四五六七八九十百千万亿两]+"
    r"|[0-9一二三四五六七八九十两]+天(?:瘦|涨|赚|学会|精通)"
    r"|翻了?[0-9一二三四五六七八九十百]+倍"
)
_PATTERN_RE = re.compile("|".join(re.escape(p) for p in sorted(_STRONG, key=len, reverse=True)))
_EXCLAIM_RE = re.compile(r"[!！]")
_TRAILING_RE = re.compile(r"(?:\.{2,}|…+)\s*$")
# A title that opens on a bare pronoun (他哭了, 她终于回应) hides who it is about so the click
# has to reveal it; the same with an ellipsis in mid-title that breaks off the story.
_WITHHELD_RE = re.compile(
    r"^(?:他|她|它|他们|她们|这个人|这个女孩|这个男人|这家公司|这位)"
    r"(?:终于|竟然|居然|突然|又|也)?(?:哭|笑|怒|慌|崩溃|后悔|回应|沉默|走了|跪|火了|认了|摊牌)"
)
_BARE_PRONOUN_RE = re.compile(
    r"^(?:他|她|它|他们|她们|这个人|这个女孩|这个男人|这家公司|这位)"
    r"(?![\u4e00-\u9fff]{0,3}(?:如何|怎么|怎样|为什么|为何))"  # 他们如何… announces an explanation
)
_MID_ELLIPSIS_RE = re.compile(r"(?:\.{2,}|…+)(?=\S)")
# Breaking-news framing and absolute claims: with a body that does not carry the claim,
# the title is misinformation as well as bait.
_NEWS_MARKERS = ("刚刚", "官宣", "重磅", "紧急通知", "突发", "删前速看", "速看", "国家出手", "最新消息")
_CLAIMS = (
    "全面",
    "所有",
    "彻底",
    "倒闭",
    "合并",
    "关闭",
    "收费",
    "变天",
    "取消",
    "出手",
    "封杀",
    "禁止",
    "停止",
    "破产",
    "都要",
    "正式",
    "全员",
    "降薪",
    "裁员",
    "暂停",
    "下架",
    "崩了",
    "崩溃",
    "凉了",
    "退网",
    "去世",
    "离世",
    "被抓",
    "被捕",
    "离婚",
    "坐牢",
    "跑路",
    "塌房",
    "被带走",
    "被查",
    "被调查",
)
# Body wording that hedges or contradicts a title's claim.
_HEDGES = (
    "据网友爆料",
    "网友爆料",
    "尚未回应",
    "尚未证实",
    "传闻",
    "网传",
    "疑似",
    "或将",
    "未经证实",
    "尚未",
    "未涉及",
    "并未",
    "否认",
    "辟谣",
    "不实",
)
# Claims specific enough to be checked against the body even without a news marker.
_HARD_CLAIMS = (
    "倒闭",
    "合并",
    "关闭",
    "收费",
    "封杀",
    "破产",
    "全员",
    "降薪",
    "裁员",
    "暂停",
    "下架",
    "停止",
    "崩了",
    "凉了",
    "被带走",
    "被查",
    "被调查",
)
_CLAIM_RE = re.compile("|".join(_CLAIMS))
_HARD_CLAIM_RE = re.compile("|".join(_HARD_CLAIMS))


def _coverage(title_keywords: list[str], body: str) -> float:
    if not title_keywords:
        return 1.0
    present = sum(1 for k in title_keywords if k in body)
    return present / len(title_keywords)


def detect(title: Normalized, body: Normalized) -> list[Finding]:
    text = title.text
    if not text.strip():
        return []
    score = 0.0
    hits: list[tuple[int, int]] = []
    for m in _PATTERN_RE.finditer(text):
        if is_quoted_mention(text, m.start(), m.end()):
            continue
        score += _STRONG[m.group()]
        hits.append(m.span())
    for m in _NUMERIC_BAIT_RE.finditer(text):
        score += 0.6
        hits.append(m.span())
    for m in _PERCENT_BAIT_RE.finditer(text):
        score += 1.0
        hits.append(m.span())
    for pattern, weight in ((_WITHHELD_RE, 0.6), (_BARE_PRONOUN_RE, 0.4), (_MID_ELLIPSIS_RE, 0.3)):
        m = pattern.search(text)
        if m:
            score += weight
            hits.append(m.span())
    trailing = _TRAILING_RE.search(text)
    if trailing:  # "他删掉了所有笔记……": a sentence left hanging to be finished by a click
        score += 0.4
        if _BARE_PRONOUN_RE.search(text):  # someone unnamed, and a story cut off: both withheld
            score += 0.2
        hits.append(trailing.span())
    if not hits:
        return []
    exclaimed = bool(_EXCLAIM_RE.search(text))
    if exclaimed:
        score += 0.5
    keywords = [
        k for k in segment.keywords(text, top_k=8) if k not in _STRONG and k not in _NEWS_MARKERS and k not in _CLAIMS
    ][:6]
    coverage = _coverage(keywords, body.text)
    if coverage < 0.34 and body.text:
        score += 0.4
    findings: list[Finding] = []
    if score >= 1.0:
        start = min(s for s, _ in hits)
        end = max(e for _, e in hits)
        rule = "7.2" if coverage < 0.34 and body.text else ("7.1" if exclaimed else "7.3")
        o_start, o_end = title.span(start, end)
        findings.append(
            make_finding(
                rule=rule,
                detector="clickbait",
                field="title",
                original=title.original,
                start=o_start,
                end=o_end,
                score=min(1.0, 0.5 + score / 4),
                action="review",
            )
        )
    # Breaking-news framing with an absolute claim the body does not carry.
    news = any(marker in text for marker in _NEWS_MARKERS)
    claim = _CLAIM_RE.search(text) if news else (_HARD_CLAIM_RE.search(text) if score >= 1.0 else None)
    if claim and body.text:
        unsupported = claim.group() not in body.text or any(h in body.text for h in _HEDGES)
        if unsupported:
            o_start, o_end = title.span(claim.start(), claim.end())
            findings.append(
                make_finding(
                    rule="5.1",
                    detector="clickbait",
                    field="title",
                    original=title.original,
                    start=o_start,
                    end=o_end,
                    score=0.7,
                    action="review",
                )
            )
            if not any(f.category == 7 for f in findings):
                # Breaking-news framing of a claim the article does not make is an
                # exaggerated title (7.3) as well as a false one.
                start, end = hits[0] if hits else claim.span()
                o_start, o_end = title.span(start, end)
                findings.append(
                    make_finding(
                        rule="7.3",
                        detector="clickbait",
                        field="title",
                        original=title.original,
                        start=o_start,
                        end=o_end,
                        score=0.6,
                        action="review",
                    )
                )
    return findings
