"""Where the time goes on the hot paths: cProfile over a few hundred requests per path.

In the environment of bench/pages.py (a throwaway SQLite database with the demo data and the
benchmark article; file cache in the run's own folder), one process calls the project's
WSGI application directly — the code gunicorn runs, without the socket — for:

- bare: /__bench__/bare/ (the middleware stack and URL resolution, nothing else);
- article cached: the anonymous article page from the page cache;
- article, page cache off: /__bench__/a-rendered/<slug>/ (the page built around the
  cached article fragment, as for a signed-in reader);
- article, signed-in reader: /a/<slug>/ with a reader's session cookie (adds the session
  and user reads);
- article uncached: /__bench__/a/<slug>/ (every cache bypassed, 10 comments).

For each it prints the time per request under the profiler, the share of time by area
(middleware by class, template engine, database, URL resolution, …) and the functions
with the most time of their own. `python -m bench profile [REQUESTS]` (default 300).
Profiling slows everything several-fold: read the shares, not the milliseconds.
"""

import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from bench.pages import BENCH_SLUG, ROOT, _server_env

PATHS = [
    ("bare", "/__bench__/bare/", False),
    ("article cached (anonymous)", f"/a/{BENCH_SLUG}/", False),
    ("article, page cache off", f"/__bench__/a-rendered/{BENCH_SLUG}/", False),
    ("article, signed-in reader", f"/a/{BENCH_SLUG}/", True),
    ("article uncached, 10 comments", f"/__bench__/a/{BENCH_SLUG}/", False),
]

# (area, substring of the file path); the first that matches wins.
AREAS = [
    ("template engine", "/django/template/"),
    ("database (ORM + driver)", "/django/db/"),
    ("sqlite3 driver", "sqlite3"),
    ("cache", "/django/core/cache/"),
    ("URL resolution", "/django/urls/"),
    ("sessions", "/django/contrib/sessions/"),
    ("auth", "/django/contrib/auth/"),
    ("messages", "/django/contrib/messages/"),
    ("CSRF", "/django/middleware/csrf.py"),
    ("locale + translation", "/django/utils/translation/"),
    ("locale + translation", "/django/middleware/locale.py"),
    ("other Django middleware", "/django/middleware/"),
    ("whitenoise", "/whitenoise/"),
    ("axes", "/axes/"),
    ("django-htmx", "/django_htmx/"),
    ("request/response handling", "/django/core/handlers/"),
    ("request/response handling", "/django/http/"),
    ("signals", "/django/dispatch/"),
    ("markdown/nh3", "markdown_it"),
    ("project: cms", "/cms/"),
    ("project: articles", "/articles/"),
    ("project: reliability", "/reliability/"),
    ("project: accounts", "/accounts/"),
    ("project: moderation", "/moderation/"),
    ("other Django", "/django/"),
]


# Functions whose cumulative time answers "what does this path spend on X" (file part, name).
KEY_FUNCTIONS = [
    ("template rendering (each render() from a view)", "django/template/backends/django.py", "render"),
    ("context processors", "django/template/context.py", "bind_template"),
    ("SQL (compile + execute)", "django/db/models/sql/compiler.py", "execute_sql"),
    ("URL resolution (resolve)", "django/urls/resolvers.py", "resolve"),
    ("URL reversing (reverse)", "django/urls/base.py", "reverse"),
    ("CSRF token (get_token)", "django/middleware/csrf.py", "get_token"),
    ("CSRF cookie/masking (process_response)", "django/middleware/csrf.py", "process_response"),
    ("dates formatted (dateformat.format)", "django/utils/dateformat.py", "format"),
    ("cache reads (get)", "django/core/cache/backends/", "get"),
    ("session load", "django/contrib/sessions/backends/", "load"),
    ("user from the session (get_user)", "django/contrib/auth/__init__.py", "get_user"),
    ("permission checks (has_perm)", "django/contrib/auth/models.py", "has_perm"),
    (
        "language choice (get_language_from_request)",
        "django/utils/translation/trans_real.py",
        "get_language_from_request",
    ),
    ("gettext", "django/utils/translation/trans_real.py", "gettext"),
    ("signals sent", "django/dispatch/dispatcher.py", "send"),
]


