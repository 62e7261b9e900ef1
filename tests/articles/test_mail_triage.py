"""The editors' triage of e-mail submissions: the services (articles.mail.services) and the
pages under /editor/mail/. Submissions are made by the real ingest service from raw mail."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import roles
from articles.mail import services
from articles.mail.ingest import submission_ingest
from articles.mail.models import InboundMessage, InboundStatus, Submission, SubmissionStatus
from articles.models import Article, ArticleStatus
from moderation.models import AuditEntry
from tests.articles.mail_builders import MANUSCRIPT, submission_mail
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ingest(django_capture_on_commit_callbacks):
    """Raw mail → a Submission through the real service, its on-commit work (scan,
    acknowledgement) run as in production; the acknowledgements are then forgotten."""

    def _ingest(raw: bytes) -> Submission:
        with django_capture_on_commit_callbacks(execute=True):
            result = submission_ingest(raw=raw, source="test")
        mail.outbox.clear()
        return Submission.objects.get(pk=result.submission_id)

    return _ingest


@pytest.fixture
def submission(ingest):
    return ingest(submission_mail())


@pytest.fixture
def decide(django_capture_on_commit_callbacks):
    """Run a service and what it queued on commit (the e-mails)."""

    def _decide(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return _decide


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


# ---------------------------------------------------------------------------
# Accept


def test_accepting_creates_a_draft_attributed_to_the_submitter(submission, editor, decide):
    # when an editor accepts the submission with a message
    before = timezone.now()
    decide(services.submission_accept, actor=editor, submission=submission, message="稿子很扎实，我们想发表。")
    # then a draft carries the submitter's name as byline, and their address
    submission.refresh_from_db()
    article = submission.article
    assert submission.status == SubmissionStatus.ACCEPTED
    assert article.status == ArticleStatus.DRAFT and article.author is None
    assert article.byline == "王晓明" and article.external_submitter_name == "王晓明"
    assert article.external_submitter_email == "wang.xiaoming@example.cn"
    assert article.title == "投稿：私域流量的三次转折" and "企业微信精细化运营" in article.body
    # and the accepting editor is the contact, due within SUBMISSION_CONTACT_DUE_DAYS
    assert submission.contact_editor == editor and submission.decided_by == editor
    assert submission.contact_due_at - submission.decided_at == datetime.timedelta(days=3)
    assert submission.decided_at >= before and submission.contacted_at is None
    # and the decision is audited
    entry = AuditEntry.objects.get(action="submission.accept")
    assert entry.actor == editor and entry.data["article"] == article.pk
    # and the submitter gets the editor's message, threaded to their mail, replies to the editor
    (sent,) = mail.outbox
    assert sent.to == ["王晓明 <wang.xiaoming@example.cn>"]
    assert "已被采用" in sent.subject and "稿子很扎实，我们想发表。" in sent.body and "周编辑" in sent.body
    assert sent.reply_to == ["周编辑 <editor1@example.test>"]
    assert sent.extra_headers["In-Reply-To"] == "<sub-1@mail.example.cn>"


def test_another_editor_can_be_named_as_the_contact(submission, editor, other_editor, decide):
    decide(
        services.submission_accept, actor=editor, submission=submission, message="你好。", contact_editor=other_editor
    )
    submission.refresh_from_db()
    assert submission.contact_editor == other_editor and submission.decided_by == editor
    (sent,) = mail.outbox
    assert "吴编辑" in sent.body and sent.reply_to == ["吴编辑 <editor2@example.test>"]


def test_the_contact_must_be_an_editor(submission, editor, reader):
    with pytest.raises(ValidationError) as refused:
        services.submission_accept(actor=editor, submission=submission, message="你好。", contact_editor=reader)
    assert "联系编辑必须是在职的编辑" in str(refused.value)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NEW and not Article.objects.exists()


def test_accepting_needs_a_message_for_the_submitter(submission, editor):
    with pytest.raises(ValidationError) as refused:
        services.submission_accept(actor=editor, submission=submission, message="  ")
    assert "请写几句给投稿人的话" in str(refused.value)


def test_the_manuscript_file_becomes_the_body_without_the_cover_letter(ingest, editor, decide):
    manuscript = "增长不是玄学\n\n增长团队最常犯的错误，是把渠道当成增长本身。我们复盘了三次失败的投放。"
    submission = ingest(
        submission_mail(
            body="编辑你好，附件是我的稿件，请查收。",
            attachment=("增长不是玄学.txt", "text/plain", manuscript.encode("utf-8")),
        )
    )
    assert submission.text_source == "attachment" and "请查收" in submission.text
    decide(services.submission_accept, actor=editor, submission=submission, message="收到。")
    body = Article.objects.get().body
    assert "三次失败的投放" in body and "请查收" not in body


def test_a_muted_senders_account_is_refused_with_the_end_of_the_mute(submission, editor, moderator, seeded):
    from moderation.models import Rule
    from moderation.services import penalty_apply

    # given the sender's address belongs to an account muted for seven days
    account = UserFactory(username="wangxm", email="Wang.Xiaoming@example.cn", roles=[roles.READER])
    rule = Rule.objects.get(convention__is_current=True, code="2.6")
    penalty = penalty_apply(actor=moderator, user=account, step=2, rule=rule, reason="辱骂他人", notify=False)
    # when an editor accepts the submission, then it is refused, naming the mute's end
    with pytest.raises(services.StateConflict) as refused:
        services.submission_accept(actor=editor, submission=submission, message="你好。")
    until = timezone.localtime(penalty.expires_at).strftime("%Y-%m-%d %H:%M")
    assert f"禁言至 {until}" in str(refused.value) and "wangxm" in str(refused.value)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NEW and not Article.objects.exists()


def test_a_permanently_muted_senders_account_is_refused(submission, editor, moderator, seeded):
    from moderation.models import Rule
    from moderation.services import penalty_apply

    account = UserFactory(username="wangxm", email="wang.xiaoming@example.cn", roles=[roles.READER])
    rule = Rule.objects.get(convention__is_current=True, code="2.6")
    penalty_apply(actor=moderator, user=account, step=4, rule=rule, reason="多次辱骂他人", notify=False)
    with pytest.raises(services.StateConflict, match="永久禁言"):
        services.submission_accept(actor=editor, submission=submission, message="你好。")


def test_a_submission_held_by_the_scanner_cannot_be_accepted(submission, editor):
    from moderation.registry import registry

    registry.adapter_for(submission).hold(submission, reason="扫描发现联系方式。")
    with pytest.raises(services.StateConflict, match=r"被内容审核暂扣.*扫描发现联系方式"):
        services.submission_accept(actor=editor, submission=submission, message="你好。")


# ---------------------------------------------------------------------------
# Reject, spam, contact


def test_rejecting_tells_the_submitter_with_the_optional_message(submission, editor, decide):
    decide(services.submission_reject, actor=editor, submission=submission, message="选题和近期稿件重复了。")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED and submission.decision_message == "选题和近期稿件重复了。"
    (sent,) = mail.outbox
    assert "没有采用" in sent.body and "选题和近期稿件重复了。" in sent.body
    assert AuditEntry.objects.filter(action="submission.reject", actor=editor).exists()


def test_rejecting_without_a_message_still_tells_the_submitter(submission, editor, decide):
    decide(services.submission_reject, actor=editor, submission=submission)
    (sent,) = mail.outbox
    assert "没有采用" in sent.body and "编辑的话" not in sent.body


def test_spam_is_never_answered(submission, editor, decide):
    decide(services.submission_mark_spam, actor=editor, submission=submission)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SPAM and mail.outbox == []
    assert AuditEntry.objects.filter(action="submission.spam", actor=editor).exists()


def test_no_decision_mail_goes_to_an_address_that_cannot_answer(ingest, editor, decide):
    submission = ingest(submission_mail(sender="noreply@newsletter.example.cn", message_id="<n@x.cn>"))
    decide(services.submission_reject, actor=editor, submission=submission, message="谢谢。")
    assert mail.outbox == []


@pytest.mark.parametrize(
    "first, then",
    [("accept", "reject"), ("reject", "accept"), ("spam", "accept"), ("accept", "spam")],
)
def test_a_decided_submission_cannot_be_decided_again(submission, editor, first, then):
    run = {
        "accept": lambda: services.submission_accept(actor=editor, submission=submission, message="你好。"),
        "reject": lambda: services.submission_reject(actor=editor, submission=submission),
        "spam": lambda: services.submission_mark_spam(actor=editor, submission=submission),
    }
    run[first]()
    with pytest.raises(services.StateConflict, match="这份投稿已经是"):
        run[then]()
    assert Article.objects.count() == (1 if first == "accept" else 0)


@pytest.mark.parametrize("role", [roles.READER, roles.AUTHOR, roles.MODERATOR])
def test_only_editors_triage_submissions(submission, role):
    outsider = UserFactory(roles=[role])
    for call in (
        lambda: services.submission_accept(actor=outsider, submission=submission, message="你好。"),
        lambda: services.submission_reject(actor=outsider, submission=submission),
        lambda: services.submission_mark_spam(actor=outsider, submission=submission),
        lambda: services.submission_record_contact(actor=outsider, submission=submission),
    ):
        with pytest.raises(PermissionDenied):
            call()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NEW


def test_recording_the_first_contact_ends_the_overdue_state(submission, editor):
    from articles.mail.selectors import is_overdue, mail_dashboard_counts

    services.submission_accept(actor=editor, submission=submission, message="你好。")
    # given the contact is past its due date
    Submission.objects.filter(pk=submission.pk).update(contact_due_at=timezone.now() - datetime.timedelta(hours=1))
    submission.refresh_from_db()
    assert is_overdue(submission) and mail_dashboard_counts()["overdue"] == 1
    # when the editor records that they were in touch
    services.submission_record_contact(actor=editor, submission=submission)
    submission.refresh_from_db()
    # then it no longer counts as overdue, and a second record is refused
    assert not is_overdue(submission) and mail_dashboard_counts()["overdue"] == 0
    assert AuditEntry.objects.get(action="submission.contact").data["overdue"] is True
    with pytest.raises(services.StateConflict, match="已在"):
        services.submission_record_contact(actor=editor, submission=submission)


# ---------------------------------------------------------------------------
# Pages


def test_the_dashboard_has_a_mail_tab_with_its_count_and_the_overdue_ones(client, ingest, editor):
    first = ingest(submission_mail(message_id="<1@x.cn>"))
    ingest(submission_mail(message_id="<2@x.cn>"))
    services.submission_accept(actor=editor, submission=first, message="你好。")
    Submission.objects.filter(pk=first.pk).update(contact_due_at=timezone.now() - datetime.timedelta(days=1))
    login(client, editor)
    page = client.get("/editor/").content.decode()
    assert 'data-queue-count="mail">1<' in page
    assert 'data-mail-overdue="1"' in page and "有 1 份已采用的邮件投稿超过期限还没有联系投稿人" in page


def test_the_queue_lists_new_submissions_newest_first_in_constant_queries(
    client, ingest, editor, django_assert_max_num_queries
):
    for n in range(3):
        ingest(submission_mail(message_id=f"<q{n}@x.cn>", subject=f"第{n}篇", image=True))
    login(client, editor)
    with django_assert_max_num_queries(12) as few:
        page = client.get("/editor/mail/").content.decode()
    assert page.index("第2篇") < page.index("第1篇") < page.index("第0篇")
    assert "1 个附件" in page
    for n in range(3, 8):
        ingest(submission_mail(message_id=f"<q{n}@x.cn>", subject=f"第{n}篇", image=True))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/editor/mail/").status_code == 200


def test_the_submission_page_shows_text_findings_attachments_and_thread(client, ingest, editor):
    # given a submission with a contact-trading line, and a later reply in its thread
    first = ingest(submission_mail(body=MANUSCRIPT + "\n\n想合作的朋友加我薇信 abc12345，或者扫码进群。", image=True))
    reply = ingest(
        submission_mail(
            message_id="<sub-2@mail.example.cn>", subject="Re: 修改稿", in_reply_to="<sub-1@mail.example.cn>"
        )
    )
    assert reply.thread_parent == first
    login(client, editor)
    page = client.get(f"/editor/mail/{first.pk}/").content.decode()
    # the decoded text, with the scanner's finding marked in place
    assert "企业微信精细化运营" in page
    assert '<mark class="hit"' in page and "薇信 abc12345</mark>" in page
    # the image previewed and downloadable, and the thread with the later message
    image = first.attachments.get()
    assert f'src="/editor/mail/attachments/{image.pk}/?inline=1"' in page
    assert f'href="/editor/mail/{reply.pk}/"' in page and "修改稿" in page


def test_attachments_are_for_editors_and_only_raster_images_open_inline(client, ingest, editor, reader):
    submission = ingest(
        submission_mail(image=True, attachment=("图.svg", "image/svg+xml", b"<svg onload='alert(1)'></svg>"))
    )
    png, svg = submission.attachments.order_by("position")
    login(client, reader)
    assert client.get(f"/editor/mail/attachments/{png.pk}/?inline=1").status_code == 403
    login(client, editor)
    preview = client.get(f"/editor/mail/attachments/{png.pk}/?inline=1")
    assert preview.status_code == 200 and preview["Content-Type"] == "image/png"
    assert preview["Content-Disposition"].startswith("inline")
    download = client.get(f"/editor/mail/attachments/{svg.pk}/?inline=1")
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
    assert "sandbox" in download["Content-Security-Policy"]


def test_accepting_on_the_page_opens_the_new_draft(client, submission, editor, django_capture_on_commit_callbacks):
    login(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/editor/mail/{submission.pk}/accept/", {"message": "我们想发表这篇。", "contact_editor": editor.pk}
        )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/editor/articles/{article.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "已采用：草稿《投稿：私域流量的三次转折》已创建，署名“王晓明”" in page
    assert "投稿：王晓明" in page and len(mail.outbox) == 1


def test_a_refused_action_says_why_on_the_page(client, submission, editor):
    services.submission_mark_spam(actor=editor, submission=submission)
    login(client, editor)
    response = client.post(f"/editor/mail/{submission.pk}/accept/", {"message": "你好。"}, follow=True)
    assert "没有完成：这份投稿已经是「垃圾邮件」，不能再采用。" in response.content.decode()


def test_people_who_are_not_editors_cannot_triage(client, submission, reader, moderator):
    for person in (reader, moderator):
        login(client, person)
        assert client.get("/editor/mail/").status_code == 403
        client.post(f"/editor/mail/{submission.pk}/spam/")
    login(client, reader)
    assert client.get(f"/editor/mail/{submission.pk}/").status_code == 403
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NEW


def test_moderators_read_a_submission_without_the_editors_actions(client, submission, moderator):
    # The moderation queue links here (SubmissionAdapter.get_url) for what the scanner escalated.
    from moderation.registry import registry

    assert registry.adapter_for(submission).get_url(submission) == f"/editor/mail/{submission.pk}/"
    login(client, moderator)
    page = client.get(f"/editor/mail/{submission.pk}/").content.decode()
    assert "企业微信精细化运营" in page and "采用并通知投稿人" not in page
    assert "采用、退稿和标为垃圾邮件由编辑处理" in page


def test_quarantined_messages_are_listed_with_the_reason_and_can_be_retried(client, editor, monkeypatch):
    from articles.mail import ingest as ingest_module
    from articles.mail.parse import Unparseable

    # given a message the parser could not read
    real_parser = ingest_module.parse_message

    def broken_parser(raw, **kwargs):
        raise Unparseable("测试：正文的编码无法识别")

    monkeypatch.setattr(ingest_module, "parse_message", broken_parser)
    submission_ingest(raw=submission_mail(), source="test")
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundStatus.QUARANTINED
    # then editors see it with its reason, and can download the raw message
    login(client, editor)
    page = client.get("/editor/mail/?queue=quarantined").content.decode()
    assert "隔离原因：测试：正文的编码无法识别" in page and 'data-queue-count="quarantined">1<' in page
    raw = client.get(f"/editor/mail/messages/{inbound.pk}/raw/")
    assert raw.status_code == 200 and raw.content == bytes(inbound.raw)
    # when the parser is fixed and an editor retries, it becomes a submission
    monkeypatch.setattr(ingest_module, "parse_message", real_parser)
    response = client.post(f"/editor/mail/messages/{inbound.pk}/retry/")
    submission = Submission.objects.get()
    assert response["Location"] == f"/editor/mail/{submission.pk}/"
    inbound.refresh_from_db()
    assert inbound.status == InboundStatus.PARSED
    assert AuditEntry.objects.filter(action="inbound.retry", actor=editor).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_accepting_at_once_make_one_draft(editor, other_editor):
    # Row locks are real on PostgreSQL: the second editor waits, then finds it decided.
    from tests.moderation.test_expiry import run_together

    result = submission_ingest(raw=submission_mail(), source="test")
    submission = Submission.objects.get(pk=result.submission_id)
    editors = [editor, other_editor]

    def accept(index: int):
        return services.submission_accept(actor=editors[index], submission=submission, message="你好。").pk

    results, errors = run_together(2, accept)
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(next(iter(errors.values())), services.StateConflict)
    assert Article.objects.count() == 1
    submission.refresh_from_db()
    assert submission.decided_by == editors[next(iter(results))]


def test_the_accepted_draft_is_handed_on_by_an_editor_and_enters_the_workflow(
    client, submission, editor, author, decide, django_capture_on_commit_callbacks
):
    from articles import services as article_services

    decide(services.submission_accept, actor=editor, submission=submission, message="你好。")
    mail.outbox.clear()
    article = Article.objects.get()
    # the submitter has no account: an author cannot submit it, an editor can, on their behalf
    with pytest.raises(PermissionDenied, match="由编辑代投稿人提交审稿"):
        article_services.article_submit(actor=author, article=article)
    login(client, editor)
    review = client.get(f"/editor/articles/{article.pk}/").content.decode()
    assert "代投稿人提交审稿" in review
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/editor/articles/{article.pk}/submit/", follow=True)
    assert "已代投稿人提交审稿" in response.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED and article.submitted_at is not None
    # the submitter already has the acceptance letter: no "submitted" mail on top
    assert mail.outbox == []
    # and it is an ordinary submission from here: an editor claims it for review
    article_services.article_claim(actor=editor, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW and article.byline == "王晓明"
