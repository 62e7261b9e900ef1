"""Caching of the public pages, and purging it when something changes.

Two layers:

- Full pages for anonymous readers (article, home, tag and author pages): the finished
  HTML, stored with the CSRF token replaced by a placeholder and filled in with the
  reader's own token when served, so one copy serves every visitor and their forms still
  work. A page is only stored or served for a plain GET without query string, without
  pending messages, to a reader who is not signed in.
- Fragments for everyone (the rendered article: header, cover, body, tags, footer),
  keyed by the article's id and its cache version; signed-in readers get the page built
  around the cached fragment, so Markdown rendering and the tag query are skipped.

Purging: `purge_article(article)` (run on commit through `purge_article_on_commit` by the
workflow services and the comment services) deletes the article's pages under every slug it
was cached under, gives the article a new version (orphaning its fragments), and gives the lists a new version
(home, tag and author pages, feed and sitemap). Versions are fresh time-based numbers,
never counters that could restart at a value an old entry still carries after eviction.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

if TYPE_CHECKING:
    from articles.models import Article

PAGE_TIMEOUT = 60 * 10  # a safety net: purges make pages fresh, the timeout bounds any miss
FRAGMENT_TIMEOUT = 60 * 60 * 24
CSRF_PLACEHOLDER = "__yumao_csrf_token_placeholder__"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,64})"')
LISTS_VERSION_KEY = "articles:lists:version"
# Headers a view sets itself that a cached copy must carry too (the sitemap's robots tag).
KEPT_HEADERS = ("X-Robots-Tag",)
ENTRY_FIELDS = 4  # (version, content type, html, headers)


def enabled() -> bool:
    return getattr(settings, "ARTICLES_PAGE_CACHE", True)


def _new_version() -> int:
    return time.time_ns()


def _article_version_key(article_id: int) -> str:
    return f"articles:article:{article_id}:version"


def _article_slugs_key(article_id: int) -> str:
    return f"articles:article:{article_id}:slugs"


def _article_page_key(slug: str, language: str) -> str:
    return f"articles:page:article:{slug}:{language}"


def article_version(article_id: int) -> int:
    """The article's current cache version (created on first use)."""
    key = _article_version_key(article_id)
    version = cache.get(key)
    if version is None:
        version = _new_version()
        if not cache.add(key, version, None):
            version = cache.get(key, version)
    return version


def article_fragment_key(article_id: int, version: int, language: str) -> str:
    return f"articles:fragment:article:{article_id}:{version}:{language}"


def article_fragment(article: Article, language: str, build: Callable[[], str]) -> str:
    """The rendered article fragment from the cache, or built by `build` and kept."""
    if not enabled():
        return build()
    key = article_fragment_key(article.pk, article_version(article.pk), language)
    html = cache.get(key)
    if html is None:
        html = build()
        cache.set(key, html, FRAGMENT_TIMEOUT)
    return html


def lists_version() -> int:
    version = cache.get(LISTS_VERSION_KEY)
    if version is None:
        version = _new_version()
        if not cache.add(LISTS_VERSION_KEY, version, None):
            version = cache.get(LISTS_VERSION_KEY, version)
    return version


def purge_article(article: Article) -> None:
    """Forget everything cached about `article` and every list that may show it.

    Safe to call for any article in any state, any number of times.
    """
    slugs = set(cache.get(_article_slugs_key(article.pk)) or ())
    slugs.add(article.slug)
    languages = [code for code, _name in settings.LANGUAGES]
    cache.delete_many([_article_page_key(slug, lang) for slug in slugs for lang in languages])
    cache.delete(_article_slugs_key(article.pk))
    cache.set(_article_version_key(article.pk), _new_version(), None)
    # The lists only ever show published articles: the editorial steps before the first
    # publication (submit, claim, review…) leave them alone.
    if article.published_at is not None:
        purge_lists()


def purge_lists() -> None:
    """Give home, tag, author, feed and sitemap pages a new version."""
    cache.set(LISTS_VERSION_KEY, _new_version(), None)


# Full pages for anonymous readers


def _has_pending_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    # Without either cookie there can be no stored message; checking first spares a
    # session lookup for the common visitor.
    if CookieStorage.cookie_name not in request.COOKIES and settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return len(storage) > 0


def _signed_in(request: HttpRequest) -> bool:
    # Without a session cookie nobody is signed in; checking first spares loading the user.
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def page_cache_allowed(request: HttpRequest, *, params: tuple[str, ...] = ()) -> bool:
    """Whether this request may be answered from (and stored into) the shared page cache.

    `params` are the query parameters the caller puts into its cache key (e.g. "page");
    any other parameter makes the request uncacheable.
    """
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and all(name in params for name in request.GET)
        and not getattr(request, "htmx", False)
        and not _signed_in(request)
        and not _has_pending_messages(request)
    )


