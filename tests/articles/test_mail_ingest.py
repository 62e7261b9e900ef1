"""submission_ingest and submission_retry through the real database, outbox and e-mail."""

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.mail import ingest as ingest_module
from articles.mail.ingest import inbound_store, submission_ingest, submission_retry
from articles.models import InboundMessage, InboundStatus, Submission, SubmissionStatus
from cms.errors import StateConflict
from moderation.models import AuditEntry, ScanRecord
from moderation.registry import registry
from tests.articles import mailcraft as m

STORY = "老街拐角有一间不足六平方米的修表铺。谭师傅修表时一动不动，像是和齿轮一起停住了时间。" * 3


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ingest(db, django_capture_on_commit_callbacks):
    """Ingest as a front door does, running what is queued on commit (scan, e-mail)."""

    def run(raw: bytes, source: str = "test"):
        with django_capture_on_commit_callbacks(execute=True):
            return submission_ingest(raw=raw, source=source)

    return run


def test_a_submission_is_stored_with_its_files_scanned_and_acknowledged_once(ingest, mailoutbox, settings):
    # given a manuscript as a Markdown file with a cover image
    raw = m.with_parts(
        "mixed",
        [
            m.text_part("编辑您好，稿件和封面见附件。"),
            m.file_part('filename="末班车.md"', "text/markdown; charset=utf-8", STORY.encode()),
            m.file_part('filename="cover.png"', "image/png", m.PNG_1PX),
        ],
        sender="陈思远 <siyuan@example.cn>",
        message_id="<Gmail-1@Mail.Example.cn>",
    )
    # when it is ingested
    result = ingest(raw)
    # then the raw bytes, the submission and its files are stored
    assert result.outcome == "submission"
    submission = Submission.objects.get(pk=result.submission_id)
    inbound = submission.inbound
    assert bytes(inbound.raw) == raw and inbound.size == len(raw) and inbound.status == InboundStatus.PARSED
    assert inbound.message_id == "gmail-1@mail.example.cn"
    assert (submission.sender_name, submission.sender_email) == ("陈思远", "siyuan@example.cn")
    assert submission.status == SubmissionStatus.NEW and submission.title == "投稿：测试稿件"
    assert submission.text.endswith(STORY) and submission.text.startswith("编辑您好")
    assert submission.cover_note == "编辑您好，稿件和封面见附件。"
    manuscript, cover = submission.attachments.order_by("position")
    assert manuscript.is_manuscript and manuscript.text == STORY
    assert Path(manuscript.file.path).read_bytes() == STORY.encode()
    assert cover.is_candidate_cover and Path(cover.file.path).read_bytes() == m.PNG_1PX
    assert Path(cover.file.path).is_relative_to(Path(settings.MEDIA_ROOT))
    assert result.attachments == ["末班车.md", "cover.png"]
    # and it was scanned and recorded in the audit log
    content_type = ContentType.objects.get_for_model(Submission)
    assert ScanRecord.objects.filter(content_type=content_type, object_id=submission.pk).exists()
    assert AuditEntry.objects.filter(action="submission.receive", target_id=str(submission.pk)).exists()
    # and one acknowledgement went out, in Chinese, numbered, threaded to their message
    assert len(mailoutbox) == 1
    ack = mailoutbox[0]
    assert ack.to == ["陈思远 <siyuan@example.cn>"]
    assert submission.reference in ack.subject and submission.reference in ack.body
    assert f"编辑会在 {settings.SUBMISSION_REVIEW_WORKING_DAYS} 个工作日内审阅，采用后会有编辑与你联系" in ack.body
    assert ack.extra_headers["In-Reply-To"] == "<gmail-1@mail.example.cn>"
    assert ack.extra_headers["References"].endswith("<gmail-1@mail.example.cn>")
    submission.refresh_from_db()
    assert ack.extra_headers["Message-ID"] == f"<{submission.ack_message_id}>"
    assert submission.ack_message_id.startswith(f"ack-{submission.pk}-")
    assert submission.ack_message_id.endswith("@yumao.example")
    assert ack.reply_to == [settings.SUBMISSION_EMAIL]
    assert submission.acknowledged_at is not None


def test_a_second_delivery_is_a_duplicate_however_its_message_id_is_folded_or_cased(ingest, mailoutbox):
    first = ingest(m.plain(STORY, message_id="<Coremail.ABC@163.example.com>"))
    again = m.plain(STORY, message_id="\r\n <coremail.abc@163.EXAMPLE.com>")
    again = b"Received: from backup-mx.example.com\r\n" + again
    # when the same message arrives again, through the backup MX
    second = ingest(again)
    # then it is kept, linked to the first, and nothing else happens
    assert second.outcome == "duplicate"
    assert second.submission_id == first.submission_id
    duplicate = InboundMessage.objects.get(pk=second.inbound_id)
    assert duplicate.status == InboundStatus.DUPLICATE and duplicate.duplicate_of_id == first.inbound_id
    assert bytes(duplicate.raw) == again
    assert Submission.objects.count() == 1
    assert len(mailoutbox) == 1


