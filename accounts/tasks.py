from django.core.management import call_command

from cms.celery import idempotent_task


@idempotent_task
def clear_expired_sessions() -> None:
    """Delete expired sessions (daily, from beat). Running it twice deletes nothing twice."""
    call_command("clearsessions")