def _area(filename: str) -> str:
    for area, part in AREAS:
        if part in filename:
            return area
    return "Python / other"


def _environ(path: str, cookie: str) -> dict:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_LANGUAGE": "zh-CN",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    return environ


def _reader_cookie() -> str:
    from django.conf import settings
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-reader-0"))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def profile_all(requests: int) -> None:
    import time

    import django

    django.setup()
    from cms.wsgi import application

    cookie = _reader_cookie()
    statuses = []

    def call(path: str, with_cookie: bool) -> None:
        def start_response(status, headers, exc_info=None):
            statuses.append(status)

        response = application(_environ(path, cookie if with_cookie else ""), start_response)
        b"".join(response)
        if hasattr(response, "close"):
            response.close()

    print(f"{requests} requests per path, in process, through cms.wsgi.application (cProfile on)")
    for label, path, with_cookie in PATHS:
        for _ in range(20):
            call(path, with_cookie)
        statuses.clear()
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(requests):
            call(path, with_cookie)
        profiler.disable()
        elapsed = time.perf_counter() - started
        stats = pstats.Stats(profiler)
        by_area: dict[str, float] = defaultdict(float)
        total = 0.0
        for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
            by_area[_area(filename)] += tottime
            total += tottime
        bad = [s for s in statuses if not s.startswith("200")]
        print(
            f"\n--- {label} ({path}{', reader session' if with_cookie else ''}): "
            f"{elapsed / requests * 1000:.2f} ms/request under the profiler{f', non-200: {bad[:3]}' if bad else ''}"
        )
        for area, seconds in sorted(by_area.items(), key=lambda item: -item[1])[:12]:
            print(f"    {seconds / total:6.1%}  {area}")
        print("  cumulative time in key functions (ms per request, under the profiler; they overlap):")
        for what, part, fname in KEY_FUNCTIONS:
            cum = sum(
                value[3] for (filename, _line, name), value in stats.stats.items() if part in filename and name == fname
            )
            if cum:
                print(f"    {cum / requests * 1000:8.3f} ms  {cum / elapsed:6.1%}  {what}")
        print("  most time of their own:")
        rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:12]
        for (filename, line, name), (_cc, ncalls, tottime, cumtime, _callers) in rows:
            short = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
            print(
                f"    {tottime / total:6.1%} own {cumtime / requests * 1000:7.3f} ms cum/req "
                f"{ncalls / requests:6.1f} calls/req  {name} ({short}:{line})"
            )
        middleware = []
        for (filename, line, name), (_cc, _nc, _tt, cumtime, _callers) in stats.stats.items():
            if name in ("process_request", "process_response", "process_view", "__call__") and (
                "middleware" in filename or "/axes/" in filename
            ):
                middleware.append((cumtime, f"{name} ({filename.split('site-packages/')[-1]}:{line})"))
        print("  middleware hooks (cumulative, nested __call__s include what runs inside them):")
        for cumtime, where in sorted(middleware, reverse=True)[:14]:
            print(f"    {cumtime / requests * 1000:7.3f} ms/req  {where}")


def run(requests: int = 300) -> None:
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="yumao-bench-profile-") as tmp_name:
        tmp = Path(tmp_name)
        env = _server_env(tmp)
        env["YUMAO_VAR_DIR"] = str(tmp / "var")
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
        subprocess.run([python, "-m", "bench.pages", "--seed"], cwd=ROOT, env=env, check=True)  # noqa: S603
        subprocess.run([python, "-m", "bench.profile", "--in-env", str(requests)], cwd=ROOT, env=env, check=True)  # noqa: S603


if __name__ == "__main__":
    if "--in-env" in sys.argv:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.development")
        profile_all(int(sys.argv[-1]))
    else:
        run(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
