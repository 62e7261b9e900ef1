"""A real Celery worker makes an uploaded picture's sizes after the upload commits."""

import io
import time

import pytest
from django.core.files.storage import default_storage
from PIL import Image as PILImage

from accounts import roles
from articles.images import services as images
from articles.images.models import Image
from reliability.models import OutboxTask
from tests.factories import UserFactory


@pytest.mark.worker
def test_a_real_worker_makes_the_renditions_after_commit(celery_worker):
    author = UserFactory(username="worker-author", roles=[roles.READER, roles.AUTHOR])
    buffer = io.BytesIO()
    PILImage.new("RGB", (1700, 850), (90, 30, 160)).save(buffer, "JPEG")
    # when an upload commits (the renditions are queued through the outbox, not made here)
    image = images.image_upload(actor=author, upload=buffer.getvalue(), name="photo.jpg")
    # then the worker makes them, and the outbox row is gone once the broker took it
    deadline = time.monotonic() + 30
    while not Image.objects.get(pk=image.pk).renditions and time.monotonic() < deadline:
        time.sleep(0.2)
    image.refresh_from_db()
    assert [r["width"] for r in image.renditions] == [480, 960, 1600]
    assert all(default_storage.exists(r["name"]) for r in image.renditions)
    assert not OutboxTask.objects.filter(task_name="articles.images.tasks.image_renditions_make").exists()
