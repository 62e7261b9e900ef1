"""The IMAP door of e-mail submissions: poll a mailbox, hand each unseen message to the one
ingest service, and only then mark it seen (or move it).

    INBOUND_IMAP_URL=imaps://tougao%40yumao.example:secret@imap.example/INBOX
    INBOUND_IMAP_URL=imaps://user:pass@imap.example/INBOX?move=Processed
    INBOUND_IMAP_URL=imap://user:pass@127.0.0.1:1143/INBOX        (plain IMAP, loopback only)

``imaps`` is IMAP over TLS (port 993 by default). ``imap`` (port 143) is plain text on a
loopback address and STARTTLS (required) anywhere else, so a password never crosses a
network in the clear. User, password and mailbox are percent-decoded. ``?move=FOLDER``
moves each processed message to FOLDER instead of leaving it, flagged \\Seen, in place.

Order of work, per message: fetch (BODY.PEEK[], which leaves the \\Seen flag alone) →
``submission_ingest`` (which commits the raw bytes and then the outcome) → flag \\Seen or
move. A crash or a database that is away between the two leaves the message unseen, and
the next poll fetches it again; the second ingest is then a duplicate by Message-ID (the
ingest identifies a message without one by its bytes), so nothing is lost and nothing is
answered twice.
"""

from __future__ import annotations

import contextlib
import imaplib
import ipaddress
import logging
import ssl
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

SOURCE = "imap"
# Seconds a silent server may keep the poll waiting before the run gives up (the next
# minute's run tries again); well inside the task's time limit.
SOCKET_TIMEOUT = 30


class ImapConfigError(ValueError):
    """INBOUND_IMAP_URL cannot be used; the message says why."""


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str
    mailbox: str = "INBOX"
    tls: bool = True  # imaps: TLS from the first byte
    starttls: bool = False  # imap to a non-loopback host: upgrade before logging in
    move_to: str = ""

    def __repr__(self) -> str:  # never print the password in a log or a traceback
        return f"ImapSettings(host={self.host!r}, port={self.port}, user={self.user!r}, mailbox={self.mailbox!r})"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def imap_settings_from_url(url: str) -> ImapSettings:
    """Parse INBOUND_IMAP_URL; raise ImapConfigError naming what is wrong."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("imap", "imaps"):
        raise ImapConfigError("INBOUND_IMAP_URL must start with imaps:// (or imap:// on a loopback address).")
    if not parts.hostname:
        raise ImapConfigError("INBOUND_IMAP_URL names no host.")
    if parts.username is None or parts.password is None:
        raise ImapConfigError("INBOUND_IMAP_URL needs a user and a password: imaps://user:password@host/INBOX.")
    try:
        port = parts.port or (993 if scheme == "imaps" else 143)
    except ValueError as error:
        raise ImapConfigError(f"INBOUND_IMAP_URL has an invalid port: {error}.") from None
    query = parse_qs(parts.query)
    unknown = set(query) - {"move"}
    if unknown:
        raise ImapConfigError(f"INBOUND_IMAP_URL has unknown options: {', '.join(sorted(unknown))}.")
    mailbox = unquote(parts.path.lstrip("/")) or "INBOX"
    return ImapSettings(
        host=parts.hostname,
        port=port,
        user=unquote(parts.username),
        password=unquote(parts.password),
        mailbox=mailbox,
        tls=scheme == "imaps",
        starttls=scheme == "imap" and not _is_loopback(parts.hostname),
        move_to=(query.get("move") or [""])[0],
    )


@dataclass
class PollReport:
    """What one poll did (logged, returned by the task)."""

    fetched: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    left_unseen: int = 0  # not finished (the database was away): the next poll retries
    error: str = ""

    def count(self, outcome: str) -> None:
        outcome = str(outcome)
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def as_dict(self) -> dict:
        return {
            "fetched": self.fetched,
            "outcomes": dict(self.outcomes),
            "left_unseen": self.left_unseen,
            "error": self.error,
        }


def _quote(mailbox: str) -> str:
    """A mailbox name as an IMAP quoted string."""
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _connect(config: ImapSettings) -> imaplib.IMAP4:
    if config.tls:
        client = imaplib.IMAP4_SSL(
            config.host, config.port, ssl_context=ssl.create_default_context(), timeout=SOCKET_TIMEOUT
        )
    else:
        client = imaplib.IMAP4(config.host, config.port, timeout=SOCKET_TIMEOUT)
        if config.starttls:
            client.starttls(ssl_context=ssl.create_default_context())
    client.login(config.user, config.password)
    # The capabilities after login (MOVE, UIDPLUS) can differ from the greeting's.
    kind, data = client.capability()
    if kind == "OK" and data and data[0]:
        client.capabilities = tuple(data[0].decode("ascii", "replace").upper().split())
    return client


def _check(response: tuple, what: str) -> list:
    kind, data = response
    if kind != "OK":
        raise imaplib.IMAP4.error(f"{what}: {kind} {data!r}")
    return data


def _fetch_raw(client: imaplib.IMAP4, uid: bytes) -> bytes | None:
    """The message's bytes, without setting \\Seen (BODY.PEEK); None if it is gone."""
    data = _check(client.uid("FETCH", uid, "(BODY.PEEK[])"), "FETCH")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None


