"""The editorial workflow in a real browser (issue 5): an author writes and submits in the
real form; an editor claims, comments and requests changes; the author revises; the editor
approves and publishes; a reader finds the article on the home page.

The story is split into steps (functions below) so other tests can continue it — e.g.
searching for the article and commenting on it — from `publish_through_the_workflow`.
"""

from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts import roles
from articles.models import Article, ArticleStatus
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "社群运营的冷启动：从第一个一百人开始"
SUMMARY = "没有预算的时候，怎样找到最早的一百位用户。"
BODY = (
    "## 先想清楚为谁服务\n\n"
    "冷启动阶段最重要的是找准第一批种子用户，他们的反馈决定了社群的基调。\n\n"
    "## 用内容留住人\n\n"
    "每周固定发布两篇实用的行业观察，让新成员一进群就有收获。"
)
REVISION = "\n\n## 复盘\n\n我们用六周时间把社群做到了一百二十人，其中三成来自老成员的推荐。"


@dataclass
class Cast:
    author: object
    editor: object
    reader: object


@pytest.fixture
def cast(transactional_db) -> Cast:
    return Cast(
        author=UserFactory(username="e2e-author", pen_name="林小满", roles=[roles.READER, roles.AUTHOR]),
        editor=UserFactory(username="e2e-editor", pen_name="周编辑", roles=[roles.READER, roles.EDITOR]),
        reader=UserFactory(username="e2e-reader", roles=[roles.READER]),
    )


def sign_in(browser: Browser, base_url: str, user) -> Page:
    """A fresh browser context signed in as `user` (each person has their own session)."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")
    return page


def author_writes_and_submits(page: Page, base_url: str) -> Article:
    page.goto(f"{base_url}/submit/")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("摘要").fill(SUMMARY)
    page.get_by_label("正文（Markdown）").fill(BODY)
    # The live preview renders the Markdown on the server.
    expect(page.locator("#preview h2").first).to_have_text("先想清楚为谁服务")
    page.get_by_label("标签").fill("社群、增长")
    page.get_by_label("来源", exact=True).fill("增长实验室")
    page.get_by_role("button", name="投稿").click()
    expect(page.locator(".message.success")).to_contain_text("投稿成功")
    return Article.objects.get(title=TITLE)


def editor_claims_comments_and_requests_changes(page: Page, base_url: str, article: Article) -> None:
    page.goto(f"{base_url}/editor/")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="认领审稿").click()
    expect(page.locator(".message.success")).to_contain_text("已认领")
    page.get_by_label("新留言").fill("开头很好，结尾缺一段复盘数据。")
    page.get_by_role("button", name="发布留言").click()
    expect(page.locator(".editorial-thread")).to_contain_text("结尾缺一段复盘数据")
    page.locator("summary", has_text="要求作者修改").click()
    page.get_by_label("修改意见（会发给作者）").fill("请在结尾补充一段复盘，写清楚用了多久、来了多少人。")
    page.get_by_role("button", name="发送修改意见").click()
    expect(page.locator(".message.success")).to_contain_text("已请作者修改")


def author_revises(page: Page, base_url: str, article: Article) -> None:
    page.goto(f"{base_url}/submit/mine/")
    expect(page.locator(".mine-item")).to_contain_text("待修改")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator(".editorial-thread")).to_contain_text("请在结尾补充一段复盘")
    body = page.get_by_label("正文（Markdown）")
    body.fill(BODY + REVISION)
    page.get_by_label("给编辑的说明").fill("已补充复盘数据。")
    page.get_by_role("button", name="提交修改稿").click()
    expect(page.locator(".message.success")).to_contain_text("修改稿已提交")


def editor_approves_and_publishes(page: Page, base_url: str, article: Article) -> None:
    page.goto(f"{base_url}/editor/articles/{article.pk}/")
    # The revision diff shows what the author added.
    expect(page.locator(".diff")).to_contain_text("六周时间")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".message.success")).to_contain_text("已审核通过")
    page.get_by_role("button", name="立即发布").click()
    expect(page.locator(".message.success")).to_contain_text("已发布")


def publish_through_the_workflow(browser: Browser, base_url: str, cast: Cast) -> Article:
    """The whole editorial story up to publication; returns the published article."""
    author_page = sign_in(browser, base_url, cast.author)
    editor_page = sign_in(browser, base_url, cast.editor)
    article = author_writes_and_submits(author_page, base_url)
    editor_claims_comments_and_requests_changes(editor_page, base_url, article)
    author_revises(author_page, base_url, article)
    editor_approves_and_publishes(editor_page, base_url, article)
    article.refresh_from_db()
    return article


def test_an_article_goes_from_the_authors_form_to_the_home_page(live_server, browser, page, cast):
    article = publish_through_the_workflow(browser, live_server.url, cast)
    assert article.status == ArticleStatus.PUBLISHED
    assert article.revisions.count() == 2 and "六周时间" in article.body
    # A reader finds it on the home page and opens it.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    expect(page.locator("article h1")).to_have_text(TITLE)
    expect(page.locator(".prose")).to_contain_text("六周时间")


def test_autosave_keeps_a_new_draft_without_leaving_the_page(live_server, browser, cast):
    page = sign_in(browser, live_server.url, cast.author)
    page.goto(f"{live_server.url}/submit/")
    page.get_by_label("标题").fill("还没写完的草稿")
    page.get_by_label("正文（Markdown）").fill("先记下一个想法。")
    # The same save the 30-second timer makes, triggered at once with Ctrl+S.
    page.get_by_label("正文（Markdown）").press("Control+s")
    expect(page.locator("[data-autosave-status]")).to_contain_text("已自动保存")
    draft = Article.objects.get(title="还没写完的草稿")
    page.wait_for_url(f"**/submit/{draft.pk}/edit/")
    assert draft.status == ArticleStatus.DRAFT and draft.body == "先记下一个想法。"


def test_submission_form_fits_a_phone_screen(live_server, browser, cast):
    page = sign_in(browser, live_server.url, cast.author)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/submit/")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    # The reprint fields appear only for a reprint.
    expect(page.get_by_label("原文链接")).to_be_hidden()
    page.get_by_label("转载", exact=True).check()
    expect(page.get_by_label("原文链接")).to_be_visible()


def test_text_that_never_reached_the_server_is_offered_back(live_server, browser, cast):
    page = sign_in(browser, live_server.url, cast.author)
    page.goto(f"{live_server.url}/submit/")
    page.get_by_label("标题").fill("断网时写的标题")
    page.get_by_label("正文（Markdown）").fill("这一段还没来得及保存。")
    # The connection drops before any save; the author opens the form again in a new tab.
    again = page.context.new_page()
    again.goto(f"{live_server.url}/submit/")
    banner = again.locator("[data-local-backup]")
    expect(banner).to_be_visible()
    again.get_by_role("button", name="恢复这份内容").click()
    expect(again.get_by_label("标题")).to_have_value("断网时写的标题")
    expect(again.get_by_label("正文（Markdown）")).to_have_value("这一段还没来得及保存。")
