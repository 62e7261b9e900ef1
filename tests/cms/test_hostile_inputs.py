"""A corpus of hostile inputs over every page, form and API operation (PRODUCT §11: "bad
input gets a clear error and loses nothing").

Nothing here is a hand list of views: the pages come from the URL patterns, the forms from
the HTML those pages render (every <form>, with its own field names), the API operations
and their fields from the schema drf-spectacular generates. Each gets NUL bytes, lone
surrogates, invalid UTF-8, huge and over-long values, wrong JSON types, JSON nested 1,000
deep and broken JSON. For every request:

- never a 5xx;
- a 4xx carries a sentence a person can read (JSON `detail` in Chinese; a page in the site's
  chrome, not Django's bare "Bad Request (400)");
- a rejected request stores nothing: the row count of every table is unchanged (except the
  tables whose job is to record attempts: django-axes' sign-in failures and sessions);
- NUL, lone surrogates and invalid UTF-8 are always refused with a 400 (cms.input_guard).
"""

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token

from accounts import roles
from accounts.models import AuthorApplication
from accounts.services import author_application_submit, user_roles_set
from articles.models import Comment
from articles.services_comments import comment_create
from moderation.models import ScanRecord, Term
from moderation.services import TermData, term_create
from tests.accounts.factories import user_in_role
from tests.articles.conftest import make_in_review, make_published, make_submitted
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Text a form field or query parameter receives, as Python strings…
HOSTILE_TEXT = {
    "nul": "评论\x00内容",
    "huge": "长" * 120_000,  # past every length limit (100,000 at most); 360 kB of UTF-8
    # longer than any column for names, with markup and a right-to-left override on the way
    "over-long": '<script>alert("x")</script>&amp;\u202e' + "名" * 300,
}
# … and as percent-escapes no UTF-8 encoder would produce.
HOSTILE_ESCAPES = {"invalid-utf8": "%FF%FE%E5", "encoded-surrogate": "%ED%A0%80"}
ALWAYS_REFUSED = {"nul", "nul-escape", "invalid-utf8", "encoded-surrogate", "lone-surrogate"}

HOSTILE_JSON_VALUES = {
    "nul": "标题\x00",
    "lone-surrogate": "\ud800",
    "huge": "长" * 120_000,
    "over-long": "名" * 300,
    "integer": 123456789012345678901234567890,
    "float": -1.5e308,
    "list": ["x", {"y": None}],
    "object": {"a": {"b": [1, 2]}},
    "null": None,
    "boolean": True,
}
HOSTILE_JSON_BODIES = {
    "deep": b"[" * 1000 + b"]" * 1000,
    "deep-object": b'{"a":' * 1000 + b"1" + b"}" * 1000,
    "broken": b'{"title": ',
    "invalid-utf8": b'{"title": "\xff\xfe"}',
    "not-an-object": b"[1, 2, 3]",
    "nul-escape": b'{"title": "\\u0000", "body": "x"}',
}

# Tables whose purpose is to record attempts, refused ones included.
RECORDING_TABLES = {"axes_accessattempt", "axes_accesslog", "axes_accessfailurelog", "django_session"}
# Django's own pages that say nothing to a reader.
BARE_PAGES = re.compile(r"<h1>(Bad Request|Server Error|Not Found|Forbidden) \(\d{3}\)</h1>")
CJK = re.compile(r"[\u4e00-\u9fff]")


# The world the corpus runs against ------------------------------------------------------


@pytest.fixture
def world(seeded, django_capture_on_commit_callbacks):
    """One account in every role (so every page and form is reachable), and an object of
    each kind the URLs name, all built through the services."""
    boss = UserFactory(username="boss", email_verified_at=None)
    user_roles_set(user=boss, role_names=list(roles.ROLES))
    author, editor, reader = user_in_role("author"), user_in_role("editor"), user_in_role("reader")
    with django_capture_on_commit_callbacks(execute=True):
        published = make_published(author, editor, title="公开的文章", tags="增长、运营")
        own = make_submitted(boss, title="自己的投稿")
        in_review = make_in_review(author, boss, title="审稿中的文章")
    comment = comment_create(article=published, author=reader, body="一条评论")
    term = term_create(actor=boss, data=TermData(term="紫晶独角兽", rule_code="1.8", action="review"))
    applicant = user_in_role("reader", username="applicant")
    application = author_application_submit(
        user=applicant, pen_name="申请人", bio="简介", links="", motivation="想写增长实验和用户研究的文章，每月一篇。"
    )
    return {
        "boss": boss,
        "published": published,
        "own": own,
        "in_review": in_review,
        "comment": comment,
        "term": term,
        "application": application,
        "scan": ScanRecord.objects.order_by("-pk").first(),
        "token": Token.objects.create(user=boss).key,
    }


