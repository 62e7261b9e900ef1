"""The frame a hit sits in: said, or said *against*.

A term that names an act (刷单, 代开发票, 算命, 控评) is a violation when the writer offers or
urges it, and ordinary prose when the writer denies it, warns against it, debunks it or
complains about having been offered it:

- **negation** — a negator in the same clause shortly before the hit, with nothing but the
  act's object between: 我们从来没找过刷单的人, 本店不提供任何形式的代开发票服务,
  严禁刷单. A negator that attaches to an obstacle (没钱, 没问题, 不用担心, 没门槛) is not
  a denial of the act that follows;
- **disowning** — the hit's sentence or a neighbouring one warns, debunks, refuses,
  complains, or reports the act as tried in court or criticised: 别信那个说…的广告,
  这就是典型的刷单诈骗, 我婉拒了, 被推销的拦住…我没理他, 差评, 最反感的就是控评,
  法院以开设赌场罪判处;
- either one is cancelled by the writer's own **commitment** anywhere in the text: an
  invitation to get in touch or buy (私信我, 加我, 有需要的, 下单, 点击链接), a fan-circle
  mobilisation (姐妹们, 大家一起, 都去), or a contact (a run of seven or more digits, an
  address with @ or a web address). "Don't trust the others — our followers are real, DM
  me" is still an advert.

These are kinds of context, not sentences: the cue words are the ordinary vocabulary of
denial, warning and complaint. Everything here is plain `str` scanning over the
normalised text, done only when a hit needs it.
"""

from __future__ import annotations

import re


def _words(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(text.split()))


_CLAUSE_BREAKS = frozenset("，,。！？!?；;：:\n、")
_SENTENCE_BREAKS = frozenset("。！？!?；;\n")
_NEGATION_REACH = 12  # characters between the negator and the hit, within one clause

# Longest first, so 从来没有 is one negator.
_NEGATORS = sorted(
    _words(
        "没有 没 从没 从没有 从来没 从来没有 从不 从来不 从未 未曾 不曾 不会 绝不 决不 绝对不 永远不 "
        "不提供 不做 不参加 不参与 不接受 不搞 不卖 不买 不找 不用 不碰 拒绝 杜绝 严禁 禁止 不得 不允许 不准 "
        "谢绝 反对 抵制 不支持"
    ),
    key=len,
    reverse=True,
)
_NEGATOR_RE = re.compile("|".join(re.escape(n) for n in _NEGATORS))
# What a negator denies when it is not the act: 没钱也能刷单, 不用担心，代开发票.
_OBSTACLES = _words(
    "钱 问题 关系 门槛 押金 风险 限制 经验 要求 成本 压力 时间 担心 顾虑 中间商 后顾之忧 办法 基础 学历 "
    "用的 用了的 能让 能输 能丢"
)

_DISOWNING = _words(
    # debunks and warnings
    "别信 不要信 不要相信 别相信 千万别信 不能信 别上当 不要上当 上当 骗局 骗术 骗子 诈骗 套路 揭秘 "
    "辟谣 谣言 是假的 假消息 智商税 被骗 别被 提醒大家 警惕 谨防 小心 冒充 冒用 假冒 不靠谱 "
    # complaints about having been sold to
    "差评 吐槽 避雷 投诉 踩雷 不推荐 再也不会 再也不来 失望 太差 很差 差劲 坑人 被坑 坑了 忽悠 骗人 维权 "
    "推销的 被推销 一直推销 硬塞 "
    # refusals and disapproval
    "婉拒 拒绝了 我拒绝 没理 不理他 不理她 没答应 反感 讨厌 最烦 看不惯 受不了 不屑 "
    # the act reported as punished or criticised: 法院以开设赌场罪判处…, 刷单为什么屡禁不止
    "法院 检察院 宣判 判决 判处 被告人 开庭 审理 公诉 屡禁不止 乱象"
)
_DISOWNING_RE = re.compile("|".join(re.escape(c) for c in sorted(_DISOWNING, key=len, reverse=True)))

_COMMITMENT = _words(
    "私信我 私我 私聊我 私聊 私信了解 私信领 加我 找我 联系我 滴滴我 dd我 戳我 看我主页 点我头像 进主页 主页有 "
    "有需要的 需要的 有意者 有意向 欢迎咨询 咨询我 下单 拍下 包邮 点击链接 链接在 戳链接 扣1 扣个1 "
    "姐妹们 家人们 宝子们 大家一起 都去 冲! 冲！ 冲啊 大家转发 转发让 转起来 扩散出去"
)
_COMMITMENT_RE = re.compile(
    "|".join(re.escape(c) for c in sorted(_COMMITMENT, key=len, reverse=True))
    + r"|[0-9]{7,}|[a-z0-9._%+\-]+@[a-z0-9\-]+\.|https?:|www\.|\.com|\.cn\b|t\.cn/"
)


def clause_start(text: str, start: int, reach: int) -> int:
    """Where the clause holding `start` begins, looking back at most `reach` characters."""
    lo = max(0, start - reach)
    i = start - 1
    while i >= lo and text[i] not in _CLAUSE_BREAKS:
        i -= 1
    return i + 1


def negated(text: str, start: int) -> bool:
    """Is the hit at `start` denied by a negator shortly before it in the same clause?"""
    lo = clause_start(text, start, _NEGATION_REACH + 4)
    if lo >= start:
        return False
    for m in _NEGATOR_RE.finditer(text, lo, start):
        if start - m.end() > _NEGATION_REACH:
            continue
        if text.startswith(_OBSTACLES, m.end()):
            continue
        if m.start() > 0 and m.end() - m.start() == 2 and text[m.start() - 1] == text[m.start() + 1]:
            continue  # a question, not a denial: 有没有, 会不会
        return True
    return False


def _sentence_bounds(text: str, start: int, end: int, reach: int = 80) -> tuple[int, int]:
    lo, hi = max(0, start - reach), min(len(text), end + reach)
    i = start - 1
    while i >= lo and text[i] not in _SENTENCE_BREAKS:
        i -= 1
    j = end
    while j < hi and text[j] not in _SENTENCE_BREAKS:
        j += 1
    return i + 1, j


def disowned(text: str, start: int, end: int) -> bool:
    """Does the hit's sentence, or the one before or after it, warn, debunk, refuse or complain?"""
    lo, hi = _sentence_bounds(text, start, end)
    if lo > 0:
        lo = _sentence_bounds(text, lo - 1, lo - 1)[0]
    if hi < len(text):
        hi = _sentence_bounds(text, hi + 1, hi + 1)[1]
    return _DISOWNING_RE.search(text, lo, hi) is not None


def committed(text: str) -> bool:
    """Does the writer invite the reader to get in touch, buy or join anywhere in the text?"""
    return _COMMITMENT_RE.search(text) is not None


def said_against(text: str, start: int, end: int) -> bool:
    """The hit is denied or disowned, and the text carries no commitment of its own."""
    return (negated(text, start) or disowned(text, start, end)) and not committed(text)
