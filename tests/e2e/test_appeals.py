"""An appeal in a real browser, on a phone-sized screen: a muted reader appeals from
/feedback/, a second moderator asks a question, the reader answers, the moderator
overturns, and the reader can comment again at once and sees the notice."""

import os
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from accounts import roles
from articles.services_comments import comment_create
from moderation.models import Case, PenaltyStatus
from moderation.services import case_decide, report_create
from tests.articles.conftest import make_published
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 375, "height": 740}
# Set YUMAO_SCREENSHOTS=<folder> to keep phone-size screenshots of the pages for a look.
SCREENSHOTS = os.environ.get("YUMAO_SCREENSHOTS")


def sign_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.fixture
def muted_reader(seeded):
    author = UserFactory(username="e2e-author", roles=[roles.READER, roles.AUTHOR])
    editor = UserFactory(username="e2e-editor", roles=[roles.READER, roles.EDITOR])
    reader = UserFactory(username="e2e-reader", roles=[roles.READER])
    reporter = UserFactory(username="e2e-reporter", roles=[roles.READER])
    decider = UserFactory(username="e2e-decider", roles=[roles.READER, roles.MODERATOR])
    reviewer = UserFactory(username="e2e-reviewer", roles=[roles.READER, roles.MODERATOR])
    article = make_published(author, editor)
    comment = comment_create(article=article, author=reader, body="写得真烂，作者什么都不懂。")
    report_create(reporter=reporter, target=comment, rule_code="2.6")
    case = Case.objects.get(object_id=comment.pk, status="open")
    case_decide(actor=decider, case=case, action="penalize", rule_code="2.6", reason="贬低作者，属于不友善言论。")
    return {
        "reader": reader,
        "reviewer": reviewer,
        "article": article,
        "comment": comment,
        "penalty": case.penalties.get(),
    }


def test_a_muted_reader_appeals_and_a_second_moderator_overturns(browser, live_server, muted_reader):
    reader_context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    moderator_context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    sign_in(reader_context, live_server, muted_reader["reader"])
    sign_in(moderator_context, live_server, muted_reader["reviewer"])
    reader = reader_context.new_page()
    moderator = moderator_context.new_page()

    # The muted reader opens the feedback page and the appeal tab: the penalty is explained.
    reader.goto(live_server.url + "/feedback/")
    shot(reader, "feedback-page")
    assert overflow(reader) <= 0
    reader.get_by_role("link", name="处罚申诉").click()
    card = reader.locator(f"#penalty-{muted_reader['penalty'].pk}")
    expect(card).to_contain_text("禁言 1 天")
    expect(card).to_contain_text("条款原文")
    expect(card).to_contain_text("写得真烂，作者什么都不懂。")
    expect(card).to_contain_text("申诉期限")
    shot(reader, "feedback-appeal-tab")
    assert overflow(reader) <= 0
    card.get_by_label("申诉理由").fill("我是在评价文章写得不好，并没有攻击作者本人。")
    card.get_by_role("button", name="提交申诉").click()
    expect(reader.locator(".messages")).to_contain_text("申诉已提交")
    number = reader.locator(".appeal-facts dd.code").first.inner_text()

    # A second moderator asks a question.
    moderator.goto(live_server.url + "/moderation/appeals/")
    moderator.get_by_role("link", name=number).click()
    moderator.get_by_label("向申诉人提问").fill("“什么都不懂”说的是作者本人吗？")
    moderator.get_by_role("button", name="发送问题").click()
    expect(moderator.locator(".messages")).to_contain_text("问题已发给申诉人")

    # The reader sees it and answers.
    reader.reload()
    expect(reader.locator(".appeal-thread")).to_contain_text("说的是作者本人吗")
    expect(reader.locator(".appeal-thread")).not_to_contain_text("e2e-reviewer")
    reader.get_by_label("回复审核员").fill("说的是文章的论证，我可以把评论改得更客气。")
    reader.get_by_role("button", name="发送回复").click()
    expect(reader.locator(".messages")).to_contain_text("回复已发送")
    shot(reader, "appeal-page")
    assert overflow(reader) <= 0

    # The moderator overturns.
    moderator.reload()
    expect(moderator.locator(".appeal-thread")).to_contain_text("文章的论证")
    moderator.get_by_label("撤销处罚").check()
    moderator.get_by_label("审核理由").fill("批评的是文章而不是作者本人，不构成贬低。")
    moderator.get_by_role("button", name="提交审核结果").click()
    expect(moderator.locator(".messages")).to_contain_text("撤销处罚")
    shot(moderator, "appeal-review")
    muted_reader["penalty"].refresh_from_db()
    assert muted_reader["penalty"].status == PenaltyStatus.OVERTURNED

    # The reader can comment again at once, and sees the notice.
    reader.goto(live_server.url + muted_reader["article"].get_absolute_url())
    expect(reader.locator(f"#comment-{muted_reader['comment'].pk}")).to_contain_text("写得真烂")  # restored in place
    reader.get_by_label("发表评论").fill("谢谢重新审核，我会注意措辞。")
    reader.get_by_role("button", name="发表评论").click()
    expect(reader.locator("#comment-list .comment").last).to_contain_text("谢谢重新审核，我会注意措辞。")
    reader.goto(live_server.url + "/accounts/me/")
    expect(reader.locator("#notices")).to_contain_text("撤销处罚")
    expect(reader.locator("#appeals")).to_contain_text("撤销处罚")
    reader_context.close()
    moderator_context.close()


def test_a_visitor_files_a_copyright_complaint_from_the_article_and_confirms_it(page, live_server, seeded):
    import re

    from django.core import mail

    author = UserFactory(username="e2e-cr-author", roles=[roles.READER, roles.AUTHOR])
    editor = UserFactory(username="e2e-cr-editor", roles=[roles.READER, roles.EDITOR])
    article = make_published(author, editor)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="反馈举报").click()
    expect(page.locator(".feedback-tabs [aria-current]")).to_have_text("版权投诉")
    expect(page.get_by_label("被投诉的文章")).to_have_value(article.get_absolute_url())
    page.get_by_label("图片").check()
    page.get_by_label("侵权说明").fill("文中第二张配图是我拍摄的原图，未经授权使用。")
    page.get_by_label("权利人声明").fill("本人是该照片的拍摄者，享有著作权，保证所述属实。")
    page.get_by_label("权利人联系方式").fill("赵六 13900000000")
    page.get_by_label("你的邮箱").fill("photographer@example.test")
    shot(page, "feedback-copyright")
    assert overflow(page) <= 0
    mail.outbox.clear()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", name="请查收确认邮件")).to_be_visible()
    shot(page, "feedback-thanks")
    assert not Case.objects.filter(object_id=article.pk).exists()  # not before the address is confirmed
    link = re.search(r"http://\S+/feedback/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + "/" + link.split("://", 1)[1].split("/", 1)[1])
    page.get_by_role("button", name="确认提交").click()
    expect(page.locator(".messages")).to_contain_text("邮箱已确认")
    case = Case.objects.get(object_id=article.pk, status="open")
    assert case.evidence["complaints"][0]["infringed"] == ["images"]
