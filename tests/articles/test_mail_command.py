"""The pipe door: `manage.py ingest_email [FILE] [--json]`, its JSON and its sysexits codes."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import InboundMessage, InboundStatus, Submission
from tests.articles import mailcraft as m
from tests.reliability.servers import CuttableProxy, free_port

ROOT = Path(__file__).resolve().parents[2]
STORY = "我出生的那个镇子，在一条河的下游。父亲第一次让我独自撑船过江。" * 4
KEYS = {"outcome", "submission_id", "title", "sender_email", "sender_name", "attachments", "thread_of"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run_command(path: Path, *args: str) -> tuple[int, dict]:
    out = StringIO()
    code = 0
    try:
        call_command("ingest_email", str(path), "--json", *args, stdout=out, stderr=StringIO())
    except SystemExit as exit_:
        code = exit_.code
    return code, json.loads(out.getvalue())


@pytest.mark.django_db
def test_a_manuscript_prints_the_contract_json_and_exits_0(tmp_path):
    path = tmp_path / "in.eml"
    attachment = m.file_part('filename="稿件.txt"', "text/plain; charset=gbk", STORY.encode("gbk"))
    path.write_bytes(
        m.with_parts("mixed", [m.text_part("稿件见附件。"), attachment], sender="方知秋 <fang@example.com>")
    )
    code, data = run_command(path)
    assert code == 0
    assert set(data) >= KEYS
    assert data["outcome"] == "submission"
    assert data["submission_id"] == Submission.objects.get().pk
    assert (data["title"], data["sender_email"], data["sender_name"]) == (
        "投稿：测试稿件",
        "fang@example.com",
        "方知秋",
    )
    assert data["attachments"] == ["稿件.txt"] and data["thread_of"] is None


@pytest.mark.django_db
def test_duplicates_and_ignored_mail_exit_0(tmp_path):
    path = tmp_path / "in.eml"
    path.write_bytes(m.plain(STORY))
    assert run_command(path)[0] == 0
    code, data = run_command(path)
    assert (code, data["outcome"]) == (0, "duplicate")
    path.write_bytes(m.plain("外出中", subject="自动回复：外出"))
    assert run_command(path)[0] == 0


@pytest.mark.django_db
def test_an_unparseable_message_exits_65_and_is_still_stored(tmp_path):
    path = tmp_path / "in.eml"
    path.write_bytes(
        m.message([*m.envelope(), ("Content-Type", 'multipart/mixed; boundary="A"')], b"--B\r\nx\r\n--B--")
    )
    code, data = run_command(path)
    assert code == 65 and data["outcome"] == "quarantined"
    assert InboundMessage.objects.get().status == InboundStatus.QUARANTINED


def test_a_missing_file_exits_66(tmp_path):
    with pytest.raises(SystemExit) as exit_:
        call_command("ingest_email", str(tmp_path / "nothing.eml"), stdout=StringIO(), stderr=StringIO())
    assert exit_.value.code == 66


def _pipe(raw: bytes, database_url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """`manage.py ingest_email --json` as an MTA runs it: the message on stdin."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": "",
            "REDIS_URL": "",
            "EMAIL_URL": "dummymail://",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "LOG_LEVEL": "WARNING",
        }
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "ingest_email", "--json"],
        input=raw,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=180,
        check=False,
    )


def test_a_database_that_cannot_be_reached_exits_75(tmp_path):
    closed = free_port()  # nothing listens there
    result = _pipe(m.plain(STORY), f"postgres://postgres@127.0.0.1:{closed}/yumao", tmp_path)
    assert result.returncode == 75, result.stderr.decode()
    assert result.stdout == b""
    assert "数据库暂时不可用" in result.stderr.decode()


def _database_url(port: int) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{port}/{db['NAME']}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_with_postgresql_cut_off_the_pipe_exits_75_and_the_redelivery_is_ingested(tmp_path):
    raw = m.plain(STORY, message_id="<retry-me@example.com>")
    db = settings.DATABASES["default"]
    with CuttableProxy(int(db["PORT"] or 5432), db["HOST"] or "127.0.0.1") as proxy:
        url = _database_url(proxy.port)
        # given PostgreSQL is away (every connection through the proxy refused)
        proxy.cut()
        first = _pipe(raw, url, tmp_path)
        # then the MTA is told to retry, and nothing half-done is left
        assert first.returncode == 75, first.stderr.decode()
        assert not InboundMessage.objects.exists()
        # when it is back and the MTA delivers the message again
        proxy.restore()
        second = _pipe(raw, url, tmp_path)
    assert second.returncode == 0, second.stderr.decode()
    data = json.loads(second.stdout)
    assert data["outcome"] == "submission"
    submission = Submission.objects.get(pk=data["submission_id"])
    assert submission.inbound.message_id == "retry-me@example.com" and bytes(submission.inbound.raw) == raw
