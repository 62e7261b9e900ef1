"""The SMTP door of e-mail submissions, for small sites: an aiosmtpd receiver that takes mail
for the submission address only and hands each message to the one ingest service.

    python manage.py run_smtp_receiver --host 127.0.0.1 --port 2525

It answers as a final delivery agent: 250 once the message is committed (stored, even if it
is then quarantined for a person), 550 for any other recipient, 552 for a message over
SUBMISSION_MAX_MESSAGE_BYTES (announced in EHLO as SIZE, so a well-behaved client does not
even send it), 451 while the database is away — the sending MTA keeps the message and tries
again, so nothing is lost.

SMTP replies are ASCII English on purpose: they travel through other mail servers and end
up in bounce messages, where non-ASCII text is not reliably carried.
"""

from __future__ import annotations

import logging
from email.utils import format_datetime, parseaddr

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone

logger = logging.getLogger(__name__)

SOURCE = "smtp"


def submission_address() -> str:
    """The bare address of SUBMISSION_EMAIL ("羽毛投稿 <tougao@…>" → "tougao@…"), lower case."""
    return parseaddr(settings.SUBMISSION_EMAIL)[1].lower()


def _ingest(raw: bytes):
    """The ingest service on a connection of its own: the receiver runs for weeks, mail
    arrives now and then, and a connection the database dropped in between must not be
    reused (nor one left open for nothing)."""
    from articles.mail.ingest import submission_ingest

    close_old_connections()
    try:
        return submission_ingest(raw=raw, source=SOURCE)
    finally:
        connections.close_all()


class SubmissionHandler:
    """aiosmtpd handler: RCPT checks the address, DATA ingests."""

    def __init__(self, *, address: str | None = None, hostname: str = "yumao") -> None:
        self.address = (address or submission_address()).lower()
        self.hostname = hostname

    async def handle_RCPT(self, server, session, envelope, address: str, rcpt_options: list[str]) -> str:
        if address.strip().lower() != self.address:
            return (
                f"550 5.1.1 <{address}>: mailbox unavailable; this server only accepts manuscripts for {self.address}"
            )
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    def _with_trace_headers(self, session, envelope, content: bytes) -> bytes:
        """Return-Path and Received, as the final delivery agent adds them (RFC 5321 §4.4):
        the envelope sender tells a bounce (<>) from a person's mail."""
        peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer)
        helo = (session.host_name or "unknown").replace("\r", "").replace("\n", "")
        received = (
            f"Received: from {helo} ([{peer}])\r\n\tby {self.hostname} (yumao run_smtp_receiver) with ESMTP;"
            f" {format_datetime(timezone.now())}\r\n"
        )
        lines = [received.encode("ascii", "replace")]
        if not content[:4096].lower().startswith(b"return-path:") and b"\nreturn-path:" not in content[:4096].lower():
            lines.insert(0, f"Return-Path: <{envelope.mail_from or ''}>\r\n".encode("utf-8", "replace"))
        return b"".join(lines) + content

    async def handle_DATA(self, server, session, envelope) -> str:
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        raw = self._with_trace_headers(session, envelope, content)
        try:
            result = await sync_to_async(_ingest, thread_sensitive=True)(raw)
        except (OperationalError, InterfaceError) as error:
            logger.warning("SMTP receiver: database unavailable, asking the sender to retry (%s)", error)
            return "451 4.3.0 Temporary failure: storage unavailable, please try again later"
        except Exception:  # a bug must not lose the message: the sender's MTA keeps it and retries
            logger.exception("SMTP receiver: ingest failed")
            return "451 4.3.0 Temporary failure, please try again later"
        logger.info("SMTP receiver: message %s → %s", result.inbound_id, result.outcome)
        return f"250 2.0.0 OK: stored as message {result.inbound_id}"


def smtp_controller(*, host: str, port: int, max_bytes: int | None = None) -> Controller:
    """A threaded aiosmtpd server for the submission address (not started)."""
    limit = max_bytes if max_bytes is not None else settings.SUBMISSION_MAX_MESSAGE_BYTES
    return Controller(
        SubmissionHandler(),
        hostname=host,
        port=port,
        data_size_limit=limit,
        # The original bytes, undecoded: the ingest decodes Chinese charsets itself.
        decode_data=False,
        enable_SMTPUTF8=True,
    )
