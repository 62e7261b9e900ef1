"""A running Celery worker picks up a newly activated text model without a restart."""

import time

import pytest
from django.db import transaction

from moderation.models import ScanRecord
from moderation.services import scan_request
from tests.moderation.text_model_fixtures import (
    FLAG_TEXT,
    activate,
    new_toy,
    old_toy,
    store,
)
from tests.testapp.models import Note


@pytest.fixture
def old_model():
    return old_toy()


@pytest.fixture
def new_model():
    return new_toy()


WAIT_SECONDS = 60


def _scanned(note: Note, *, model_version: int) -> ScanRecord:
    """The note's latest record once the worker scanned it with ``model_version``."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        record = ScanRecord.objects.filter(object_id=note.pk, is_latest=True, model_version=model_version).first()
        if record is not None:
            return record
        time.sleep(0.2)
    raise AssertionError(f"the worker did not scan note {note.pk} with model v{model_version} in {WAIT_SECONDS} s")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_running_worker_scans_with_the_newly_activated_model(
    celery_worker, convention, moderator, old_model, new_model
):
    # given: the old model active, and the worker has scanned with it (a text it does not flag)
    old = activate(store(old_model), moderator)
    with transaction.atomic():
        note = Note.objects.create(title="", body=FLAG_TEXT)
        scan_request(obj=note)
    before = _scanned(note, model_version=old.number)
    assert before.verdict == "allow" and not before.findings.filter(detector="model").exists()

    # when: a moderator activates the new model, the worker still running
    new = activate(store(new_model), moderator)
    with transaction.atomic():
        scan_request(obj=note)

    # then: the same worker's next scan uses it — the text now goes to review
    after = _scanned(note, model_version=new.number)
    assert after.verdict == "review"
    finding = after.findings.get(detector="model")
    assert finding.category == 2 and finding.match == FLAG_TEXT and finding.score >= 0.5
