"""The 模型版本 page shows a version's held-out figures beside the cross-validated ones, each
labelled in plain Chinese with what it was measured on, no server paths, and says of the active
version that the others are compared with it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from moderation.models import TextModelOrigin, TextModelVersion
from moderation.scanner.model import DEFAULT_PATH
from moderation.services.text_models import text_model_seed_load
from tests.moderation.text_model_fixtures import new_toy, store


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.skipif(not DEFAULT_PATH.exists(), reason="no shipped model (make model)")
def test_the_shipped_version_shows_held_out_figures_labelled_and_no_server_paths(client, convention, moderator):
    text_model_seed_load()  # seed_demo (the convention fixture) has loaded it already
    version = TextModelVersion.objects.get(origin=TextModelOrigin.SHIPPED)
    assert version.figures["eval"], "the shipped model stores its held-out figures"
    client.force_login(moderator)
    text = _text(client.get(reverse("moderation:text-model", args=[version.number])))
    assert "交叉验证（训练数据，每次评估的那部分未参与该次训练）" in text
    assert "评测集（未参与训练）" in text
    # every set the model was measured on is named in words, with its size and "kept out of training"
    assert "正常的新闻和点评文字" in text and "项目自写的留出评测集（第 5 轮）" in text
    assert text.count("未参与训练") >= 1 + len(version.figures["eval"])
    figures = version.figures["eval"]["clean_prose.jsonl"]
    assert f"{figures['items']} 条" in text
    # a source is its name and size, never a path on the server
    cold = [s for s in version.sources if str(s.get("name", "")).startswith("COLD")]
    if cold:
        assert f"{cold[0]['name']}：{cold[0]['items']} 条" in text
    assert "/shared/" not in text and "/tmp/" not in text and "/work/" not in text
    # the active version: the others are compared with it
    assert "这是使用中的版本：其他版本试运行时，都拿它作对照" in text


def test_a_set_of_clean_text_has_no_f1_and_a_candidate_shows_the_active_figures_beside(client, convention, moderator):
    text_model_seed_load()
    shipped = TextModelVersion.objects.filter(origin=TextModelOrigin.SHIPPED).first()
    version = store(new_toy())
    version.figures = {
        "cv": {"macro_f1": 0.5, "clean_flagged": 0.07, "items": 40, "per_category": {}},
        "eval": {
            "clean_prose.jsonl": {"macro_f1": 0.0, "clean_flagged": 0.012, "items": 393, "per_category": {}},
            "my_set.jsonl": {
                "macro_f1": 0.8125,
                "clean_flagged": 0.02,
                "items": 50,
                "per_category": {"2": {"precision": 0.9, "recall": 0.7, "f1": 0.8125, "support": 10}},
            },
        },
    }
    version.save(update_fields=["figures"])
    client.force_login(moderator)
    text = _text(client.get(reverse("moderation:text-model", args=[version.number])))
    assert "my_set.jsonl" in text and "<strong>0.812</strong>" in text
    assert "393 条，未参与训练；只有正常内容，看误标率" in text
    assert "1.2%" in text
    if shipped is not None:
        assert "使用中" in text and "这是使用中的版本：" not in text
