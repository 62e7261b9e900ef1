"""Every message of ../shared/mail-samples/ ingested and checked against its expected.json.

The samples are real-world shapes of mail (QQ, Foxmail, Outlook, Gmail, Coremail, Apple
Mail, Outlook Express, broken scripts); they are read where they are, never copied into
the project. Skipped when ../shared is not beside the checkout.
"""

import json
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType

from articles.mail.ingest import submission_ingest
from articles.models import InboundMessage, Submission
from moderation.models import ScanRecord

# tests/articles/test_mail_samples.py → the checkout → its parent, where shared/ lives.
SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "mail-samples"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.shared_data
def test_every_shared_sample_ingests_as_expected(db, django_capture_on_commit_callbacks, mailoutbox):
    if not (SAMPLES / "expected.json").exists():
        from tests.conftest import skip_or_fail

        skip_or_fail(f"needs the shared mail samples at {SAMPLES}")
    expected = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
    files = sorted(SAMPLES.glob("*.eml"))
    assert {f.name for f in files} == set(expected)
    results, problems = {}, []
    for path in files:  # in name order: an original comes before its reply and its duplicate
        with django_capture_on_commit_callbacks(execute=True):
            results[path.name] = submission_ingest(raw=path.read_bytes(), source="test")
    submission_of = {name: result.submission_id for name, result in results.items()}
    inbound_of = {name: result.inbound_id for name, result in results.items()}
    content_type = ContentType.objects.get_for_model(Submission)
    for name, want in expected.items():
        got = results[name]
        for key in ("outcome", "title", "sender_email", "sender_name", "attachments"):
            if getattr(got, key) != want[key]:
                problems.append(f"{name}: {key} {getattr(got, key)!r} ≠ {want[key]!r}")
        if got.thread_of != (submission_of[want["thread_of"]] if want["thread_of"] else None):
            problems.append(f"{name}: thread_of {got.thread_of!r} ≠ {want['thread_of']!r}")
        inbound = InboundMessage.objects.get(pk=got.inbound_id)
        if bytes(inbound.raw) != path_bytes(name):
            problems.append(f"{name}: the raw message was not kept as it came")
        if want["duplicate_of"] and inbound.duplicate_of_id != inbound_of[want["duplicate_of"]]:
            problems.append(f"{name}: duplicate_of {inbound.duplicate_of_id!r} ≠ {want['duplicate_of']!r}")
        if want["body_contains"]:
            text = Submission.objects.get(pk=got.submission_id).text
            problems += [f"{name}: text lacks {phrase!r}" for phrase in want["body_contains"] if phrase not in text]
            if "\ufffd" in text and not want["malformed"]:
                problems.append(f"{name}: U+FFFD in a well-formed message")
        if want["outcome"] == "submission":
            record = ScanRecord.objects.get(content_type=content_type, object_id=got.submission_id, is_latest=True)
            if want["moderation_flag"] and record.verdict == "allow":
                problems.append(f"{name}: expected moderation to flag it, the scan allowed it")
    # one acknowledgement per real submission; none for ignored kinds, duplicates, quarantine
    answered = sorted(n for n, w in expected.items() if w["outcome"] in ("submission", "submission_empty"))
    if len(mailoutbox) != len(answered):
        problems.append(f"{len(mailoutbox)} acknowledgements for {len(answered)} submissions")
    assert not problems, "\n".join(problems)


def path_bytes(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()
