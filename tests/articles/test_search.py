import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import ArticleStatus
from articles.search import highlight, query_terms, search_articles, search_index_article, segment
from articles.selectors import article_list_searchable
from tests.articles.conftest import make_published
from tests.factories import ArticleFactory


def indexed(**fields):
    article = ArticleFactory(**fields)
    search_index_article(article)
    return article


def test_segment_uses_search_mode_so_long_words_also_yield_their_parts():
    tokens = segment("样本量不够时，A/B 测试还能不能做")
    assert "样本量" in tokens and "样本" in tokens
    assert "，" not in tokens and " " not in tokens


def test_query_terms_drop_particles_and_lone_letters_but_never_everything():
    assert query_terms("私域流量的 A/B测试") == ["私域", "流量", "测试"]
    assert query_terms("的") == ["的"]
    assert query_terms("   ") == []


def test_highlight_marks_terms_and_escapes_everything_else():
    html = highlight("<b>私域</b>流量 AI", ["私域", "ai"])
    assert html == "&lt;b&gt;<mark>私域</mark>&lt;/b&gt;流量 <mark>AI</mark>"


def test_highlight_joins_adjacent_hits_into_one_mark():
    assert highlight("复购率最高", ["复购", "率"]) == "<mark>复购率</mark>最高"


@pytest.mark.django_db
def test_search_finds_a_chinese_word_inside_a_sentence():
    # given an article whose body mentions 复购率 in the middle of a sentence
    wanted = indexed(title="小品牌的社群运营", body="我们访谈的六个品牌里，复购率最高的那一家几乎不发促销信息。")
    indexed(title="内容营销的误区", body="标题党和软文都不能带来长期的信任。")
    # when a reader searches for the word
    results, terms = search_articles(article_list_searchable(), "复购率")
    # then only that article is found
    assert list(results) == [wanted]
    assert terms == ["复购", "率"]


@pytest.mark.django_db
def test_every_query_term_must_match_and_title_hits_rank_first():
    in_body = indexed(title="社群的下一阶段", body="私域流量的运营要靠服务。")
    in_title = indexed(title="私域流量退潮之后", body="私域不是免费广告位。流量越来越贵。")
    indexed(title="流量的故事", body="只讲流量，不讲别的。")
    results, _ = search_articles(article_list_searchable(), "私域 流量")
    assert list(results) == [in_title, in_body]


@pytest.mark.django_db
def test_search_ignores_drafts_and_held_articles():
    indexed(title="草稿里的增长黑客", status=ArticleStatus.DRAFT, published_at=None)
    indexed(title="被暂扣的增长黑客", held=True)
    results, _ = search_articles(article_list_searchable(), "增长黑客")
    assert list(results) == []


@pytest.mark.django_db
def test_publishing_through_the_workflow_indexes_the_article(author, editor):
    body = "裂变海报的转化率只有千分之三。" * 3
    article = make_published(author, editor, title="裂变活动复盘：一次失败的拉新", body=body)
    results, _ = search_articles(article_list_searchable(), "转化率")
    assert list(results) == [article]


@pytest.mark.django_db
def test_search_page_highlights_the_hits(client):
    indexed(title="私域流量退潮之后", summary="小品牌如何把私域重新做成服务。", body="正文。")
    text = client.get("/search/", {"q": "私域"}).content.decode()
    assert "找到 1 篇相关文章" in text
    assert "<mark>私域</mark>流量退潮之后" in text


@pytest.mark.django_db
def test_excerpts_from_the_body_are_escaped_once(client):
    # given a body whose rendered HTML holds entities (R&D → R&amp;D, <b> as text → &lt;b&gt;)
    indexed(title="研发团队的增长", summary="", body="我们的 R&D 部门用 `<b>` 标签做实验。增长" * 8)
    # when a reader searches
    text = client.get("/search/", {"q": "增长"}).content.decode()
    # then the excerpt shows the characters, escaped exactly once for the page
    assert "R&amp;D" in text and "&amp;amp;" not in text
    assert "&lt;b&gt;" in text and "&amp;lt;" not in text


@pytest.mark.django_db
def test_an_ampersand_in_the_body_is_not_indexed_as_the_word_amp():
    article = indexed(title="研发", body="R&D 与 Q&A")
    assert "amp" not in article.search_text.split()


@pytest.mark.django_db
def test_search_page_says_so_when_nothing_matches(client):
    text = client.get("/search/", {"q": "区块链"}).content.decode()
    assert "没有找到与“区块链”相关的文章" in text


@pytest.mark.django_db
def test_search_page_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for n in range(25):
        indexed(title=f"增长实验第 {n} 期", body="增长团队的周报。")
    with django_assert_max_num_queries(3):
        assert client.get("/search/", {"q": "增长", "page": 2}).status_code == 200


@pytest.mark.django_db
def test_a_common_word_is_counted_up_to_the_candidates_and_ranked_among_the_newest(
    client, monkeypatch, django_assert_num_queries
):
    from articles import search

    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 12)
    older_title_hit = indexed(title="增长的老文章", body="增长。")
    newer = [indexed(title=f"第 {n} 期周报", body="团队的增长记录。") for n in range(14)]
    results, _ = search_articles(article_list_searchable(), "增长")
    assert results.count() == 12 and results.capped
    # the newest twelve only (the older title hit is past them), newest first at equal rank
    assert list(results) == sorted(newer, key=lambda a: (a.published_at, a.pk), reverse=True)[:12]
    assert older_title_hit not in list(results)
    text = client.get("/search/", {"q": "增长"}).content.decode()
    assert "找到约 12+ 篇相关文章" in text
    # two queries (the candidates' ids, the page's rows) on the first page and the last
    for page in (1, 2):
        with django_assert_num_queries(2):
            assert client.get("/search/", {"q": "增长", "page": page}).status_code == 200
    assert client.get("/search/", {"q": "增长", "page": 3}).status_code == 404


@pytest.mark.django_db
def test_below_the_cap_the_count_is_exact_and_title_hits_still_rank_first():
    for n in range(5):
        indexed(title=f"第 {n} 期周报", body="团队的增长记录。")
    in_title = indexed(title="增长团队怎么搭", body="先招人。")
    indexed(title="增长以外", status=ArticleStatus.DRAFT, published_at=None)
    results, _ = search_articles(article_list_searchable(), "增长")
    assert results.count() == 6 and not results.capped
    assert next(iter(results)) == in_title


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_search_reads_the_stored_vector_with_its_gin_index():
    from articles import search

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT is_generated, generation_expression FROM information_schema.columns "
            "WHERE table_name = 'articles_article' AND column_name = 'search_vector'"
        )
        generated, expression = cursor.fetchone()
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_vector_gin'")
        (indexdef,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'article_search_text_gin'")
        assert cursor.fetchone() == (0,)  # the expression index it replaces is gone
    assert generated == "ALWAYS" and "to_tsvector('simple'::regconfig, search_text)" in expression
    assert "USING gin (search_vector)" in indexdef
    article = indexed(title="第 1 篇：用户分层", body="用户分层的目的，是把资源花在最可能带来增长的人身上。")
    article.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        results, _ = search_articles(article_list_searchable(), "用户分层")
        assert list(results) == [article]
    candidates, page = (q["sql"] for q in queries.captured_queries)
    # the match on the stored column (what the GIN index answers), bounded, never counted
    assert '"articles_article"."search_vector" @@' in candidates
    assert f"LIMIT {search.SEARCH_CANDIDATES + 1}" in candidates
    assert "to_tsvector" not in candidates + page and "COUNT(" not in (candidates + page).upper()
    assert 'ts_rank("articles_article"."search_vector"' in page
