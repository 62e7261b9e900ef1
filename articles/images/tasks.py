"""Celery tasks of the image library (imported by articles.tasks, so the worker finds them)."""

from cms.celery import idempotent_task


@idempotent_task
def image_renditions_make(image_id: int) -> int:
    """Make an uploaded image's sizes for phone and desktop. Safe to run twice: the second
    run finds them made. Returns how many renditions the image has (0: image gone)."""
    from articles.images.models import Image
    from articles.images.services import image_ensure_renditions

    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return 0
    return len(image_ensure_renditions(image=image).renditions)
