"""The model stage (moderation/scanner/model.py, training.py, corpus.py): features, storage,
training, the stage inside `scan`, and the policy around it. Pure Python, no database."""

import hashlib
import json
import struct
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.scanner import corpus, scan
from moderation.scanner import model as model_module
from moderation.scanner.model import CATEGORIES, MAGIC, TextModel, hashed_ids, model_findings, sentence_starts
from moderation.scanner.policy import verdict
from moderation.scanner.results import make_finding

HERE = Path(__file__).resolve().parent


def random_model(seed=1, bits=10, thresholds=0.5, bias=-2.0, window=0) -> TextModel:
    rng = np.random.default_rng(seed)
    return TextModel(
        weights=rng.integers(-127, 128, size=(1 << bits, 9), dtype=np.int8),
        scales=np.full(9, 0.05, dtype=np.float32),
        bias=np.full(9, bias, dtype=np.float32),
        thresholds=np.full(9, thresholds, dtype=np.float32),
        rule_codes=tuple(f"{c}.1" for c in CATEGORIES),
        bits=bits,
        meta={"sources": {"test": 1}},
        window=window,
    )


# --------------------------------------------------------------------------- a small corpus
_INSULTS = ["你这种人真是脑子有病", "滚远点别在这丢人现眼", "废物一个还好意思说话", "蠢得无可救药的家伙"]
_ADS = ["加我领取优惠券名额有限", "私聊我低价代购正品保证", "扫码进群每天返现红包", "点击主页链接免费领课程"]
_MYSTIC = ["大师帮你算命改运化煞", "看八字算姻缘一算就准", "风水调理包你财运亨通", "求签问卦指点人生迷津"]
_CLEAN = [
    "今天的会议讨论了第三季度的增长策略",
    "这家餐厅的服务很周到菜也好吃",
    "我们团队复盘了上个月的投放数据",
    "新版本修复了登录页面的几个问题",
    "周末带孩子去公园散步天气不错",
    "这篇文章把用户留存讲得很清楚",
]


def small_corpus() -> list[corpus.LabeledItem]:
    items = []
    for group, (texts, category, rule) in enumerate(((_INSULTS, 2, "2.6"), (_ADS, 3, "3.1"), (_MYSTIC, 6, "6.1"))):
        for i, text in enumerate(texts):
            for j, tail in enumerate(("", "。", "！真的")):
                items.append(
                    corpus.LabeledItem(f"v{group}-{i}-{j}", "", text + tail, frozenset({category}), (rule,), "test")
                )
    for i, text in enumerate(_CLEAN):
        for j, tail in enumerate(("", "。", "，大家觉得呢？")):
            items.append(corpus.LabeledItem(f"c{i}-{j}", "", text + tail, frozenset(), (), "test"))
    return items


@pytest.fixture(scope="module")
def trained():
    from moderation.scanner.training import train

    return train(small_corpus(), seed=3, bits=12, folds=3, calibration_folds=2)