def _pk_for(route: str, world: dict) -> int:
    """The object an integer in `route` most plausibly names (1 when none exists: a 404)."""
    for fragment, key in [
        ("comments/<int:pk>", "comment"),
        ("lexicon/", "term"),
        ("become-author/", "application"),
        ("scans/", "scan"),
        ("editor/", "in_review"),
        ("submit/", "own"),
        ("articles", "published"),
    ]:
        if fragment in route and world.get(key) is not None:
            return world[key].pk
    return 1


def _fill(route: str, world: dict, *, hostile: str | None = None) -> str | None:
    """A concrete path for a URL pattern; with `hostile`, that text in its first text part."""
    published = world["published"]
    values = {
        "slug": published.tags.first().slug if route.startswith("tags/") else published.slug,
        "username": published.author.username,
        "name": "approve",
    }
    used_hostile = False

    def replace(match: re.Match) -> str:
        nonlocal used_hostile
        name = match.group("name") or match.group("rname")
        converter = match.group("converter") or ("int" if match.group("rname") else "str")
        if converter == "int" or name in ("pk", "id", "article_id"):
            return str(_pk_for(route, world))
        if hostile is not None and not used_hostile:
            used_hostile = True
            return quote(hostile, safe="")
        return values.get(name, "x")

    # <int:pk> style, or a regular expression's (?P<pk>…) group
    path = re.sub(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)", replace, route)
    path = path.replace("^", "").replace("$", "")
    if hostile is not None and not used_hostile:
        return None
    return "/" + path


