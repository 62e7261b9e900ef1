"""The SMTP door (articles.mail.smtp, `manage.py run_smtp_receiver`) through smtplib against a
real aiosmtpd server on a free port: only the submission address is accepted, the size
limit is enforced, a stored message is a submission, and a database outage is a 451 so the
sender's MTA retries."""

from __future__ import annotations

import smtplib
import socket

import pytest
from django.core import mail
from django.db import OperationalError

from articles.mail.models import InboundMessage, Submission
from articles.mail.smtp import smtp_controller
from tests.articles.mail_builders import submission_mail

pytestmark = pytest.mark.django_db(transaction=True)
MAX_BYTES = 20_000


def _free_port() -> int:
    # Controller(port=0) cannot run its own start-up check, so pick the port first.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def receiver(settings):
    settings.SUBMISSION_EMAIL = "羽毛投稿 <tougao@yumao.example>"
    controller = smtp_controller(host="127.0.0.1", port=_free_port(), max_bytes=MAX_BYTES)
    controller.start()
    yield controller
    controller.stop()


def _client(receiver) -> smtplib.SMTP:
    # Generous: the first message of a process also loads the scanner (eager tasks here).
    return smtplib.SMTP(receiver.hostname, receiver.port, timeout=120)


def test_mail_for_the_submission_address_becomes_a_submission(receiver):
    # when a manuscript is sent to the submission address (any case)
    with _client(receiver) as client:
        refused = client.sendmail("wang.xiaoming@example.cn", ["TouGao@Yumao.Example"], submission_mail())
    # then it is stored as a submission from the SMTP door and acknowledged once
    assert refused == {}
    submission = Submission.objects.select_related("inbound").get()
    assert submission.sender_name == "王晓明" and "私域流量" in submission.text
    assert submission.inbound.source == "smtp"
    raw = bytes(submission.inbound.raw)
    assert raw.startswith(b"Return-Path: <wang.xiaoming@example.cn>\r\nReceived: from ")
    assert [m.to for m in mail.outbox] == [["王晓明 <wang.xiaoming@example.cn>"]]


def test_other_recipients_are_refused_with_550_and_a_reason(receiver):
    with _client(receiver) as client:
        client.ehlo()
        client.mail("someone@example.cn")
        code, reason = client.rcpt("editor@yumao.example")
    assert code == 550
    assert b"only accepts manuscripts for tougao@yumao.example" in reason
    assert not InboundMessage.objects.exists()


def test_a_message_for_several_recipients_is_stored_once_for_the_submission_address(receiver):
    with _client(receiver) as client:
        refused = client.sendmail(
            "wang.xiaoming@example.cn", ["other@example.cn", "tougao@yumao.example"], submission_mail()
        )
    assert list(refused) == ["other@example.cn"] and refused["other@example.cn"][0] == 550
    assert Submission.objects.count() == 1


def test_a_message_over_the_size_limit_is_refused_with_552(receiver):
    big = submission_mail(body="很长的稿件。\n" * 4000)
    assert len(big) > MAX_BYTES
    with _client(receiver) as client:
        # The limit is announced, so a client that honours SIZE is refused at MAIL FROM…
        client.ehlo()
        assert int(client.esmtp_features["size"]) == MAX_BYTES
        with pytest.raises(smtplib.SMTPSenderRefused) as announced:
            client.sendmail("wang.xiaoming@example.cn", ["tougao@yumao.example"], big)
        assert announced.value.smtp_code == 552
    with _client(receiver) as client:
        # …and one that ignores it is refused after DATA.
        client.ehlo()
        client.esmtp_features.pop("size")
        with pytest.raises(smtplib.SMTPDataError) as sent_anyway:
            client.sendmail("wang.xiaoming@example.cn", ["tougao@yumao.example"], big)
        assert sent_anyway.value.smtp_code == 552
    assert not InboundMessage.objects.exists()


def test_a_database_outage_is_a_temporary_failure(receiver, monkeypatch):
    from articles.mail import ingest

    def database_away(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(ingest, "submission_ingest", database_away)
    with _client(receiver) as client, pytest.raises(smtplib.SMTPDataError) as refused:
        client.sendmail("wang.xiaoming@example.cn", ["tougao@yumao.example"], submission_mail())
    assert refused.value.smtp_code == 451
    assert not Submission.objects.exists()


def test_the_same_message_sent_twice_is_one_submission(receiver):
    with _client(receiver) as client:
        client.sendmail("wang.xiaoming@example.cn", ["tougao@yumao.example"], submission_mail())
        client.sendmail("wang.xiaoming@example.cn", ["tougao@yumao.example"], submission_mail())
    assert InboundMessage.objects.count() == 2 and Submission.objects.count() == 1
    assert len(mail.outbox) == 1