def test_identical_bytes_without_a_message_id_are_a_duplicate_and_answered_without_threading(ingest, mailoutbox):
    raw = m.plain(STORY, message_id="")
    first = ingest(raw)
    assert first.outcome == "submission"
    assert ingest(raw).outcome == "duplicate"
    assert ingest(m.plain(STORY + "（修改）", message_id="")).outcome == "submission"  # other bytes: another mail
    assert len(mailoutbox) == 2 and "In-Reply-To" not in mailoutbox[0].extra_headers


def test_replies_thread_to_the_first_submission_by_in_reply_to_references_or_our_acknowledgement(ingest, mailoutbox):
    original = ingest(m.plain(STORY, message_id="<orig@163.example.com>"))
    by_in_reply_to = ingest(
        m.plain(
            "修改稿：" + STORY,
            subject="回复：投稿",
            message_id="<r1@x>",
            extra=[("In-Reply-To", "<ORIG@163.example.com>")],
        )
    )
    by_references = ingest(
        m.plain("再改一稿：" + STORY, message_id="<r2@x>", extra=[("References", "<unknown@x>\r\n <r1@x>")])
    )
    ack_id = Submission.objects.get(pk=original.submission_id).ack_message_id
    to_our_ack = ingest(m.plain("补充：" + STORY, message_id="<r3@x>", extra=[("In-Reply-To", f"<{ack_id.upper()}>")]))
    unrelated = ingest(m.plain(STORY, message_id="<new@x>", extra=[("In-Reply-To", "<nobody@x>")]))
    assert by_in_reply_to.thread_of == original.submission_id
    assert by_references.thread_of == original.submission_id  # through r1, to the root of the thread
    assert to_our_ack.thread_of == original.submission_id
    assert unrelated.thread_of is None
    assert Submission.objects.get(pk=to_our_ack.submission_id).thread_parent_id == original.submission_id


@pytest.mark.parametrize(
    ("raw", "outcome"),
    [
        (
            m.plain(
                "我正在休假。", extra=[("Auto-Submitted", "auto-replied"), ("In-Reply-To", "<ack-1-ab@yumao.example>")]
            ),
            "ignored_auto_reply",
        ),
        (m.plain("本期征稿：城市与河流", extra=[("List-Id", "<weekly.example.net>")]), "ignored_bulk"),
        (m.plain("User unknown", sender="MAILER-DAEMON@mx.example.com"), "bounce"),
        (m.plain(STORY, sender="羽毛投稿 <tougao@yumao.example>"), "ignored_auto_reply"),
    ],
)
def test_auto_replies_bulk_mail_bounces_and_our_own_mail_are_ignored_and_never_answered(
    ingest, mailoutbox, raw, outcome
):
    result = ingest(raw)
    assert result.outcome == outcome and result.submission_id is None
    inbound = InboundMessage.objects.get(pk=result.inbound_id)
    assert inbound.status == InboundStatus.IGNORED and inbound.reason and bytes(inbound.raw) == raw
    assert not Submission.objects.exists()
    assert mailoutbox == []


def test_a_message_that_cannot_be_delimited_is_quarantined_with_the_reason(ingest, mailoutbox):
    raw = m.message(
        [*m.envelope(subject="投稿：诗歌《灯塔》"), ("Content-Type", 'multipart/alternative; boundary="A"')],
        m.multipart("B", [m.text_part("灯塔")]),
    )
    result = ingest(raw)
    assert result.outcome == "quarantined" and result.submission_id is None
    assert result.title == "投稿：诗歌《灯塔》" and result.sender_email == "zhangsan@example.cn"
    inbound = InboundMessage.objects.get(pk=result.inbound_id)
    assert inbound.status == InboundStatus.QUARANTINED and "分界线" in inbound.reason and bytes(inbound.raw) == raw
    assert AuditEntry.objects.filter(action="inbound.quarantine", target_id=str(inbound.pk)).exists()
    assert mailoutbox == []


