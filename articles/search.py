"""Search for Chinese text.

Chinese has no spaces between words, so a database's own full-text search cannot find a
word inside a sentence. We segment titles, summaries and bodies with jieba's search mode
(which also emits the shorter words inside long ones: 样本量 → 样本, 样本量) and store the
tokens, separated by spaces, in `Article.search_text`. The query is segmented the same way.

- PostgreSQL: a stored column `search_vector`, generated from search_text as
  `to_tsvector('simple', search_text)`, with a GIN index (migration 0011, PostgreSQL only);
  a query matches when every query term is in the vector.
- SQLite (the laptop default): the same AND of terms, as `icontains` on search_text.

The cost of a query does not follow the number of matches: the newest SEARCH_CANDIDATES
matches (one query, ids only, through the index) are the results, ranked among themselves
(ts_rank on the stored vector on PostgreSQL, plus a bonus for terms in the title), and
their number is the count shown — capped, so a common word says 「找到约 500+ 篇」 instead of
counting every match. An older match past the newest 500 is reached with more words.

`search_index_article(article)` fills search_text; the workflow calls it when an article is
published or a published article is edited (article_publish and the edit service), and
`article_search_text_refresh` below rebuilds every published article (seed_demo, or after
changing the dictionary).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import Case, FloatField, Func, Q, QuerySet, Value, When
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from articles.rendering import markdown_to_html
from moderation.scanner.segment import tokenizer

if TYPE_CHECKING:
    from articles.models import Article

# Particles that carry no meaning on their own; a query made only of them keeps them.
QUERY_STOPWORDS = frozenset("的了是在和与及或也都就还吗呢吧啊呀之而着把被个这那")
MAX_QUERY_TERMS = 12
# A token is worth indexing when it holds at least one letter, digit or CJK character.
_WORDISH = re.compile(r"\w", re.UNICODE)


def segment(text: str) -> list[str]:
    """Search-mode tokens of `text`, lower-cased, without punctuation and spaces."""
    if not text:
        return []
    tokens = []
    # The scanner's jieba: initialised once per process, its cache under YUMAO_VAR_DIR.
    for token in tokenizer().cut_for_search(text):
        token = token.strip().lower()
        if token and _WORDISH.search(token):
            tokens.append(token)
    return tokens


def query_terms(query: str) -> list[str]:
    """The distinct terms of a reader's query, segmented like the indexed text."""
    seen: dict[str, None] = {}
    for token in segment(query[:200]):
        seen.setdefault(token, None)
    terms = list(seen)
    # Particles and lone Latin letters (the "a" and "b" of "A/B") match almost anything.
    meaningful = [t for t in terms if t not in QUERY_STOPWORDS and not (len(t) == 1 and t.isascii())]
    return (meaningful or terms)[:MAX_QUERY_TERMS]


def html_to_text(body_html: str) -> str:
    """The text a reader sees in rendered HTML: tags dropped and entities decoded.

    strip_tags() keeps entities, so "R&D" stays "R&amp;D": indexed, that is the word
    "amp"; escaped again by highlight(), it showed the reader a literal "&amp;".
    """
    return html.unescape(strip_tags(body_html))


def build_search_text(article: Article, *, body_html: str | None = None) -> str:
    """Space-separated tokens of title, summary and body (the title on the first line)."""
    if body_html is None:
        body_html = markdown_to_html(article.body)
    title = " ".join(segment(article.title))
    rest = " ".join(segment(f"{article.summary or ''}\n{html_to_text(body_html)}"))
    return f"{title}\n{rest}"


def search_index_article(article: Article) -> None:
    """Store what is derived from the article's text: the segmented search text and the
    rendered body HTML. Call it when an article is published and on every later edit
    (articles.services does); the public page then never renders Markdown itself."""
    body_html = markdown_to_html(article.body)
    text = build_search_text(article, body_html=body_html)
    type(article).objects.filter(pk=article.pk).update(search_text=text, body_html=body_html)
    article.search_text = text
    article.body_html = body_html


def article_search_text_refresh(*, queryset: QuerySet | None = None, batch_size: int = 200) -> int:
    """Re-segment many articles (all published ones by default). Returns how many."""
    from articles.models import Article, ArticleStatus

    if queryset is None:
        queryset = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    done = 0
    # Batches keep memory flat on a large site; each batch is one UPDATE per article.
    for article in queryset.only("id", "title", "summary", "body").iterator(chunk_size=batch_size):
        search_index_article(article)
        done += 1
    return done


