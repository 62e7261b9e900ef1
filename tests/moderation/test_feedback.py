"""The feedback page (建议反馈): services and pages — kinds, confirmation of a visitor's
address, copyright complaints becoming cases, reports, attachments, limits, the staff reply."""

# ruff: noqa: F811 — the shared fixtures are imported by name (tests.moderation.appeal_fixtures)

import io
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Notice
from accounts.ratelimit import RateLimited
from cms.errors import StateConflict
from moderation.models import AuditEntry, Case, CaseStatus, Feedback, FeedbackStatus, Report
from moderation.services import FeedbackData, feedback_confirm, feedback_reply, feedback_submit
from tests.moderation.appeal_fixtures import article, cast, comment  # noqa: F401

pytestmark = pytest.mark.django_db


def png(name="shot.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def copyright_data(article, **overrides) -> FeedbackData:
    values = {
        "kind": "copyright",
        "text": "第二段整段抄自我 2024 年发表在个人博客的文章。",
        "email": "owner@example.test",
        "target": article,
        "infringed": ["text"],
        "rights_statement": "本人是原文作者，享有著作权，保证以上内容属实。",
        "rights_contact": "李明 13800000000",
    }
    values.update(overrides)
    return FeedbackData(**values)


def confirmation_token(message) -> str:
    return re.search(r"/feedback/confirm/([^/\s]+)/", message.body).group(1)


def test_a_visitors_copyright_complaint_becomes_a_case_only_after_the_email_is_confirmed(
    article, django_capture_on_commit_callbacks
):
    # given a visitor's complaint
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        feedback = feedback_submit(user=None, data=copyright_data(article), client_key="9.9.9.9")
    # then nothing is acted on yet: no case, one confirmation e-mail
    assert feedback.status == FeedbackStatus.UNCONFIRMED and feedback.case is None
    assert not Case.objects.filter(object_id=article.pk, status=CaseStatus.OPEN).exists()
    assert [m.to for m in mail.outbox] == [["owner@example.test"]]
    # when the visitor confirms through the signed link
    confirmed = feedback_confirm(token=confirmation_token(mail.outbox[0]))
    # then a case is open on the article, with the complaint in its evidence
    case = Case.objects.get(object_id=article.pk, status=CaseStatus.OPEN)
    assert confirmed.case == case and confirmed.status == FeedbackStatus.OPEN
    complaint = case.evidence["complaints"][0]
    assert complaint["tracking_number"] == feedback.tracking_number and complaint["infringed"] == ["text"]
    assert case.evidence["title"] == article.title and case.rule_code == "1.13" and case.priority > 0
    # confirming again changes nothing
    assert feedback_confirm(token=confirmation_token(mail.outbox[0])).case == case
    assert Case.objects.filter(object_id=article.pk).count() == 1
    assert AuditEntry.objects.filter(action="feedback.copyright_case").count() == 1


def test_an_altered_confirmation_link_is_refused(article, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        feedback_submit(user=None, data=copyright_data(article), client_key="9.9.9.9")
    with pytest.raises(ValidationError, match="无效"):
        feedback_confirm(token=confirmation_token(mail.outbox[0])[:-3] + "abc")
    assert not Case.objects.exists()


def test_a_signed_in_persons_complaint_becomes_a_case_at_once(cast, article):
    feedback = feedback_submit(user=cast["reporter"], data=copyright_data(article, email=""), client_key="x")
    assert feedback.status == FeedbackStatus.OPEN and feedback.case is not None
    assert feedback.email == cast["reporter"].email


def test_a_copyright_complaint_needs_its_own_fields(article):
    with pytest.raises(ValidationError) as caught:
        feedback_submit(
            user=None,
            data=copyright_data(article, infringed=[], rights_statement="", rights_contact="", email="not-an-email"),
            client_key="x",
        )
    assert set(caught.value.message_dict) == {"infringed", "rights_statement", "rights_contact", "email"}
    assert not Feedback.objects.exists()


def test_a_report_goes_through_the_reports_service_and_needs_a_sign_in(cast, comment):
    data = FeedbackData(kind="report", text="人身攻击", target=comment, rule_code="2.6")
    with pytest.raises(ValidationError, match="登录后才能举报"):
        feedback_submit(user=None, data=data, client_key="x")
    feedback = feedback_submit(user=cast["reporter"], data=data, client_key="x")
    report = Report.objects.get()
    assert feedback.report == report and report.note == "人身攻击" and report.rule_code == "2.6"


def test_attachments_are_checked_by_their_bytes_and_size(settings):
    data = FeedbackData(kind="bug", text="按钮点不动", email="v@example.test")
    fake = SimpleUploadedFile("shot.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(ValidationError, match="不是 PNG"):
        feedback_submit(user=None, data=FeedbackData(**{**data.__dict__, "attachments": [fake]}), client_key="x")
    settings.FEEDBACK_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="太大"):
        feedback_submit(user=None, data=FeedbackData(**{**data.__dict__, "attachments": [png()]}), client_key="x")
    settings.FEEDBACK_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
    settings.FEEDBACK_ATTACHMENTS_MAX = 1
    with pytest.raises(ValidationError, match="最多上传 1 个"):
        feedback_submit(
            user=None, data=FeedbackData(**{**data.__dict__, "attachments": [png(), png()]}), client_key="x"
        )
    pdf = SimpleUploadedFile("proof.pdf", b"%PDF-1.4\n%...", content_type="application/pdf")
    feedback = feedback_submit(user=None, data=FeedbackData(**{**data.__dict__, "attachments": [pdf]}), client_key="x")
    stored = feedback.attachments.get()
    assert stored.content_type == "application/pdf" and stored.name == "proof.pdf"
    assert stored.file.name.startswith("feedback/") and "proof" not in stored.file.name


def test_feedback_is_rate_limited_per_sender(settings):
    settings.FEEDBACK_PER_HOUR = 2
    data = FeedbackData(kind="suggestion", text="希望有夜间模式", email="v@example.test")
    feedback_submit(user=None, data=data, client_key="5.5.5.5")
    feedback_submit(user=None, data=data, client_key="5.5.5.5")
    with pytest.raises(RateLimited, match="每小时最多 2 条"):
        feedback_submit(user=None, data=data, client_key="5.5.5.5")
    assert feedback_submit(user=None, data=data, client_key="6.6.6.6")


def test_staff_reply_is_emailed_and_noticed(cast, django_capture_on_commit_callbacks):
    feedback = feedback_submit(user=cast["reporter"], data=FeedbackData(kind="bug", text="搜索没结果"), client_key="x")
    with pytest.raises(Exception):  # a reader is not staff
        feedback_reply(actor=cast["author"], feedback=feedback, text="好的")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        feedback_reply(actor=cast["reviewer"], feedback=feedback, text="已经修好了，谢谢！")
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ANSWERED and feedback.reply == "已经修好了，谢谢！"
    assert [m.to for m in mail.outbox] == [[cast["reporter"].email]] and "已经修好了" in mail.outbox[0].body
    assert Notice.objects.filter(user=cast["reporter"], kind="feedback_reply").exists()


def test_an_unconfirmed_item_cannot_be_answered(cast):
    feedback = feedback_submit(
        user=None, data=FeedbackData(kind="bug", text="x", email="v@example.test"), client_key="x"
    )
    with pytest.raises(StateConflict, match="还没有确认邮箱"):
        feedback_reply(actor=cast["reviewer"], feedback=feedback, text="回复")


# --- pages ---------------------------------------------------------------------------------


def test_the_article_pages_copyright_link_opens_the_form_filled_in(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    link = re.search(r'href="(/feedback/\?kind=copyright&amp;article=\d+)"', page).group(1).replace("&amp;", "&")
    response = client.get(link)
    text = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="page">版权投诉' in text and article.title in text
    assert f'value="{article.get_absolute_url()}"' in text


def test_a_visitor_submits_a_suggestion_and_looks_it_up(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/feedback/?kind=suggestion",
            {"kind": "suggestion", "text": "希望能按标签订阅", "email": "v@example.test", "attachments": [png()]},
        )
    assert response.status_code == 302 and response["Location"] == "/feedback/thanks/"
    feedback = Feedback.objects.get()
    receipt = client.get("/feedback/thanks/").content.decode()
    assert feedback.tracking_number in receipt and "请查收确认邮件" in receipt
    assert feedback.attachments.count() == 1
    # looked up with the address it gave; a wrong address learns nothing
    found = client.get("/feedback/track/", {"number": feedback.tracking_number, "email": "v@example.test"})
    assert found.status_code == 200 and "待确认邮箱" in found.content.decode()
    wrong = client.get("/feedback/track/", {"number": feedback.tracking_number, "email": "x@example.test"})
    assert wrong.status_code == 404 and "没有找到" in wrong.content.decode()
    # the confirmation page asks for a click (a mail scanner opening the link confirms nothing)
    token = confirmation_token(mail.outbox[0])
    assert client.get(f"/feedback/confirm/{token}/").status_code == 200
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.UNCONFIRMED
    client.post(f"/feedback/confirm/{token}/")
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.OPEN


def test_the_form_shows_each_problem_next_to_its_field(client, article):
    response = client.post("/feedback/?kind=copyright", {"kind": "copyright", "article": "/a/no-such-article/"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "找不到这篇文章" in text and "请选择被侵犯的内容" in text and "请填写有效的邮箱地址" in text
    assert not Feedback.objects.exists()


def test_a_visitor_is_asked_to_sign_in_to_report(client, seeded):
    text = client.get("/feedback/?kind=report").content.decode()
    assert "登录后举报" in text


def test_a_signed_in_reader_reports_a_comment_by_its_link(client, cast, comment):
    client.force_login(cast["reporter"])
    link = f"http://testserver{comment.article.get_absolute_url()}#comment-{comment.pk}"
    response = client.post("/feedback/?kind=report", {"kind": "report", "link": link, "rule": "2.6", "text": "骂人"})
    assert response.status_code == 302
    assert Report.objects.get().object_id == comment.pk


def test_the_feedback_page_is_rate_limited_with_retry_after(client, seeded, settings):
    settings.FEEDBACK_PER_HOUR = 1
    data = {"kind": "bug", "text": "页面错位", "email": "v@example.test"}
    assert client.post("/feedback/?kind=bug", data).status_code == 302
    response = client.post("/feedback/?kind=bug", data)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "每小时最多 1 条" in response.content.decode() and "页面错位" in response.content.decode()


def test_staff_see_the_queue_and_answer_visitors_never_see_attachments(client, cast):
    feedback = feedback_submit(
        user=cast["reporter"], data=FeedbackData(kind="bug", text="图片裂了", attachments=[png()]), client_key="x"
    )
    attachment = feedback.attachments.get()
    assert client.get(f"/moderation/feedback/attachments/{attachment.pk}/").status_code == 302  # to sign in
    client.force_login(cast["reporter"])
    assert client.get(f"/moderation/feedback/attachments/{attachment.pk}/").status_code == 403
    client.force_login(cast["reviewer"])
    queue = client.get("/moderation/feedback/").content.decode()
    assert feedback.tracking_number in queue
    response = client.get(f"/moderation/feedback/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    response = client.post(f"/moderation/feedback/{feedback.pk}/", {"action": "reply", "text": "已修复"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ANSWERED


def test_the_case_page_shows_the_copyright_complaint(client, cast, article):
    feedback = feedback_submit(user=cast["reporter"], data=copyright_data(article, email=""), client_key="x")
    client.force_login(cast["reviewer"])
    page = client.get(f"/moderation/cases/{feedback.case_id}/").content.decode()
    assert feedback.tracking_number in page and "权利人声明：本人是原文作者" in page and "被侵犯：文字" in page
