"""Train the scanner's model stage (PRODUCT §6, §12) from any mix of sources, print the
cross-validated figures and the figures on evaluation sets, and keep the model as a
candidate version (and/or write it to a file). Nothing is activated here: a moderator
does that on the 模型版本 page after a dry run."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from moderation.scanner.corpus import CATEGORIES, LabeledItem, load_csv, load_jsonl
from moderation.services.text_training import (
    DECISIONS_SOURCE,
    SEEDS_SOURCE,
    file_source,
    load_source,
    parse_label_map,
    save_run,
    train_from_sources,
)


def category_names() -> dict[int, str]:
    """Category number → name, from the convention in force (the seed file without a database)."""
    try:
        from moderation.models import RuleCategory

        names = dict(
            RuleCategory.objects.filter(convention__is_current=True).values_list("number", "name").order_by("number")
        )
        if names:
            return names
    except DatabaseError:
        pass
    import json

    from moderation.scanner.corpus import SEEDS

    try:
        data = json.loads((SEEDS / "convention.json").read_text("utf-8"))
        return {int(c["number"]): c["name"] for c in data.get("categories", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def format_figures(title: str, figures: dict, names: dict[int, str]) -> list[str]:
    """One block: a row per category (precision, recall, F1, items), then macro-F1 and the
    share of clean items flagged."""
    lines = [title]
    per_category = figures.get("per_category") or {}
    if not per_category:
        lines.append("  （没有结果）")
        return lines
    lines.append(f"  {_pad('类别', 14)}{'精确率':>6}{'召回率':>6}{'F1':>9}{'样本':>7}")
    for category in CATEGORIES:
        row = per_category.get(str(category))
        if row is None:
            continue
        label = f"{category} {names.get(category, '')}"
        support = row.get("support", 0)
        if not support:
            lines.append(f"  {_pad(label, 14)}{'—':>9}{'—':>9}{'—':>9}{support:>9}")
            continue
        lines.append(f"  {_pad(label, 14)}{row['precision']:>9.3f}{row['recall']:>9.3f}{row['f1']:>9.3f}{support:>9}")
    lines.append(
        f"  macro-F1 {figures.get('macro_f1', 0.0):.3f} · 正常内容被标记 {figures.get('clean_flagged', 0.0):.1%}"
        f" · 共 {figures.get('items', 0)} 条"
    )
    return lines


def _pad(text: str, width: int) -> str:
    """Left-align mixed Chinese/Latin text in a terminal (a Chinese character is two columns wide)."""
    shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(1, width - shown)


class Command(BaseCommand):
    help = (
        "训练扫描器的模型阶段：--seeds（项目语料）、--file（JSONL 或 CSV，可重复）、--decisions（审核员的处理结果）"
        "任意组合；打印交叉验证结果和 --eval 评测集上的结果；默认保存为候选版本（需审核员试运行后启用）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--seeds", action="store_true", help="使用项目自带的标注语料 seeds/corpus/")
        parser.add_argument(
            "--file",
            action="append",
            default=[],
            metavar="PATH",
            help="训练文件：JSONL（dev.jsonl 格式）或 CSV，可重复",
        )
        parser.add_argument("--text-column", default="", help="CSV 文件的正文列名")
        parser.add_argument("--label-column", default="", help="CSV 文件的标签列名")
        parser.add_argument("--title-column", default="", help="CSV 文件的标题列名（可选）")
        parser.add_argument("--label-map", default="", help='CSV 标签到类别的映射，例如 "1=2,0=clean"')
        parser.add_argument(
            "--decisions", action="store_true", help="使用审核员的处理结果（删除/处罚的内容与驳回/放行的内容）"
        )
        parser.add_argument(
            "--eval", action="append", default=[], metavar="PATH", help="评测文件（不参与训练），JSONL 或 CSV，可重复"
        )
        parser.add_argument("--seed", type=int, default=0, help="随机种子（相同数据和种子得到相同的模型）")
        parser.add_argument("--folds", type=int, default=5, help="交叉验证的折数（2–10，默认 5）")
        parser.add_argument(
            "--save",
            action="store_true",
            default=True,
            dest="save",
            help="保存为候选模型版本（默认）",
        )
        parser.add_argument("--no-save", action="store_false", dest="save", help="不保存到数据库")
        parser.add_argument("--output", default="", metavar="PATH", help="把模型写入这个文件")
        parser.add_argument("--note", default="", help="版本备注")

    def handle(self, *args, **options):
        if not 2 <= options["folds"] <= 10:
            raise CommandError("--folds 应在 2 到 10 之间。")
        output = Path(options["output"]).expanduser() if options["output"] else None
        if output is not None and output.is_dir():
            raise CommandError(f"--output {output} 是一个文件夹，请给出文件路径。")
        if output is not None and not output.parent.is_dir():
            raise CommandError(f"--output 的目录 {output.parent} 不存在。")
        if not (options["save"] or output):
            raise CommandError("既没有 --save 也没有 --output：训练结果会丢失。去掉 --no-save 或给出 --output。")
        label_map = None
        if options["label_map"]:
            try:
                label_map = parse_label_map(options["label_map"])
            except ValueError as exc:
                raise CommandError(f"--label-map：{exc}") from None

        sources = []
        if options["seeds"]:
            sources.append(dict(SEEDS_SOURCE))
        for path in options["file"]:
            source = file_source(
                path,
                text_column=options["text_column"],
                label_column=options["label_column"],
                label_map=label_map,
                title_column=options["title_column"],
            )
            sources.append(source)
        if options["decisions"]:
            sources.append(dict(DECISIONS_SOURCE))
        if not sources:
            raise CommandError("请至少指定一个训练来源：--seeds、--file PATH 或 --decisions。")

        # Everything is read (and checked) before training starts, so a bad file fails in seconds.
        loaded: list[tuple[dict, list[LabeledItem]]] = []
        for source in sources:
            try:
                items = load_source(source)
            except ValueError as exc:
                raise CommandError(f"无法读取训练来源 {source['name']}：{exc}") from None
            except DatabaseError as exc:
                raise CommandError(f"读取审核员的处理结果需要数据库：{exc}") from None
            if not items and source["kind"] != "decisions":
                raise CommandError(f"训练来源 {source['name']} 里没有任何条目。")
            loaded.append((source, items))
        evals = []
        for path in options["eval"]:
            evals.append((Path(path).name, self._load_eval(path, options, label_map)))

        self.stdout.write("训练数据：")
        for source, items in loaded:
            violating = sum(1 for item in items if item.categories)
            self.stdout.write(f"  {source['name']}：{len(items)} 条（违规 {violating}，正常 {len(items) - violating}）")
        for name, items in evals:
            self.stdout.write(f"评测集 {name}：{len(items)} 条（不参与训练）")
        self._check_overlap(loaded, evals)

        started = time.perf_counter()
        self.stdout.write(f"开始训练（种子 {options['seed']}，{options['folds']} 折交叉验证）……")
        try:
            run = train_from_sources(sources=loaded, evals=evals, seed=options["seed"], folds=options["folds"])
        except ValueError as exc:
            raise CommandError(f"无法训练：{exc}") from None
        self.stdout.write(f"训练完成，用时 {time.perf_counter() - started:.1f} 秒。")

        names = category_names()
        self.stdout.write("")
        for line in format_figures("交叉验证（训练数据上的折外结果）：", run.figures["cv"], names):
            self.stdout.write(line)
        for name, figures in run.figures["eval"].items():
            self.stdout.write("")
            for line in format_figures(f"评测集 {name}：", figures, names):
                self.stdout.write(line)
        thresholds = run.model.meta.get("thresholds") or {}
        if thresholds:
            self.stdout.write("")
            self.stdout.write(
                "各类别阈值：" + "  ".join(f"{c}:{float(t):.2f}" for c, t in sorted(thresholds.items(), key=_num))
            )
        data = run.model.to_bytes()
        self.stdout.write("")
        self.stdout.write(f"模型大小 {len(data) / 1024:.0f} KB，指纹 {run.model.version_hash[:16]}")

        if output is not None:
            self._write(output, data)
            self.stdout.write(f"已写入 {output}")
        if options["save"]:
            try:
                save_run(run, actor=None, note=options["note"])
            except DatabaseError as exc:
                raise CommandError(
                    f"无法保存到数据库：{exc}。"
                    + (f"模型已写入 {output}。" if output else "可以用 --output 写入文件。")
                ) from None
            version = run.version
            if run.created:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"已保存为候选版本 v{version.number}。它还没有启用：请在“模型版本”页"
                        f"（/moderation/models/{version.number}/）试运行后由审核员启用。"
                    )
                )
            else:
                self.stdout.write(
                    self.style.WARNING(
                        f"相同的模型已经保存过（v{version.number}，{version.get_status_display()}），没有重复保存。"
                    )
                )

    def _load_eval(self, path: str, options: dict, label_map) -> list[LabeledItem]:
        try:
            if Path(path).suffix.lower() == ".csv":
                if not (options["text_column"] and options["label_column"] and label_map):
                    raise ValueError("CSV 评测文件需要 --text-column、--label-column 和 --label-map")
                items = load_csv(
                    path,
                    text_column=options["text_column"],
                    label_column=options["label_column"],
                    label_map=label_map,
                    title_column=options["title_column"] or None,
                )
            else:
                items = load_jsonl(path)
        except ValueError as exc:
            raise CommandError(f"无法读取评测文件 {path}：{exc}") from None
        if not items:
            raise CommandError(f"评测文件 {path} 里没有任何条目。")
        return items

    def _check_overlap(self, loaded, evals) -> None:
        """Say so when an evaluation item's text is also in the training data (its figures would flatter)."""
        if not evals:
            return
        trained = {(item.title, item.body) for _source, items in loaded for item in items}
        for name, items in evals:
            shared = sum(1 for item in items if (item.title, item.body) in trained)
            if shared:
                self.stdout.write(
                    self.style.WARNING(f"注意：评测集 {name} 有 {shared} 条与训练数据相同，它的结果会偏高。")
                )

    @staticmethod
    def _write(output: Path, data: bytes) -> None:
        """Write through a temporary file in the same folder, so a failure leaves any old file whole."""
        handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=".ymodel-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, output)
        except OSError as exc:
            Path(temporary).unlink(missing_ok=True)
            raise CommandError(f"无法写入 {output}：{exc.strerror}") from None


def _num(pair):
    return int(pair[0])
