"""In a real browser: an author deletes a draft through the confirmation step and restores
it with 撤销; on a 375×740 phone the staff nav stays on one line and its 更多 menu opens
without leaving the screen."""

import pytest
from playwright.sync_api import Browser, expect

from accounts import roles
from articles import services
from articles.models import Article
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}


def sign_in(browser: Browser, base_url: str, user, **context_args):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_args)
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")
    return page


def test_an_author_deletes_a_draft_after_confirming_and_restores_it(live_server, browser):
    author = UserFactory(username="e2e-trash", pen_name="林小满", roles=[roles.READER, roles.AUTHOR])
    draft = services.article_create_draft(
        actor=author, content=services.ArticleContent(title="写了一半的草稿", body="还没写完。")
    )
    page = sign_in(browser, live_server.url, author, viewport=PHONE)

    # From 我的文章 in the header to the draft's 删除.
    page.get_by_role("link", name="我的文章").click()
    item = page.locator(f"#mine-{draft.pk}")
    item.get_by_role("link", name="删除").click()
    expect(page.get_by_role("heading", name="删除《写了一半的草稿》？")).to_be_visible()
    expect(page.get_by_text("保留 30 天")).to_be_visible()

    # The button does nothing until the box is ticked (the browser asks; nothing is sent).
    page.get_by_role("button", name="移到回收站").click()
    assert Article.objects.get(pk=draft.pk).trashed_at is None
    page.get_by_label("我确认要删除这篇文章").check()
    page.get_by_role("button", name="移到回收站").click()
    expect(page.get_by_text("《写了一半的草稿》已移到回收站")).to_be_visible()
    assert Article.objects.get(pk=draft.pk).trashed_at is not None

    # 撤销 brings it back to 我的文章.
    page.locator(".trash-undo").get_by_role("button", name="撤销").click()
    expect(page.get_by_text("《写了一半的草稿》已恢复，回到了你的草稿里。")).to_be_visible()
    expect(page.locator(f"#mine-{draft.pk}")).to_be_visible()
    assert Article.objects.get(pk=draft.pk).trashed_at is None


def test_the_staff_nav_stays_on_one_line_on_a_phone(live_server, browser):
    staff = UserFactory(
        username="e2e-staff",
        pen_name="一个名字相当长的编辑",
        roles=[roles.READER, roles.AUTHOR, roles.EDITOR, roles.MODERATOR],
    )
    page = sign_in(browser, live_server.url, staff, viewport=PHONE)
    nav = page.locator(".site-nav")
    link_height = page.locator(".nav-links a").first.bounding_box()["height"]
    box = nav.bounding_box()
    # One line: the nav is no taller than one link (plus rounding), and nothing is cut off.
    assert box["height"] < link_height * 1.5, (box, link_height)
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, box
    assert page.evaluate(
        "() => { const l = document.querySelector('.nav-links'); return l.scrollWidth <= l.clientWidth; }"
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    for name in ("首页", "编辑台", "治理队列"):
        expect(page.locator(".nav-links").get_by_role("link", name=name)).to_be_visible()

    # 更多 opens without JavaScript's help (<details>) and stays on the screen.
    page.locator(".nav-more summary").click()
    panel = page.locator(".nav-more-panel")
    expect(panel.get_by_role("link", name="我的文章")).to_be_visible()
    expect(panel.get_by_role("button", name="退出")).to_be_visible()
    panel_box = panel.bounding_box()
    assert panel_box["x"] >= 0 and panel_box["x"] + panel_box["width"] <= PHONE["width"] + 0.5, panel_box
