"""E-mail submissions (PRODUCT §8): raw RFC 5322 bytes in, a Submission out.

- ``parse`` (with ``charsets``, ``headers``, ``html``, ``quotes``, ``documents``): pure
  parsing, no Django — bytes to a ParsedMail, or Unparseable with a reason.
- ``models``: InboundMessage (the raw bytes, always stored first), Submission,
  SubmissionAttachment; re-exported from articles.models.
- ``ingest``: the one service, ``submission_ingest(raw=…, source=…)``, and
  ``submission_retry(inbound_message=…)``.
- ``moderation``: how the moderation registry sees a Submission.
- ``tasks``: the acknowledgement e-mail.

This package's __init__ imports nothing, so ``articles.mail.parse`` stays importable
without Django.
"""
