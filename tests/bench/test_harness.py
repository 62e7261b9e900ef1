"""The benchmark harness works: bulk seeding (bench.scale) writes the rows the services
would, and the external floor (bench/floor) answers. Timings are printed by the benchmarks,
never asserted here."""

import random

import pytest

from accounts import roles
from accounts.models import User
from articles import selectors
from articles.models import Article, ArticleStatus, Comment, CommentStatus
from articles.rendering import markdown_to_html
from articles.search import build_search_text, search_articles
from bench import ratios, scale
from bench.pages import _free_port, _get
from moderation.models import Case, CaseStatus, Penalty
from tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db
def test_bulk_seeding_writes_rows_as_the_services_would(seeded):
    rng = random.Random(3)
    pool = scale.BodyPool(rng, size=4)
    users = scale.seed_users(40, authors=3, rng=rng)
    tag_ids = scale.seed_tags(4)
    ids = scale.seed_articles(10, pen_names=users["pen_names"], tag_ids=tag_ids, pool=pool, rng=rng)
    measured = ids[4]
    scale.seed_comments(150, article_ids=ids, user_ids=users["ids"], measured_id=measured, rng=rng)
    moderator = UserFactory(username="scale-mod", roles=[roles.READER, roles.MODERATOR])
    opened, decided = scale.seed_cases(3, 1, user_ids=users["ids"][-15:], moderator=moderator, rng=rng)

    reader = User.objects.get(pk=users["ids"][-1])
    reader.full_clean()
    assert reader.check_password(scale.PASSWORD)
    assert list(reader.groups.values_list("name", flat=True)) == [roles.READER]
    author = User.objects.get(pk=users["author_ids"][0])
    assert set(author.groups.values_list("name", flat=True)) == {roles.READER, roles.AUTHOR}
    assert author.pen_name

    articles = Article.objects.filter(pk__in=ids).select_related("author")
    assert Article.objects.public().filter(pk__in=ids).count() == len(ids) == 10
    for article in articles:
        article.full_clean()
        assert article.status == ArticleStatus.PUBLISHED
        assert article.slug == str(article.pk)
        assert article.byline == article.author.pen_name
        assert article.body_html == markdown_to_html(article.body)
        assert article.search_text == build_search_text(article, body_html=article.body_html)
        assert article.revisions.get().number == 1
        assert 1 <= article.tags.count() <= 3
    # Search finds a seeded article by a word of its title.
    newest = articles.order_by("-published_at").first()
    found, _terms = search_articles(selectors.article_list_searchable(), newest.title.split("的")[0])
    assert newest in list(found)
    # The sequences moved past the copied ids: the next row made the usual way gets a new one.
    assert UserFactory().pk > max(users["ids"])

    comments = Comment.objects.filter(article_id__in=ids)
    assert comments.count() == 150
    # Visible and hidden as seeded; removed where a penalty took the comment down.
    assert set(comments.values_list("status", flat=True)) <= set(CommentStatus.values)
    for reply in comments.filter(parent__isnull=False).select_related("parent")[:30]:
        reply.full_clean()
        assert reply.parent.parent_id is None
        assert reply.parent.article_id == reply.article_id
        assert reply.reply_to_id == reply.parent.author_id
    for hidden in comments.filter(status=CommentStatus.HIDDEN).exclude(pk__in=Case.objects.values("object_id")):
        assert hidden.hidden_reason
    page = selectors.comment_page_for_article(article=Article.objects.get(pk=measured))
    assert page.total == scale.MEASURED_COMMENTS

    assert opened >= 2 and decided == 1
    assert Case.objects.filter(status=CaseStatus.OPEN).count() == opened - decided
    assert Penalty.objects.filter(case__isnull=False).count() == decided


def test_the_floor_project_answers():
    port = _free_port()
    server = ratios.gunicorn("bench.floor.wsgi:application", port, ratios.floor_env())
    try:
        ratios._wait_for(port, "/", server)
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/")
        response = conn.getresponse()
        assert (response.status, response.read()) == (200, b"ok")
        # Its four middleware are there: security, common, clickjacking and CSRF.
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        assert response.getheader("X-Frame-Options") == "DENY"
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/", body=b"", headers={"Content-Length": "0"})
        assert conn.getresponse().status == 403
        conn.close()
        assert _get(port, "/nothing-here/") == 404
    finally:
        ratios._stop(server)
