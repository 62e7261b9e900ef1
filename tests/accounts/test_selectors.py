from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import SignInKind, SignInRecord
from accounts.selectors import (
    MUTED_PERMANENTLY,
    accounts_sharing_signals,
    shared_sign_in_records,
    user_muted_until,
    user_role_labels,
)
from moderation.models import PenaltyStatus, PenaltyStep
from moderation.services.penalties import penalty_lift
from tests.accounts.factories import user_in_role

pytestmark = pytest.mark.django_db


def _record(user, ip, ua, kind=SignInKind.LOGIN):
    return SignInRecord.objects.create(user=user, kind=kind, ip_address=ip, user_agent=ua)


def test_accounts_sharing_an_ip_or_a_user_agent_are_found():
    suspect = user_in_role("reader", username="suspect")
    same_ip = user_in_role("reader", username="same-ip")
    same_browser = user_in_role("reader", username="same-browser")
    stranger = user_in_role("reader", username="stranger")
    _record(suspect, "203.0.113.5", "Browser-A", SignInKind.SIGNUP)
    _record(suspect, "203.0.113.6", "Browser-A")
    _record(same_ip, "203.0.113.6", "Browser-B")
    _record(same_browser, "198.51.100.1", "Browser-A")
    _record(stranger, "198.51.100.2", "Browser-C")

    found = list(accounts_sharing_signals(suspect).values_list("username", flat=True))

    assert found == ["same-browser", "same-ip"]
    assert list(shared_sign_in_records(suspect, same_ip).values_list("ip_address", flat=True)) == ["203.0.113.6"]


def test_blank_user_agent_and_unknown_ip_match_nobody():
    one = user_in_role("reader")
    two = user_in_role("reader")
    _record(one, None, "")
    _record(two, None, "")
    assert not accounts_sharing_signals(one).exists()


def test_sharing_query_count_does_not_grow_with_the_records(django_assert_num_queries):
    suspect = user_in_role("reader")
    for n in range(30):
        _record(user_in_role("reader"), "203.0.113.9", f"UA-{n}")
    _record(suspect, "203.0.113.9", "UA-x")
    with django_assert_num_queries(1):
        assert len(list(accounts_sharing_signals(suspect))) == 30


def test_roles_are_named_in_chinese():
    assert user_role_labels(user_in_role("moderator")) == ["读者", "审核员"]


def test_a_user_without_penalties_is_not_muted(django_assert_num_queries):
    reader = user_in_role("reader")
    with django_assert_num_queries(1):
        assert user_muted_until(reader) is None


def test_a_current_mute_ends_at_its_expiry(penalise):
    # given
    reader = user_in_role("reader")
    penalty = penalise(reader, PenaltyStep.MUTE_7_DAYS)
    # when
    until = user_muted_until(reader)
    # then
    assert until == penalty.expires_at
    assert until - penalty.starts_at == timedelta(days=7)


def test_an_expired_mute_no_longer_mutes_even_before_the_expiry_task_ran(penalise):
    # given: a 1-day mute that started two days ago, still marked active (no worker ran)
    reader = user_in_role("reader")
    penalty = penalise(reader, PenaltyStep.MUTE_1_DAY, now=timezone.now() - timedelta(days=2))
    penalty.refresh_from_db()
    assert penalty.status == PenaltyStatus.ACTIVE
    # when / then
    assert user_muted_until(reader) is None


def test_a_lifted_mute_no_longer_mutes(penalise, moderator):
    # given
    reader = user_in_role("reader")
    penalty = penalise(reader, PenaltyStep.MUTE_15_DAYS)
    penalty_lift(actor=moderator, penalty=penalty, reason="申诉成立。")
    # when / then
    assert user_muted_until(reader) is None


def test_a_permanent_mute_answers_the_latest_possible_time(penalise):
    # given: a permanent mute beside a shorter one
    reader = user_in_role("reader")
    penalise(reader, PenaltyStep.MUTE_1_DAY)
    penalise(reader, PenaltyStep.MUTE_PERMANENT)
    # when
    until = user_muted_until(reader)
    # then
    assert until == MUTED_PERMANENTLY == datetime.max.replace(tzinfo=UTC)


def test_overlapping_mutes_end_at_the_later_expiry(penalise):
    # given: a 15-day mute from five days ago and a 7-day one from now
    reader = user_in_role("reader")
    longer = penalise(reader, PenaltyStep.MUTE_15_DAYS, now=timezone.now() - timedelta(days=5))
    shorter = penalise(reader, PenaltyStep.MUTE_7_DAYS)
    assert longer.expires_at > shorter.expires_at
    # when / then: the new, shorter mute does not shorten the one in force
    assert user_muted_until(reader) == longer.expires_at


@pytest.mark.parametrize("step", [PenaltyStep.WARNING, PenaltyStep.BAN])
def test_a_warning_or_a_ban_is_not_a_mute(penalise, step):
    reader = user_in_role("reader")
    penalise(reader, step)
    assert user_muted_until(reader) is None


def test_someone_elses_mute_does_not_mute_me(penalise):
    penalise(user_in_role("reader"), PenaltyStep.MUTE_7_DAYS)
    assert user_muted_until(user_in_role("reader")) is None
