"""The embedded default with several web processes: what one gunicorn worker changes, the
other sees. Real processes: gunicorn with 2 sync workers on a throwaway SQLite database,
no Redis, eager Celery — what `make up` runs without REDIS_URL."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.reliability.servers import Gunicorn, manage, request, site_env

CLIENT_THREADS = 4  # more than the 2 workers, so both are busy at once


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp: Path = tmp_path_factory.mktemp("multiprocess")
    env = site_env(tmp)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo")
    with Gunicorn(env, workers=2) as server:
        yield server


def _token(port: int, username: str) -> str:
    response = request(port, "POST", "/api/v1/auth/token/", data={"username": username, "password": "yumao-demo"})
    assert response.status == 200, response.text
    return response.json()["token"]


def _published_article(port: int) -> dict:
    response = request(port, "GET", "/api/v1/articles/")
    assert response.status == 200, response.text
    return response.json()["results"][0]


def _in_parallel(count: int, call) -> list:
    with ThreadPoolExecutor(max_workers=CLIENT_THREADS) as pool:
        return list(pool.map(lambda _n: call(), range(count)))


def test_the_site_runs_two_worker_processes(site):
    assert len(site.worker_pids()) == 2


def test_after_an_unpublish_no_worker_serves_the_stale_page(site):
    # given an article page that anonymous readers have had from both workers' cache
    article = _published_article(site.port)
    path = f"/a/{article['slug']}/"
    before = _in_parallel(12, lambda: request(site.port, "GET", path))
    assert [r.status for r in before] == [200] * 12
    assert any(r.headers.get("x-page-cache") == "hit" for r in before)
    # when an editor unpublishes it (one request, served by one of the workers)
    editor = _token(site.port, "demo-editor")
    response = request(
        site.port, "POST", f"/api/v1/articles/{article['id']}/unpublish/", data={"reason": "测试下线"}, token=editor
    )
    assert response.status == 200, response.text
    # then every anonymous reader gets 404, whichever worker answers
    after = _in_parallel(12, lambda: request(site.port, "GET", path))
    assert [r.status for r in after] == [404] * 12


def test_the_comment_limit_is_counted_once_across_both_workers(site):
    # given a reader and a published article
    reader = _token(site.port, "demo-reader")
    article = _published_article(site.port)
    comments = f"/api/v1/articles/{article['id']}/comments/"
    # when they post 20 comments at once, from 4 client threads
    bodies = iter(range(20))
    responses = _in_parallel(
        20, lambda: request(site.port, "POST", comments, data={"body": f"第 {next(bodies)} 条测试评论"}, token=reader)
    )
    # then exactly the limit of 5 got through, and the rest were told to wait
    statuses = sorted(r.status for r in responses)
    assert statuses.count(201) == 5, [r.text for r in responses][:3]
    assert statuses.count(429) == 15, [r.text for r in responses if r.status not in (201, 429)]