def site_routes() -> list[str]:
    """Every URL pattern outside the admin, static files and the API (the API's come from its schema)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, text)
            elif isinstance(pattern, URLPattern):
                yield text

    skipped = ("admin/", "api/", "^media/", "i18n/", "accounts/logout/")
    return [route for route in walk(get_resolver().url_patterns) if not route.startswith(skipped)]


# Forms as the pages render them ----------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("action") or self.page_path
            self._form = Form(
                action=urlsplit(action).path or self.page_path,
                method=(attrs.get("method") or "get").lower(),
                multipart="multipart" in (attrs.get("enctype") or ""),
            )
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select") and attrs.get("name"):
            if attrs.get("type") in ("file", "submit", "button", "image") or attrs["name"] == "csrfmiddlewaretoken":
                return
            self._form.fields.setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def forms_on(client: Client, path: str) -> list[Form]:
    response = client.get(path)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _FormParser(path)
    parser.feed(response.content.decode())
    return [form for form in parser.forms if urlsplit(form.action).netloc == "" and form.action.startswith("/")]


# What every answer must satisfy ---------------------------------------------------------


def table_counts() -> dict[str, int]:
    models = {m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy}
    tables = sorted(models & set(connection.introspection.table_names()) - RECORDING_TABLES)
    quote_name = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {quote_name(t)}" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


@dataclass
class Corpus:
    requests: int = 0
    refused: int = 0
    problems: list[str] = field(default_factory=list)

    def judge(self, label: str, response, before: dict[str, int], payload: str, *, sent: bool = True) -> None:
        """`sent`: the request carried the payload (a form without fields carries none)."""
        self.requests += 1
        status = response.status_code
        if status >= 500:
            self.problems.append(f"{label}: {status}")
            return
        if payload in ALWAYS_REFUSED and status != 400 and sent:
            self.problems.append(f"{label}: {status}, expected the input guard's 400")
        if 400 <= status < 500:
            self.refused += 1
            readable = _readable(response)
            if readable is not True:
                self.problems.append(f"{label}: {status} without a readable message ({readable})")
            after = table_counts()
            changed = {t: (before[t], after[t]) for t in before if before[t] != after.get(t)}
            if changed:
                self.problems.append(f"{label}: refused with {status} but stored {changed}")


def _readable(response) -> bool | str:
    content_type = response.get("Content-Type", "")
    if response.status_code == 405:
        # A GET to a POST-only page (Django's require_POST): the method is refused, not the
        # input, and the Allow header says what to use.
        return True if response.get("Allow") else "405 without Allow"
    if "json" in content_type:
        detail = response.json().get("detail") if isinstance(response.json(), dict) else None
        if not isinstance(detail, str) or not CJK.search(detail) or "ErrorDetail" in detail:
            return f"detail={detail!r:.80}"
        return True
    text = response.content.decode("utf-8", "replace")
    if BARE_PAGES.search(text) or not CJK.search(text):
        return f"page={text[:80]!r}"
    return True


def _client(**headers) -> Client:
    # A 500 is a finding to report with the others, not an exception that stops the corpus.
    client = Client(raise_request_exception=False, **headers)
    return client


def _signed_in(world) -> Client:
    client = _client()
    client.force_login(world["boss"])
    return client


def _form_body(fields: dict[str, str], hostile_name: str) -> bytes:
    """URL-encoded body with every field set to the hostile value (escapes kept raw)."""
    if hostile_name in HOSTILE_ESCAPES:
        value = HOSTILE_ESCAPES[hostile_name]
    else:
        value = quote(HOSTILE_TEXT[hostile_name], safe="")
    return "&".join(f"{quote(name, safe='')}={value}" for name in fields).encode("ascii")


MULTIPART = "multipart/form-data"
BOUNDARY = "hostile-corpus-boundary"


def _multipart_body(fields: dict[str, str], hostile_name: str) -> bytes:
    """A multipart body built by hand: the test client would turn raw bytes into a list of ints."""
    if hostile_name in HOSTILE_ESCAPES:
        value = bytes.fromhex(HOSTILE_ESCAPES[hostile_name].replace("%", ""))
    else:
        value = HOSTILE_TEXT[hostile_name].encode("utf-8")
    parts = [
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (BOUNDARY.encode(), name.encode("utf-8"), value)
        for name in fields
    ]
    return b"".join(parts) + b"--%s--\r\n" % BOUNDARY.encode()


# The corpus -----------------------------------------------------------------------------

PAYLOADS = [*HOSTILE_TEXT, *HOSTILE_ESCAPES]
# Addresses and query strings: the guard's classes, and text long enough to matter (a
# 120,000-character address says nothing more than a 300-character one).
GET_PAYLOADS = ["nul", "invalid-utf8", "over-long"]


def test_every_page_and_form_survives_hostile_text(world):
    corpus = Corpus()
    client = _signed_in(world)
    routes = site_routes()
    seen_forms: set[tuple[str, str]] = set()
    forms: list[Form] = []
    for route in routes:
        path = _fill(route, world)
        forms += [f for f in forms_on(client, path) if (f.action, f.method) not in seen_forms]
        seen_forms |= {(f.action, f.method) for f in forms}
    assert len(forms) >= 10, [f.action for f in forms]  # the corpus really reaches the forms

    for payload in GET_PAYLOADS:
        # the address itself: a hostile text part, and hostile query parameters
        for route in routes:
            hostile_path = _fill(route, world, hostile=HOSTILE_TEXT.get(payload, "x"))
            paths = [hostile_path] if hostile_path and payload in HOSTILE_TEXT else []
            query_value = HOSTILE_ESCAPES.get(payload) or quote(HOSTILE_TEXT[payload], safe="")
            paths.append(f"{_fill(route, world)}?q={query_value}&page={query_value}&next={query_value}")
            for path in paths:
                before = table_counts()
                corpus.judge(f"GET {path[:90]} [{payload}]", client.get(path), before, payload)
    for payload in PAYLOADS:
        # every form, every field at once
        for form in forms:
            client.force_login(world["boss"])  # a form may have signed the account out
            before = table_counts()
            if form.method == "get":
                response = client.get(f"{form.action}?{_form_body(form.fields, payload).decode()}")
            elif form.multipart:
                response = client.post(
                    form.action, _multipart_body(form.fields, payload), content_type=f"{MULTIPART}; boundary={BOUNDARY}"
                )
            else:
                body = _form_body(form.fields, payload)
                response = client.post(form.action, body, content_type="application/x-www-form-urlencoded")
            label = f"{form.method.upper()} {form.action} {sorted(form.fields)} [{payload}]"
            corpus.judge(label, response, before, payload, sent=bool(form.fields))

    print(
        f"\nhostile corpus (pages and forms): {len(routes)} routes, {len(forms)} forms, "
        f"{corpus.requests} requests, {corpus.refused} refused with a 4xx"
    )
    assert not corpus.problems, "\n".join(corpus.problems[:40])


def api_operations() -> list[tuple[str, str, dict]]:
    """(method, path template, operation) for every operation in the published schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _request_fields(operation: dict, schema_components: dict) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    ref = content.get("schema", {}).get("$ref", "")
    component = schema_components.get(ref.rsplit("/", 1)[-1], {}) if ref else content.get("schema", {})
    return list(component.get("properties", {})) or ["title", "body"]


