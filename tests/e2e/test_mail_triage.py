"""E-mail submissions in a real browser (issue 10): a manuscript e-mailed in (GBK text, a
cover image, a contact-trading line the scanner holds) is ingested by the real service; an
editor finds it from /editor/, reads it on a phone-size screen, releases the hold with a
reason, accepts it with a message, and lands on the new draft, which carries the
submitter's name. The submitter's acknowledgement and the editor's message are in the
outbox."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from accounts import roles
from articles.mail.ingest import submission_ingest
from articles.mail.models import Submission, SubmissionStatus
from articles.models import Article, ArticleStatus
from tests.articles.mail_builders import MANUSCRIPT, submission_mail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 375, "height": 740}
# Set YUMAO_SCREENSHOTS=<folder> to keep phone-size screenshots of the pages for a look.
SCREENSHOTS = os.environ.get("YUMAO_SCREENSHOTS")
EDITOR_MESSAGE = "王老师好，我是周编辑。稿子的三个阶段写得很清楚，我们准备发表，这周内把编辑意见发给你。"


def sign_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def test_an_editor_accepts_an_e_mailed_manuscript_and_the_draft_carries_the_submitters_name(live_server, browser):
    # given a manuscript that came in by e-mail, acknowledged by the ingest service
    raw = submission_mail(body=MANUSCRIPT + "\n\n想交流的朋友加我薇信 abc12345。", image=True)
    result = submission_ingest(raw=raw, source="test")
    submission = Submission.objects.get(pk=result.submission_id)
    editor = UserFactory(username="e2e-editor", pen_name="周编辑", roles=[roles.READER, roles.EDITOR])
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE)
    sign_in(context, live_server, editor)
    page = context.new_page()

    # when the editor opens the mail tab from the dashboard and then the submission
    page.goto(f"{live_server.url}/editor/")
    expect(page.locator('[data-queue-count="mail"]')).to_have_text("1")
    page.get_by_role("link", name="邮件投稿").click()
    expect(page.locator(f'[data-submission="{submission.pk}"]')).to_contain_text("审核暂扣")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    shot(page, "mail-queue-phone")
    page.get_by_role("link", name="投稿：私域流量的三次转折").click()
    page.wait_for_url(f"**/editor/mail/{submission.pk}/")
    # then the decoded text is there with the scanner's finding marked, and the image previewed
    expect(page.locator("[data-submission-text]")).to_contain_text("企业微信精细化运营")
    expect(page.locator("[data-submission-text] mark.hit")).to_contain_text("薇信 abc12345")
    preview = page.locator(".attachment-previews img")
    expect(preview).to_have_attribute("alt", "封面图.png")
    preview.scroll_into_view_if_needed()
    # The preview really is the image (served by the permission-checked view), not a broken icon.
    preview.evaluate("img => img.decode()")
    assert preview.evaluate("img => img.naturalWidth") == 160
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    shot(page, "mail-triage-phone")

    # and the contact-trading line held it: accepting is refused until a person decides
    expect(page.locator(".workspace-header .message.error")).to_contain_text("审核暂扣")
    page.get_by_role("button", name="采用并通知投稿人").click()
    expect(page.locator(".messages")).to_contain_text("没有完成：这份投稿被内容审核暂扣")
    # when the editor releases it with a reason, then accepts it with their message
    page.get_by_label("处理理由（记入操作记录）").fill("作者留的是个人联系方式，发表前会删掉，不是引流。")
    page.get_by_role("button", name="放行（误报或无害）").click()
    expect(page.locator(".message.success")).to_contain_text("已放行扫描结果")
    page.get_by_label("给投稿人的话（会发给投稿人）").fill(EDITOR_MESSAGE)
    page.get_by_role("button", name="采用并通知投稿人").click()

    # then they land on the new draft, which carries the submitter's name
    expect(page.locator(".message.success")).to_contain_text("已采用：草稿《投稿：私域流量的三次转折》已创建")
    expect(page.locator(".workspace-header")).to_contain_text("投稿：王晓明")
    expect(page.locator(".review-article")).to_contain_text("作者 | 王晓明")
    shot(page, "mail-accepted-draft-phone")
    # and the editor hands the draft on, so it enters the workflow like any submission
    page.get_by_role("button", name="代投稿人提交审稿").click()
    expect(page.locator(".message.success")).to_contain_text("已代投稿人提交审稿")
    expect(page.get_by_role("button", name="认领审稿")).to_be_visible()
    article = Article.objects.get()
    assert article.status == ArticleStatus.SUBMITTED and article.byline == "王晓明"
    assert article.external_submitter_email == "wang.xiaoming@example.cn"
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED and submission.contact_editor == editor

    # and the outbox holds the acknowledgement and the editor's message, both to the submitter
    acknowledgement, decision = mail.outbox
    assert acknowledgement.subject.startswith("稿件已收到") and submission.reference in acknowledgement.body
    assert "已被采用" in decision.subject and EDITOR_MESSAGE in decision.body
    assert acknowledgement.to == decision.to == ["王晓明 <wang.xiaoming@example.cn>"]
    context.close()
