"""expire_penalties at scale: 100,000 active penalties of which 10,000 are due.

Runs on a throwaway database made by Django's test machinery (``test_<name>`` on
PostgreSQL, in memory on SQLite), never on the site's own data, and prints (never asserts):
- the seeding time (bulk_create: users, then penalties);
- for each run of moderation.services.penalties_expire — the first ends the 10,000 due
  penalties in batches of MODERATION_EXPIRE_BATCH, the second finds nothing — its time,
  how many it ended and how many SQL queries it ran (and per ended penalty);
- on PostgreSQL, the EXPLAIN of the due-rows query, which should read the partial index
  ``penalty_due`` (``expires_at`` where status = 'active') rather than scan the table. On
  SQLite it says so and prints SQLite's own plan for reference.

The users have no e-mail address, so the runs measure the notices and not the outbox of
10,000 e-mails. `python -m bench penalties` runs it alone; BENCH_PENALTIES and BENCH_DUE
change the sizes.
"""

import os
import time
from datetime import timedelta

ACTIVE = int(os.environ.get("BENCH_PENALTIES", "100000"))
DUE = int(os.environ.get("BENCH_DUE", "10000"))
USERS = 10_000
BULK_BATCH = 5_000


def _seed(now) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    from moderation.models import Penalty, PenaltyStatus, PenaltyStep

    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"bench-penalised-{i}", password=UNUSABLE_PASSWORD_PREFIX) for i in range(USERS)],
        batch_size=BULK_BATCH,
    )
    if not users[0].pk:  # backends that do not return ids from bulk_create
        users = list(User.objects.filter(username__startswith="bench-penalised-").order_by("pk"))
    penalties = []
    for i in range(ACTIVE):
        due = i < DUE
        starts = now - timedelta(days=2 if due else 0, minutes=i % 1440)
        penalties.append(
            Penalty(
                user=users[i % USERS],
                step=PenaltyStep.MUTE_1_DAY if due else PenaltyStep.MUTE_15_DAYS,
                rule_code="2.6",
                convention_version="bench",
                reason="基准测试",
                status=PenaltyStatus.ACTIVE,
                starts_at=starts,
                expires_at=starts + timedelta(days=1 if due else 15),
            )
        )
    Penalty.objects.bulk_create(penalties, batch_size=BULK_BATCH)


def _explain(now) -> None:
    from django.db import connection, transaction

    from moderation.models import Penalty, PenaltyStatus

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would have them
    with transaction.atomic():
        # The query penalties_expire runs for each batch (select_for_update as it does).
        lock = {"skip_locked": connection.features.has_select_for_update_skip_locked}
        if connection.features.has_select_for_update_of:
            lock["of"] = ("self",)
        due = (
            Penalty.objects.select_for_update(**lock)
            .filter(status=PenaltyStatus.ACTIVE, expires_at__lte=now)
            .order_by("expires_at", "id")
            .select_related("user")[:500]
        )
        plan = due.explain()
    if connection.vendor == "postgresql":
        print("EXPLAIN of the due-rows query (PostgreSQL):")
        print("  " + plan.replace("\n", "\n  "))
        print("  uses penalty_due:", "penalty_due" in plan)
    else:
        print(f"EXPLAIN needs PostgreSQL (DATABASE_URL=postgres://…); this run is on {connection.vendor}.")
        print("  SQLite's plan, for reference: " + plan.replace("\n", " | "))


class _QueryCounter:
    """Counts every statement (CaptureQueriesContext keeps only the last 9,000)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def run() -> None:
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from moderation.services import penalties_expire

    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # Its own name, so it never collides with the test suite's test_<name>.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_{old_name}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(f"database: {connection.vendor} (throwaway {connection.settings_dict['NAME']})")
        now = timezone.now()
        started = time.perf_counter()
        _seed(now)
        print(f"seeded {ACTIVE:,} active penalties ({DUE:,} due) in {time.perf_counter() - started:.1f} s")
        _explain(now)
        batch = settings.MODERATION_EXPIRE_BATCH
        for label in ("run 1 (due rows)", "run 2 (nothing due)"):
            counter = _QueryCounter()
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                ended = penalties_expire(now=now)
                elapsed = time.perf_counter() - started
            per = (
                f", {counter.count / ended:.1f} queries and {elapsed / ended * 1000:.2f} ms per ended penalty"
                if ended
                else ""
            )
            print(f"{label}: ended {ended:,} in {elapsed:.2f} s, {counter.count:,} queries (batches of {batch}){per}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
