import pytest
from django.db import connection

from articles.models import Article, ArticleStatus
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


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_search_uses_the_gin_index_over_the_segmented_text():
    for n in range(30):
        indexed(title=f"第 {n} 篇：用户分层", body="用户分层的目的，是把资源花在最可能带来增长的人身上。")
    assert search_articles(article_list_searchable(), "用户分层")[0].count() == 30
    # The search condition alone (no status filter the planner could prefer instead):
    # PostgreSQL can only avoid a sequential scan if its expression matches the index.
    results, _ = search_articles(Article.objects.all(), "用户分层")
    sql, params = results.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "article_search_text_gin" in plan, plan