def _visitor_csrf_token(request: HttpRequest) -> str:
    """A fresh masked CSRF token for this visitor, standing in for the cached one.

    Masking each response's token (what get_token does) is Django's defence against
    BREACH; it costs a little on every hit and is kept on purpose. A first-time visitor
    gets a new secret, sent as the CSRF cookie by the middleware.
    """
    return get_token(request)


def _usable(entry) -> bool:
    # An entry written by an older release (another shape) is simply a miss.
    return isinstance(entry, tuple) and len(entry) == ENTRY_FIELDS


def _serve(request: HttpRequest, entry: tuple) -> HttpResponse:
    _version, content_type, html, headers = entry
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, _visitor_csrf_token(request))
    response = HttpResponse(html, content_type=content_type, headers=headers)
    response["X-Page-Cache"] = "hit"
    return response


def _entry_from(response: HttpResponse, version: int) -> tuple | None:
    if response.status_code != 200 or response.streaming:
        return None
    html = response.content.decode(response.charset)
    match = _CSRF_INPUT.search(html)
    if match:
        html = html.replace(match.group(1), CSRF_PLACEHOLDER)
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    return (version, response["Content-Type"], html, headers)


def cached_article_page(request: HttpRequest, slug: str) -> HttpResponse | None:
    """The cached page of the article at `slug`, if there is one for this request."""
    if not page_cache_allowed(request):
        return None
    entry = cache.get(_article_page_key(slug, request.LANGUAGE_CODE))
    return _serve(request, entry) if _usable(entry) else None


def store_article_page(request: HttpRequest, article: Article, response: HttpResponse) -> None:
    """Keep `response` as the article's page for the next anonymous readers."""
    if not page_cache_allowed(request):
        return
    entry = _entry_from(response, 0)
    if entry is None:
        return
    slugs_key = _article_slugs_key(article.pk)
    slugs = set(cache.get(slugs_key) or ())
    if article.slug not in slugs:
        slugs.add(article.slug)
        cache.set(slugs_key, sorted(slugs), None)
    cache.set(_article_page_key(article.slug, request.LANGUAGE_CODE), entry, PAGE_TIMEOUT)
    response["X-Page-Cache"] = "miss"


def list_page(
    request: HttpRequest, name: str, build: Callable[[], HttpResponse], *, page_param: str = "page"
) -> HttpResponse:
    """A list page (home, a tag, an author…) from the cache, or built and stored.

    `name` identifies the list (e.g. "tag:growth"); the page number (`?page=`, or the
    sitemaps' `?p=`: `page_param`) is added here. The
    entry carries the lists version it was built under and is fetched together with the
    current version in one round trip.
    """
    if not page_cache_allowed(request, params=(page_param,)):
        return build()
    page = request.GET.get(page_param, "1")
    if not page.isdigit() or len(page) > 6:
        return build()
    key = f"articles:page:list:{name}:{page}:{request.LANGUAGE_CODE}"
    found = cache.get_many([key, LISTS_VERSION_KEY])
    current = found.get(LISTS_VERSION_KEY)
    entry = found.get(key)
    if _usable(entry) and current is not None and entry[0] == current:
        return _serve(request, entry)
    if current is None:
        current = lists_version()
    response = build()
    entry = _entry_from(response, current)
    if entry is not None:
        cache.set(key, entry, PAGE_TIMEOUT)
        response["X-Page-Cache"] = "miss"
    return response


def purge_article_on_commit(article: Article) -> None:
    """Purge `article` (purge_article) once the current transaction commits.

    Run in this process right after commit, so the next reader already sees the change;
    through the outbox (reliability.outbox), so a purge that failed because the cache was
    away is retried rather than leaving a stale page behind once it is back.
    """
    from articles.tasks import purge_article_cache
    from reliability.outbox import outbox_enqueue

    outbox_enqueue(purge_article_cache, article.pk, run_here=True)


def forget_article_page_on_commit(slug: str) -> None:
    """Drop the anonymous pages cached under `slug` once the transaction commits (an
    article's old address after a slug change; purge_article covers the slugs it saw)."""
    from django.db import transaction

    keys = [_article_page_key(slug, code) for code, _name in settings.LANGUAGES]
    transaction.on_commit(lambda: cache.delete_many(keys))


def purge_lists_on_commit() -> None:
    """purge_lists once the transaction commits (a tag's address changed)."""
    from django.db import transaction

    transaction.on_commit(purge_lists)