# The newest matches that are ranked and paged through; their number is the count shown.
SEARCH_CANDIDATES = 500


class _StoredVector(Func):
    """The stored `search_vector` column of the article table (migration 0011). Not a model
    field, since SQLite has none: only used on PostgreSQL, in queries on the table itself."""

    template = '"articles_article"."search_vector"'
    arity = 0
    output_field = SearchVectorField()


class SearchResults:
    """The ranked results of one query, as Django's Paginator reads a list: `count()` (the
    candidates found, at most SEARCH_CANDIDATES), slicing and iteration (the ranked rows).

    `capped` is true when there were more matches than candidates.
    """

    ordered = True

    def __init__(self, ranked: QuerySet, ids: list[int]):
        self.capped = len(ids) > SEARCH_CANDIDATES
        self.ids = ids[:SEARCH_CANDIDATES]
        self.ranked = ranked

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        return self.ranked[index]

    def __iter__(self):
        return iter(self.ranked)


def _tsquery(terms: list[str]) -> SearchQuery:
    tsquery = None
    for term in terms:
        part = SearchQuery(term, config="simple", search_type="plain")
        tsquery = part if tsquery is None else tsquery & part
    return tsquery


def search_articles(queryset: QuerySet, query: str) -> tuple[SearchResults | QuerySet, list[str]]:
    """Filter `queryset` (published articles) to those matching `query`, best first.

    Returns the ranked results (SearchResults: a capped count and the rows, for the
    paginator) and the query terms (for highlighting). Two queries: the candidates' ids
    (the newest matches, one more than SEARCH_CANDIDATES to tell whether there are more),
    then the rows of a page, ranked. An empty or meaningless query returns no articles.
    """
    terms = query_terms(query)
    if not terms:
        return queryset.none(), []
    title_bonus = sum(
        (Case(When(title__icontains=term, then=Value(1.0)), default=Value(0.0), output_field=FloatField()))
        for term in terms
    )
    if connection.vendor == "postgresql":
        tsquery = _tsquery(terms)
        matching = queryset.alias(search_vector=_StoredVector()).filter(search_vector=tsquery)
        rank = SearchRank(_StoredVector(), tsquery) + title_bonus
    else:
        condition = Q()
        for term in terms:
            condition &= Q(search_text__icontains=term)
        matching = queryset.filter(condition)
        rank = title_bonus
    ids = list(matching.order_by("-published_at", "-id").values_list("id", flat=True)[: SEARCH_CANDIDATES + 1])
    ranked = (
        queryset.filter(id__in=ids[:SEARCH_CANDIDATES]).annotate(rank=rank).order_by("-rank", "-published_at", "-id")
    )
    return SearchResults(ranked, ids), terms


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` HTML-escaped, with every occurrence of the terms wrapped in <mark>."""
    if not text:
        return mark_safe("")
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    parts = []
    last = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    # Adjacent hits (复购 + 率) read as one highlighted word.
    return mark_safe("".join(parts).replace("</mark><mark>", ""))  # noqa: S308 — every piece is escaped above


EXCERPT_LENGTH = 120


def excerpt(text: str, terms: list[str], *, length: int = EXCERPT_LENGTH) -> str:
    """A window of `text` around the first hit, with ellipses where it was cut."""
    text = re.sub(r"\s+", " ", text or "").strip()
    if len(text) <= length:
        return text
    lowered = text.lower()
    hits = [pos for pos in (lowered.find(t.lower()) for t in terms) if pos >= 0]
    start = max(0, min(hits) - length // 4) if hits else 0
    start = min(start, len(text) - length)
    piece = text[start : start + length]
    return ("…" if start > 0 else "") + piece + ("…" if start + length < len(text) else "")


@dataclass(frozen=True)
class SearchHit:
    article: Article
    title_html: SafeString
    excerpt_html: SafeString


def search_hits(articles, terms: list[str]) -> list[SearchHit]:
    """Highlighted title and excerpt for each article of one result page."""
    hits = []
    for article in articles:
        body_text = html_to_text(article.body_html or markdown_to_html(article.body))
        source = f"{article.summary} {body_text}" if article.summary else body_text
        hits.append(SearchHit(article, highlight(article.title, terms), highlight(excerpt(source, terms), terms)))
    return hits
