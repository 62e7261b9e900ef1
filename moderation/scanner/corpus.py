"""Labelled training and evaluation items, read from JSONL or CSV (pure: no Django, no sklearn).

The JSONL format is the one of `../shared/moderation-dev/dev.jsonl` plus `rules`:
`{"id": …, "kind": …, "title": …, "body": …, "categories": [2], "rules": ["2.1"], "verdict": …}`;
clean items have no categories. CSV files (such as COLD's `train.csv`) name a text column and
a label column, and a map from label values to a convention category (`None` = clean).
Every problem with a file is a `ValueError` whose message says, in Chinese and English,
which file, which line and what is wrong.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CATEGORIES = tuple(range(1, 10))
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED_CORPUS = SEEDS / "corpus"


@dataclass(frozen=True, slots=True)
class LabeledItem:
    id: str
    title: str
    body: str
    categories: frozenset[int]
    rules: tuple[str, ...]
    source: str

    @property
    def clean(self) -> bool:
        return not self.categories

    def to_dict(self) -> dict:
        """The dev.jsonl shape (what `evaluate` and `moderation_eval` read)."""
        return {
            "id": self.id,
            "title": self.title,
            "body": self.body,
            "categories": sorted(self.categories),
            "rules": list(self.rules),
        }


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ValueError(f"找不到文件 file not found: {path}") from None
    except IsADirectoryError:
        raise ValueError(f"{path} 是文件夹，不是数据文件 is a directory, not a data file") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} 不是 UTF-8 编码 is not UTF-8 (byte {exc.start})") from None
    except OSError as exc:
        raise ValueError(f"无法读取 cannot read {path}: {exc.strerror}") from None


def _categories(value, where: str) -> frozenset[int]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(
        isinstance(c, int) and not isinstance(c, bool) and c in CATEGORIES for c in value
    ):
        raise ValueError(f"{where}: categories 应当是 1–9 的整数列表 must be a list of integers 1–9")
    return frozenset(value)


def _rules(value, categories: frozenset[int], where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(r, str) for r in value):
        raise ValueError(f'{where}: rules 应当是规则编号的列表 must be a list of rule codes such as "2.1"')
    out = []
    for rule in value:
        head, _, tail = rule.partition(".")
        if not (head.isdigit() and tail.isdigit() and int(head) in CATEGORIES):
            raise ValueError(f'{where}: 规则编号 {rule!r} 无效 is not a rule code such as "2.1"')
        if int(head) not in categories:
            raise ValueError(f"{where}: 规则 {rule} 不属于所标的类别 is not in the item's categories")
        out.append(rule)
    return tuple(out)


def parse_jsonl(text: str, *, source: str, where: str = "") -> list[LabeledItem]:
    items: list[LabeledItem] = []
    where = where or source
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        at = f"{where} 第 {number} 行 line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{at}: 不是合法的 JSON invalid JSON ({exc.msg}, column {exc.colno})") from None
        if not isinstance(record, dict):
            raise ValueError(f"{at}: 应当是一个 JSON 对象 must be a JSON object")
        body, title = record.get("body"), record.get("title") or ""
        if not isinstance(body, str) or not isinstance(title, str):
            raise ValueError(f"{at}: body 和 title 应当是字符串 body and title must be strings")
        categories = _categories(record.get("categories"), at)
        items.append(
            LabeledItem(
                id=str(record.get("id") or f"{source}-{number}"),
                title=title,
                body=body,
                categories=categories,
                rules=_rules(record.get("rules"), categories, at),
                source=source,
            )
        )
    return items


def load_jsonl(path: str | os.PathLike, *, source: str | None = None) -> list[LabeledItem]:
    """Items of a JSONL file; `source` defaults to the file's name without its suffix."""
    path = Path(path)
    return parse_jsonl(_read_text(path), source=source or path.stem, where=str(path))


def load_csv(
    path: str | os.PathLike,
    *,
    text_column: str,
    label_column: str,
    label_map: dict[str, int | None],
    source: str | None = None,
    title_column: str | None = None,
    id_column: str | None = None,
) -> list[LabeledItem]:
    """Items of a CSV file with a header row. `label_map` maps each label value (as written in
    the file, e.g. `"1"`) to a convention category or `None` for clean; any other value is an
    error, so a wrong map is noticed rather than silently dropping rows."""
    path = Path(path)
    source = source or path.stem
    for label, category in label_map.items():
        if category is not None and category not in CATEGORIES:
            raise ValueError(f"标签 {label!r} 映射到的类别 {category} 无效 maps to an invalid category")
    reader = csv.DictReader(io.StringIO(_read_text(path), newline=""))
    header = reader.fieldnames or []
    for column in (text_column, label_column, title_column, id_column):
        if column is not None and column not in header:
            raise ValueError(
                f"{path} 没有列 {column!r} has no column {column!r} (columns: {', '.join(h for h in header if h)})"
            )
    items: list[LabeledItem] = []
    for number, row in enumerate(reader, start=2):
        label = (row.get(label_column) or "").strip()
        if label not in label_map:
            raise ValueError(
                f"{path} 第 {number} 行 line {number}: 标签 {label!r} 不在标签映射中 is not in the label map "
                f"({', '.join(map(repr, label_map))})"
            )
        category = label_map[label]
        row_id = (row.get(id_column) if id_column is not None else None) or f"{number}"
        items.append(
            LabeledItem(
                id=f"{source}-{row_id}",
                title=(row.get(title_column) or "") if title_column else "",
                body=row.get(text_column) or "",
                categories=frozenset() if category is None else frozenset({category}),
                rules=(),
                source=source,
            )
        )
    return items


def load_seed_corpus(root: str | os.PathLike = SEED_CORPUS) -> list[LabeledItem]:
    """Every `*.jsonl` under `root` (the project's own corpus, `seeds/corpus/`), in path order.
    Each file's items get the file's path under `root` (without `.jsonl`) as their source."""
    root = Path(root)
    if not root.is_dir():
        return []
    items: list[LabeledItem] = []
    for path in sorted(root.rglob("*.jsonl")):
        source = path.relative_to(root).with_suffix("").as_posix()
        items.extend(load_jsonl(path, source=source))
    return items


COLD_LABELS: dict[str, int | None] = {"1": 2, "0": None}


def load_cold(path: str | os.PathLike) -> list[LabeledItem]:
    """COLD (`../shared/cold/train.csv` or `dev.csv`): offensive → category 2, safe → clean."""
    path = Path(path)
    return load_csv(
        path, text_column="TEXT", label_column="label", label_map=COLD_LABELS, source=f"cold-{path.stem}", id_column=""
    )


def check_unique_ids(items: Iterable[LabeledItem]) -> None:
    seen: dict[str, str] = {}
    for item in items:
        if item.id in seen:
            raise ValueError(f"编号 {item.id} 重复 duplicate id (in {seen[item.id]} and {item.source})")
        seen[item.id] = item.source
