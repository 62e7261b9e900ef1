"""Reports and cases in a real browser: a reader reports a comment, a moderator applies the
proposed 1-day mute from the case page, the commenter is told until when they are muted,
and the reporter finds the outcome in their notices."""

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from accounts import roles
from articles.services_comments import comment_create
from moderation.models import Case, Penalty
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOT = "var/e2e-case-page-phone.png"


def signed_in_page(browser, browser_context_args, live_server, user, *, phone=False):
    client = Client()
    client.force_login(user)
    options = dict(browser_context_args)
    if phone:
        options["viewport"] = {"width": 375, "height": 740}
    context = browser.new_context(**options)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_a_reported_comment_leads_to_a_one_day_mute_the_commenter_and_reporter_are_told(
    seeded, live_server, browser, browser_context_args
):
    # given: a published article with a rude comment, a reader, a moderator
    article = ArticleFactory(title="私域流量退潮之后", author=UserFactory(roles=[roles.READER, roles.AUTHOR]))
    commenter = UserFactory(username="rude-one", pen_name="暴躁网友", roles=[roles.READER])
    comment = comment_create(article=article, author=commenter, body="这篇文章写得真烂，作者根本不懂行")
    reader = UserFactory(username="reader-li", pen_name="小李", roles=[roles.READER])
    moderator = UserFactory(username="mod-zhao", roles=[roles.READER, roles.MODERATOR])
    article_url = live_server.url + article.get_absolute_url()

    # when: the reader reports the comment through the dialog
    page = signed_in_page(browser, browser_context_args, live_server, reader)
    page.goto(article_url)
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="举报").click()
    dialog = page.locator("dialog.report-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("举报理由").select_option("2.6")
    expect(dialog.locator("[data-rule-help]")).to_contain_text("不要使用脏话")
    dialog.get_by_label("补充说明（选填）").fill("人身攻击作者")
    dialog.get_by_role("button", name="提交举报").click()
    expect(dialog.get_by_text("已收到你的举报")).to_be_visible()
    assert page.url == article_url  # the dialog never left the article
    case = Case.objects.get(object_id=comment.pk, status="open")

    # then: the moderator opens the case from the queue, on a phone
    mod = signed_in_page(browser, browser_context_args, live_server, moderator, phone=True)
    mod.goto(live_server.url + "/moderation/")
    row = mod.locator(f"#case-{case.pk}")
    expect(row).to_contain_text("2.6")
    expect(row).to_contain_text("1 人举报")
    row.get_by_role("link", name="查看并处理").click()
    mod.wait_for_url(f"**/moderation/cases/{case.pk}/")
    proposal = mod.locator(".proposal")
    expect(proposal).to_contain_text("建议处罚：禁言 1 天")
    expect(proposal).to_contain_text("条款 2.6 的严重程度为“中”，基础等级 1。")
    expect(proposal).to_contain_text("近 180 天内有 0 次确认的违规")
    expect(mod.get_by_text("人身攻击作者")).to_be_visible()
    assert overflow(mod) <= 0
    mod.screenshot(path=SCREENSHOT, full_page=True)

    mod.get_by_label("处罚当事人").check()
    expect(mod.get_by_label("处罚等级")).to_have_value("1")
    mod.get_by_label("处理理由").fill("辱骂作者，违反公约 2.6")
    mod.get_by_role("button", name="提交决定").click()
    expect(mod.locator(".errorlist", has_text="请勾选确认")).to_be_visible()  # nothing destructive without it
    assert not Penalty.objects.exists()
    mod.get_by_label("我已核对证据").check()
    mod.get_by_role("button", name="提交决定").click()
    expect(mod.locator(".messages")).to_contain_text("已处罚当事人：禁言 1 天")
    expect(mod.locator(".decision")).to_contain_text("辱骂作者，违反公约 2.6")
    penalty = Penalty.objects.get(user=commenter)
    until = timezone.localtime(penalty.expires_at).strftime("%Y-%m-%d %H:%M")

    # and: the commenter is told until when they cannot comment
    rude = signed_in_page(browser, browser_context_args, live_server, commenter)
    rude.goto(article_url)
    rude.locator(".comment-form textarea").fill("我就要说")
    rude.locator(".comment-form").get_by_role("button", name="发表评论").click()
    expect(rude.locator(".comment-form")).to_contain_text("禁言")
    expect(rude.locator(".comment-form")).to_contain_text(until)

    # and: the reporter finds the outcome in their notices
    page.goto(live_server.url + "/accounts/me/")
    notices = page.locator("#notices")
    expect(notices).to_contain_text("你举报的评论")
    expect(notices).to_contain_text("违反社区公约 2.6")
