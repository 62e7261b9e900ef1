"""Score the scanner on a labelled JSONL file (PRODUCT §6). Exits 0 whatever the score.

The figures are the whole pipeline's with the active text model (`--no-model`: the rules alone);
`stages` in the JSON (and the second table) gives the rules alone, the model alone and both."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from moderation.management.commands.moderation_scan import command_lexicon
from moderation.scanner.evaluate import evaluate, format_report


def load_items(path: Path) -> list[dict]:
    """Read and check the labelled items; a bad file gives one clear sentence, never a traceback."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        raise CommandError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise CommandError(f"{path} 是文件夹，不是 JSONL 文件。") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path} 不是 UTF-8 编码的文本文件。") from None
    except OSError as exc:
        raise CommandError(f"无法读取 {path}：{exc.strerror}") from None
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path} 第 {number} 行不是合法的 JSON：{exc.msg}（第 {exc.colno} 列）") from None
        if not isinstance(item, dict):
            raise CommandError(f"{path} 第 {number} 行应当是一个 JSON 对象。")
        if not isinstance(item.get("body"), str):
            raise CommandError(f"{path} 第 {number} 行缺少字符串字段 body。")
        if not isinstance(item.get("title", ""), str):
            raise CommandError(f"{path} 第 {number} 行的 title 应当是字符串。")
        categories = item.get("categories")
        if not isinstance(categories, list) or not all(
            isinstance(c, int) and not isinstance(c, bool) and 1 <= c <= 9 for c in categories
        ):
            raise CommandError(f"{path} 第 {number} 行的 categories 应当是 1–9 的整数列表。")
        if item.get("verdict") not in (None, "allow", "review", "block"):
            raise CommandError(f"{path} 第 {number} 行的 verdict 只能是 allow、review 或 block。")
        item.setdefault("id", f"line-{number}")
        item.setdefault("title", "")
        items.append(item)
    if not items:
        raise CommandError(f"{path} 里没有任何条目。")
    return items


class Command(BaseCommand):
    help = "在标注好的 JSONL 数据上评测扫描器：各类别的准确率、召回率和 F1，结论准确率与吞吐量。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSONL 文件，每行一个 {id, title, body, categories, verdict}")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象（PRODUCT §6 的格式）")
        parser.add_argument("--no-model", action="store_true", help="关闭模型阶段，只评测规则（词库与检测器）")

    def handle(self, *args, file: str, json: bool = False, no_model: bool = False, **options):
        items = load_items(Path(file))
        if no_model:
            model, thresholds = None, None
        else:
            from moderation.text_model import model_snapshot

            snapshot = model_snapshot()
            model, thresholds = snapshot.model, snapshot.thresholds
        report = evaluate(items, lexicon=command_lexicon(), model=model, thresholds=thresholds)
        if json:
            self.stdout.write(_dumps(report))
            return
        self.stdout.write(f"条目 {len(items)} 条，文件 {file}")
        self.stdout.write(format_report(report))


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
