import time

import pytest
from django.db import transaction

from moderation.models import ScanRecord
from moderation.services import scan_request
from tests.moderation.conftest import BLOCK_WORD
from tests.testapp.models import Note

# Long enough for a cold worker thread to import jieba and build the lexicon.
WAIT_SECONDS = 60


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_scan_task_runs_in_the_real_worker_after_the_commit(celery_worker, block_term):
    # given: a note saved and a scan requested inside one transaction
    with transaction.atomic():
        note = Note.objects.create(title="周末", body=f"带孩子去看{BLOCK_WORD}")
        scan_request(obj=note)
        assert not ScanRecord.objects.exists()
    # then: the worker (its own thread and database connection) scans and holds it
    deadline = time.monotonic() + WAIT_SECONDS
    while not ScanRecord.objects.filter(object_id=note.pk).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    record = ScanRecord.objects.get(object_id=note.pk)
    assert record.verdict == "block" and record.findings.filter(match=BLOCK_WORD).exists()
    note.refresh_from_db()
    assert note.held
