"""The IMAP door (articles.mail.imap, articles.tasks.poll_submission_mailbox) against a real
Dovecot started for these tests: unseen messages become submissions, a message is flagged
seen (or moved) only once its submission is committed, a message fetched twice is a
duplicate, and each run is bounded."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core import mail
from django.db import OperationalError

from articles.mail.imap import ImapConfigError, imap_settings_from_url, mailbox_poll
from articles.mail.models import InboundMessage, IngestOutcome, Submission
from tests.articles.mail_builders import submission_mail
from tests.conftest import skip_or_fail

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"
USER, PASSWORD = "inbox@example.test", "secret"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Dovecot:
    port: int
    config: Path

    def url(self, *, query: str = "") -> str:
        return f"imap://inbox%40example.test:{PASSWORD}@127.0.0.1:{self.port}/INBOX{query}"

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def append(self, raw: bytes, *, seen: bool = False, mailbox: str = "INBOX") -> None:
        client = self.client()
        try:
            kind, _ = client.append(mailbox, r"(\Seen)" if seen else None, None, raw)
            assert kind == "OK"
        finally:
            client.logout()

    def uids(self, criterion: str, mailbox: str = "INBOX") -> list[int]:
        client = self.client()
        try:
            client.select(mailbox)
            return [int(uid) for uid in client.uid("SEARCH", None, criterion)[1][0].split()]
        finally:
            client.logout()

    def mark_unseen(self, mailbox: str = "INBOX") -> None:
        client = self.client()
        try:
            client.select(mailbox)
            client.uid("STORE", "1:*", "-FLAGS", r"(\Seen)")
        finally:
            client.logout()


def _dovecot_config(base: Path, port: int) -> Path:
    """A standalone Dovecot: IMAP on 127.0.0.1:<port>, plain-text login (loopback only), one
    passwd-file user, maildir under ``base``."""
    if os.geteuid() == 0:
        # Dovecot refuses mail access as root: the mail belongs to its own system user.
        mail_user = pwd.getpwnam("dovecot")
        users = ""
    else:
        mail_user = pwd.getpwuid(os.getuid())
        users = f"default_internal_user = {mail_user.pw_name}\ndefault_login_user = {mail_user.pw_name}\n"
    mail_dir = base / "mail"
    mail_dir.mkdir()
    if os.geteuid() == 0:
        os.chown(mail_dir, mail_user.pw_uid, mail_user.pw_gid)
    (base / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    config = base / "dovecot.conf"
    config.write_text(
        f"""base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
{users}protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{mail_dir}/%u
first_valid_uid = 1
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={base}/home/%u
}}
"""
    )
    return config


@pytest.fixture(scope="module")
def dovecot_server():
    if not os.path.exists(DOVECOT):
        skip_or_fail("the IMAP poller's test needs Dovecot: apt-get install dovecot-imapd")
    base = Path(tempfile.mkdtemp(prefix="yumao-dovecot-"))
    base.chmod(0o755)  # the mail user must reach its maildir
    port = _free_port()
    config = _dovecot_config(base, port)
    subprocess.run([DOVECOT, "-c", str(config)], check=True)
    try:
        for _ in range(100):  # until it accepts connections
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("Dovecot did not start:\n" + (base / "dovecot.log").read_text())
        yield Dovecot(port=port, config=config)
    finally:
        subprocess.run([DOVEADM, "-c", str(config), "stop"], check=False)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def dovecot(dovecot_server):
    """The server with an empty INBOX (and no Processed folder) for each test."""
    client = dovecot_server.client()
    try:
        for mailbox in ("INBOX", "Processed"):
            if client.select(mailbox)[0] == "OK":
                client.uid("STORE", "1:*", "+FLAGS.SILENT", r"(\Deleted)")
                client.expunge()
        client.delete("Processed")
    finally:
        client.logout()
    return dovecot_server


# ---------------------------------------------------------------------------
# The URL (no server needed)


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "imaps://tougao%40yumao.example:p%40ss@imap.example/INBOX",
            {"host": "imap.example", "port": 993, "user": "tougao@yumao.example", "password": "p@ss", "tls": True},
        ),
        ("imap://u:p@127.0.0.1:1143/", {"port": 1143, "mailbox": "INBOX", "tls": False, "starttls": False}),
        ("imap://u:p@mail.example/%E6%8A%95%E7%A8%BF", {"port": 143, "mailbox": "投稿", "starttls": True}),
        ("imaps://u:p@h/INBOX?move=Processed", {"move_to": "Processed"}),
    ],
)
def test_imap_url_is_parsed(url, expected):
    config = imap_settings_from_url(url)
    assert {key: getattr(config, key) for key in expected} == expected
    assert "p@ss" not in repr(config) and ":p@" not in repr(config)


@pytest.mark.parametrize(
    "url", ["pop3://u:p@h/", "imaps://h/INBOX", "imaps://u:p@/INBOX", "imaps://u:p@h:99999/", "imaps://u:p@h/?x=1"]
)
def test_unusable_imap_url_is_refused_with_a_reason(url):
    with pytest.raises(ImapConfigError):
        imap_settings_from_url(url)


def test_the_task_does_nothing_without_an_imap_url(settings, db):
    from articles.tasks import poll_submission_mailbox

    settings.INBOUND_IMAP_URL = ""
    assert poll_submission_mailbox.delay().get() == {}
    assert not InboundMessage.objects.exists()


# ---------------------------------------------------------------------------
# Against Dovecot

pytestmark_db = pytest.mark.django_db(transaction=True)


@pytestmark_db
def test_unseen_messages_become_submissions_and_are_flagged_seen(dovecot, settings):
    # given two new submissions and one message someone already read in the mailbox
    settings.INBOUND_IMAP_URL = dovecot.url()
    dovecot.append(submission_mail(message_id="<a@mail.example.cn>", subject="第一篇"))
    dovecot.append(submission_mail(message_id="<b@mail.example.cn>", subject="第二篇", sender="li@example.cn"))
    dovecot.append(submission_mail(message_id="<c@mail.example.cn>", subject="早就读过"), seen=True)
    # when beat's task runs
    from articles.tasks import poll_submission_mailbox

    report = poll_submission_mailbox.delay().get()
    # then the two unseen ones are submissions from the IMAP door, acknowledged once each,
    assert report["fetched"] == 2 and report["outcomes"] == {IngestOutcome.SUBMISSION: 2} and not report["error"]
    assert sorted(Submission.objects.values_list("title", flat=True)) == ["第一篇", "第二篇"]
    assert set(InboundMessage.objects.values_list("source", flat=True)) == {"imap"}
    assert sorted(m.to[0].rsplit("<")[-1].rstrip(">") for m in mail.outbox) == [
        "li@example.cn",
        "wang.xiaoming@example.cn",
    ]
    # and every message in the mailbox is now seen; a second run finds nothing to do
    assert dovecot.uids("UNSEEN") == [] and len(dovecot.uids("ALL")) == 3
    assert poll_submission_mailbox.delay().get()["fetched"] == 0


@pytestmark_db
def test_a_message_is_flagged_only_after_its_submission_is_committed(dovecot, monkeypatch):
    # given a message, and an ingest that looks at the mailbox while it works
    dovecot.append(submission_mail())
    from articles.mail import ingest

    seen_while_ingesting = []
    real_ingest = ingest.submission_ingest

    def watching_ingest(**kwargs):
        seen_while_ingesting.append(dovecot.uids("SEEN"))
        result = real_ingest(**kwargs)
        seen_while_ingesting.append(dovecot.uids("SEEN"))
        return result

    monkeypatch.setattr(ingest, "submission_ingest", watching_ingest)
    # when the mailbox is polled
    report = mailbox_poll(url=dovecot.url(), limit=10)
    # then the message was still unseen while (and right after) it was ingested, and seen after
    assert seen_while_ingesting == [[], []]
    assert report.outcomes == {IngestOutcome.SUBMISSION: 1}
    assert dovecot.uids("UNSEEN") == [] and Submission.objects.count() == 1


@pytestmark_db
def test_a_database_outage_leaves_the_messages_unseen_for_the_next_run(dovecot, monkeypatch):
    # given two messages and a database that is away
    dovecot.append(submission_mail(message_id="<x1@mail.example.cn>"))
    dovecot.append(submission_mail(message_id="<x2@mail.example.cn>"))
    from articles.mail import ingest

    real_ingest = ingest.submission_ingest

    def database_away(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(ingest, "submission_ingest", database_away)
    # when the mailbox is polled, then nothing is flagged and the run says why it stopped
    report = mailbox_poll(url=dovecot.url(), limit=10)
    assert report.left_unseen == 2 and report.error.startswith("database")
    assert len(dovecot.uids("UNSEEN")) == 2
    # and when the database is back, the next run ingests both
    monkeypatch.setattr(ingest, "submission_ingest", real_ingest)
    report = mailbox_poll(url=dovecot.url(), limit=10)
    assert report.outcomes == {IngestOutcome.SUBMISSION: 2}
    assert Submission.objects.count() == 2 and dovecot.uids("UNSEEN") == []


@pytestmark_db
def test_a_message_fetched_twice_is_a_duplicate(dovecot):
    # given a message already ingested, whose \Seen flag was lost (a crash after the commit)
    dovecot.append(submission_mail(message_id="<Twice@Mail.Example.cn>"))
    mailbox_poll(url=dovecot.url(), limit=10)
    dovecot.mark_unseen()
    # when it is fetched again
    report = mailbox_poll(url=dovecot.url(), limit=10)
    # then it is recognised as a duplicate: one submission, one acknowledgement
    assert report.outcomes == {IngestOutcome.DUPLICATE: 1}
    assert Submission.objects.count() == 1 and len(mail.outbox) == 1
    assert dovecot.uids("UNSEEN") == []


@pytestmark_db
def test_identical_bytes_without_message_id_fetched_twice_are_a_duplicate(dovecot):
    dovecot.append(submission_mail(message_id=None))
    mailbox_poll(url=dovecot.url(), limit=10)
    dovecot.mark_unseen()
    report = mailbox_poll(url=dovecot.url(), limit=10)
    assert report.outcomes == {IngestOutcome.DUPLICATE: 1}
    assert Submission.objects.count() == 1 and len(mail.outbox) == 1 and dovecot.uids("UNSEEN") == []


@pytestmark_db
def test_each_run_is_bounded_and_takes_the_oldest_first(dovecot):
    for n in range(3):
        dovecot.append(submission_mail(message_id=f"<n{n}@mail.example.cn>", subject=f"第{n}篇"))
    first = mailbox_poll(url=dovecot.url(), limit=2)
    assert first.fetched == 2 and sorted(Submission.objects.values_list("title", flat=True)) == ["第0篇", "第1篇"]
    assert dovecot.uids("UNSEEN") == [max(dovecot.uids("ALL"))]  # the newest waits
    second = mailbox_poll(url=dovecot.url(), limit=2)
    assert second.fetched == 1 and Submission.objects.count() == 3 and dovecot.uids("UNSEEN") == []


@pytestmark_db
def test_processed_messages_can_be_moved_to_another_folder(dovecot):
    client = dovecot.client()
    client.create("Processed")
    client.logout()
    dovecot.append(submission_mail())
    report = mailbox_poll(url=dovecot.url(query="?move=Processed"), limit=10)
    assert report.outcomes == {IngestOutcome.SUBMISSION: 1}
    assert dovecot.uids("ALL") == [] and len(dovecot.uids("SEEN", mailbox="Processed")) == 1


@pytestmark_db
def test_unparseable_mail_is_quarantined_and_still_flagged(dovecot, monkeypatch):
    # A quarantined message is stored for a person: it must not be fetched over and over.
    from articles.mail import ingest
    from articles.mail.parse import Unparseable

    def broken_parser(raw, **kwargs):
        raise Unparseable("测试：解析器拒绝了这封邮件")

    monkeypatch.setattr(ingest, "parse_message", broken_parser)
    dovecot.append(submission_mail())
    report = mailbox_poll(url=dovecot.url(), limit=10)
    assert report.outcomes == {IngestOutcome.QUARANTINED: 1}
    assert InboundMessage.objects.get().reason == "测试：解析器拒绝了这封邮件"
    assert dovecot.uids("UNSEEN") == []


@pytestmark_db
def test_a_wrong_password_ends_the_run_with_a_reason_and_no_exception(dovecot):
    dovecot.append(submission_mail())
    report = mailbox_poll(url=dovecot.url().replace(PASSWORD, "wrong"), limit=10)
    assert report.error.startswith("connect") and report.fetched == 0
    assert len(dovecot.uids("UNSEEN")) == 1 and not InboundMessage.objects.exists()