def _done(client: imaplib.IMAP4, uid: bytes, config: ImapSettings) -> None:
    """The message is in the database: flag it seen, or move it out of the way."""
    _check(client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Seen)"), "STORE")
    if not config.move_to:
        return
    if "MOVE" in client.capabilities:
        _check(client.uid("MOVE", uid, _quote(config.move_to)), "MOVE")
        return
    _check(client.uid("COPY", uid, _quote(config.move_to)), "COPY")
    _check(client.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
    if "UIDPLUS" in client.capabilities:
        _check(client.uid("EXPUNGE", uid), "UID EXPUNGE")
    else:
        _check(client.expunge(), "EXPUNGE")


def mailbox_poll(*, url: str, limit: int) -> PollReport:
    """Ingest up to ``limit`` unseen messages of the mailbox at ``url``, oldest first.

    Must be called outside a transaction (``submission_ingest`` commits by itself: a
    message is flagged only once its submission is durable). IMAP and network failures end
    the run with ``report.error`` set and the remaining messages unseen; a database that
    is away does the same, so the next poll retries them. Raises ImapConfigError for an
    unusable URL.
    """
    from articles.mail.ingest import submission_ingest

    config = imap_settings_from_url(url)
    report = PollReport()
    try:
        client = _connect(config)
    except (OSError, imaplib.IMAP4.error) as error:
        report.error = f"connect: {error}"
        logger.warning("IMAP poll of %r could not connect: %s", config, error)
        return report
    try:
        _check(client.select(_quote(config.mailbox)), "SELECT")
        uids = _check(client.uid("SEARCH", None, "UNSEEN"), "SEARCH")[0].split()
        # UIDs grow with arrival: the oldest first, a bounded batch per run.
        pending = sorted(uids, key=int)[: max(limit, 0)]
        for index, uid in enumerate(pending):
            raw = _fetch_raw(client, uid)
            if raw is None:
                continue  # expunged by someone else since the search
            report.fetched += 1
            try:
                report.count(submission_ingest(raw=raw, source=SOURCE).outcome)
            except (OperationalError, InterfaceError) as error:
                # Nothing durable, or only the raw bytes (picked up again next time).
                report.left_unseen = len(pending) - index
                report.error = f"database: {error}"
                logger.warning("IMAP poll stopped: the database is unavailable (%s)", error)
                break
            _done(client, uid, config)
    except (OSError, imaplib.IMAP4.error) as error:
        report.error = f"imap: {error}"
        logger.warning("IMAP poll of %r failed: %s", config, error)
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):  # the work is done; a bad goodbye is harmless
            client.logout()
    if report.fetched:
        logger.info("IMAP poll: %s", report.as_dict())
    return report
