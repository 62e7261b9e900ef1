"""A 429 says when to try again: Retry-After is what is actually left of the rate-limit
window, on the comment form, the sign-up form and the API alike (not a fixed 60)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.ratelimit import rate_limit_count, rate_limit_retry_after
from articles.services_comments import COMMENT_RATE_LIMIT, COMMENT_RATE_WINDOW_SECONDS
from reliability.models import RateCounter
from tests.accounts.factories import user_in_role
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LEFT = 17  # seconds the tests leave in a window, well away from the window's full length


def leave_seconds_in_window(key: str, seconds: int = LEFT) -> None:
    """Move the open window of `key` so that `seconds` of it remain."""
    RateCounter.objects.filter(key=f"ratelimit:{key}").update(expires_at=timezone.now() + timedelta(seconds=seconds))


def fill_comment_window(reader) -> None:
    for _ in range(COMMENT_RATE_LIMIT):
        rate_limit_count(key=f"comment:{reader.pk}", window_seconds=COMMENT_RATE_WINDOW_SECONDS)
    leave_seconds_in_window(f"comment:{reader.pk}")


def test_retry_after_counts_down_from_the_window_and_is_zero_without_one():
    assert rate_limit_retry_after(key="nobody") == 0
    rate_limit_count(key="demo", window_seconds=3600)
    assert 3590 < rate_limit_retry_after(key="demo") <= 3600
    leave_seconds_in_window("demo")
    assert rate_limit_retry_after(key="demo") == LEFT


def test_the_comment_forms_429_has_the_seconds_left():
    article = ArticleFactory()
    reader = user_in_role("reader")
    fill_comment_window(reader)
    client = Client()
    client.force_login(reader)
    response = client.post(f"{article.get_absolute_url()}comments/", {"body": "再来一条"})
    assert response.status_code == 429
    assert response["Retry-After"] == str(LEFT)


def test_the_apis_429_has_the_seconds_left_not_a_fixed_minute():
    article = ArticleFactory()
    reader = user_in_role("reader")
    fill_comment_window(reader)
    client = APIClient()
    client.force_authenticate(reader)
    response = client.post(f"/api/v1/articles/{article.pk}/comments/", {"body": "再来一条"}, format="json")
    assert response.status_code == 429
    assert response["Retry-After"] == str(LEFT)
    assert "评论太频繁了" in response.json()["detail"]


def test_the_signup_forms_429_has_the_seconds_left(settings):
    settings.ACCOUNTS_SIGNUP_LIMIT_PER_HOUR = 1
    rate_limit_count(key="signup:198.51.100.7", window_seconds=3600)
    leave_seconds_in_window("signup:198.51.100.7", 600)
    response = Client().post(
        "/accounts/signup/",
        {
            "username": "新读者",
            "email": "new@example.test",
            "password1": "纸上得来终觉浅x9",
            "password2": "纸上得来终觉浅x9",
        },
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
