import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

DEV_SET = Path(settings.BASE_DIR).parent / "shared" / "moderation-dev" / "dev.jsonl"


def run_scan(body: str, *args: str, monkeypatch) -> str:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(body.encode("utf-8")), encoding="utf-8"))
    out = io.StringIO()
    call_command("moderation_scan", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_moderation_scan_json_follows_the_contract_with_offsets_into_the_original(monkeypatch, convention):
    title = "震惊！99%的人都不知道"
    body = "ＶＸ：abc12345 详聊\n点这里 https://t.cn/AbCdEf 领取"
    data = json.loads(run_scan(body, "--title", title, "--json", monkeypatch=monkeypatch))
    assert set(data) >= {"verdict", "findings"} and data["verdict"] in ("allow", "review", "block")
    assert data["findings"]
    for finding in data["findings"]:
        assert set(finding) >= {"rule", "category", "detector", "start", "end", "match", "score"}
        source = title if finding.get("field") == "title" else body
        assert source[finding["start"] : finding["end"]] == finding["match"]
        assert finding["category"] == int(finding["rule"].split(".")[0])


@pytest.mark.django_db
def test_moderation_scan_without_json_prints_a_readable_report(monkeypatch, convention):
    out = run_scan("加我微信 abc12345", monkeypatch=monkeypatch)
    assert out.strip() and not out.lstrip().startswith("{")


def write_jsonl(tmp_path, lines: list[str]) -> Path:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@pytest.mark.django_db
def test_moderation_eval_json_reports_every_item_and_the_figures(tmp_path, convention):
    items = [
        {"id": "a", "title": "", "body": "加我薇信 abc12345 领取资料", "categories": [3], "verdict": "review"},
        {"id": "b", "title": "季度复盘", "body": "留存率提升了三个百分点。", "categories": [], "verdict": "allow"},
    ]
    path = write_jsonl(tmp_path, [json.dumps(i, ensure_ascii=False) for i in items])
    out = io.StringIO()
    call_command("moderation_eval", str(path), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert set(report) >= {
        "macro_f1",
        "per_category",
        "clean_false_positive_rate",
        "verdict_accuracy",
        "chars_per_second",
        "items",
    }
    assert [i["id"] for i in report["items"]] == ["a", "b"]
    assert set(report["items"][0]) >= {"id", "verdict", "categories"}


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"id": "a", "body": "x", "categories": []}', "{不是 JSON"], "第 2 行不是合法的 JSON"),
        (['{"id": "a", "categories": []}'], "缺少字符串字段 body"),
        (['{"id": "a", "body": "x", "categories": ["3"]}'], "categories"),
        ([""], "没有任何条目"),
    ],
)
def test_moderation_eval_refuses_a_bad_file_with_a_clear_message(tmp_path, lines, message):
    with pytest.raises(CommandError, match=message):
        call_command("moderation_eval", str(write_jsonl(tmp_path, lines)), stdout=io.StringIO())


def test_moderation_eval_on_a_missing_file_exits_non_zero_with_a_message(tmp_path):
    missing = tmp_path / "nope.jsonl"
    completed = subprocess.run(
        [sys.executable, "manage.py", "moderation_eval", str(missing)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={"DJANGO_SETTINGS_MODULE": "cms.settings.test", "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
    )
    assert completed.returncode != 0
    assert "找不到文件" in completed.stderr and "Traceback" not in completed.stderr


@pytest.mark.shared_data
@pytest.mark.django_db
def test_moderation_eval_scores_the_shared_dev_set_and_exits_zero(convention):
    if not DEV_SET.exists():
        pytest.skip(f"no {DEV_SET}")
    out = io.StringIO()
    call_command("moderation_eval", str(DEV_SET), "--json", stdout=out)
    report = json.loads(out.getvalue())
    lines = [line for line in DEV_SET.read_text("utf-8").splitlines() if line.strip()]
    assert len(report["items"]) == len(lines)
    assert 0 <= report["macro_f1"] <= 1
