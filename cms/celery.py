"""The Celery application, configured from Django settings (namespace CELERY_)."""

import os

from celery import Celery
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.development")

app = Celery("cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Errors worth retrying: the database or the broker briefly away. Anything else is a bug
# and retrying would only repeat it.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def idempotent_task(*args, **options):
    """Declare a task that is safe to run twice.

    Only such tasks may be acknowledged late: if the worker dies mid-task the message is
    redelivered (task_reject_on_worker_lost) and the task runs again. Transient errors are
    retried with exponential backoff and jitter.
    """
    defaults = {
        "acks_late": True,
        "autoretry_for": TRANSIENT_ERRORS,
        "retry_backoff": 2,
        "retry_backoff_max": 600,
        "retry_jitter": True,
        "max_retries": 8,
    }
    return app.task(*args, **{**defaults, **options})


@app.task(bind=True, ignore_result=False)
def ping(self) -> dict:
    """Report where the task ran; used to prove a real worker is consuming the queue."""
    return {"pid": os.getpid(), "eager": bool(self.request.is_eager), "hostname": self.request.hostname}
