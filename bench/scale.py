"""How the pages cost as the site grows: PostgreSQL seeded in bulk, then every page measured.

`python -m bench scale [--quick] [--articles 1000,100000] [--comments 1000000] [--users 20000]
[--cases 300] [--penalties 60] [--requests 50] [--db yumao_scale] [--redis URL] [--keep]
[--plans last|all|none]`

1. Creates its own PostgreSQL database (``--db``; refused if it already exists), migrates it
   and loads the demo data (``seed_demo``: convention, lexicon, demo accounts and articles).
2. Seeds in bulk with COPY: users (readers, and authors in the author group), tags,
   published articles with their first revision, tags, stored body HTML and search text,
   comments (threads of replies, a few hidden) — rows as the services write them (slug = the
   article's number, ``search_text`` from ``articles.search.build_search_text``'s own pieces,
   ``body_html`` from ``markdown_to_html``) but without one service call per row. Open
   cases come from the real ``report_create`` and penalties from ``case_decide``: there are
   few of them, so the services are cheap enough.
3. For each size in ``--articles`` (the first, then articles added up to the next):
   ANALYZE, then each public page, the editor dashboard, the moderation queue and the
   main API lists, through Django's test client in this process (latency of the Django
   side only, no HTTP server): median and 95th percentile over ``--requests`` requests
   with the cache warm (the anonymous page cache in use) and cold (the cache emptied
   before each request); SQL queries per request; rows read per request, the sum over
   every scan node of each SELECT's ``EXPLAIN ANALYZE`` of the rows it returned plus
   those its filter removed, times its loops. Sequential scans on the seeded tables are
   flagged, and the plans printed (``--plans``).
4. Drops the database unless ``--keep``. It never touches another database.

Comments: all of them go to the articles of the first size (the measured article always
has the same 60), so the comment table is the same size at every article count.
The cache is files in a temporary folder, or the Redis given with --redis (it is FLUSHED:
give a Redis of your own). Prints; never asserts.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
COLD_DEV = ROOT.parent / "shared" / "cold" / "dev.csv"
CLEAN_PROSE = ROOT / "tests" / "scanner" / "clean_prose.jsonl"
DEMO_ARTICLES = ROOT / "seeds" / "demo_articles.json"

FULL = {
    "articles": [1000, 100_000],
    "comments": 1_000_000,
    "users": 20_000,
    "cases": 300,
    "penalties": 60,
    "requests": 50,
}
QUICK = {"articles": [200, 2000], "comments": 20_000, "users": 500, "cases": 20, "penalties": 5, "requests": 10}
MEASURED_COMMENTS = 60  # on the measured article: two pages of 50 … one full, one not
BODY_POOL = 400  # distinct bodies, each a few real paragraphs, computed with the real functions
SEARCH_QUERY = "用户 增长"  # two words, each common in the prose pool
PASSWORD = "bench-scale-only"  # noqa: S105 — every seeded account of a throwaway database
SEEDED_TABLES = {
    "accounts_user",
    "accounts_user_groups",
    "articles_article",
    "articles_article_tags",
    "articles_revision",
    "articles_comment",
    "moderation_case",
    "moderation_report",
    "moderation_penalty",
}


# ---------------------------------------------------------------------------- seeding


def _prose_pieces() -> list[str]:
    """Real paragraphs: the project's clean prose set and the demo articles' paragraphs."""
    pieces = []
    if CLEAN_PROSE.exists():
        for line in CLEAN_PROSE.read_text(encoding="utf-8").splitlines():
            if line.strip():
                pieces.append(json.loads(line)["body"].strip())
    for article in json.loads(DEMO_ARTICLES.read_text(encoding="utf-8")):
        pieces += [p.strip() for p in article["body"].split("\n\n") if len(p.strip()) > 40 and not p.startswith("!")]
    return [p for p in pieces if p]


def _comment_texts() -> list[str]:
    """Real comments (COLD dev, when ../shared is there), else short clean prose pieces."""
    from articles.services_comments import COMMENT_MAX_LENGTH

    texts = []
    if COLD_DEV.exists():
        with COLD_DEV.open(encoding="utf-8-sig", newline="") as handle:
            texts = [row["TEXT"].strip() for row in csv.DictReader(handle) if row.get("TEXT", "").strip()]
    if not texts:
        texts = [p[:140] for p in _prose_pieces()]
    return [t[:COMMENT_MAX_LENGTH] for t in texts]


class BodyPool:
    """Article bodies made of real paragraphs, with what publishing stores for each."""

    def __init__(self, rng: random.Random, size: int = BODY_POOL):
        from articles.rendering import markdown_to_html
        from articles.search import html_to_text, segment

        pieces = _prose_pieces()
        self.items = []
        for _ in range(size):
            paragraphs = rng.sample(pieces, k=min(len(pieces), rng.randint(3, 5)))
            body = "\n\n".join(paragraphs)
            summary = paragraphs[0][:80]
            body_html = markdown_to_html(body)
            # build_search_text's second line, exactly: summary and the rendered text, segmented.
            rest = " ".join(segment(f"{summary}\n{html_to_text(body_html)}"))
            self.items.append((body, summary, body_html, rest))


def _copy(table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples in `columns` order) into `table` on Django's connection."""
    from django.db import connection

    count = 0
    with connection.cursor() as cursor:
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _next_id(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 — our own table names
        return cursor.fetchone()[0]


def _reset_sequences(*models) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def seed_users(count: int, *, authors: int, rng: random.Random) -> dict:
    """`count` readers (reader group), `authors` of them authors too (author group).

    One password hash for all (hashing 20,000 passwords would take minutes); each account
    signs in with PASSWORD.
    """
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts import roles
    from accounts.models import User

    password = make_password(PASSWORD)
    start = _next_id("accounts_user")
    now = timezone.now()
    ids = list(range(start, start + count))
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    names = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"

    def rows():
        for n, pk in enumerate(ids):
            author = n < authors
            pen = f"{rng.choice(surnames)}{rng.choice(names)}{rng.choice(names)}{pk}" if author else ""
            joined = now - timedelta(days=rng.randint(1, 900), seconds=rng.randint(0, 86_400))
            yield (
                pk,
                password,
                False,
                f"scale-user-{pk}",
                "",
                "",
                f"scale-user-{pk}@example.test",
                False,
                True,
                joined,
                pen,
                "专注增长与内容运营。" if author else "",
                joined,
            )

    _copy(
        "accounts_user",
        [
            "id",
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "pen_name",
            "bio",
            "email_verified_at",
        ],
        rows(),
    )
    reader = Group.objects.get(name=roles.READER).pk
    author_group = Group.objects.get(name=roles.AUTHOR).pk
    memberships = [(pk, reader) for pk in ids] + [(pk, author_group) for pk in ids[:authors]]
    _copy("accounts_user_groups", ["user_id", "group_id"], memberships)
    _reset_sequences(User)
    pens = dict(User.objects.filter(pk__in=ids[:authors]).values_list("pk", "pen_name"))
    return {"ids": ids, "author_ids": ids[:authors], "pen_names": pens}


def seed_tags(count: int) -> list[int]:
    """`count` tags with readable names and slugs (articles.services.tag_slug_for)."""
    from articles.models import Tag
    from articles.services import tag_slug_for

    words = [
        "增长",
        "私域",
        "品牌",
        "内容",
        "直播",
        "社群",
        "会员",
        "投放",
        "复购",
        "留存",
        "数据",
        "产品",
        "AI",
        "渠道",
    ]
    existing = set(Tag.objects.values_list("name", flat=True))
    tags = []
    n = 0
    while len(tags) < count:
        name = f"{words[n % len(words)]}{n // len(words) + 1}"
        n += 1
        if name not in existing:
            tags.append(Tag(name=name, slug=tag_slug_for(name)))
    Tag.objects.bulk_create(tags, batch_size=1000)
    return list(Tag.objects.filter(name__in=[t.name for t in tags]).values_list("id", flat=True))


def seed_articles(
    count: int, *, pen_names: dict[int, str], tag_ids: list[int], pool: BodyPool, rng: random.Random
) -> list[int]:
    """`count` published articles, newest last, with revision 1 and 1–3 tags each."""
    from django.utils import timezone

    from articles.models import Article, ArticleStatus, Originality, ReprintPolicy, Revision
    from articles.search import segment

    start = _next_id("articles_article")
    now = timezone.now()
    ids = list(range(start, start + count))
    author_ids = sorted(pen_names)
    topics = ["私域流量", "用户增长", "品牌建设", "内容运营", "直播带货", "会员体系", "数据分析", "AI 营销", "社群运营"]
    angles = ["三个误区", "实战复盘", "从零到一", "一份清单", "常见问题", "五条经验", "怎么做", "新变化"]
    plans = []
    for n, pk in enumerate(ids):
        title = f"{rng.choice(topics)}的{rng.choice(angles)}（{pk}）"
        body, summary, body_html, rest = rng.choice(pool.items)
        # Older first: the newest articles have the highest ids, as when published one by one.
        published = now - timedelta(minutes=(count - n) * 7 + 60)
        search_text = f"{' '.join(segment(title))}\n{rest}"
        plans.append((pk, title, body, summary, body_html, search_text, rng.choice(author_ids), published))

    def article_rows():
        for n, (pk, title, body, summary, body_html, search_text, author_id, published) in enumerate(plans):
            # As article_create_draft: the byline is the author's pen name; one in 500 featured.
            yield (
                pk, title, str(pk), summary, body, "", None, "", "", pen_names[author_id], author_id, "", "",
                Originality.ORIGINAL, "", "", ReprintPolicy.FORBIDDEN, ArticleStatus.PUBLISHED, n % 500 == 0,
                None, None, published - timedelta(days=2), None, published, None, "", False, "",
                search_text, body_html, None, None, published - timedelta(days=3), published,
            )  # fmt: skip

    columns = [
        "id", "title", "slug", "summary", "body", "cover", "cover_image_id", "source", "source_handle", "byline",
        "author_id", "external_submitter_name", "external_submitter_email", "originality", "reprint_source_url",
        "reprint_permission", "reprint_policy", "status", "featured", "claimed_by_id", "claimed_at",
        "submitted_at", "scheduled_at", "published_at", "unpublished_at", "unpublish_reason", "held",
        "hold_reason", "search_text", "body_html", "trashed_at", "trashed_by_id", "created_at", "updated_at",
    ]  # fmt: skip
    _copy("articles_article", _article_columns(columns), article_rows())
    _copy(
        "articles_revision",
        ["article_id", "number", "title", "summary", "body", "author_id", "created_at"],
        ((pk, 1, t, s, b, a, p - timedelta(days=3)) for pk, t, b, s, _h, _st, a, p in plans),
    )
    tag_rows = []
    for pk in ids:
        for tag_id in rng.sample(tag_ids, k=rng.randint(1, 3)):
            tag_rows.append((pk, tag_id))
    _copy("articles_article_tags", ["article_id", "tag_id"], tag_rows)
    _reset_sequences(Article, Revision)
    return ids


def _article_columns(wanted: list[str]) -> list[str]:
    """The column list, checked against the model: a column added since fails loudly here."""
    from articles.models import Article

    actual = {f.column for f in Article._meta.concrete_fields}
    missing = actual - set(wanted)
    unknown = set(wanted) - actual
    if missing or unknown:
        raise RuntimeError(f"bench.scale: articles_article columns changed (missing {missing}, unknown {unknown})")
    return wanted


def seed_comments(
    count: int, *, article_ids: list[int], user_ids: list[int], measured_id: int, rng: random.Random
) -> int:
    """`count` comments: MEASURED_COMMENTS on `measured_id`, the rest spread over the others.

    One in five is a reply (to a top-level comment of the same article, naming its writer),
    one in fifty is hidden by a moderator with a reason; creation times grow with ids.
    """
    from django.utils import timezone

    from articles.models import Comment, CommentStatus

    texts = _comment_texts()
    start = _next_id("articles_comment")
    now = timezone.now()
    others = [a for a in article_ids if a != measured_id] or [measured_id]
    threads: dict[int, list[tuple[int, int]]] = {}  # article -> [(top-level id, author)]

    def rows():
        pk = start
        for n in range(count):
            article = measured_id if n < MEASURED_COMMENTS else rng.choice(others)
            author = rng.choice(user_ids)
            parent = reply_to = None
            tops = threads.setdefault(article, [])
            if tops and rng.random() < 0.2:
                parent, reply_to = rng.choice(tops)
            else:
                tops.append((pk, author))
            hidden = rng.random() < 0.02 and n >= MEASURED_COMMENTS
            status = CommentStatus.HIDDEN if hidden else CommentStatus.VISIBLE
            reason = "违反社区公约：人身攻击" if hidden else ""
            created = now - timedelta(seconds=(count - n) * 3)
            yield (pk, article, author, rng.choice(texts), status, reason, False, parent, reply_to, created)
            pk += 1

    done = _copy(
        "articles_comment",
        [
            "id",
            "article_id",
            "author_id",
            "body",
            "status",
            "hidden_reason",
            "under_review",
            "parent_id",
            "reply_to_id",
            "created_at",
        ],
        rows(),
    )
    _reset_sequences(Comment)
    return done


def seed_cases(cases: int, penalties: int, *, user_ids: list[int], moderator, rng: random.Random) -> tuple[int, int]:
    """Open cases from real reports (report_create), `penalties` of them decided with a
    penalty (case_decide), so the queue and the penalty lists have rows to show."""
    from accounts.models import User
    from articles.models import Comment, CommentStatus
    from moderation.models import Case, CaseStatus, Rule
    from moderation.selectors import convention_current
    from moderation.services.cases import case_decide
    from moderation.services.reports import report_create

    convention = convention_current()
    codes = list(Rule.objects.filter(convention=convention).values_list("code", flat=True))
    comment_ids = list(
        Comment.objects.filter(status=CommentStatus.VISIBLE).order_by("-id").values_list("id", flat=True)[: cases * 3]
    )
    reporters = rng.sample(user_ids, k=min(len(user_ids), cases * 2))
    opened = 0
    for n, comment_id in enumerate(rng.sample(comment_ids, k=min(cases, len(comment_ids)))):
        comment = Comment.objects.get(pk=comment_id)
        reporter = User.objects.get(pk=reporters[n % len(reporters)])
        if reporter.pk == comment.author_id:
            continue
        report_create(reporter=reporter, target=comment, rule_code=rng.choice(codes), note="基准测试举报")
        opened += 1
    decided = 0
    for case in Case.objects.filter(status=CaseStatus.OPEN).order_by("id")[:penalties]:
        case_decide(
            actor=moderator, case=case, action="penalize", reason="基准测试：确认违规。", rule_code=case.rule_code
        )
        decided += 1
    return opened, decided


# ---------------------------------------------------------------------------- measuring


def _scan_rows(node: dict, found: dict) -> None:
    loops = node.get("Actual Loops", 1) or 1
    if "Relation Name" in node:
        read = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
        read += node.get("Rows Removed by Index Recheck", 0)
        found["rows"] += read * loops
        if node["Node Type"] == "Seq Scan" and node["Relation Name"] in SEEDED_TABLES:
            found["seq"].add(node["Relation Name"])
    for child in node.get("Plans", []):
        _scan_rows(child, found)


def explain(sql: str) -> tuple[int, set[str], str]:
    """Rows read and sequential scans on seeded tables (EXPLAIN ANALYZE), and the plan text."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}")
        text = "\n".join(row[0] for row in cursor.fetchall())
    found = {"rows": 0, "seq": set()}
    _scan_rows(plan[0]["Plan"], found)
    return found["rows"], found["seq"], text


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def measure(client, path: str, requests: int, *, cold: bool, budget: float = 60.0) -> dict:
    """`requests` GETs of `path` (fewer, but at least 3, once `budget` seconds are spent)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # a first request: imports, prepared queries, the warm cache
    times = []
    statuses: dict[int, int] = {}
    spent = time.perf_counter()
    for n in range(requests):
        if n >= 3 and time.perf_counter() - spent > budget:
            break
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return {
        "median": statistics.median(times),
        "p95": _percentile(times, 0.95),
        "statuses": statuses,
        "requests": len(times),
        "queries": [q["sql"] for q in captured.captured_queries],
        "body": response.content if response.status_code == 200 else b"",
    }


def _sitemap_paths(client) -> tuple[str, str]:
    """The sitemap index and one of its pages; with a single sitemap, it and its ?p=2."""
    body = client.get("/sitemap.xml").content.decode("utf-8", "replace")
    if "<sitemapindex" in body:
        locs = re.findall(r"<loc>([^<]+)</loc>", body)
        page = re.sub(r"^https?://[^/]+", "", locs[0]) if locs else "/sitemap.xml"
        return "/sitemap.xml", page
    # One sitemap split by Django into pages of ArticleSitemap.limit: its second page when
    # there is one (an OFFSET), else the first.
    second = "/sitemap.xml?p=2"
    return "/sitemap.xml", second if client.get(second).status_code == 200 else "/sitemap.xml?p=1"


def pages(measured_article, busiest_tag, busiest_author, client, deep_page: int) -> list[tuple[str, str, str]]:
    """(label, path, who) for every measured page."""
    from urllib.parse import quote

    sitemap_index, sitemap_page = _sitemap_paths(client)
    return [
        ("home", "/", "anonymous"),
        (f"home page {deep_page}", f"/?page={deep_page}", "anonymous"),
        ("article (60 comments)", measured_article.get_absolute_url(), "anonymous"),
        ("tag (busiest)", f"/tags/{quote(busiest_tag.slug)}/", "anonymous"),
        ("author (busiest)", f"/authors/{busiest_author.username}/", "anonymous"),
        ("search (two words)", f"/search/?q={quote(SEARCH_QUERY)}", "anonymous"),
        ("feed", "/feed/", "anonymous"),
        ("sitemap index", sitemap_index, "anonymous"),
        ("sitemap page", sitemap_page, "anonymous"),
        ("editor dashboard", "/editor/", "demo-editor"),
        ("moderation queue", "/moderation/", "demo-moderator"),
        ("API articles", "/api/v1/articles/", "demo-editor"),
        ("API comments", f"/api/v1/articles/{measured_article.pk}/comments/", "anonymous"),
        ("API cases", "/api/v1/cases/", "demo-moderator"),
    ]


def measure_stage(size: int, requests: int, plans: bool, measured_id: int, deep_page: int, budget: float) -> dict:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from accounts.models import User
    from articles.models import Article, Tag

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    measured = Article.objects.get(pk=measured_id)
    tag = Tag.objects.annotate(n=Count("articles")).order_by("-n").first()
    author = User.objects.annotate(n=Count("articles")).order_by("-n").first()
    clients = {"anonymous": Client()}
    for username in ("demo-editor", "demo-moderator"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    results = {}
    for label, path, who in pages(measured, tag, author, clients["anonymous"], deep_page):
        client = clients[who]
        warm = measure(client, path, requests, cold=False, budget=budget)
        cold = measure(client, path, requests, cold=True, budget=budget)
        rows, seq, texts = 0, set(), []
        for sql in cold["queries"]:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            read, scans, text = explain(sql)
            rows += read
            seq |= scans
            texts.append((sql, read, text))
        results[label] = {
            "path": path,
            "who": who,
            "warm": warm,
            "cold": cold,
            "rows": rows,
            "seq": seq,
            "plans": texts,
        }
        status = ",".join(f"{s}×{c}" for s, c in sorted(cold["statuses"].items()))
        if cold["requests"] < requests or warm["requests"] < requests:
            status += f" (budget: {warm['requests']} warm, {cold['requests']} cold)"
        print(
            f"  {label:<22} warm {warm['median']:7.1f} ms (p95 {warm['p95']:7.1f}) {len(warm['queries']):3d} q   "
            f"cold {cold['median']:7.1f} ms (p95 {cold['p95']:7.1f}) {len(cold['queries']):3d} q "
            f"{rows:>9,} rows read   {status}{'   SEQ SCAN: ' + ', '.join(sorted(seq)) if seq else ''}",
            flush=True,
        )
    if plans:
        for label, result in results.items():
            print(f"\n--- plans at {size:,} articles: {label} ({result['path']}, {result['who']}, cache cold)")
            for sql, read, text in result["plans"]:
                print(f"[{read:,} rows] {sql[:300]}{'…' if len(sql) > 300 else ''}")
                print("    " + text.replace("\n", "\n    "))
    return results


def summary(stages: list[tuple[int, dict]]) -> None:
    (small, first), (large, last) = stages[0], stages[-1]
    print(f"\n== growth from {small:,} to {large:,} articles (cache cold; target: median ≤ 1.5×, queries equal)")
    for label in first:
        a, b = first[label], last[label]
        ratio = b["cold"]["median"] / a["cold"]["median"] if a["cold"]["median"] else float("nan")
        p95 = b["cold"]["p95"] / a["cold"]["p95"] if a["cold"]["p95"] else float("nan")
        qa, qb = len(a["cold"]["queries"]), len(b["cold"]["queries"])
        flags = []
        if ratio > 1.5:
            flags.append("GROWS")
        if qa != qb:
            flags.append(f"queries {qa}→{qb}")
        if b["seq"]:
            flags.append("seq scan " + ", ".join(sorted(b["seq"])))
        print(
            f"  {label:<22} median ×{ratio:5.2f}  p95 ×{p95:5.2f}  rows read {a['rows']:>9,} → {b['rows']:>9,}"
            f"  {'  '.join(flags)}"
        )


# ---------------------------------------------------------------------------- driver


def _admin_connection():
    import psycopg

    return psycopg.connect(f"{PG_BASE}/postgres", autocommit=True)


def create_database(name: str) -> None:
    from psycopg import sql

    with _admin_connection() as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            raise SystemExit(f"bench.scale: database {name} already exists; drop it or pass --db another name")
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(name: str) -> None:
    from psycopg import sql

    with _admin_connection() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench scale", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a try (200 and 2,000 articles)")
    parser.add_argument("--articles", help="comma-separated sizes, ascending (default 1000,100000)")
    parser.add_argument("--comments", type=int)
    parser.add_argument("--users", type=int)
    parser.add_argument("--cases", type=int)
    parser.add_argument("--penalties", type=int)
    parser.add_argument("--requests", type=int, help="requests per page and cache state")
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds per page and cache state before stopping early (min 3)"
    )
    parser.add_argument("--db", default="yumao_scale", help="the database to create (refused if it exists)")
    parser.add_argument("--redis", default="", help="a Redis of your own for the cache (it is flushed)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--plans", choices=["last", "all", "none"], default="last")
    args = parser.parse_args(argv)
    defaults = QUICK if args.quick else FULL
    args.articles = [int(x) for x in args.articles.split(",")] if args.articles else defaults["articles"]
    for key in ("comments", "users", "cases", "penalties", "requests"):
        if getattr(args, key) is None:
            setattr(args, key, defaults[key])
    if args.articles != sorted(args.articles):
        parser.error("--articles sizes must be ascending")
    return args