def test_a_message_over_the_size_limit_is_quarantined_and_ingests_on_retry_after_the_limit_is_raised(
    ingest, mailoutbox, settings, django_capture_on_commit_callbacks
):
    raw = m.plain(STORY)
    settings.SUBMISSION_MAX_MESSAGE_BYTES = 100
    result = ingest(raw)
    inbound = InboundMessage.objects.get(pk=result.inbound_id)
    assert result.outcome == "quarantined" and "SUBMISSION_MAX_MESSAGE_BYTES" in inbound.reason
    assert str(len(raw)) in inbound.reason
    # when the operator raises the limit and retries it
    settings.SUBMISSION_MAX_MESSAGE_BYTES = 10 * 1024 * 1024
    with django_capture_on_commit_callbacks(execute=True):
        retried = submission_retry(inbound_message=inbound)
    assert retried.outcome == "submission" and retried.inbound_id == inbound.pk
    assert Submission.objects.get().inbound_id == inbound.pk
    assert len(mailoutbox) == 1
    with pytest.raises(StateConflict):
        submission_retry(inbound_message=inbound)


def test_a_parser_failure_quarantines_with_the_error_and_a_retry_after_the_fix_ingests(
    ingest, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(raw, **kwargs):
        raise KeyError("unexpected structure")

    monkeypatch.setattr(ingest_module, "parse_message", broken)
    result = ingest(m.plain(STORY))
    assert result.outcome == "quarantined" and "KeyError" in result.reason
    monkeypatch.undo()  # the fix is deployed
    with django_capture_on_commit_callbacks(execute=True):
        retried = submission_retry(inbound_message=InboundMessage.objects.get(pk=result.inbound_id))
    assert retried.outcome == "submission"


def test_a_failure_after_parsing_is_rolled_back_and_quarantined_with_the_error(ingest, monkeypatch, mailoutbox):
    def broken(inbound, parsed):
        Submission.objects.create(inbound=inbound, sender_email="half@done.cn")  # rolled back with the step
        raise RuntimeError("storage backend misconfigured")

    monkeypatch.setattr(ingest_module, "_create_submission", broken)
    result = ingest(m.plain(STORY))
    inbound = InboundMessage.objects.get(pk=result.inbound_id)
    assert result.outcome == "quarantined" and "RuntimeError" in inbound.reason
    assert inbound.status == InboundStatus.QUARANTINED and bytes(inbound.raw) == m.plain(STORY)
    assert not Submission.objects.exists() and mailoutbox == []


def test_a_disk_that_is_away_leaves_the_message_received_for_the_redelivery(ingest, monkeypatch):
    def disk_full(inbound, parsed):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ingest_module, "_create_submission", disk_full)
    with pytest.raises(OSError):
        ingest(m.plain(STORY))
    assert InboundMessage.objects.get().status == InboundStatus.RECEIVED
    monkeypatch.undo()
    assert ingest(m.plain(STORY)).outcome == "submission"
    assert InboundMessage.objects.count() == 1


def test_only_editors_may_retry(ingest, reader, editor):
    raw = m.message([*m.envelope(), ("Content-Type", 'multipart/mixed; boundary="A"')], b"--B\r\n\r\nx\r\n--B--\r\n")
    inbound = InboundMessage.objects.get(pk=ingest(raw).inbound_id)
    with pytest.raises(PermissionDenied):
        submission_retry(inbound_message=inbound, actor=reader)
    assert submission_retry(inbound_message=inbound, actor=editor).outcome == "quarantined"
    assert AuditEntry.objects.filter(action="inbound.retry", actor=editor).exists()


def test_a_mail_without_a_manuscript_is_submission_empty_and_asked_for_it(ingest, mailoutbox):
    result = ingest(m.message([*m.envelope(), ("Content-Type", "text/plain; charset=us-ascii")], b""))
    assert result.outcome == "submission_empty"
    submission = Submission.objects.get(pk=result.submission_id)
    assert submission.is_empty
    assert len(mailoutbox) == 1 and "没有找到稿件" in mailoutbox[0].body
    # and the manuscript sent as a reply joins it
    reply = ingest(m.plain(STORY, message_id="<again@x>", extra=[("In-Reply-To", "<m1@example.cn>")]))
    assert reply.outcome == "submission" and reply.thread_of == submission.pk


def test_an_attachment_over_the_limit_is_listed_with_the_reason(ingest, settings):
    settings.SUBMISSION_MAX_ATTACHMENT_BYTES = 1000
    raw = m.with_parts(
        "mixed", [m.text_part(STORY), m.file_part('filename="大图.jpg"', "image/jpeg", b"\xff\xd8" + b"1" * 4000)]
    )
    result = ingest(raw)
    attachment = Submission.objects.get(pk=result.submission_id).attachments.get()
    assert attachment.filename == "大图.jpg" and attachment.size == 4002 and not attachment.file
    assert not attachment.is_candidate_cover and "超过单个附件上限" in attachment.skipped_reason
    assert attachment.skipped_reason in InboundMessage.objects.get(pk=result.inbound_id).reason


