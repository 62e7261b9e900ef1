"""The public pages measured against an external floor, with wrk as the load generator.

Two gunicorn servers run side by side, 2 sync workers each, on 127.0.0.1:

- the floor: the smallest Django project (bench/floor/: security, common, CSRF and
  clickjacking middleware, one view returning "ok"), nothing of this project loaded;
- the project, in the environment of bench/pages.py (a throwaway SQLite database with the
  demo data and an article with 10 comments and 3 tags; the cache is files in a temporary
  folder — the project's default — or the Redis given as BENCH_REDIS_URL).

wrk (`wrk -t2 -c32 -d<N>s`, a C program, so the client takes little of the two cores the
servers share) loads the floor and then one page, in alternation, page after page, for
several rounds. Each page's ratio is taken against the floor run just before it; the table
shows the median ratio and its spread (min–max) over the rounds. It never asserts.

`python -m bench ratios` runs it alone. BENCH_WRK_SECONDS (default 5), BENCH_WRK_ROUNDS
(default 3), BENCH_WRK_CONNECTIONS (default 32) tune it. Needs Debian's wrk:
`sudo apt-get install -y wrk`.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.pages import BENCH_SLUG, ROOT, _free_port, _get, _server_env

SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_WRK_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_WRK_CONNECTIONS", "32"))
THREADS = 2
WORKERS = 2

TARGETS = [
    ("project bare view", "/__bench__/bare/"),
    ("article cached (anonymous)", f"/a/{BENCH_SLUG}/"),
    ("home (anonymous)", "/"),
    ("article, signed-in reader (page cache off)", f"/__bench__/a-rendered/{BENCH_SLUG}/"),
    ("article, every cache bypassed, 10 comments", f"/__bench__/a/{BENCH_SLUG}/"),
]
# What the issue aims at (issue 14), printed beside the figures.
TARGET_RATIOS = {
    "project bare view": 0.9,
    "article cached (anonymous)": 0.85,
    "home (anonymous)": 0.85,
    "article, signed-in reader (page cache off)": 0.30,
    "article, every cache bypassed, 10 comments": 0.25,
}

_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors:(.*)")
_TOTAL = re.compile(r"(\d+) requests in")


def wrk_path() -> str | None:
    return shutil.which("wrk")


def wrk(url: str, seconds: int, connections: int = CONNECTIONS) -> tuple[float, str]:
    """Requests/s from one wrk run, and a note when some answers were not 2xx/3xx."""
    result = subprocess.run(  # noqa: S603 — wrk with fixed arguments against our own servers
        [
            wrk_path() or "wrk",
            f"-t{THREADS}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",  # on a busy machine a slow answer is counted, not dropped as a timeout
            "-H",
            "Accept-Language: zh-CN",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = _RPS.search(result.stdout)
    if not found:
        raise RuntimeError(f"wrk printed no Requests/sec:\n{result.stdout}\n{result.stderr}")
    notes = []
    bad = _NON_2XX.search(result.stdout)
    if bad:
        total = _TOTAL.search(result.stdout)
        notes.append(f"{bad.group(1)} of {total.group(1) if total else '?'} not 2xx/3xx")
    errors = _SOCKET_ERRORS.search(result.stdout)
    if errors:
        notes.append(f"socket errors:{errors.group(1).strip()}")
    return float(found.group(1)), "; ".join(notes)


def _wait_for(port: int, path: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn for {path} exited before serving")
        try:
            if _get(port, path) == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {path} within a minute")


def gunicorn(app: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    binary = str(Path(sys.executable).parent / "gunicorn")
    return subprocess.Popen(  # noqa: S603 — our own gunicorn, fixed arguments
        # No control socket: two masters (and other runs on the machine) would share its one path.
        [
            binary,
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--log-level",
            "warning",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
    )


def floor_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_"))}
    env["DJANGO_SETTINGS_MODULE"] = "bench.floor.settings"
    return env


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def run() -> None:
    if wrk_path() is None:
        print("wrk is not installed, so the ratios to the external floor are skipped: sudo apt-get install -y wrk")
        return
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="yumao-bench-ratios-") as tmp_name:
        tmp = Path(tmp_name)
        env = _server_env(tmp)
        # Without BENCH_REDIS_URL the cache is files (the project's default), in this run's
        # own folder: never the project's var/cache, which `make run` uses.
        env["YUMAO_VAR_DIR"] = str(tmp / "var")
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
        subprocess.run([python, "-m", "bench.pages", "--seed"], cwd=ROOT, env=env, check=True)  # noqa: S603
        floor_port, project_port = _free_port(), _free_port()
        floor = gunicorn("bench.floor.wsgi:application", floor_port, floor_env())
        project = gunicorn("cms.wsgi:application", project_port, env)
        try:
            _wait_for(floor_port, "/", floor)
            _wait_for(project_port, "/__bench__/bare/", project)
            floor_url = f"http://127.0.0.1:{floor_port}/"
            print(
                f"gunicorn {WORKERS} sync workers each: floor (bench/floor) on :{floor_port}, project "
                f"(SQLite, cache: {'Redis' if env.get('REDIS_URL') else 'files'}) on :{project_port}; "
                f"wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s, "
                f"floor and page in alternation, {ROUNDS} rounds"
            )
            # Warm both: workers import lazily, caches fill on the first request.
            wrk(floor_url, 1)
            for _label, path in TARGETS:
                wrk(f"http://127.0.0.1:{project_port}{path}", 1)
            ratios: dict[str, list[float]] = {label: [] for label, _ in TARGETS}
            rates: dict[str, list[float]] = {label: [] for label, _ in TARGETS}
            floors: list[float] = []
            notes: dict[str, str] = {}
            for _round in range(ROUNDS):
                for label, path in TARGETS:
                    floor_rps, floor_note = wrk(floor_url, SECONDS)
                    page_rps, page_note = wrk(f"http://127.0.0.1:{project_port}{path}", SECONDS)
                    floors.append(floor_rps)
                    rates[label].append(page_rps)
                    ratios[label].append(page_rps / floor_rps)
                    if page_note:
                        notes[label] = page_note
                    if floor_note:
                        notes["floor"] = floor_note
            print(
                f"{'floor (bench/floor, one view)':<44} {statistics.median(floors):8.0f} req/s "
                f"(min–max {min(floors):.0f}–{max(floors):.0f}){'  ' + notes['floor'] if 'floor' in notes else ''}"
            )
            for label, path in TARGETS:
                rs = ratios[label]
                note = f"  {notes[label]}" if label in notes else ""
                print(
                    f"{label:<44} {statistics.median(rates[label]):8.0f} req/s   "
                    f"{statistics.median(rs):4.2f}× the floor (min–max {min(rs):.2f}–{max(rs):.2f}, "
                    f"target ≥ {TARGET_RATIOS[label]:.2f})   {path}{note}"
                )
        finally:
            _stop(project)
            _stop(floor)


if __name__ == "__main__":
    run()
