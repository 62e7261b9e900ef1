"""Scanner throughput next to jieba.lcut over the same text, and worker memory.

Prints (never asserts):
- scanner Chinese characters per second over a large body of mixed text — the bodies of
  ../shared/moderation-dev/dev.jsonl repeated, or generated text when ../shared is absent;
- the whole pipeline with the model stage off and on over real prose: the project's clean
  prose set (tests/scanner/clean_prose.jsonl), its demo articles and COLD's dev comments
  (../shared/cold/dev.csv) joined, as one large text and as one scan per item;
- jieba.lcut characters per second over the same text, in the same run, and the ratio;
- resident memory (VmRSS and peak) with the seed lexicon, then with a synthetic
  50,000-term lexicon loaded.
"""

import csv
import json
import random
import re
import resource
import time
from pathlib import Path

from moderation.scanner import TermSpec, build_lexicon, default_lexicon, scan, segment, warm_up
from moderation.scanner.model import default_model

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT.parent / "shared" / "moderation-dev" / "dev.jsonl"
COLD_DEV = ROOT.parent / "shared" / "cold" / "dev.csv"
CLEAN_PROSE = ROOT / "tests" / "scanner" / "clean_prose.jsonl"
DEMO_ARTICLES = ROOT / "seeds" / "demo_articles.json"
TARGET_CHARS = 1_000_000
ROUNDS = 3
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _sample_text() -> tuple[str, str]:
    if DEV_SET.exists():
        bodies = [json.loads(line)["body"] for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line]
        source = "dev.jsonl bodies"
    else:
        rng = random.Random(7)  # noqa: S311 — reproducible sample text, not security
        words = [
            "私域",
            "运营",
            "增长",
            "投放",
            "复盘",
            "用户",
            "转化",
            "内容",
            "品牌",
            "直播",
            "数据",
            "渠道",
            "社群",
            "会员",
            "活动",
            "策略",
            "成本",
            "留存",
        ]
        bodies = ["，".join(rng.choice(words) + rng.choice(words) for _ in range(40)) + "。" for _ in range(200)]
        source = "generated text"
    block = "\n\n".join(bodies)
    return (block + "\n\n") * (TARGET_CHARS // len(block) + 1), source


def _memory_mb() -> tuple[float, float]:
    rss = peak = 0.0
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return rss, peak


def _synthetic_terms(count: int) -> list[TermSpec]:
    """Random 2–6 character terms over the whole CJK block, one in ten whole-word."""
    rng = random.Random(50_000)  # noqa: S311 — reproducible synthetic terms
    alphabet = [chr(c) for c in range(0x4E00, 0xA000)]
    rules = ["1.8", "2.6", "3.1", "3.6", "4.4", "5.1", "6.1", "8.2", "9.1"]
    terms = set()
    while len(terms) < count:
        terms.add("".join(rng.choice(alphabet) for _ in range(rng.randint(2, 6))))
    return [
        TermSpec(term, rng.choice(rules), rng.choice(["block", "review", "flag"]), whole_word=i % 10 == 0)
        for i, term in enumerate(sorted(terms))
    ]


def _throughput(text: str, lexicon, model=None) -> float:
    best = 0.0
    for _ in range(ROUNDS):
        started = time.process_time()  # CPU time: the machine may be shared
        scan("", text, lexicon=lexicon, model=model)
        best = max(best, len(text) / (time.process_time() - started))
    return best


def _real_prose() -> tuple[list[str], str]:
    """Ordinary writing: clean news and reviews, the demo articles, real comments (COLD dev)."""
    pieces, names = [], []
    if CLEAN_PROSE.exists():
        pieces += [json.loads(line)["body"] for line in CLEAN_PROSE.read_text(encoding="utf-8").splitlines() if line]
        names.append("clean_prose.jsonl")
    pieces += [article["body"] for article in json.loads(DEMO_ARTICLES.read_text(encoding="utf-8"))]
    names.append("demo articles")
    if COLD_DEV.exists():
        with COLD_DEV.open(encoding="utf-8-sig", newline="") as handle:
            pieces += [row["TEXT"] for row in csv.DictReader(handle)]
        names.append("COLD dev comments")
    return pieces, " + ".join(names)


def _per_item(pieces: list[str], lexicon, model) -> float:
    best = 0.0
    for _ in range(ROUNDS):
        started = time.process_time()
        for piece in pieces:
            scan("", piece, lexicon=lexicon, model=model)
        best = max(best, sum(map(len, pieces)) / (time.process_time() - started))
    return best


def model_stage(lexicon) -> None:
    model = default_model()
    pieces, source = _real_prose()
    block = "\n".join(pieces)
    text = (block + "\n") * max(1, TARGET_CHARS // len(block))
    share = len(_CJK.findall(text)) / len(text)
    if model is None:
        print("model stage: no seeds/model/default.ymodel (make model)")
        return
    print(f"real prose: {source}, {len(text):,} characters ({share:.0%} Chinese), model {model.size:,} bytes")
    off = _throughput(text, lexicon, None)
    on = _throughput(text, lexicon, model)
    print(f"pipeline, model off  {off:>12,.0f} chars/s   {off * share:>12,.0f} Chinese chars/s (one large text)")
    print(f"pipeline, model on   {on:>12,.0f} chars/s   {on * share:>12,.0f} Chinese chars/s (one large text)")
    off = _per_item(pieces, lexicon, None)
    on = _per_item(pieces, lexicon, model)
    print(f"pipeline, model off  {off:>12,.0f} chars/s   one scan per item ({len(pieces):,} items)")
    print(f"pipeline, model on   {on:>12,.0f} chars/s   one scan per item")


def run() -> None:
    warm_up()
    text, source = _sample_text()
    chinese = len(_CJK.findall(text))
    share = chinese / len(text)
    rss, peak = _memory_mb()
    print(
        f"memory with jieba and the seed lexicon ({len(default_lexicon())} terms): {rss:.0f} MB RSS, peak {peak:.0f} MB"
    )

    scanner_cps = _throughput(text, default_lexicon())
    started = time.perf_counter()
    segment.tokenizer().lcut(text)
    jieba_cps = len(text) / (time.perf_counter() - started)
    print(f"text: {source}, {len(text):,} characters ({share:.0%} Chinese)")
    print(f"scanner      {scanner_cps:>12,.0f} chars/s   {scanner_cps * share:>12,.0f} Chinese chars/s")
    print(f"jieba.lcut   {jieba_cps:>12,.0f} chars/s   {jieba_cps * share:>12,.0f} Chinese chars/s")
    print(f"ratio        {scanner_cps / jieba_cps:>12.1f}× faster than jieba.lcut")
    model_stage(default_lexicon())

    started = time.perf_counter()
    big = build_lexicon(_synthetic_terms(50_000))
    built = time.perf_counter() - started
    big_cps = _throughput(text, big, default_model())
    rss, peak = _memory_mb()
    print(f"50,000-term lexicon: built in {built:.1f} s, scanner (with the model) {big_cps:,.0f} chars/s")
    print(f"memory with jieba, a 50,000-term lexicon and the model: {rss:.0f} MB RSS, peak {peak:.0f} MB")
