"""A reader finds a published article on the home page and by a Chinese word, opens it and
comments; the comment appears without a page reload."""

import re

import pytest
from playwright.sync_api import expect

from accounts import roles
from articles import services
from tests.articles.conftest import content
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "私域流量退潮之后：小品牌还能做什么"
BODY = (
    "## 先说结论\n\n私域没有死。我们访谈的六个品牌里，复购率最高的那一家，社群里几乎不发促销信息。\n\n"
    "## 小品牌可以这样做\n\n把社群定位成售后与答疑，由懂产品的人值守。"
)


@pytest.fixture
def published_article():
    author = UserFactory(username="linxiaoman", pen_name="林小满", roles=[roles.READER, roles.AUTHOR])
    editor = UserFactory(username="zhoubianji", roles=[roles.READER, roles.EDITOR])
    draft = services.article_create_draft(
        actor=author, content=content(title=TITLE, summary="私域的下一阶段，比的是服务。", body=BODY, tags="私域、社群")
    )
    article = services.article_submit(actor=author, article=draft)
    article = services.article_claim(actor=editor, article=article)
    article = services.article_approve(actor=editor, article=article)
    return services.article_publish(actor=editor, article=article)


def sign_in(page, base_url: str, username: str, next_path: str) -> None:
    page.goto(f"{base_url}/accounts/login/?next={next_path}")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{next_path}")


def test_a_reader_finds_an_article_by_a_chinese_word_and_comments(live_server, page, published_article):
    UserFactory(username="reader-wang", pen_name="小王", roles=[roles.READER])
    article_path = published_article.get_absolute_url()

    # The article is on the home page.
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name=TITLE).first).to_be_visible()

    # A word from the middle of the body finds it; the hit is highlighted.
    page.get_by_role("search").get_by_label("搜索文章").fill("复购率")  # the header's search box
    page.get_by_role("search").get_by_label("搜索文章").press("Enter")
    expect(page.get_by_text("找到 1 篇相关文章")).to_be_visible()
    expect(page.locator(".search-hit mark").first).to_have_text("复购率")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**{article_path}")
    expect(page.get_by_text("来源 | 增长实验室")).to_be_visible()
    expect(page.get_by_role("link", name="私域")).to_be_visible()

    # A visitor is asked to sign in; after signing in the reader comments.
    page.get_by_role("link", name="登录", exact=True).last.click()
    page.get_by_label("用户名").fill("reader-wang")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(re.escape(article_path)))

    page.evaluate("window.__sameDocument = true")
    page.get_by_label("发表评论").fill("写得很实在，售后群这个思路我们也在试。")
    expect(page.get_by_text("还可以输入")).to_be_visible()
    page.get_by_role("button", name="发表评论").click()

    new_comment = page.locator("#comment-list .comment").last
    expect(new_comment).to_contain_text("写得很实在，售后群这个思路我们也在试。")
    expect(new_comment).to_contain_text("小王")
    expect(page.locator("#comment-count")).to_have_text("1")
    expect(page.get_by_text("评论已发表")).to_be_visible()
    expect(page.get_by_label("发表评论")).to_have_value("")
    assert page.evaluate("window.__sameDocument") is True  # no reload happened

    # Another visitor sees the comment too (the cached page was purged).
    other = page.context.browser.new_page()
    other.goto(live_server.url + article_path)
    expect(other.locator("#comment-list")).to_contain_text("写得很实在")
    other.close()


def test_a_blank_comment_is_refused_with_the_reason_in_the_form(live_server, page, published_article):
    UserFactory(username="reader-li", roles=[roles.READER])
    article_path = published_article.get_absolute_url()
    sign_in(page, live_server.url, "reader-li", article_path)
    page.get_by_label("发表评论").fill("   ")
    # The browser's own check stops a blank comment; the server says why if it gets one anyway.
    page.evaluate("document.querySelector('#comment-body').removeAttribute('required')")
    page.get_by_role("button", name="发表评论").click()
    expect(page.get_by_role("alert")).to_contain_text("评论不能为空")
    expect(page.locator("#comment-list .comment")).to_have_count(0)