def test_every_api_operation_survives_hostile_json(world):
    corpus = Corpus()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    operations = api_operations()
    assert len(operations) >= 15

    def client_for() -> Client:
        return _client(HTTP_AUTHORIZATION=f"Token {world['token']}")

    article_id = world["published"].pk
    for method, template, operation in operations:
        path = re.sub(r"\{(\w+)\}", str(article_id), template)
        if method == "GET":
            params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"] or ["q"]
            for payload in GET_PAYLOADS:
                value = HOSTILE_ESCAPES.get(payload) or quote(HOSTILE_TEXT[payload], safe="")
                before = table_counts()
                response = client_for().get(f"{path}?" + "&".join(f"{p}={value}" for p in params))
                corpus.judge(f"GET {path} {params} [{payload}]", response, before, payload)
            continue
        fields = _request_fields(operation, components)
        send = getattr(client_for(), method.lower())
        for payload, value in HOSTILE_JSON_VALUES.items():
            body = json.dumps(dict.fromkeys(fields, value)).encode()
            before = table_counts()
            corpus.judge(
                f"{method} {path} {fields} [{payload}]",
                send(path, body, content_type="application/json"),
                before,
                payload,
            )
        for payload, body in HOSTILE_JSON_BODIES.items():
            before = table_counts()
            corpus.judge(
                f"{method} {path} [{payload}]", send(path, body, content_type="application/json"), before, payload
            )
            # The same body without credentials must not fail either (401, never 500).
            before = table_counts()
            corpus.judge(
                f"{method} {path} anonymous [{payload}]",
                getattr(_client(), method.lower())(path, body, content_type="application/json"),
                before,
                payload,
            )
        # a form-encoded body with invalid UTF-8, which DRF's form parser would decode with U+FFFD
        before = table_counts()
        form = "&".join(f"{name}=%FF%FE" for name in fields)
        corpus.judge(
            f"{method} {path} form [invalid-utf8]",
            send(path, form, content_type="application/x-www-form-urlencoded"),
            before,
            "invalid-utf8",
        )

    print(
        f"\nhostile corpus (API): {len(operations)} operations, {corpus.requests} requests, "
        f"{corpus.refused} refused with a 4xx"
    )
    assert not corpus.problems, "\n".join(corpus.problems[:40])


def test_the_corpus_would_see_a_half_stored_request():
    # The row-count check itself: a comment added between two snapshots shows up.
    before = table_counts()
    article = make_published(user_in_role("author"), user_in_role("editor"))
    comment_create(article=article, author=user_in_role("reader"), body="新评论")
    after = table_counts()
    assert after[Comment._meta.db_table] == before[Comment._meta.db_table] + 1
    assert {Term._meta.db_table, AuthorApplication._meta.db_table} <= set(after)
