"""Run a task's effect once per message, for tasks that cannot simply be repeated.

Redelivery (a worker lost mid-task, the outbox republishing a row the broker had in fact
accepted) hands the same message — the same Celery task id — to a worker twice. An
e-mail sent twice is two e-mails, so such tasks record a receipt for the message id in the
same transaction as their effect: the second delivery finds it and does nothing. If the
effect fails, the receipt is rolled back with it and a retry tries again.
"""

import functools

from django.db import IntegrityError, transaction

from reliability.models import TaskReceipt


def once_per_message(func):
    """Decorate a bound task (`@app.task(bind=True)`) so each message has its effect once."""

    @functools.wraps(func)
    def wrapper(self, *args, **kwargs):
        message_id = self.request.id
        if not message_id:  # called as a plain function, not as a task: nothing to dedupe
            return func(self, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():  # a savepoint, so a duplicate leaves the outer block usable
                    TaskReceipt.objects.create(message_id=message_id, task_name=self.name)
            except IntegrityError:
                return None  # this message already had its effect
            # On PostgreSQL a concurrent second delivery waits on the receipt's unique index
            # until this transaction ends, then finds it.
            return func(self, *args, **kwargs)

    return wrapper
