"""What keeps the site correct with several processes and when a service fails.

- the task outbox (`outbox.py`): work a write queues is stored in the same transaction and
  handed to Celery on commit, so a broker that is down loses nothing;
- message receipts (`receipts.py`): a task that must not repeat its effect (an e-mail) runs
  once per message, however often the message is delivered;
- the rate-limit counter (`ratecounter.py`), a database row incremented atomically, shared
  by every process;
- the Redis cache backend that treats a dead Redis as a miss (`cache.py`);
- the 503 page for a database that is away (`middleware.py`);
- the system checks that keep production from running on per-process state (`checks.py`).
"""
