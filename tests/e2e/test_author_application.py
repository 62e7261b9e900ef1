"""The author programme in a real browser: a reader applies, an editor approves, and the
new author's /submit/ no longer shows the not-an-author notice."""

import pytest

from accounts.models import ApplicationStatus, AuthorApplication
from tests.accounts.factories import user_in_role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

NOT_AN_AUTHOR = "你还不是本站作者"


def _sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


def _sign_out(page):
    page.locator(".nav-more summary").click()  # 退出 is in the header's 更多 menu
    page.get_by_role("button", name="退出").click()


def test_reader_applies_editor_approves_and_the_new_author_may_submit(live_server, page):
    user_in_role("reader", username="reader-chen")
    user_in_role("editor", username="editor-zhou")
    base = live_server.url

    # A reader sees the notice on /submit/, follows it to the programme and applies.
    _sign_in(page, base, "reader-chen")
    page.goto(f"{base}/submit/")
    assert NOT_AN_AUTHOR in page.content()
    page.get_by_role("link", name="了解如何成为作者").click()
    page.wait_for_url(f"{base}/become-author/")
    page.get_by_label("笔名").fill("陈十一")
    page.get_by_label("个人简介").fill("做了六年内容营销，现在负责一个 SaaS 产品的增长。")
    page.get_by_label("过往作品链接").fill("https://example.test/articles/retention")
    page.get_by_label("申请理由").fill("想把这几年做留存实验的经验写成系列文章。")
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()
    assert page.get_by_text("申请已提交").is_visible()
    assert page.get_by_text("正在审核中").first.is_visible()
    _sign_out(page)

    # An editor finds it from the header and approves it.
    _sign_in(page, base, "editor-zhou")
    page.locator(".nav-more summary").click()  # 作者申请 is in the header's 更多 menu
    page.get_by_role("link", name="作者申请").click()
    page.wait_for_url(f"{base}/become-author/review/")
    card = page.locator("article.application", has_text="陈十一")
    card.get_by_label("审核意见").fill("欢迎加入，期待你的第一篇文章。")
    card.get_by_role("button", name="通过", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("已通过 reader-chen 的申请").is_visible()
    assert page.get_by_text("目前没有待审核的申请").is_visible()
    _sign_out(page)
    assert AuthorApplication.objects.get().status == ApplicationStatus.APPROVED

    # The new author: the header no longer offers the programme, /submit/ has no notice.
    _sign_in(page, base, "reader-chen")
    assert page.locator(".site-nav a", has_text="成为作者").count() == 0
    response = page.goto(f"{base}/submit/")
    assert response.status == 200
    assert NOT_AN_AUTHOR not in page.content()
    page.goto(f"{base}/accounts/me/")
    assert page.locator("main").get_by_text("陈十一").first.is_visible()  # the header has it in 更多


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_account_pages_fit_a_phone_screen(live_server, page):
    page.set_viewport_size({"width": 375, "height": 740})
    for path in ["/become-author/", "/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"]:
        page.goto(live_server.url + path)
        assert _overflow(page) <= 0, path

    applicant = user_in_role("reader", username="a-rather-long-user-name-for-a-small-screen")
    AuthorApplication.objects.create(
        user=applicant,
        pen_name="长长的笔名",
        bio="简介",
        links="https://example.test/a/very/long/link/that/should/wrap/instead/of/overflowing/the/phone/screen",
        motivation="想写一写增长实验的复盘。",
    )
    user_in_role("editor", username="editor-phone")
    _sign_in(page, live_server.url, "editor-phone")
    for path in ["/accounts/me/", "/become-author/review/"]:
        page.goto(live_server.url + path)
        assert _overflow(page) <= 0, path
