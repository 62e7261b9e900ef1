"""E-mail ingest throughput and memory. Prints (never asserts):

- messages per second of the pipe command (`manage.py ingest_email`, one process per
  message, as an MTA runs it) and of the service alone (`submission_ingest` in a loop, one
  process), on the messages of ../shared/mail-samples/ (skipped with a note when absent)
  and on a generated 20,000-character manuscript;
- peak memory of ingesting one message at the size limit (SUBMISSION_MAX_MESSAGE_BYTES):
  tracemalloc's peak of Python allocations during the call, and the process's peak RSS
  before and after.

Everything runs on a throwaway SQLite database with a broker that only takes the queued
scan and acknowledgement (kombu's in-memory transport), as in production where a worker
does that work: the figures are the ingest's own cost, not the scanner's.
"""

from __future__ import annotations

import base64
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "mail-samples"
MANUSCRIPT_CHARS = 20_000
PIPE_RUNS = 5  # process start-up dominates; a few runs give a stable figure
SERVICE_ROUNDS = 5


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.development",
            # As in production: with DEBUG on, Django keeps every query with its parameters,
            # and a message's raw bytes would be copied into that log as hex.
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-not-for-production",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "CELERY_BROKER_URL": "memory://",
            "CELERY_RESULT_BACKEND": "cache+memory://",
            "REDIS_URL": "",
            "EMAIL_URL": "dummymail://",
            "MEDIA_ROOT": str(tmp / "media"),
            "YUMAO_VAR_DIR": str(ROOT / "var"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


_HEADERS = [
    b"From: =?UTF-8?B?5pa55YiG56eL?= <fang@example.com>",
    b"To: tougao@yumao.example",
    b"Subject: =?UTF-8?B?5oqV56i/77ya5rKz5rWB55qE5LiL5ri4?=",
    b"Date: Mon, 11 Mar 2024 21:12:45 +0800",
    b"Message-ID: <bench-manuscript@example.com>",
    b"MIME-Version: 1.0",
]


def _b64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def manuscript_text(chars: int = MANUSCRIPT_CHARS, *, seed: int = 11) -> str:
    """About ``chars`` Chinese characters in paragraphs of varied sentences (reproducible)."""
    rng = random.Random(seed)  # noqa: S311 — reproducible text, not security
    words = [
        "河流",
        "下游",
        "镇子",
        "父亲",
        "撑船",
        "过江",
        "石头",
        "码头",
        "渡口",
        "芦苇",
        "雨季",
        "灯火",
        "母亲",
        "外婆",
        "集市",
        "桥",
        "风",
        "夜",
        "记得",
        "回头",
    ]
    paragraphs, total = [], 0
    while total < chars:
        sentences = ["".join(rng.choice(words) for _ in range(rng.randint(6, 14))) for _ in range(rng.randint(3, 8))]
        paragraph = "，".join(sentences) + "。"
        paragraphs.append(paragraph)
        total += len(paragraph)
    return "\n\n".join(paragraphs)


def manuscript_message(chars: int = MANUSCRIPT_CHARS) -> bytes:
    """A plain UTF-8 base64 message carrying the manuscript."""
    headers = [*_HEADERS, b"Content-Type: text/plain; charset=utf-8", b"Content-Transfer-Encoding: base64"]
    return b"\r\n".join(headers) + b"\r\n\r\n" + _b64(manuscript_text(chars).encode())


def message_at_limit(limit: int, attachment_limit: int) -> bytes:
    """The manuscript plus photos (each under the attachment limit), just under ``limit`` bytes."""
    rng = random.Random(5)  # noqa: S311
    headers = b"\r\n".join([*_HEADERS, b'Content-Type: multipart/mixed; boundary="bench"'])
    parts = [
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + _b64(manuscript_text().encode())
    ]
    size = len(headers) + len(parts[0]) + 100
    while True:
        room = (limit - size - 300) * 57 // 78 - 1024  # 57 bytes make a base64 line of 76 + CRLF
        raw_size = min(int(attachment_limit * 0.95), room)
        if raw_size <= 0:
            break
        part = (
            b"Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n"
            + f'Content-Disposition: attachment; filename="photo-{len(parts)}.jpg"\r\n\r\n'.encode()
            + _b64(rng.randbytes(raw_size))
        )
        parts.append(part)
        size += len(part) + 12
    body = b"".join(b"--bench\r\n" + part + b"\r\n" for part in parts) + b"--bench--\r\n"
    return headers + b"\r\n\r\n" + body


def _fresh_ids(raw: bytes, n: int) -> bytes:
    """The same message under a new Message-ID, so a repeat is ingested, not a duplicate."""
    return re.sub(rb"(?im)^(message-id:\s*<)", rb"\g<1>bench%d-" % n, raw, count=1)


def _child(mode: str, folder: str) -> None:
    """Inside the benchmark's environment: time the service alone, or measure memory."""
    import resource
    import tracemalloc

    import django

    django.setup()
    from django.conf import settings

    from articles.mail.ingest import submission_ingest

    messages = [Path(p).read_bytes() for p in sorted(Path(folder).glob("*.eml"))]
    if mode == "service":
        submission_ingest(raw=_fresh_ids(messages[0], 10**6), source="bench")  # warm-up: imports, templates
        started = time.perf_counter()
        count = 0
        for round_ in range(SERVICE_ROUNDS):
            for index, raw in enumerate(messages):
                submission_ingest(raw=_fresh_ids(raw, round_ * 1000 + index), source="bench")
                count += 1
        elapsed = time.perf_counter() - started
        print(json.dumps({"messages": count, "seconds": elapsed}))
    elif mode == "memory":
        limit = settings.SUBMISSION_MAX_MESSAGE_BYTES
        raw = message_at_limit(limit, settings.SUBMISSION_MAX_ATTACHMENT_BYTES)
        submission_ingest(raw=_fresh_ids(messages[0], 10**6), source="bench")  # warm-up
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        started = time.perf_counter()
        result = submission_ingest(raw=raw, source="bench")
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(
            json.dumps(
                {
                    "limit": limit,
                    "size": len(raw),
                    "outcome": result.outcome,
                    "attachments": len(result.attachments),
                    "seconds": elapsed,
                    "traced_peak": peak,
                    "rss_before_kb": rss_before,
                    "rss_after_kb": rss_after,
                }
            )
        )


def _run_child(mode: str, folder: Path, env: dict[str, str]) -> dict:
    out = subprocess.run(  # noqa: S603 — our own interpreter and module
        [sys.executable, "-m", "bench.mail", mode, str(folder)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=1800,
    )
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def _pipe_rate(messages: list[Path], env: dict[str, str], runs: int) -> tuple[int, float]:
    manage = str(ROOT / "manage.py")
    started = time.perf_counter()
    count = 0
    for run in range(runs):
        for index, path in enumerate(messages):
            raw = _fresh_ids(path.read_bytes(), 10**5 + run * 1000 + index)
            subprocess.run(  # noqa: S603
                [sys.executable, manage, "ingest_email", "--json"],
                input=raw,
                env=env,
                cwd=ROOT,
                capture_output=True,
                check=False,  # 65 for the quarantined sample is an answer, not a failure
                timeout=300,
            )
            count += 1
    return count, time.perf_counter() - started


def run() -> None:
    with tempfile.TemporaryDirectory(prefix="yumao-bench-mail-") as tmp_name:
        tmp = Path(tmp_name)
        env = _env(tmp)
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, cwd=ROOT, check=True, timeout=600
        )
        generated = tmp / "generated"
        generated.mkdir()
        (generated / "manuscript-20k.eml").write_bytes(manuscript_message())
        sets = [("20,000-character manuscript", generated, PIPE_RUNS)]
        if SAMPLES.is_dir() and any(SAMPLES.glob("*.eml")):
            sets.insert(0, (f"shared samples ({len(list(SAMPLES.glob('*.eml')))} messages)", SAMPLES, 1))
        else:
            print(f"shared samples: skipped ({SAMPLES} is absent)")
        for label, folder, runs in sets:
            service = _run_child("service", folder, env)
            count, seconds = _pipe_rate(sorted(folder.glob("*.eml")), env, runs)
            print(
                f"{label}: service {service['messages'] / service['seconds']:.1f} msg/s "
                f"({service['messages']} in {service['seconds']:.2f} s, one process); "
                f"pipe command {count / seconds:.2f} msg/s ({count} processes in {seconds:.1f} s)"
            )
        memory = _run_child("memory", generated, env)
        print(
            f"message at the size limit ({memory['size'] / 2**20:.1f} MiB of {memory['limit'] / 2**20:.0f} MiB, "
            f"{memory['attachments']} attachments, outcome {memory['outcome']}): ingested in "
            f"{memory['seconds']:.2f} s; Python allocations peaked at {memory['traced_peak'] / 2**20:.0f} MiB; "
            f"process peak RSS {memory['rss_before_kb'] / 1024:.0f} → {memory['rss_after_kb'] / 1024:.0f} MiB"
        )


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2])