# --------------------------------------------------------------------------- corpus loaders
def test_load_jsonl_reads_items_and_refuses_bad_lines(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text(
        json.dumps({"id": "a", "title": "", "body": "正文", "categories": [2], "rules": ["2.1"]}, ensure_ascii=False)
        + "\n\n"
        + json.dumps({"id": "b", "body": "干净", "categories": []}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    items = corpus.load_jsonl(path)
    assert [(i.id, i.categories, i.rules, i.source) for i in items] == [
        ("a", frozenset({2}), ("2.1",), "set"),
        ("b", frozenset(), (), "set"),
    ]
    path.write_text('{"body": "x", "categories": [10]}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"第 1 行.*categories"):
        corpus.load_jsonl(path)
    path.write_text('{"body": "x", "categories": [2], "rules": ["3.1"]}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="不属于"):
        corpus.load_jsonl(path)
    path.write_bytes('{"body": "中"}'.encode("gbk"))
    with pytest.raises(ValueError, match="UTF-8"):
        corpus.load_jsonl(path)


def test_load_csv_maps_labels_and_names_a_missing_column_or_unmapped_label(tmp_path):
    path = tmp_path / "cold.csv"
    path.write_text("\ufeff,label,TEXT\n1,1,骂人的话\n2,0,正常的话\n", encoding="utf-8")
    items = corpus.load_csv(path, text_column="TEXT", label_column="label", label_map={"1": 2, "0": None})
    assert [(i.body, i.categories) for i in items] == [("骂人的话", frozenset({2})), ("正常的话", frozenset())]
    with pytest.raises(ValueError, match="没有列 'text'"):
        corpus.load_csv(path, text_column="text", label_column="label", label_map={"1": 2, "0": None})
    with pytest.raises(ValueError, match="标签 '0' 不在标签映射中"):
        corpus.load_csv(path, text_column="TEXT", label_column="label", label_map={"1": 2})


def test_the_seed_corpus_loads_with_unique_ids():
    items = corpus.load_seed_corpus()
    corpus.check_unique_ids(items)
    assert all(item.source for item in items)


# --------------------------------------------------------------------------- features
def _reference_ids(text: str, bits: int, orders) -> list[list[int]]:
    """The n-gram buckets computed one by one with Python integers (the spec of hashed_ids)."""
    mask = (1 << 64) - 1
    mix, step = 0x9E3779B97F4A7C15, 0x100000001B3
    starts = sentence_starts(text).tolist()
    sentence_of = []
    for k, s in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        sentence_of += [k] * (end - s)
    rows = []
    for order in orders:
        row = []
        for i in range(len(text)):
            j = i + order - 1
            if j >= len(text) or sentence_of[j] != sentence_of[i]:
                row.append(1 << bits)
                continue
            h = 0
            for ch in text[i : j + 1]:
                h = (h * step + ord(ch)) & mask
            salt = int(model_module._SALTS[order])
            row.append((((h + salt) & mask) * mix & mask) >> (64 - bits))
        rows.append(row)
    return rows


@pytest.mark.parametrize("text", ["你好。世界！", "a.b c. 3.14\n\n第二段……好", "一", "", "长" * 600])
def test_hashed_ids_match_the_one_by_one_definition(text):
    codes = model_module._codes(text)
    ids = hashed_ids(codes, sentence_starts(text), 12, (1, 2, 3))
    assert ids.tolist() == _reference_ids(text, 12, (1, 2, 3))


def test_sentences_split_on_chinese_and_latin_punctuation_and_line_breaks():
    text = "第一句话。第二句话！！Third one. 3.14 不断开\n第四句话了。好。"
    starts = sentence_starts(text).tolist()
    pieces = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    assert pieces == ["第一句话。", "第二句话！！", "Third one.", " 3.14 不断开\n", "第四句话了。好。"]
    # a short first sentence is read with the next one
    assert sentence_starts("是的。这件事我知道了。").tolist() == [0]


# --------------------------------------------------------------------------- storage
def test_a_model_round_trips_through_bytes(trained):
    data = trained.to_bytes()
    assert data.startswith(MAGIC)
    again = TextModel.from_bytes(data)
    assert again.to_bytes() == data
    assert again.version_hash == trained.version_hash == hashlib.sha256(data).hexdigest()
    texts = ["你这种人真是脑子有病", ("大师算命", "加我领取优惠券"), "今天天气不错。"]
    assert np.array_equal(again.predict_proba_texts(texts), trained.predict_proba_texts(texts))
    assert again.meta == trained.meta and again.rule_codes == trained.rule_codes


def _rewrite(data: bytes, edit) -> bytes:
    """Change the header of a stored model and fix its lengths and checksum (a crafted file)."""
    fixed = len(MAGIC) + 12
    version, head_len, _payload_len = struct.unpack("<III", data[len(MAGIC) : fixed])
    header = json.loads(data[fixed : fixed + head_len])
    edit(header)
    head = json.dumps(header).encode()
    payload = data[fixed + head_len : -32]
    body = MAGIC + struct.pack("<III", version, len(head), len(payload)) + head + payload
    return body + hashlib.sha256(body).digest()


def test_from_bytes_refuses_corrupt_or_crafted_data():
    data = random_model().to_bytes()
    cases = {
        "magic": b"NOTAMODEL" + data[9:],
        "truncated": data[:-100],
        "checksum": data[:200] + bytes([data[200] ^ 1]) + data[201:],
        "empty": b"",
        "categories": _rewrite(data, lambda h: h.update(categories=[1, 2, 3])),
        "shape": _rewrite(data, lambda h: h["arrays"]["weights"].update(shape=[512, 9])),
        "dtype": _rewrite(data, lambda h: h["arrays"]["weights"].update(dtype="float64")),
        "rule": _rewrite(data, lambda h: h["rule_codes"].__setitem__(1, "3.1")),
        "bits": _rewrite(data, lambda h: h.update(bits=40)),
        "missing": _rewrite(data, lambda h: h.pop("arrays")),
    }
    for name, bad in cases.items():
        with pytest.raises(ValueError):
            TextModel.from_bytes(bad)
        assert name
    version = data[: len(MAGIC)] + struct.pack("<I", 99) + data[len(MAGIC) + 4 :]
    with pytest.raises(ValueError, match="version 99"):
        TextModel.from_bytes(version)


def test_a_model_with_non_finite_numbers_is_refused():
    good = random_model()
    with pytest.raises(ValueError, match="non-finite"):
        TextModel(
            weights=good.weights,
            scales=good.scales,
            bias=np.array([np.nan] * 9, dtype=np.float32),
            thresholds=good.thresholds,
            rule_codes=good.rule_codes,
            bits=good.bits,
        )


def test_stored_models_hold_no_training_text(trained):
    data = trained.to_bytes()
    for item in small_corpus():
        assert item.body.encode("utf-8") not in data


# --------------------------------------------------------------------------- training
def test_training_is_deterministic_for_a_fixed_seed(trained):
    from moderation.scanner.training import train

    again = train(small_corpus(), seed=3, bits=12, folds=3, calibration_folds=2)
    assert again.to_bytes() == trained.to_bytes()


def test_the_trained_model_separates_its_categories(trained):
    probs = trained.predict_proba_texts(
        ["废物一个还好意思说话", "扫码进群每天返现红包", "看八字算姻缘", "会议讨论了增长策略"]
    )
    assert probs[0].argmax() + 1 == 2 and probs[1].argmax() + 1 == 3 and probs[2].argmax() + 1 == 6
    assert probs[3].max() < probs[0, 1]
    assert trained.rule_for(2) == "2.6" and trained.rule_for(3) == "3.1"
    assert set(trained.meta["cross_validation"]["per_category"]) == {str(c) for c in CATEGORIES}
    assert all(0 < t <= 1 for t in trained.thresholds)


def test_numpy_scores_equal_the_calibrated_sklearn_estimator():
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from moderation.scanner.training import _fit_category, featurize, labels

    items = small_corpus()
    x, y = featurize(items, bits=12, orders=(1, 2, 3)), labels(items)[:, 1]
    weights, bias = _fit_category(x, y, C=4.0, folds=2, seed=0)
    reference = CalibratedClassifierCV(
        LogisticRegression(
            C=4.0, class_weight="balanced", solver="liblinear", dual=True, tol=1e-3, max_iter=300, random_state=0
        ),
        method="sigmoid",
        cv=StratifiedKFold(2, shuffle=True, random_state=0),
        ensemble=False,
    ).fit(x, y)
    ours = 1 / (1 + np.exp(-(x @ weights + bias)))
    assert np.allclose(ours, reference.predict_proba(x)[:, 1], atol=1e-6)


# --------------------------------------------------------------------------- the stage in scan
fragments = st.sampled_from(
    ["加微信", "你是废物。", "。", "！！", "\n", " ", ".", "3.14", "\u200b", "ｖｘ", "\ud800", "長"]
)
texts = st.lists(st.one_of(st.text(max_size=8), fragments), max_size=30).map("".join)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=texts, body=texts)
def test_the_model_stage_never_raises_and_its_offsets_slice_the_original(title, body):
    model = random_model(thresholds=0.3, bias=0.0, window=12 if len(body) % 2 else 0)
    for finding in model_findings(title, body, model):
        original = title if finding.field == "title" else body
        assert 0 <= finding.start < finding.end <= len(original)
        assert finding.match == original[finding.start : finding.end]
        assert finding.detector == "model" and finding.action == "review"
    for sentence in model.predict(body):
        assert 0 <= sentence.start <= sentence.end <= len(body)
    result = scan(title, body, model=model)
    for finding in result.findings:
        original = title if finding.field == "title" else body
        assert finding.match == original[finding.start : finding.end]


def test_long_text_is_scored_in_chunks_like_short_text():
    model = random_model(bias=0.0)
    sentence = "这是一句普通的话，用来测试分块。"
    text = sentence * 5000
    whole = model.predict(text)
    assert len(whole) == 5000
    first = model.predict(sentence)[0]
    assert whole[0].probs == pytest.approx(first.probs) and whole[-1].probs == pytest.approx(first.probs)


def test_units_of_a_window_model_are_runs_of_whole_sentences_and_findings_name_one():
    model = random_model(thresholds=0.01, bias=0.0, window=20)
    body = "第一句话在这里。第二句话也在这里！第三句话比较长一些，还有逗号。第四句。第五句话写在最后面。"
    units = model.predict(body)
    assert [(u.start, u.end) for u in units] == [(0, 36), (36, len(body))]
    sentences = {(0, 8), (8, 17), (17, 36), (36, len(body))}  # 第四句。 is short: read with the one before
    for finding in model_findings("", body, model):
        assert (finding.start, finding.end) in sentences


def _rule_scan_equal(a, b):
    return a.verdict == b.verdict and a.findings == b.findings


def test_scan_without_a_model_is_the_rules_alone_and_a_silent_model_changes_nothing():
    silent = random_model()
    never = {c: 2.0 for c in CATEGORIES}
    for path in sorted(HERE.glob("heldout_round*.jsonl"))[:2]:
        for line in path.read_text(encoding="utf-8").splitlines()[:60]:
            item = json.loads(line)
            off = scan(item.get("title", ""), item["body"], model=None)
            assert all(f.detector != "model" for f in off.findings)
            assert _rule_scan_equal(off, scan(item.get("title", ""), item["body"], model=silent, thresholds=never))


def test_thresholds_override_the_stored_ones_per_category():
    model = random_model(thresholds=0.999, bias=5.0)
    model.scales[:] = 0.0001
    model = TextModel.from_bytes(model.to_bytes())  # dequantise again with the new scales
    assert model.threshold_map({"2": 0.3})[2] == 0.3 and model.threshold_map({"2": 0.3})[3] == pytest.approx(0.999)
    body = "你好，这是一段话。再来一段话！"
    assert model_findings("", body, model) == []
    loud = model_findings("", body, model, {c: 0.5 for c in CATEGORIES})
    assert {f.category for f in loud} == set(CATEGORIES)
    assert {f.rule for f in loud} == {f"{c}.1" for c in CATEGORIES}
    assert {f.category for f in model_findings("", body, model, {"4": 0.5})} == {4}


# --------------------------------------------------------------------------- policy
def _finding(rule, detector, action, start=0):
    return make_finding(
        rule=rule,
        detector=detector,
        field="body",
        original="x" * 50,
        start=start,
        end=start + 5,
        score=0.8,
        action=action,
    )


def test_model_findings_alone_make_review_never_block():
    many = [_finding(f"{c}.1", "model", "review", start=c) for c in CATEGORIES]
    assert verdict(many) == "review"
    assert verdict(many[:1]) == "review"


def test_a_model_finding_with_a_rule_finding_in_the_same_category_blocks():
    assert verdict([_finding("2.1", "model", "review"), _finding("2.6", "lexicon", "flag")]) == "block"
    assert verdict([_finding("2.1", "model", "review"), _finding("2.6", "lexicon", "review")]) == "block"


def test_a_model_finding_in_another_category_does_not_add_up_with_the_rules():
    # the rules alone: one review → review; the model's 5.x finding must not make it two categories
    assert verdict([_finding("5.1", "model", "review"), _finding("2.6", "lexicon", "review")]) == "review"
    assert verdict([_finding("5.1", "model", "review"), _finding("2.6", "lexicon", "flag")]) == "review"
    assert verdict([_finding("5.1", "model", "review"), _finding("3.1", "link", "block")]) == "block"
    assert verdict([_finding("2.6", "lexicon", "review"), _finding("7.1", "clickbait", "review")]) == "block"
