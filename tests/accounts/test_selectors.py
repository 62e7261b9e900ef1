import pytest

from accounts.models import SignInKind, SignInRecord
from accounts.selectors import accounts_sharing_signals, shared_sign_in_records, user_muted_until, user_role_labels
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


def test_nobody_is_muted_before_penalties_exist():
    assert user_muted_until(user_in_role("reader")) is None
