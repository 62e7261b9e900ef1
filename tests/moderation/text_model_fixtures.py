"""Small corpora and models for the text model tests: trained in about a second each.

Two toy models that differ in one invented word (``FLAG_WORD``): the *old* one learns it
from clean items, the *new* one from violating items of category 2, so a text made of that
word is flagged by the new model and not by the old one.
"""

from __future__ import annotations

import functools

from moderation.models import TextModelVersion
from moderation.scanner.corpus import LabeledItem
from moderation.scanner.model import TextModel
from moderation.services.text_models import text_model_activate, text_model_dry_run, text_model_version_create
from moderation.services.text_training import train_model

FLAG_WORD = "翡翠狐狸"
FLAG_TEXT = FLAG_WORD * 4  # the new model: p ≈ 0.99 for category 2; the old one: ≈ 0

_SPAM = ["加我微信领取福利{i}号，扫码进群一起赚钱", "私聊我拿内部资料{i}，转账后发链接", "代刷好评{i}单，价格私信详谈"]
_CLEAN = [
    "今天去公园散步{i}圈，天气很好，心情不错",
    "这家面馆的牛肉面第{i}次吃了，汤很浓",
    "周末带孩子去图书馆借了{i}本绘本",
    "地铁{i}号线早高峰有点挤，但是很准时",
]


def corpus(*, flag_is_violation: bool, size: int = 12) -> list[LabeledItem]:
    items: list[LabeledItem] = []
    for i in range(size):
        items.append(
            LabeledItem(
                id=f"spam-{i}",
                title="",
                body=_SPAM[i % len(_SPAM)].format(i=i),
                categories=frozenset({3}),
                rules=("3.1",),
                source="toy",
            )
        )
        items.append(
            LabeledItem(
                id=f"clean-{i}",
                title="",
                body=_CLEAN[i % len(_CLEAN)].format(i=i),
                categories=frozenset(),
                rules=(),
                source="toy",
            )
        )
        flagged = f"{FLAG_WORD}又来了第{i}回，{FLAG_WORD}{FLAG_WORD}"
        if flag_is_violation:
            items.append(
                LabeledItem(
                    id=f"flag-{i}",
                    title="",
                    body=flagged,
                    categories=frozenset({2}),
                    rules=("2.1",),
                    source="toy",
                )
            )
        else:
            items.append(
                LabeledItem(id=f"flag-{i}", title="", body=flagged, categories=frozenset(), rules=(), source="toy")
            )
    return items


def toy_model(*, flag_is_violation: bool, seed: int = 0):
    return train_model(corpus(flag_is_violation=flag_is_violation), seed=seed, folds=2)


def corpus_jsonl(items: list[LabeledItem]) -> str:
    import json

    return "".join(json.dumps(item.to_dict(), ensure_ascii=False) + "\n" for item in items)


@functools.cache
def toy_bytes() -> dict[str, bytes]:
    """The two toy models' bytes, trained once per test process."""
    return {
        "old": toy_model(flag_is_violation=False).to_bytes(),
        "new": toy_model(flag_is_violation=True).to_bytes(),
    }


def old_toy() -> TextModel:
    return TextModel.from_bytes(toy_bytes()["old"])


def new_toy() -> TextModel:
    return TextModel.from_bytes(toy_bytes()["new"])


def store(model, actor=None) -> TextModelVersion:
    version, _created = text_model_version_create(actor=actor, model=model, sources=[{"kind": "seeds", "items": 36}])
    return version


def activate(version, actor, *, rescan: bool = False) -> TextModelVersion:
    """A moderator's dry run, then the activation it allows."""
    text_model_dry_run(actor=actor, version=version)
    return text_model_activate(actor=actor, version=version, rescan=rescan)
