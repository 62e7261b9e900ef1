"""Scan one text: the body from stdin, the title from --title (PRODUCT §6)."""

import json
import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from moderation.scanner import default_lexicon, scan

VERDICT_NAMES = {"allow": "通过", "review": "人工复核", "block": "拦截"}
FIELD_NAMES = {"title": "标题", "body": "正文"}


def command_model_options() -> dict:
    """The workers' active model and thresholds; the shipped model when the database is not set up."""
    from moderation.text_model import model_snapshot

    try:
        return model_snapshot().scan_options()
    except DatabaseError:
        return {}


def command_lexicon():
    """The workers' live lexicon; the seed lexicon when the database is not set up."""
    from moderation.lexicon import current_lexicon

    try:
        return current_lexicon()
    except DatabaseError:
        return default_lexicon()


class Command(BaseCommand):
    help = "扫描一段文字：正文从标准输入读取，标题用 --title 给出；--json 输出机器可读的结果。"

    def add_arguments(self, parser):
        parser.add_argument("--title", default="", help="标题（可选）")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象（PRODUCT §6 的格式）")

    def handle(self, *args, title: str = "", json: bool = False, **options):
        # Read bytes and decode ourselves: the offsets must index exactly what was sent,
        # whatever the locale of the terminal.
        raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        body = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        result = scan(title, body, lexicon=command_lexicon(), **command_model_options())
        if json:
            self.stdout.write(_dumps(result.to_dict()))
        else:
            self.stdout.write(readable(result))


def readable(result) -> str:
    """The result for a person: the verdict, then one line per finding in text order."""
    lines = [f"结论：{VERDICT_NAMES.get(result.verdict, result.verdict)}（{result.verdict}）"]
    if not result.findings:
        lines.append("没有命中。")
    else:
        lines.append(f"命中 {len(result.findings)} 处：")
    for f in result.findings:
        lines.append(
            f"  {FIELD_NAMES.get(f.field, f.field)} {f.start}–{f.end}  {f.rule}  {f.detector}  "
            f"{f.action}  {f.score:.2f}  「{f.match}」"
        )
    return "\n".join(lines)


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
