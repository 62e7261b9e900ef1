"""A new article's address is proposed from its title (Chinese kept, short, unique);
all-digit slugs stay reserved for article numbers."""

from urllib.parse import quote

from articles import addresses
from articles.addresses import ARTICLE_SLUG_PROPOSED_MAX
from tests.articles.conftest import make_draft, make_published


def test_a_chinese_title_gives_a_readable_address_not_a_number(client, author, editor):
    article = make_published(author, editor, title="私域流量的三个误区：从 ＡＩ 开始")
    assert article.slug == "私域流量的三个误区-从-ai-开始"
    assert article.get_absolute_url() == f"/a/{quote(article.slug)}/"
    assert client.get(article.get_absolute_url()).status_code == 200


def test_the_same_title_twice_gets_a_suffix(author):
    first = make_draft(author, title="同一个标题")
    second = make_draft(author, title="同一个标题")
    third = make_draft(author, title="同一个标题")
    assert (first.slug, second.slug, third.slug) == ("同一个标题", "同一个标题-2", "同一个标题-3")


def test_a_long_title_is_cut_short(author):
    article = make_draft(author, title="很长的标题" * 20)
    assert 0 < len(article.slug) <= ARTICLE_SLUG_PROPOSED_MAX
    long_again = make_draft(author, title="很长的标题" * 20)
    assert len(long_again.slug) <= ARTICLE_SLUG_PROPOSED_MAX and long_again.slug.endswith("-2")


def test_a_title_of_digits_or_punctuation_keeps_the_article_number(author):
    digits = make_draft(author, title="2024")
    assert digits.slug == str(digits.pk)
    marks = make_draft(author, title="？！……")
    assert marks.slug == str(marks.pk)


def test_an_address_that_redirects_is_not_proposed_again(author, editor):
    moved = make_published(author, editor, title="旧标题")
    addresses.article_set_slug(actor=editor, article=moved, slug="新地址")
    # /a/旧标题/ now redirects to /a/新地址/: a new article must not take it over
    assert make_draft(author, title="旧标题").slug == "旧标题-2"
