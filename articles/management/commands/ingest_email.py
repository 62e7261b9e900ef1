"""The pipe door of e-mail submissions: an MTA hands one message on stdin (or a FILE).

    python manage.py ingest_email [FILE] [--json]

Exit status (sysexits, PRODUCT §8): 0 stored (a submission, a duplicate, or an ignored
auto-reply, list mail or bounce); 65 (EX_DATAERR) unparseable — still stored, quarantined
for a person; 66 (EX_NOINPUT) FILE cannot be read; 75 (EX_TEMPFAIL) the database is
unavailable (or the file storage), so the MTA keeps the message and delivers it again
later.

With --json, stdout carries exactly one JSON object (PRODUCT §12); anything the ingest
prints while it works (the console e-mail backend of the embedded default) goes to stderr.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError

from articles.mail.ingest import submission_ingest
from articles.mail.models import IngestOutcome

EX_OK = 0
EX_DATAERR = 65
EX_NOINPUT = 66
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "从标准输入（或文件）读入一封原始邮件，存为邮件投稿；退出码遵循 sysexits（0 / 65 / 75）。"
    # System checks may touch the database; a pipe must answer 75, not a traceback, when it is away.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="原始邮件文件（.eml）；省略时读标准输入")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象（PRODUCT §12）")
        parser.add_argument("--source", default="pipe", help="记录这封邮件从哪里来（默认 pipe）")

    def handle(self, *args, **options):
        try:
            raw = Path(options["file"]).read_bytes() if options["file"] else sys.stdin.buffer.read()
        except OSError as error:
            self.stderr.write(f"无法读取邮件：{error}")
            sys.exit(EX_NOINPUT)
        try:
            with contextlib.redirect_stdout(sys.stderr):
                result = submission_ingest(raw=raw, source=options["source"])
        except (OperationalError, InterfaceError) as error:
            # Nothing was committed, or only the raw bytes (picked up again on redelivery).
            self.stderr.write(f"数据库暂时不可用，请稍后重投：{error}".strip())
            sys.exit(EX_TEMPFAIL)
        except OSError as error:
            # Saving an attachment failed (disk full, storage away): the raw bytes are stored
            # and the redelivery resumes them.
            self.stderr.write(f"文件存储暂时不可用，请稍后重投：{error}".strip())
            sys.exit(EX_TEMPFAIL)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(self._describe(result))
        if result.outcome == IngestOutcome.QUARANTINED:
            self.stderr.write(f"邮件无法解析，已隔离待人工处理：{result.reason}")
            sys.exit(EX_DATAERR)

    def _describe(self, result) -> str:
        label = IngestOutcome(result.outcome).label
        parts = [f"{label}（邮件 #{result.inbound_id}）"]
        if result.submission_id:
            parts.append(f"投稿 #{result.submission_id}")
        if result.title:
            parts.append(f"主题：{result.title}")
        if result.thread_of:
            parts.append(f"归入投稿 #{result.thread_of}")
        if result.reason and result.outcome != IngestOutcome.SUBMISSION:
            parts.append(result.reason)
        return "，".join(str(part) for part in parts)