def test_bytes_stored_but_never_processed_are_picked_up_again_not_stored_twice(ingest):
    raw = m.plain(STORY)
    # given the first step committed and the database went away before the second
    stored = inbound_store(raw=raw, source="pipe")
    assert stored.status == InboundStatus.RECEIVED
    # when the MTA delivers the same bytes again
    result = ingest(raw, source="pipe")
    assert result.inbound_id == stored.pk and result.outcome == "submission"
    assert InboundMessage.objects.count() == 1


def test_noreply_senders_are_not_acknowledged(ingest, mailoutbox):
    assert ingest(m.plain(STORY, sender="系统 <no-reply@example.cn>")).outcome == "submission"
    assert mailoutbox == []


def test_the_acknowledgement_is_sent_once_per_message_even_when_delivered_twice(ingest, mailoutbox):
    from articles.mail.tasks import send_submission_acknowledgement

    submission_id = ingest(m.plain(STORY)).submission_id
    send_submission_acknowledgement.apply(args=[submission_id], task_id="redelivered-1")
    send_submission_acknowledgement.apply(args=[submission_id], task_id="redelivered-1")
    send_submission_acknowledgement.apply(args=[submission_id], task_id="another-message")
    assert len(mailoutbox) == 1


def test_the_moderation_adapter_holds_releases_and_removes_a_submission(ingest):
    submission = Submission.objects.get(pk=ingest(m.plain(STORY)).submission_id)
    adapter = registry.adapter_for(submission)
    assert adapter.get_owner(submission) is None and adapter.get_text(submission) == submission.text
    assert not adapter.reportable_by(submission, None) and list(adapter.recent_public(10)) == []
    adapter.hold(submission, reason="违反社区公约 3.4")
    submission.refresh_from_db()
    assert submission.held and submission.hold_reason == "违反社区公约 3.4"
    adapter.release(submission)
    submission.refresh_from_db()
    assert not submission.held
    adapter.remove(submission, reason="联系方式交易")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED and submission.removed_reason == "联系方式交易"


def test_spam_with_contact_details_comes_out_flagged(ingest):
    body = "在家轻松月入三万！每天只需手机操作1小时，加我微信：xiaomei_8866，点击 https://t.cn/abc?aff_id=XM8866"
    submission_id = ingest(m.plain(body, subject="投稿：宝妈学生党都能做")).submission_id
    record = ScanRecord.objects.get(
        content_type=ContentType.objects.get_for_model(Submission), object_id=submission_id, is_latest=True
    )
    assert record.verdict != "allow"
    assert record.findings.exists()


MAILISH = st.builds(
    lambda headers, body: headers + b"\r\n\r\n" + body,
    st.lists(
        st.sampled_from(
            [
                b"From: =?gb2312?B?zfXn9Q==?= <a@b.cn>",
                b"Subject: =?utf-8?B?5oqV56i/?= =?big5?Q?=A7=EB?=",
                b"Message-ID: <x@y>",
                b"Content-Type: multipart/mixed; boundary=zz",
                b'Content-Type: text/plain; charset="x-unknown"',
                b"Content-Transfer-Encoding: base64",
                b"Content-Disposition: attachment; filename*0*=utf-8''%E5; filename*1=x",
                b"From: \xe5\xbc\xa0 <\x00@\xff>",
                b"Auto-Submitted: no",
            ]
        ),
        max_size=6,
    ).map(b"\r\n".join),
    st.binary(max_size=300) | st.just(b"--zz\r\nContent-Type: text/html\r\n\r\n<p>\xff</p>\r\n--zz"),
)


@pytest.mark.django_db
@hypothesis_settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=400) | MAILISH)
def test_arbitrary_bytes_never_raise_and_always_leave_the_raw_message(raw, _media):
    result = submission_ingest(raw=raw, source="fuzz")
    stored = InboundMessage.objects.get(pk=result.inbound_id)
    assert bytes(stored.raw) == raw
    assert stored.status != InboundStatus.RECEIVED
    assert result.outcome in {
        "submission",
        "duplicate",
        "ignored_auto_reply",
        "ignored_bulk",
        "bounce",
        "quarantined",
        "submission_empty",
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_deliveries_racing_on_one_message_id_make_one_submission_and_one_duplicate():
    import threading

    from django.db import connection

    raws = [m.plain(STORY, message_id="<race@example.com>", extra=[("Received", f"by mx{n}")]) for n in (1, 2)]
    results, errors = [], []
    start = threading.Barrier(2)

    def deliver(raw):
        try:
            start.wait()
            results.append(submission_ingest(raw=raw, source="test"))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(raw,)) for raw in raws]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert sorted(r.outcome for r in results) == ["duplicate", "submission"]
    assert Submission.objects.count() == 1 and InboundMessage.objects.count() == 2
    assert len({r.submission_id for r in results}) == 1