def main(argv: list[str]) -> None:
    args = _arguments(argv)
    var_dir = tempfile.mkdtemp(prefix="yumao-scale-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.development",
            "DATABASE_URL": f"{PG_BASE}/{args.db}",
            "DEBUG": "0",
            "SECRET_KEY": "bench-scale-only-secret-key-not-for-production",
            "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "CELERY_BROKER_URL": "",
            "REDIS_URL": args.redis,
            "YUMAO_VAR_DIR": var_dir,
            "MEDIA_ROOT": str(Path(var_dir) / "media"),
            "EMAIL_URL": "dummymail://",
            "LOG_LEVEL": "ERROR",
        }
    )
    create_database(args.db)
    try:
        _run(args)
    finally:
        if args.keep:
            print(f"kept database {args.db}")
        else:
            from django.db import connections

            connections.close_all()
            drop_database(args.db)
            print(f"dropped database {args.db}")


def _run(args: argparse.Namespace) -> None:
    import django

    django.setup()
    import logging

    from django.core.cache import cache
    from django.core.management import call_command

    from accounts.models import User
    from articles.views import HOME_PAGE_SIZE

    logging.getLogger("django.request").setLevel(logging.ERROR)  # a 404 measured is counted, not logged

    print(
        f"bench.scale: database {args.db}; sizes {args.articles} articles, {args.comments:,} comments, "
        f"{args.users:,} users, {args.cases} cases ({args.penalties} penalised); {args.requests} requests per page "
        f"and cache state; Django test client in process; cache {'Redis ' + args.redis if args.redis else 'files'}"
    )
    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    cache.clear()
    print(f"migrated and demo data loaded in {time.perf_counter() - started:.0f} s", flush=True)
    rng = random.Random(14)  # noqa: S311 — reproducible data, not security
    started = time.perf_counter()
    pool = BodyPool(rng)
    users = seed_users(args.users, authors=max(5, args.users // 100), rng=rng)
    tag_ids = seed_tags(300 if not args.quick else 30)
    print(f"seeded {args.users:,} users, tags and {len(pool.items)} bodies in {time.perf_counter() - started:.0f} s")
    stages = []
    article_ids: list[int] = []
    measured_id = None
    for size in args.articles:
        started = time.perf_counter()
        article_ids += seed_articles(
            size - len(article_ids), pen_names=users["pen_names"], tag_ids=tag_ids, pool=pool, rng=rng
        )
        if measured_id is None:
            measured_id = article_ids[len(article_ids) // 2]
            seed_comments(
                args.comments, article_ids=article_ids, user_ids=users["ids"], measured_id=measured_id, rng=rng
            )
            moderator = User.objects.get(username="demo-moderator")
            seed_cases(
                args.cases, args.penalties, user_ids=users["ids"][-args.cases * 3 :], moderator=moderator, rng=rng
            )
        print(f"\n== {size:,} published articles (seeded in {time.perf_counter() - started:.0f} s)", flush=True)
        cache.clear()
        plans = args.plans == "all" or (args.plans == "last" and size == args.articles[-1])
        # The last home page at the smallest size: the same OFFSET at every size.
        deep_page = max(1, args.articles[0] // HOME_PAGE_SIZE)
        stages.append((size, measure_stage(size, args.requests, plans, measured_id, deep_page, args.budget)))
    if len(stages) > 1:
        summary(stages)


if __name__ == "__main__":
    main(sys.argv[1:])
