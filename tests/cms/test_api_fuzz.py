"""schemathesis against the live API, as every role: no server errors, and every response
matches the schema drf-spectacular publishes at /api/schema/ (PRODUCT §12).

The server is pytest-django's live_server (this test's database, real HTTP); schemathesis
runs as its own process (the `st` command installed from requirements.txt), once per role,
with a fixed seed and a bounded number of examples per operation, so a run takes a couple
of minutes and finds the same things each time. Path ids are drawn most of the time from
articles that exist, so the workflow actions reach their services instead of a 404.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from articles.services_comments import comment_create
from tests.accounts.factories import user_in_role
from tests.articles.conftest import make_draft, make_in_review, make_published, make_submitted

# Examples per operation and phase: with 37 operations about 220 requests per role, 1,300 in
# all — about two minutes on two idle cores (the run is per role, one request at a time).
MAX_EXAMPLES = 6
SEED = 20261202
ROLES = ["anonymous", "reader", "author", "editor", "moderator", "admin"]
CHECKS = "not_a_server_error,response_schema_conformance"


def st_command() -> str:
    found = Path(sys.executable).with_name("st")
    return str(found) if found.exists() else (shutil.which("st") or "st")


@pytest.fixture
def api_world(transactional_db):
    """People in every role with their tokens, and articles at several workflow stages
    (committed, so the live server's thread sees them)."""
    author, editor = user_in_role("author"), user_in_role("editor")
    published = make_published(author, editor, title="公开的文章")
    comment_create(article=published, author=user_in_role("reader"), body="一条评论")
    articles = [published, make_draft(author), make_submitted(author), make_in_review(author, editor)]
    tokens = {"author": Token.objects.create(user=author).key, "editor": Token.objects.create(user=editor).key}
    for role in ("reader", "moderator", "admin"):
        tokens[role] = Token.objects.create(user=user_in_role(role)).key
    return {"tokens": tokens, "article_ids": [a.pk for a in articles]}


def schemathesis_config(path: Path, article_ids: list[int]) -> Path:
    ids = ", ".join(str(pk) for pk in article_ids)
    path.write_text(
        f"""
[dictionaries.articles]
values = [{ids}]

[parameters]
"path.id" = {{ dictionary = "articles", probability = 0.7 }}
"path.article_id" = {{ dictionary = "articles", probability = 0.7 }}
""",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("role", ROLES)
def test_the_api_keeps_its_schema_and_never_fails_for_any_role(live_server, api_world, role, tmp_path):
    # given the live API and one role's token (none for an anonymous visitor)
    config = schemathesis_config(tmp_path / "schemathesis.toml", api_world["article_ids"])
    report = tmp_path / "report.json"
    command = [
        st_command(),
        "--config-file",
        str(config),
        "run",
        f"{live_server.url}/api/schema/",
        "--checks",
        CHECKS,
        "--phases",
        "examples,fuzzing",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        # One at a time: the live server shares one SQLite connection between its threads.
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--no-color",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    if role != "anonymous":
        command += ["--header", f"Authorization: Token {api_world['tokens'][role]}"]
    # when schemathesis runs its examples against every operation
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    # then every case passed both checks
    assert report.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    summary = json.loads(report.read_text(encoding="utf-8"))
    cases = summary["test_cases"]
    print(f"schemathesis {role}: {cases['generated']} cases, {summary['operations']['tested']} operations")
    assert summary["complete"] and summary["operations"]["tested"] == summary["operations"]["selected"] > 0
    assert cases["generated"] > 0
    assert summary["failures"] == [] and summary["errors"] == [], result.stdout[-6000:]
    assert result.returncode == 0, result.stdout[-6000:]
