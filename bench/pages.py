"""In-process page rendering: requests per second and SQL queries of the public pages.

Runs against the configured database with the demo data loaded (seed_demo).
"""

import time
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client

from articles.models import Article, ArticleStatus

ROUNDS = 300


def _measure(client: Client, path: str) -> tuple[float, int]:
    client.get(path)  # warm up templates and connections
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    started = time.perf_counter()
    for _ in range(ROUNDS):
        client.get(path)
    elapsed = time.perf_counter() - started
    return ROUNDS / elapsed, len(queries)


def run() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0, stdout=StringIO())
    article = Article.objects.filter(status=ArticleStatus.PUBLISHED).first()
    settings.DEBUG = False  # measure what production does, not the debug toolbar of Django
    client = Client(HTTP_HOST="127.0.0.1")
    for label, path in [("home", "/"), ("article", article.get_absolute_url()), ("convention", "/convention/")]:
        rps, queries = _measure(client, path)
        print(f"{label:<12} {rps:8.0f} req/s in-process   {queries} SQL queries   ({path})")
